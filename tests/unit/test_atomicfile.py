"""Reports are written atomically: a full disk never leaves a half-written or truncated file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from techcheck.app.atomicfile import describe_write_error, write_atomic
from tests.conftest import run_cli


def test_write_replaces_whole_file(tmp_path: Path):
    p = tmp_path / "r.json"
    write_atomic(p, "old")
    write_atomic(p, "new content")
    assert p.read_text() == "new content"
    assert [x.name for x in tmp_path.iterdir()] == ["r.json"]


def test_full_disk_keeps_the_old_file_and_leaves_no_temp(mount_tmpfs):
    disk = mount_tmpfs(64)
    p = disk / "report.json"
    write_atomic(p, "previous report")
    with pytest.raises(OSError) as exc:
        write_atomic(p, "x" * 200_000)
    assert "disk is full" in describe_write_error(p, exc.value)
    assert p.read_text() == "previous report"
    assert [x.name for x in disk.iterdir()] == ["report.json"]


@pytest.mark.slow
def test_cli_on_a_full_disk_exits_3_and_keeps_the_old_report(mount_tmpfs):
    disk = mount_tmpfs(16)
    old = disk / "r.json"
    old.write_text('{"schema": "techcheck.report/1", "old": true}')
    (disk / "filler").write_bytes(b"\0" * (16 * 1024 - old.stat().st_size - 4096))
    res = run_cli("run", "--only", "system", "--duration", "0.3", "--json", str(old))
    assert res.returncode == 3, res.stderr
    assert "the disk is full" in res.stderr and "Free some space" in res.stderr
    assert json.loads(old.read_text())["old"] is True
    assert "TechCheck readiness report" in res.stdout  # the result is still shown
    assert sorted(x.name for x in disk.iterdir()) == ["filler", "r.json"]
