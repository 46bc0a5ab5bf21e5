"""Packaging: what the PyInstaller spec puts in the bundle, ``techcheck selftest`` from source,
and (slow) a real Linux bundle built into a temporary folder whose own self-test must pass.

The plan tests run ``packaging/bundle_plan.py`` on the real installed project (and on a real
third-party plug-in wheel installed by pip), so they fail when a check is registered but would
not be frozen in, without paying for a build. The slow tests build with PyInstaller exactly as
``packaging/build.py`` does and run the frozen executable as a user would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.unit.test_plugins import build_wheel

sys.path.insert(0, str(ROOT / "packaging"))
import bundle_plan

ONEFILE_BUDGET_BYTES = 135_000_000
BUILD_TIMEOUT_S = 900  # PyInstaller on two shared cores; measured 23 s onedir, then 14 s onefile


# --- the plan: derived from the installed plug-ins and the CLI, not from a list --------------


def test_every_registered_check_is_frozen_in_with_its_metadata():
    plan = bundle_plan.make_plan()
    installed = {ep.name: ep.value for ep in metadata.entry_points(group="techcheck.checks")}
    assert installed, "no check is registered"
    assert plan.plugins == installed
    for value in installed.values():
        module = value.split(":")[0]
        assert module in plan.hiddenimports, module
    # checks.audio is a package: its submodules are imported lazily, so all of them go in.
    audio = [m for m in plan.hiddenimports if m.startswith("techcheck.checks.audio.")]
    assert len(audio) == len(list((ROOT / "checks" / "audio").glob("[!_]*.py")))
    assert "techcheck" in plan.metadata_dists
    assert bundle_plan.stale_metadata() is None


def test_every_cli_command_and_the_gui_are_frozen_in():
    plan = bundle_plan.make_plan()
    from techcheck.app import cli

    assert bundle_plan.cli_commands() == cli.COMMANDS
    assert "selftest" in cli.COMMANDS
    for name in bundle_plan.existing_commands(cli.COMMANDS):
        assert f"techcheck.app.commands.{name}" in plan.hiddenimports
    if (ROOT / "app" / "gui" / "window.py").exists():
        assert "techcheck.app.gui.window" in plan.hiddenimports
        assert "techcheck.app.gui.main" in plan.hiddenimports


def test_data_files_keep_the_package_layout():
    datas = dict((Path(src).relative_to(ROOT).as_posix(), dest)
                 for src, dest in bundle_plan.make_plan().datas)
    for rel in ("resources/profiles/generic.toml", "resources/schemas/report-1.schema.json",
                "resources/templates/report.html", "resources/icons/techcheck.png",
                "resources/translations/sv/core.json"):
        assert datas.get(rel) == f"techcheck/{Path(rel).parent.as_posix()}", rel
    assert any(k.startswith("resources/models/") and k.endswith(".tflite") for k in datas)
    assert any(k.startswith("resources/fonts/") and k.endswith(".ttf") for k in datas)
    assert not any(k.endswith((".py", ".pyc", ".ts", ".ico", ".icns")) for k in datas)


@pytest.mark.slow
def test_a_third_party_plugin_installed_at_build_time_is_bundled(tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--disable-pip-version-check", "--target", str(target), str(build_wheel(tmp_path))],
        check=True, capture_output=True, timeout=120)
    code = ("import sys, json; sys.path.insert(0, 'packaging'); import bundle_plan as b; "
            "p = b.make_plan(); print(json.dumps([p.plugins, p.metadata_dists, p.hiddenimports]))")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(target)}, timeout=60, check=True)
    plugins, dists, hidden = json.loads(res.stdout)
    assert plugins["hello"] == "tc_extra_demo:HelloCheck"
    assert "tc-extra-demo" in dists  # its dist-info goes in, so the frozen app finds it
    assert "tc_extra_demo" in hidden
    assert "system" in plugins


def test_unused_qt_and_foreign_qt_are_left_out():
    drop = bundle_plan.drop_binary
    assert drop("PySide6/Qt/lib/libQt6Quick.so.6")
    assert drop("PySide6/Qt/lib/libQt6Qml.so.6")
    assert drop("PySide6/Qt/plugins/platformthemes/libqgtk3.so")
    assert drop("cv2/qt/plugins/platforms/libqxcb.so")
    assert drop("PySide6/Qt6Pdf.dll")
    assert not drop("PySide6/Qt/lib/libQt6Widgets.so.6")
    assert not drop("PySide6/Qt/plugins/platforms/libqxcb.so")
    assert not drop("PySide6/Qt/plugins/platforms/libqoffscreen.so")
    assert not drop("PySide6/Qt/plugins/platforms/libqwayland.so")
    assert bundle_plan.foreign_qt("cv2/qt/lib/libQt5Core.so.5")
    assert bundle_plan.foreign_qt("libQt6Core.so.6")
    assert not bundle_plan.foreign_qt("PySide6/Qt/lib/libQt6Core.so.6")
    assert bundle_plan.drop_data("PySide6/Qt/translations/qtbase_de.qm")
    assert not bundle_plan.drop_data("PySide6/Qt/translations/qtbase_sv.qm")
    assert "PySide6.QtWebEngineCore" in bundle_plan.QT_EXCLUDES
    assert "PyQt5" in bundle_plan.PY_EXCLUDES


def test_libraries_only_a_dropped_plugin_needed_are_pruned():
    links = {
        "/q/libqxcb.so": ["libxkbcommon-x11.so.0", "libxcb-cursor.so.0"],
        "/q/cv2.so": ["libavcodec-1.so"],
        "/sys/libportaudio.so.2": ["libasound.so.2"],
    }
    binaries = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/q/libqxcb.so", "BINARY"),
        ("cv2/cv2.abi3.so", "/q/cv2.so", "EXTENSION"),
        ("libxkbcommon-x11.so.0", "/sys/libxkbcommon-x11.so.0", "BINARY"),
        ("libxcb-cursor.so.0", "/sys/libxcb-cursor.so.0", "BINARY"),
        ("libavcodec-1.so", "/sys/libavcodec-1.so", "BINARY"),
        ("libportaudio.so.2", "/sys/libportaudio.so.2", "BINARY"),
        ("libasound.so.2", "/sys/libasound.so.2", "BINARY"),
        ("libgtk-3.so.0", "/sys/libgtk-3.so.0", "BINARY"),  # only the dropped GTK theme used it
    ]
    kept, dropped = bundle_plan.prune_system_libraries(binaries, lambda src: links.get(src, []))
    assert dropped == ["libgtk-3.so.0"]
    assert len(kept) == len(binaries) - 1


def test_version_tuple_for_the_windows_resource():
    assert bundle_plan.version_tuple("0.1.0") == (0, 1, 0, 0)
    assert bundle_plan.version_tuple("1.2.3rc1") == (1, 2, 31, 0)
    assert bundle_plan.version_tuple() == bundle_plan.version_tuple(metadata.version("techcheck"))


def test_the_icon_exists_in_every_platform_format():
    icons = ROOT / "resources" / "icons"
    assert (icons / "techcheck.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert (icons / "techcheck.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (icons / "techcheck.icns").read_bytes()[:4] == b"icns"
    assert (icons / "techcheck.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- techcheck selftest from the source install --------------------------------------------


def _table_rows(stdout: str) -> dict[str, str]:
    rows = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].rstrip("!") in ("pass", "warn", "fail", "error",
                                                          "skipped"):
            rows[parts[0]] = parts[1]
    return rows


def expected_rows() -> set[str]:
    ids = {ep.name for ep in metadata.entry_points(group="techcheck.checks")}
    return ids | {"resources"} | ({"gui"} if (ROOT / "app" / "gui" / "window.py").exists() else set())


@pytest.mark.slow
def test_selftest_from_source_runs_every_check_and_the_window(tmp_path: Path):
    out = tmp_path / "selftest.json"
    res = run_cli("selftest", "--json", str(out), "--duration", "2", timeout=110,
                  env={"QT_QPA_PLATFORM": "offscreen"})
    rows = _table_rows(res.stdout)
    assert set(rows) == expected_rows(), res.stdout + res.stderr
    assert res.returncode == 0, res.stdout + res.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["passed"] is True
    assert doc["environment"]["frozen"] is False
    assert all(r["status"] in ("pass", "warn", "fail") for r in doc["rows"])


@pytest.mark.slow
def test_selftest_fails_when_a_check_errors(tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--disable-pip-version-check", "--target", str(target), str(build_wheel(tmp_path))],
        check=True, capture_output=True, timeout=120)
    res = run_cli("selftest", "--only", "hello,crashy,broken", "--no-gui",
                  env={"PYTHONPATH": str(target)}, timeout=60)
    rows = _table_rows(res.stdout)
    assert res.returncode == 2, res.stdout + res.stderr
    assert rows["hello"] == "pass"
    assert rows["crashy"] == "error!"
    assert rows["broken"] == "error!"
    assert "self-test FAILED" in res.stdout
    assert "crashy" in res.stdout.splitlines()[-1]


@pytest.mark.slow
def test_selftest_rejects_bad_arguments():
    res = run_cli("selftest", "--only", "nosuchcheck", "--no-gui", timeout=60)
    assert res.returncode == 3
    assert "unknown check nosuchcheck" in res.stderr


# --- a smaller ICU data library (issue 22) -----------------------------------------------

ICU_PROBE = r"""
import json, sys
from PySide6.QtCore import QCollator, QDateTime, QLocale, QTimeZone
from PySide6.QtWidgets import QApplication, QFileDialog
app = QApplication([])
loaded = sorted({l.split()[-1] for l in open("/proc/self/maps") if "libicudata" in l})
words = ["zebra", "öl", "apa", "Ärlig", "rapport10.pdf", "rapport2.pdf", "Åsa", "éclair"]
out = {"loaded": loaded}
for name in ("sv_SE", "en_US", "en_GB", "de_DE"):
    c = QCollator(QLocale(name))
    c.setNumericMode(True)
    out[name] = sorted(words, key=c.sortKey)
