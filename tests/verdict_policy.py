"""The severity policy's table (docs/verdicts.md), parsed once for the tests that check the
findings they see against it."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from techcheck.checks.model import CheckResult, Status

DOC = Path(__file__).resolve().parent.parent / "docs" / "verdicts.md"
_ROW = re.compile(r"^\|\s*`([a-z_]+\.[a-z_0-9]+)`\s*\|\s*([a-z, ]+?)\s*\|\s*(.*?)\s*\|\s*$")


@cache
def policy() -> dict[str, tuple[frozenset[Status], str]]:
    """code -> (the statuses it may have, the one-line reason)."""
    text = DOC.read_text(encoding="utf-8")
    body = text.split("<!-- verdict-table:start -->", 1)[1].split("<!-- verdict-table:end -->")[0]
    out: dict[str, tuple[frozenset[Status], str]] = {}
    for line in body.splitlines():
        m = _ROW.match(line)
        if m:
            code, statuses, why = m.groups()
            assert code not in out, f"{code} is listed twice in {DOC.name}"
            out[code] = (frozenset(Status(s.strip()) for s in statuses.split(",")), why)
    return out


def violations(result: CheckResult) -> list[str]:
    """Findings of ``result`` whose code is not in the table or whose status it does not allow."""
    table = policy()
    bad = []
    for f in result.findings:
        allowed = table.get(f.code, (frozenset(), ""))[0]
        if f.status not in allowed:
            bad.append(f"{f.code} is {f.status.value}, the policy allows "
                       f"{sorted(s.value for s in allowed) or 'nothing (not listed)'}")
    return bad
