"""Every loader of a file from outside, fuzzed with hypothesis (issue 13): report, profile,
invitation, history (kept runs and its settings) and the GUI settings.

Each case must end within ``LIMIT_S`` (the hypothesis deadline) and under ``LIMIT_MB`` of
Python allocations (``tracemalloc`` around the loader) with a correct result or the loader's
own error type, whose message names the file. The example counts are small so the suite stays
fast; the inputs range from random bytes to valid files with one field replaced by a hostile
value, and a few grow to megabytes.
"""

from __future__ import annotations

import copy
import json
import math
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techcheck.app import invitation
from techcheck.app.report import history, html, jsonio, text
from techcheck.checks import registry
from techcheck.checks.profile import ProfileError, load_profile
from tests import report_samples as samples
from tests.hostile import LIMIT_MB, LIMIT_S

FUZZ = settings(max_examples=40, deadline=timedelta(seconds=LIMIT_S),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


def bounded(call: Callable[[], Any]) -> Any:
    """``call()`` with its peak of Python allocations held under ``LIMIT_MB``."""
    tracemalloc.start()
    try:
        return call()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < LIMIT_MB * 2**20, f"peak {peak / 2**20:.0f} MB"


# --- hostile values ---------------------------------------------------------------------------


class Big(str):
    """A long text that hypothesis reports by its length, not by its megabytes."""

    def __repr__(self) -> str:
        return f"Big({self[:10]!r}… {len(self)} characters)"

    def __str__(self) -> str:
        return self


_numbers = st.one_of(
    st.integers(), st.integers(min_value=10**18, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=10**4000, max_value=10**4200), st.sampled_from([1e308, -0.0]))
_texts = st.one_of(
    st.text(max_size=50),
    st.sampled_from(["{value:>300000000}", "{value.__class__}", "{value[0]}", "{value!r}",
                     "\ud800", "\x1b]0;t\x07", "2026-99-99T99:99+00:00", "{", "}", "{{}}",
                     "techcheck.report/1", "techcheck.report/" + "9" * 5000]),
    st.builds(lambda c, n: Big(c * n), st.sampled_from(["x", "{x}", "é", "\u202e"]),
              st.integers(0, 2_000_000)))
_scalars = st.one_of(st.none(), st.booleans(), _numbers, _texts)
_json = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


def _replace(doc: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    doc = copy.deepcopy(doc)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


# --- reports ----------------------------------------------------------------------------------

REPORT = json.loads(jsonio.dumps(samples.report(snapshot=True)))
REPORT_PATHS = [p for p in _paths(REPORT) if "snapshot_jpeg_b64" not in p]
SCHEMA = jsonschema.Draft202012Validator(json.loads(jsonio.SCHEMA_FILE.read_text()))


def _read_report(path: Path) -> None:
    try:
        report = bounded(lambda: jsonio.read(path))
    except jsonio.ReportError as exc:
        assert str(path) in str(exc)
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    assert SCHEMA.is_valid(data), "the loader accepted what the schema refuses"
    for lang in ("en", "sv"):
        out = bounded(lambda lang=lang: (text.render(report, lang), html.render(report, lang)))
        assert all(len(o) < 20 * 2**20 for o in out)
    json.loads(jsonio.dumps(report))  # what it writes back is strict JSON


@pytest.mark.slow
@FUZZ
@given(path=st.sampled_from(REPORT_PATHS), value=_json)
def test_fuzz_report_with_one_field_replaced(path: tuple, value: Any, tmp_path: Path):
    f = tmp_path / "r.json"
    f.write_bytes(json.dumps(_replace(REPORT, path, value), allow_nan=True)
                  .encode("utf-8", "surrogatepass"))
    _read_report(f)


@pytest.mark.slow
@FUZZ
@given(raw=st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(str.encode),
                     st.integers(1, 300_000).map(lambda n: b"[" * n + b"]" * n),
                     st.integers(1, 300_000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n)))
def test_fuzz_report_from_raw_bytes(raw: bytes, tmp_path: Path):
    f = tmp_path / "r.json"
    f.write_bytes(raw)
    _read_report(f)


# --- profiles ---------------------------------------------------------------------------------

SCHEMAS = registry.limit_schemas(registry.discover())
TEAMS = (Path(__file__).resolve().parents[2] / "resources" / "profiles" / "teams.toml"
         ).read_text(encoding="utf-8")
_toml_values = st.one_of(
    st.sampled_from(["nan", "inf", "-inf", "1e999", Big("9" * 5000), Big("[" * 5000 + "]" * 5000),
                     '"\\u0000"', '"generic"', '"/dev/zero"', "[]", "[1, 2, 3]", "{}",
                     "true", "0", "-1", Big('"' + "x" * 100_000 + '"')]),
    st.integers().map(str), st.floats().map(repr), st.text(max_size=30).map(json.dumps))


def _load_profile(path: Path) -> None:
    try:
        profile = bounded(lambda: load_profile(str(path), SCHEMAS))
    except ProfileError as exc:
        assert str(path) in str(exc) or path.name in str(exc)
        return
    for section in profile.sections:
        limits = profile.limits(section)
        for v in vars(limits).values():
            assert not (isinstance(v, float) and not math.isfinite(v))


@pytest.mark.slow
@FUZZ
@given(line=st.integers(0, len(TEAMS.splitlines()) - 1), value=_toml_values)
def test_fuzz_profile_with_one_value_replaced(line: int, value: str, tmp_path: Path):
    lines = TEAMS.splitlines()
    if "=" in lines[line]:
        key = lines[line].split("=", 1)[0]
        lines[line] = f"{key}= {value}"
    else:
        lines.insert(line, f"x_{line} = {value}")
    f = tmp_path / "p.toml"
    f.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    _load_profile(f)


@FUZZ
@given(raw=st.one_of(st.binary(max_size=3000), st.text(max_size=3000).map(
    lambda t: t.encode("utf-8", "surrogatepass"))))
def test_fuzz_profile_from_raw_bytes(raw: bytes, tmp_path: Path):
    f = tmp_path / "p.toml"
    f.write_bytes(raw)
    _load_profile(f)


# --- invitations ------------------------------------------------------------------------------

INVITE = invitation.create(profile="teams", when="2026-12-01T10:00+01:00", contact="Ann",
                           company="Acme", server="https://speed.example.com/",
                           note="Bring a headset").to_toml()


@FUZZ
@given(line=st.integers(2, INVITE.count("\n") - 1), value=_toml_values)
def test_fuzz_invitation_with_one_value_replaced(line: int, value: str, tmp_path: Path):
    lines = INVITE.splitlines()
    key = lines[line].split("=", 1)[0] if "=" in lines[line] else "extra "
    lines[line] = f"{key}= {value}"
    f = tmp_path / "i.toml"
    f.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    try:
        inv = bounded(lambda: invitation.load(f))
    except invitation.InvitationError as exc:
        assert "i.toml" in str(exc)
        return
    assert inv.when.tzinfo is not None and inv.profile in invitation.builtin_profiles()


@FUZZ
@given(raw=st.binary(max_size=20_000))
def test_fuzz_invitation_from_raw_bytes(raw: bytes, tmp_path: Path):
    f = tmp_path / "i.toml"
    f.write_bytes(raw)
    with pytest.raises(invitation.InvitationError):
        bounded(lambda: invitation.load(f))


# --- history and its settings -----------------------------------------------------------------


@pytest.mark.slow
@FUZZ
@given(files=st.lists(st.tuples(st.sampled_from(REPORT_PATHS), _json), max_size=4))
def test_fuzz_history_lists_good_runs_and_names_bad_ones(files: list, tmp_path: Path):
    root = tmp_path / "history"
    root.mkdir(exist_ok=True)
    for old in root.iterdir():
        old.unlink()
    good = root / "20261201T083512Z-000000.json"
    good.write_text(json.dumps(REPORT))
    for i, (path, value) in enumerate(files):
        (root / f"20261130T00000{i}Z-{i:06x}.json").write_bytes(
            json.dumps(_replace(REPORT, path, value), allow_nan=True)
            .encode("utf-8", "surrogatepass"))
    h = history.History(root, history.Retention())
    entries = bounded(h.entries)
    assert good in [e.path for e in entries]
    assert len(entries) + len(h.skipped) == len(files) + 1
    h.prune()
    if entries:
        assert h.latest() is not None


@FUZZ
@given(key=st.sampled_from(["enabled", "keep_runs", "keep_days", "other"]), value=_toml_values)
def test_fuzz_history_settings(key: str, value: str, tmp_path: Path):
    f = tmp_path / "history.toml"
    f.write_text(f"[history]\n{key} = {value}\n", encoding="utf-8", errors="surrogatepass")
    r = bounded(lambda: history.Retention.load(f))
    assert isinstance(r.enabled, bool)
    assert 0 <= r.keep_runs <= history.LIMITS["keep_runs"]
    assert 0 <= r.keep_days <= history.LIMITS["keep_days"]
    history.History(tmp_path / "h", r).prune()  # the date arithmetic holds at the bounds


# --- GUI settings -----------------------------------------------------------------------------


@FUZZ
@given(lines=st.lists(st.tuples(
    st.sampled_from(["ui/language", "ui/role", "ui/platform", "devices/camera", "ui/demo",
                     "ui/geometry", "ui/x"]),
    st.one_of(st.text(max_size=40), st.sampled_from(["@ByteArray(\\0)", "@Variant(\\0\\0)",
                                                     "true", "1e999", "sv", "it"]))),
    max_size=6))
def test_fuzz_gui_settings_file(lines: list, tmp_path: Path):
    from PySide6.QtCore import QSettings

    from techcheck.app.gui import settings as gs

    f = tmp_path / "techcheck.ini"
    body = "[General]\n" + "".join(f"{k}={v}\n" for k, v in lines)
    f.write_text(body, encoding="utf-8", errors="surrogatepass")
    s = gs.Settings(QSettings(str(f), QSettings.Format.IniFormat))
    for setting in gs.ALL:
        value = bounded(lambda setting=setting: s.get(setting))
        assert isinstance(value, type(setting.default))
        assert setting.choices is None or value in setting.choices