out["upper"] = [QLocale("sv_SE").toUpper("åäö straße"), QLocale("en_US").toUpper("ﬁx ß")]
now = QDateTime.currentDateTime()
out["zones"] = [QTimeZone(b"Europe/Stockholm").displayName(now, QTimeZone.NameType.LongName,
                                                          QLocale(n)) for n in ("sv_SE", "en_US")]
dialog = QFileDialog(None, "x", sys.argv[1])  # sorts the folder's names with QCollator
dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
dialog.show(); app.processEvents(); dialog.close()
print(json.dumps(out, ensure_ascii=False))
"""


def _icu_probe(folder: Path, library_dir: Path | None) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if library_dir is not None:  # found before the wheel's own copy (RUNPATH comes after)
        env["LD_LIBRARY_PATH"] = str(library_dir)
    res = subprocess.run([sys.executable, "-c", ICU_PROBE, str(folder)], capture_output=True,
                         text=True, timeout=120, env=env)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.splitlines()[-1])


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PySide6 bundles ICU on Linux")
def test_the_trimmed_icu_data_sorts_cases_and_names_zones_as_the_full_one(tmp_path: Path):
    """The bundle's ICU data keeps root, English and Swedish only (packaging/icu_trim.py):
    collation (the file dialog's sorting) in Swedish, English and a fallback locale, case
    mapping and time-zone names come out exactly as with the wheel's full library."""
    import icu_trim

    if icu_trim.missing_tools():
        pytest.fail(f"the bundle's build tools are missing: {icu_trim.missing_tools()} "
                    "(scripts/debian-packages.txt: icu-devtools, gcc)")
    import PySide6

    full = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    small = icu_trim.trim(full, tmp_path / "icu")
    assert small.name == full.name and small.stat().st_size < full.stat().st_size / 6
    for name in ("Åsa.txt", "apa.txt", "öl.txt", "zebra.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    before, after = _icu_probe(tmp_path, None), _icu_probe(tmp_path, small.parent)
    assert after.pop("loaded") == [str(small)]  # the probe really used the trimmed data
    assert before.pop("loaded") == [str(full.resolve())]
    assert after == before
    assert before["sv_SE"][-3:] == ["Åsa", "Ärlig", "öl"]  # Swedish order: å ä ö after z


def test_the_icu_trim_keeps_the_core_and_three_locales():
    import icu_trim

    items = ["cnvalias.icu", "uts46.nrm", "unames.icu", "likelySubtags.res", "zoneinfo64.res",
             "root.res", "en.res", "en_GB.res", "sv.res", "sv_FI.res", "de.res", "ksh.res",
             "pool.res", "res_index.res", "coll/ucadata.icu", "coll/root.res", "coll/sv.res",
             "coll/de.res", "zone/en.res", "zone/fr.res", "brkitr/char.brk", "brkitr/root.res",
             "translit/root.res", "ibm-1047_P100-1995.cnv", "gb18030.cnv"]
    removed = icu_trim.removed_items(items)
    assert sorted(set(items) - set(removed)) == sorted([
        "cnvalias.icu", "uts46.nrm", "likelySubtags.res", "zoneinfo64.res", "root.res",
        "en.res", "en_GB.res", "sv.res", "sv_FI.res", "pool.res", "res_index.res",
        "coll/ucadata.icu", "coll/root.res", "coll/sv.res", "zone/en.res"])


# --- a real bundle ------------------------------------------------------------------------


BUILD_LOGS: dict[str, str] = {}


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build the Linux bundles once for this module, as ``packaging/build.py`` does: onedir
    (~25 s on two shared cores, most of it the analysis) and onefile (~15 s more: it reuses the
    analysis and packs; TECHCHECK_TEST_ONEFILE=0 leaves it out). PyInstaller's log of each
    build is kept in ``BUILD_LOGS``."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the bundle test builds the Linux bundle; other systems: build.yml")
    pytest.importorskip("PyInstaller", reason="pyinstaller is in the dev extras")
    base = tmp_path_factory.mktemp("bundle")
    modes = ["onedir"] + (["onefile"] if os.environ.get("TECHCHECK_TEST_ONEFILE", "1") != "0" else [])
    out: dict[str, Path] = {}
    for mode in modes:
        start = time.monotonic()
        res = subprocess.run(
            [sys.executable, str(ROOT / "packaging" / "build.py"), "--mode", mode, "--verbose",
             "--dist", str(base / "dist"), "--work", str(base / "work")],
            capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, cwd=ROOT)
        assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
        BUILD_LOGS[mode] = res.stderr
        deliverable, exe = bundle_plan.executable_for(mode, base / "dist" / mode)
        size = sum(p.stat().st_size for p in [deliverable, *deliverable.rglob("*")]
                   if p.is_file() and not p.is_symlink())
        print(f"{mode} built in {time.monotonic() - start:.0f} s, {size / 1e6:.1f} MB")
        if mode == "onefile":  # the download's budget (issue 22; docs/benchmarks.md)
            assert size <= ONEFILE_BUDGET_BYTES, f"onefile {size / 1e6:.1f} MB"
        out[mode] = exe
    return out


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S + 120)
def test_the_second_layout_reuses_the_first_ones_analysis(bundles: dict[str, Path]):
    """What keeps building both layouts cheap (issue 22): PyInstaller redid its ~20 s analysis
    for the second layout because its saved excludes never matched (techcheck.spec says why)."""
    if "onefile" not in bundles:
        pytest.skip("TECHCHECK_TEST_ONEFILE=0: one layout only")
    assert "Running Analysis" in BUILD_LOGS["onedir"]
    second = BUILD_LOGS["onefile"]
    assert "checking Analysis" in second and "Running Analysis" not in second, \
        [line for line in second.splitlines() if "Building because" in line]


