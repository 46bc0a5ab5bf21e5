"""One import name: the wheel installs only ``techcheck`` (issue 12).

The folders ``app/``, ``checks/`` and ``resources/`` stay at the top of the repository and are
installed as ``techcheck.app``, ``techcheck.checks`` and ``techcheck.resources``. Before, the
wheel installed them as top-level ``app``, ``checks`` and ``resources``: any other
distribution shipping an ``app/`` overwrote ``app/__init__.py``, and uninstalling it deleted
the file, so TechCheck failed with ImportError while ``pip check`` saw nothing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.archguard import planted_copy

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("app", "checks", "resources")
DEMO_CLIP = ROOT / "resources" / "demo" / "camera.avi"


def _pyproject(root: Path = ROOT) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))


def package_listing_problems(root: Path) -> tuple[set[str], set[str]]:
    """(folders that are not listed packages, listed packages that are not folders)."""
    on_disk = {
        "techcheck." + ".".join(d.relative_to(root).parts)
        for top in FOLDERS for d in [root / top, *(root / top).rglob("*")]
        if d.is_dir() and "__pycache__" not in d.parts
    }
    listed = set(_pyproject(root)["tool"]["setuptools"]["packages"])
    return on_disk - listed, listed - on_disk


def test_every_source_folder_is_a_listed_package():
    """pyproject.toml lists the packages by hand (package-dir cannot be combined with
    ``find``): a new folder that is not listed would be missing from the wheel."""
    assert package_listing_problems(ROOT) == (set(), set())
    setuptools = _pyproject()["tool"]["setuptools"]
    assert setuptools["package-dir"] == {f"techcheck.{f}": f for f in FOLDERS}


def test_the_listing_guard_catches_a_new_folder(tmp_path: Path):
    """Its twin: a copy with a new check package that pyproject.toml does not list."""
    copy = planted_copy(tmp_path)
    copy.write("checks/lighting/__init__.py", '"""A planted check package."""\n')
    assert package_listing_problems(copy.root) == ({"techcheck.checks.lighting"}, set())


def test_entry_points_and_contracts_name_the_package():
    project = _pyproject()["project"]
    assert project["scripts"] == {"techcheck": "techcheck.app.cli:main"}
    plugins = project["entry-points"]["techcheck.checks"]
    assert plugins and all(v.startswith("techcheck.checks.") for v in plugins.values()), plugins
    linter = _pyproject()["tool"]["importlinter"]
    assert linter["root_packages"] == ["techcheck.app", "techcheck.checks"]
    assert linter["contracts"][0]["source_modules"] == ["techcheck.checks"]


OLD_NAMES = re.compile(r"^\s*(from|import)\s+(app|checks|resources)\b", re.M)


def old_name_imports(root: Path) -> list[str]:
    """Modules under ``root`` that import our code by its old top-level names."""
    return [
        str(p.relative_to(root)) for top in (*FOLDERS, "tests", "bench", "scripts", "packaging")
        if (root / top).is_dir() and not (root / top).is_symlink()
        for p in (root / top).rglob("*.py") if OLD_NAMES.search(p.read_text(encoding="utf-8"))
    ]


def test_no_module_imports_the_old_top_level_names():
    """Every import of our own code goes through ``techcheck``; a leftover ``from checks``
    would work in a checkout (the folder is on sys.path) and fail once installed."""
    assert old_name_imports(ROOT) == []


def test_the_old_name_guard_catches_a_leftover_import(tmp_path: Path):
    """Its twin: an indented ``from checks…`` inside a function, in a copy."""
    copy = planted_copy(tmp_path)
    copy.append("app/gui/style.py", "\n\ndef _planted():\n    from checks import model\n")
    assert old_name_imports(copy.root) == [str(Path("app/gui/style.py"))]


def _build(project: Path, out: Path) -> Path:
    res = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(project)],
        capture_output=True, text=True, timeout=300, cwd=out)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    (wheel,) = [w for w in out.glob("*.whl")
                if w.name.split("-")[0].lower() == project.name.replace("-", "_").lower()]
    return wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """TechCheck's wheel, built from this checkout as ``pip install .`` builds it."""
    out = tmp_path_factory.mktemp("wheel")
    src = out / "techcheck"
    # A copy of the tracked files, so the build cannot pick up (or leave) anything in the
    # checkout: egg-info, build/ and caches stay out.
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            (src / name).write_bytes((ROOT / name).read_bytes())
    return _build(src, out)


