"""The local run history (retention, atomic writes on a full disk, no snapshot kept) and the
comparison of two runs in plain words."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from techcheck.app.report import compare, history, jsonio
from techcheck.app.report.history import History, Retention
from tests import report_samples as samples


def _at(when: datetime):
    r = samples.report(with_error=False)
    r.created = when.isoformat(timespec="seconds")
    return r


def test_history_keeps_runs_in_the_user_data_dir_newest_first():
    base = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    h = history.default()
    for i in range(3):
        h.save(_at(base + timedelta(hours=i)))
    entries = history.entries()
    assert len(entries) == 3 and entries[0].created == base + timedelta(hours=2)
    assert str(entries[0].path).startswith(os.environ["XDG_DATA_HOME"])
    assert history.latest().created == (base + timedelta(hours=2)).isoformat(timespec="seconds")
    older = history.latest(before=base + timedelta(hours=2))
    assert older is not None and older.created.startswith("2026-11-30T10:00")
    assert history.latest(before=base) is None


@pytest.mark.slow
def test_retention_by_count_and_by_age(tmp_path: Path):
    now = datetime.now(UTC)
    h = History(tmp_path, Retention(keep_runs=3, keep_days=30))
    for days in (100, 40, 5, 4, 3, 2, 1):
        h.save(_at(now - timedelta(days=days)))
    kept = h.entries()
    assert [round((now - e.created).total_seconds() / 86400) for e in kept] == [1, 2, 3]
    h = History(tmp_path / "age", Retention(keep_runs=0, keep_days=10))
    for days in (40, 11, 9, 0):
        h.save(_at(now - timedelta(days=days)))
    assert len(h.entries()) == 2
    off = History(tmp_path / "off", Retention(enabled=False))
    assert off.save(_at(now)) is None and not (tmp_path / "off").exists()


def test_retention_setting_file(tmp_path: Path):
    path = tmp_path / "history.toml"
    Retention(True, 7, 0).save(path)
    assert Retention.load(path) == Retention(True, 7, 0)
    path.write_text("[history]\nkeep_runs = -1\nkeep_days = 'x'\nenabled = false\n")
    assert Retention.load(path) == Retention(False, 50, 180)  # bad values fall back, logged
    path.write_text("not toml [")
    assert Retention.load(path) == Retention()


def test_history_never_keeps_the_camera_snapshot(tmp_path: Path):
    r = samples.report(snapshot=True)
    path = History(tmp_path, Retention()).save(r)
    assert "snapshot_jpeg_b64" not in path.read_text()
    assert "snapshot_jpeg_b64" in r.check("camera").details  # the caller's report is untouched


def test_a_damaged_file_in_the_history_is_skipped(tmp_path: Path):
    h = History(tmp_path, Retention())
    h.save(_at(datetime.now(UTC) - timedelta(days=1)))
    (tmp_path / "20990101T000000Z-bad.json").write_text("{ damaged")
    assert len(h.entries()) == 1


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 256 KiB tmpfs, mounted for this test (needs root; skipped where mounting is refused)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("needs a Linux tmpfs mount")
    mnt = tmp_path / f"tiny-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_full_disk_loses_no_earlier_run_and_leaves_no_debris(tiny_disk: Path):
    h = History(tiny_disk / "history", Retention())
    now = datetime.now(UTC)
    first = h.save(_at(now - timedelta(days=1)))
    before = first.read_bytes()
    with open(tiny_disk / "filler", "wb", buffering=0) as fh:  # fill the disk to the last block
        try:
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    with pytest.raises(OSError) as err:
        h.save(_at(now))
    assert err.value.errno == errno.ENOSPC
    assert first.read_bytes() == before and jsonio.read(first)  # still whole and readable
    assert sorted(p.name for p in (tiny_disk / "history").iterdir()) == [first.name]


# --- compare ------------------------------------------------------------------------------------


def _net(r, name: str):
    return r.check("network").metrics[name].value


def test_compare_says_what_got_better_and_worse_in_plain_words():
    """A distant connection (recorded: 140 ms, a warning) then a near one whose uplink is too
    slow for the target video tier (recorded: 1 Mbit/s, a warning): tests/make_report_samples.py."""
    old = samples.report(network=samples.network_result("distant"), with_error=False)
    new = samples.report(network=samples.network_result("slow_upload"))
    up, rtt = (_net(old, "upload"), _net(new, "upload")), (_net(old, "latency"),
                                                           _net(new, "latency"))
    assert up[1] < 1 <= up[0] and rtt[1] < 100 < rtt[0]  # the recorded runs are what they were
    slow = next(f for f in new.check("network").findings if f.code == "network.slow_upload")
    assert slow.text().startswith("Upload speed is 0.9 Mbit/s; Microsoft Teams needs 1.2 Mbit/s "
                                  "for 720p video")
    c = compare.compare(old, new, "en")
    worse = [ch.text for ch in c.worse]
    better = [ch.text for ch in c.better]
    assert f"Upload fell from {up[0]:.2f} to {up[1]:.2f}\u00a0Mbit/s." in worse
    assert f"New: {slow.text()}" in worse
    assert f"Latency fell from {rtt[0]:.1f} to {rtt[1]:.1f}\u00a0ms." in better
    assert any(t.startswith("Resolved: The delay to the test server is") for t in better)
    assert [ch.text for ch in c.other] == ["Video quality possible changed from 1080p to 360p.",
                                           "Speakers was not checked last time."]
    assert c.changes[: len(c.worse)] == c.worse  # worse first
    # the other way round, the same changes change sides
    back = compare.compare(new, old, "en")
    assert f"Upload rose from {up[1]:.2f} to {up[0]:.2f}\u00a0Mbit/s." in [
        ch.text for ch in back.better]
    assert any(ch.text.startswith("Resolved: Upload speed is 0.9") for ch in back.better)
    assert not any(t.startswith("Overall:") for t in worse)  # both not ready (the laptop)
    # a check whose status changed says so first
    fast = samples.report(network=samples.network_result("fast"))
    assert "Internet connection: now warning (was passed)." in [
        ch.text for ch in compare.compare(fast, new, "en").worse]


def test_compare_in_swedish_and_small_wobbles_are_not_news():
    old = samples.report(network=samples.network_result("fast"))
    wobble = samples.report(network=samples.network_result("fast"))
    wobble.check("network").metrics["upload"].value *= 1.04  # +4 %: noise
    assert compare.compare(old, wobble).changes == []
    assert "Inget av betydelse har ändrats." in compare.render_text(compare.compare(old, wobble,
                                                                                    "sv"))
    worse = samples.report(network=samples.network_result("slow_upload"))
    up = (old.check("network").metrics["upload"].value,
          worse.check("network").metrics["upload"].value)
    text = compare.render_text(compare.compare(old, worse, "sv"))
    sv = [f"{x:.2f}".replace(".", ",") for x in up]
    assert f"Uppladdning sjönk från {sv[0]} till {sv[1]}\u00a0Mbit/s." in text, text
    assert "Sämre:" in text


def test_compare_verdict_and_profile_changes():
    old = samples.ready_report()
    new = samples.report()
    c = compare.compare(old, new)
    kinds = {ch.kind: ch for ch in c.changes}
    assert kinds["verdict"].direction == "worse" and kinds["verdict"].new == "not_ready"
    assert kinds["profile"].direction == "info"
    d = c.to_dict()
    assert d["worse"] == len(c.worse) and d["changes"][0]["direction"] == "worse"
