"""Profiles that would load and then mislead (issue 21, items 10, 11 and 12): ``extends`` read
from the wrong folder, timing keys that flood the network or judge from one probe, servers
that are no servers. Each is refused at load with the file, the line and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from techcheck.checks import registry
from techcheck.checks.profile import ProfileError, load_profile
from tests.hostile import assert_bounded, run_measured


@pytest.fixture(scope="module")
def schemas():
    return registry.limit_schemas(registry.discover())


def _write(path: Path, body: str, extends: str = "generic") -> Path:
    path.write_text(f'[profile]\nname = "{path.stem}"\ntitle = "Mine"\n'
                    f'extends = "{extends}"\n{body}')
    return path


def test_extends_is_read_from_the_profiles_own_folder(tmp_path, monkeypatch, schemas):
    """A stray base.toml in the current folder must not replace the one beside the profile."""
    mine = tmp_path / "org"
    mine.mkdir()
    _write(mine / "base.toml", "[network]\nrtt_warn_ms = 111.0\n")
    profile = _write(mine / "interview.toml", "", extends="base.toml")
    stray = tmp_path / "elsewhere"
    stray.mkdir()
    _write(stray / "base.toml", "[network]\nrtt_warn_ms = 5.0\n")
    monkeypatch.chdir(stray)
    loaded = load_profile(str(profile), schemas)
    assert loaded.limits("network").rtt_warn_ms == 111.0
    sub = _write(mine / "nested.toml", "", extends="./base.toml")
    assert load_profile(str(sub), schemas).limits("network").rtt_warn_ms == 111.0
    assert load_profile(str(_write(mine / "b.toml", "", extends="teams")),
                        schemas).limits("network").target_tier  # a built-in name still works


@pytest.mark.parametrize(("key", "value", "words"), [
    ("network", "probe_interval_ms = 0", "between 5 and 1000"),
    ("network", "probe_interval_ms = 600000", "between 5 and 1000"),
    ("network", "idle_s = 0", "between 1 and 120"),
    ("network", "download_s = 3600", "between 1 and 120"),
    ("network", "idle_s = 2.0\nprobe_interval_ms = 500", "at least 100 probes"),
    ("system", "load_window_s = 0", "between 0.5 and 30"),
    ("microphone", "speech_s = 0", "between 1 and 60"),
    ("microphone", "quiet_s = 3600", "between 0.5 and 30"),
    ("camera", "duration_s = 0", "between 1 and 120"),
    ("camera", "frozen_lag_s = 0", "between 0.1 and 5"),
    ("camera", "warmup_s = 3600", "between 0 and 10"),
])
def test_timing_keys_are_bounded_at_load(key, value, words, tmp_path, schemas):
    path = _write(tmp_path / "timing.toml", f"[{key}]\n{value}\n")
    with pytest.raises(ProfileError) as exc:
        load_profile(str(path), schemas)
    assert words in str(exc.value), str(exc.value)
    assert exc.value.line is not None and exc.value.line >= 5  # the key's own line
    assert exc.value.key is not None and exc.value.key.startswith(f"{key}.")


@pytest.mark.parametrize(("value", "key", "words"), [
    ('server_url = "file:///etc/passwd"', "network.server_url", "not a web address"),
    ('server_url = ""', "network.server_url", "not a web address"),
    ('stun_servers = [""]', "network.stun_servers", "not a STUN server"),
    ('stun_servers = ["stun.example.org:99999"]', "network.stun_servers", "not a STUN server"),
    ('endpoints = ["teams.microsoft.com:0"]', "network.endpoints", "HOST:PORT"),
    ('captive_url = "gopher://x/"', "network.captive_url", "not a web address"),
])
def test_servers_that_are_no_servers_are_refused_at_load(value, key, words, tmp_path, schemas):
    path = _write(tmp_path / "servers.toml", f"[network]\n{value}\n")
    with pytest.raises(ProfileError) as exc:
        load_profile(str(path), schemas)
    assert exc.value.key == key and exc.value.line == 6, str(exc.value)
    assert words in str(exc.value)


def test_the_cli_names_file_line_and_key(tmp_path):
    path = _write(tmp_path / "flood.toml", "[network]\nprobe_interval_ms = 0\n")
    m = run_measured("run", "--only", "network", "--no-history", "--profile", str(path),
                     tmp=tmp_path)
    assert m.returncode == 3, m.stderr
    assert f"{path}:6: key 'network.probe_interval_ms': must be between 5 and 1000" in m.stderr
    assert "…" not in m.stderr  # nothing ran
    assert_bounded(m)