def _run_frozen(exe: Path, *args: str, env: dict[str, str] | None = None,
                timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})})


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S + 300)
def test_the_linux_bundle_passes_its_own_selftest(bundles: dict[str, Path], tmp_path: Path):
    for mode, exe in bundles.items():
        out = tmp_path / f"{mode}.json"
        # LANG=C: the frozen app must still print and read UTF-8 (Swedish, ≤ ≥).
        res = _run_frozen(exe, "selftest", "--json", str(out), env={"LANG": "C", "LC_ALL": "C"})
        rows = _table_rows(res.stdout)
        assert set(rows) == expected_rows(), f"{mode}:\n{res.stdout}{res.stderr}"
        assert res.returncode == 0, f"{mode}:\n{res.stdout}{res.stderr}"
        env = json.loads(out.read_text(encoding="utf-8"))["environment"]
        assert env["frozen"] is True, mode
        assert env["utf8_mode"] is True, mode
        # Under _MEIPASS, where the installed layout puts it.
        assert Path(env["resources"]) == Path(env["bundle"]) / "techcheck" / "resources", mode


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S + 120)
def test_the_bundle_ships_one_qt_and_no_gtk(bundles: dict[str, Path]):
    internal = bundles["onedir"].parent / "_internal"
    # Real files only: the top-level libQt6*.so.6 are PyInstaller's symlinks into PySide6/.
    names = [p.relative_to(internal).as_posix() for p in internal.rglob("*")
             if p.is_file() and not p.is_symlink()]
    qt_libs = [n for n in names if "libQt" in n]
    assert qt_libs and all(n.startswith("PySide6/") for n in qt_libs), qt_libs
    assert not [n for n in names if "libQt6Quick" in n or "libQt6Qml" in n or "WebEngine" in n]
    assert not [n for n in names if "libgtk-3" in n or n.startswith("cv2/qt")]
    # The dist-info with the entry points: how the frozen app finds its checks.
    # (.egg-info when the build ran from an editable install's source tree.)
    (entry_points,) = [*internal.glob("techcheck-*.dist-info/entry_points.txt"),
                       *internal.glob("techcheck*.egg-info/entry_points.txt")]
    for ep in metadata.entry_points(group="techcheck.checks"):
        assert f"{ep.name} = {ep.value}" in entry_points.read_text(encoding="utf-8")
    # PortAudio travels with the bundle (rthook_portaudio makes sounddevice find it).
    assert [n for n in names if n.startswith("libportaudio.so")]
    res = _run_frozen(bundles["onedir"], "--version")
    assert res.returncode == 0 and res.stdout.startswith("techcheck "), res.stderr


