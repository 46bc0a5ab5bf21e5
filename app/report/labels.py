"""Readable names for the metrics checks report (``cpu_load`` → "Processor load").

A built-in check declares each of its measures once, with its label
(``techcheck.checks.measure``); the report, the comparison and the GUI's details page take the
label from there. A metric without a declaration (a third-party plug-in's, a name no check
reports any more) is still shown, with its key made readable, so a report never breaks.
"""

from __future__ import annotations

from techcheck.checks import renamed
from techcheck.checks.measure import declared

_UNIT_SUFFIXES = ("_mbps", "_kbps", "_ms", "_pct", "_dbfs", "_db", "_mb", "_gb", "_s", "_hz")


def metric_label(check_id: str, name: str) -> str:
    """The English label (an ``N_`` template, or the key made readable) of a metric."""
    found = declared(check_id).get(renamed.metric_name(name))
    if found is not None and found.label:
        return found.label
    words = name
    for suffix in _UNIT_SUFFIXES:
        if words.endswith(suffix) and len(words) > len(suffix):
            words = words[: -len(suffix)]
            break
    words = words.replace("_", " ").replace(".", " ").strip()
    return words[:1].upper() + words[1:] if words else name