@pytest.mark.slow
@pytest.mark.timeout(400)
def test_the_wheel_installs_one_top_level_name(wheel: Path):
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        (top_level,) = [n for n in names if n.endswith(".dist-info/top_level.txt")]
        assert zf.read(top_level).decode().split() == ["techcheck"]
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        eps = zf.read(entry_points).decode()
    assert {n.split("/")[0] for n in names} == {"techcheck", wheel.name.split("-")[0]
                                               + "-" + wheel.name.split("-")[1] + ".dist-info"}
    assert "camera = techcheck.checks.camera:CameraCheck" in eps
    assert "techcheck = techcheck.app.cli:main" in eps
    # The data files come along, at the place techcheck.resources.path looks.
    for data in ("techcheck/resources/profiles/generic.toml", "techcheck/resources/demo/camera.avi",
                 "techcheck/resources/translations/techcheck_sv.qm",
                 "techcheck/resources/templates/report.html"):
        assert data in names, data
    assert "techcheck/app/__init__.py" in names and "techcheck/checks/base.py" in names


def _dummy_app_project(tmp: Path) -> Path:
    """Another distribution that ships top-level ``app``, ``checks`` and ``resources`` (common
    names: many small projects have an ``app`` package)."""
    proj = tmp / "dummy-app"
    for folder in FOLDERS:
        (proj / folder).mkdir(parents=True)
        (proj / folder / "__init__.py").write_text(f"raise ImportError('the dummy {folder}')\n")
    (proj / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "dummy-app"\nversion = "1.0"\n'
        '[tool.setuptools]\npackages = ["app", "checks", "resources"]\n')
    return proj


def _venv(path: Path) -> Path:
    """A fresh environment without TechCheck, which borrows this one's dependencies (numpy,
    OpenCV, Qt…) through a .pth line: installing them again would take minutes. A .pth line
    adds a folder without running that folder's own .pth files, so the editable install of
    the checkout is not active there."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True,
                   timeout=120)
    python = path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return python


def _pip(python: Path, *args: str) -> None:
    res = subprocess.run([sys.executable, "-m", "pip", "--python", str(python),
                          "--disable-pip-version-check", *args],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]


#: The environment of the installed app: no PYTHONPATH (in a worktree, tests/checkout.py puts
#: its shim there, which would import the checkout instead of the installed wheel).
def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def _techcheck(python: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(python), "-m", "techcheck.app.cli", *args], cwd=cwd,
                          env=_clean_env(), capture_output=True, text=True, timeout=240)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_techcheck_runs_next_to_another_distribution_that_ships_app(wheel: Path, tmp_path: Path):
    """Installed together with a distribution that ships ``app/`` (after TechCheck, so its
    files land last), and again after that distribution is uninstalled: TechCheck starts, finds
    its plug-ins and runs a check, from the installed wheel and not from this checkout."""
    python = _venv(tmp_path / "env")
    dummy = _build(_dummy_app_project(tmp_path), tmp_path)
    _pip(python, "install", "--no-deps", "--no-index", str(wheel))
    _pip(python, "install", "--no-deps", "--no-index", str(dummy))
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    assert (site / "app" / "__init__.py").read_text().startswith("raise ImportError")
    work = tmp_path / "work"
    work.mkdir()

    def runs() -> None:
        found = subprocess.run([str(python), "-c", "import techcheck.checks.base as b; print(b.__file__)"],
                               cwd=work, env=_clean_env(), capture_output=True, text=True,
                               timeout=60)
        assert found.returncode == 0, found.stderr
        assert Path(found.stdout.strip()).is_relative_to(tmp_path / "env"), found.stdout
        version = _techcheck(python, work, "--version")
        assert version.returncode == 0 and re.search(r"\d+\.\d+", version.stdout), version.stderr
        out = work / "r.json"
        run = _techcheck(python, work, "run", "--only", "camera", "--camera", str(DEMO_CLIP),
                         "--json", str(out))
        assert run.returncode in (0, 1), run.stdout[-2000:] + run.stderr[-2000:]
        (camera,) = json.loads(out.read_text())["checks"]
        assert camera["id"] == "camera" and camera["status"] in ("pass", "warn", "tip")
        assert camera["metrics"], camera

    runs()
    _pip(python, "uninstall", "-y", "dummy-app")
    assert not (site / "app").exists()
    runs()