@pytest.mark.slow
@pytest.mark.timeout(BUILD_TIMEOUT_S + 300)
def test_the_bundle_runs_pac_files_in_its_child_process_and_brands_reports(
        bundles: dict[str, Path], tmp_path: Path):
    """The frozen app starts its PAC engine as a child process of itself (multiprocessing
    spawn through freeze_support) and renders the Jinja2 report with an invitation's brand."""
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    pac = home / "proxy.pac"
    pac.write_text('var direct = ["teams.microsoft.com"];\nfunction FindProxyForURL(url, host) {\n'
                   '  for (var i = 0; i < direct.length; i++)\n'
                   '    if (host === direct[i] || host.endsWith("." + direct[i])) return "DIRECT";\n'
                   '  return /^127\\./.test(host) ? "DIRECT" : "PROXY proxy.corp.example:8080";\n}\n')
    (home / ".config" / "kioslaverc").write_text(
        f"[Proxy Settings]\nProxyType=2\nProxy Config Script={pac.as_uri()}\n")
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in ("display", "wayland_display", "http_proxy", "https_proxy",
                                "all_proxy", "no_proxy")}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen")
    out, page = tmp_path / "r.json", tmp_path / "r.html"
    invitation = ROOT / "docs" / "examples" / "branded-invitation.toml"
    res = subprocess.run([str(bundles["onedir"]), "run", "--only", "network", "--server",
                          "http://127.0.0.1:9", "--invitation", str(invitation), "--json",
                          str(out), "--html", str(page), "--yes", "--no-history"],
                         capture_output=True, text=True, timeout=240, env=env)
    assert out.exists(), res.stdout[-2000:] + res.stderr[-2000:]
    net = next(c for c in json.loads(out.read_text("utf-8"))["checks"] if c["id"] == "network")
    assert net["details"]["pac"]["answers"] == {
        "teams.microsoft.com": "DIRECT", "login.microsoftonline.com": "PROXY proxy.corp.example:8080"}
    doc = page.read_text("utf-8")
    assert 'class="brand-org"' in doc and "Acme Robotics" in doc
