"""Profiles: every built-in one loads, covers every limit, and bad files say where and what."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

import pytest

import resources
from checks import registry
from checks.profile import ProfileError, available_profiles, load_profile

SCHEMAS = registry.limit_schemas(registry.discover())


@pytest.mark.parametrize("name", ["generic", "teams", "zoom", "meet", "webex"])
def test_builtin_profiles_load(name: str):
    p = load_profile(name, SCHEMAS)
    assert p.name == name
    for check_id in SCHEMAS:
        assert dataclasses.is_dataclass(p.limits(check_id))


def test_generic_profile_states_every_limit_with_a_source_comment():
    """The profile, not the code, is where limits live: generic.toml must spell out every key
    of every installed check, and each key needs a comment above it naming its basis."""
    path = resources.path("profiles", "generic.toml")
    text = path.read_text()
    data = tomllib.loads(text)
    for check_id, cls in SCHEMAS.items():
        assert check_id in data, f"generic.toml has no [{check_id}] section"
        for f in dataclasses.fields(cls):
            assert f.name in data[check_id], f"generic.toml lacks [{check_id}] {f.name}"
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^\w+\s*=", line) and not line.startswith(("name", "title", "platform",
                                                               "description", "extends")):
            above = [x for x in lines[max(0, i - 12):i] if x.strip()]
            assert any(x.lstrip().startswith("#") for x in above), f"no source comment: {line}"


def test_list_of_profiles():
    assert {p.stem for p in available_profiles()} >= {"generic", "teams", "zoom", "meet", "webex"}


def write(tmp_path: Path, text: str) -> str:
    p = tmp_path / "mine.toml"
    p.write_text(text)
    return str(p)


GOOD_HEAD = '[profile]\nname = "mine"\ntitle = "Mine"\nextends = "generic"\n'


def test_user_profile_overrides_generic(tmp_path: Path):
    p = load_profile(write(tmp_path, GOOD_HEAD + "\n[system]\ncpu_load_warn_pct = 50\n"), SCHEMAS)
    assert p.limits("system").cpu_load_warn_pct == 50.0
    assert p.limits("system").disk_free_fail_mb == 500.0  # inherited


@pytest.mark.parametrize(
    ("body", "line", "needle"),
    [
        (GOOD_HEAD + "\n[system]\ncpu_load_warn_pct = 50\ncpu_lod_fail_pct = 3\n", 8,
         "key 'system.cpu_lod_fail_pct'"),
        (GOOD_HEAD + "\n[system]\ncpu_load_warn_pct = \"high\"\n", 7,
         "key 'system.cpu_load_warn_pct': must be a number"),
        (GOOD_HEAD + "\n[sytem]\ncpu_load_warn_pct = 50\n", 6, "unknown table [sytem]"),
        (GOOD_HEAD + "\n[system\ncpu_load_warn_pct = 50\n", 6, "not valid TOML"),
        ('[profile]\nname = "x"\ntitle = "X"\nplatform = "skype"\n', 4, "must be one of"),
        ('[profile]\nname = "x"\ntitle = "X"\ncolour = "red"\n', 4, "unknown key in [profile]"),
        ('[system]\ncpu_load_warn_pct = 50\n', 1, "missing the [profile] table"),
        (GOOD_HEAD + "\n[system]\non_battery_status = 3\n", 7, "must be a string"),
    ],
)
def test_bad_profiles_name_file_line_and_key(tmp_path: Path, body: str, line: int, needle: str):
    path = write(tmp_path, body)
    with pytest.raises(ProfileError) as exc:
        load_profile(path, SCHEMAS)
    msg = str(exc.value)
    assert msg.startswith(f"{Path(path).resolve()}:{line}:"), msg
    assert needle in msg, msg


def test_unknown_name_and_missing_file_and_loop(tmp_path: Path):
    with pytest.raises(ProfileError, match=r"no such profile.*generic"):
        load_profile("skype", SCHEMAS)
    with pytest.raises(ProfileError, match="file not found"):
        load_profile(str(tmp_path / "nope.toml"), SCHEMAS)
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_text(f'[profile]\nname = "a"\ntitle = "A"\nextends = "{b}"\n')
    b.write_text(f'[profile]\nname = "b"\ntitle = "B"\nextends = "{a}"\n')
    with pytest.raises(ProfileError, match="loop"):
        load_profile(str(a), SCHEMAS)


def test_binary_garbage_profile(tmp_path: Path):
    p = tmp_path / "bin.toml"
    p.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ProfileError, match=r"cannot read the file|not valid TOML"):
        load_profile(str(p), SCHEMAS)
