"""Public names that changed, and the one place an old name is read as its new one.

Metric names and limit keys are public: saved JSON reports, the run history and ``compare``
hold metric names, and an organisation's own profile holds limit keys. When a name is
changed (one spelling, American as in the finding codes and the Qt/Python APIs; one order of
the parts of a limit key, docs/profiles.md), the old one stays readable: a report written
before the change loads, renders its labels and compares with a new one; a profile with an
old key loads as if it had the new key, and the log names the new key so the file can be
updated. ``Report.from_dict`` and the profile loader are the only callers.
"""

from __future__ import annotations

#: Metric names in saved reports, old → current (any check: a metric name is unique
#: within its check, and these were used by one check only).
METRICS: dict[str, str] = {
    "colour_a": "color_a",
    "colour_b": "color_b",
}

#: Limit keys in profiles, by profile section (check id), old → current.
LIMIT_KEYS: dict[str, dict[str, str]] = {
    "camera": {
        "colour_a_range": "color_a_range",
        "colour_b_range": "color_b_range",
        "colour_warn_margin": "color_margin_warn",
        "colour_min_chroma": "color_min_chroma",
    },
    "microphone": {
        "clip_warn_ratio": "clip_ratio_warn",
    },
}


#: Limit keys that no longer set anything, by profile section, with why: a profile that still
#: gives one loads (an organisation's file must not stop working), and the log says it is
#: ignored so the line can be removed.
RETIRED_LIMIT_KEYS: dict[str, dict[str, str]] = {
    "camera": {
        # issue 20: the preview's own shorter window made its "looks good" disagree with
        # the check's card; it now judges over window_s as the check does
        "live_window_s": "the live preview judges over window_s, as the check does",
        # issue 25: closeness is the head's height (chin to crown), not the face box's, so
        # the old numbers mean something else; the new keys have their own values
        "face_height_range_tip": "the size measure is now the head's height: "
                                 "head_height_min_tip and head_height_max_warn",
        "face_height_range_warn": "the size measure is now the head's height: "
                                  "head_height_min_warn and head_height_max_warn",
    },
}


def retired(section: str, key: str) -> str | None:
    """Why ``key`` of ``[section]`` no longer sets anything, or None when it is not retired."""
    return RETIRED_LIMIT_KEYS.get(section, {}).get(key)


def metric_name(name: str) -> str:
    """The current name of a metric read from a report (itself when it never changed)."""
    return METRICS.get(name, name)


def limit_key(section: str, key: str) -> str | None:
    """The current name of an old limit key of ``[section]``, or None when ``key`` is not an
    old name."""
    return LIMIT_KEYS.get(section, {}).get(key)


def old_limit_keys(section: str, key: str) -> list[str]:
    """The old names of the current limit key ``key`` of ``[section]`` (to find its line in a
    file written with one of them)."""
    return [old for old, new in LIMIT_KEYS.get(section, {}).items() if new == key]
