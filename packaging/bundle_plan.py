"""What goes into the frozen TechCheck, decided from the installed project rather than a list.

``techcheck.spec`` imports this module, and so do the fast packaging tests, so the plan is
checked without a multi-minute build. Everything is derived at build time, the way
qutebrowser's spec derives its hidden imports from its own plug-in loader:

- every ``techcheck.checks`` entry point (the built-in checks and any third-party plug-in
  installed in the build environment) becomes hidden imports plus its distribution's
  dist-info, so ``importlib.metadata`` finds the same plug-ins in the frozen app;
- every sub-command in ``techcheck.app.cli.COMMANDS`` (imported by name at run time);
- the GUI and report packages, whose pages and writers are imported lazily;
- the data files under ``resources/`` (profiles, translations, schemas, templates, fonts,
  models, icons, demo media), at the same relative place so ``techcheck.resources.path`` works under
  ``sys._MEIPASS``.
"""

from __future__ import annotations

import ast
import fnmatch
import shutil
import sys
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUP = "techcheck.checks"
APP_NAME = "TechCheck"
CLI_NAME = "techcheck-cli"

#: Data file types shipped from ``resources/``. Python sources there are modules (collected
#: as code); ``.ts`` are translation sources, compiled to ``.qm``; ``.ico``/``.icns`` are only
#: needed by the build itself.
RESOURCE_PATTERNS = ("*.toml", "*.json", "*.qm", "*.tflite", "*.onnx", "*.html", "*.css", "*.ttf",
                     "*.otf", "*.txt", "*.svg", "*.png", "*.wav", "*.flac", "*.avi", "*.mp4",
                     "*.mkv", "*.jpg")

#: Qt modules TechCheck never uses. Each costs megabytes, and Qml/Quick bring their own
#: plug-in trees; PyInstaller's hooks only collect what is imported, so excluding the Python
#: modules keeps the shared libraries and their plug-ins out as well.
QT_EXCLUDES = (
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuickControls2",
    "PySide6.QtQuick3D", "PySide6.QtQuickTest", "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick", "PySide6.QtWebChannel",
    "PySide6.QtWebSockets", "PySide6.QtWebView", "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets", "PySide6.QtSpatialAudio", "PySide6.Qt3DCore",
    "PySide6.Qt3DRender", "PySide6.Qt3DInput", "PySide6.Qt3DLogic", "PySide6.Qt3DAnimation",
    "PySide6.Qt3DExtras", "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtCharts",
    "PySide6.QtDataVisualization", "PySide6.QtGraphs", "PySide6.QtDesigner", "PySide6.QtHelp",
    "PySide6.QtUiTools", "PySide6.QtSql", "PySide6.QtBluetooth", "PySide6.QtNfc",
    "PySide6.QtPositioning", "PySide6.QtLocation", "PySide6.QtSensors", "PySide6.QtSerialPort",
    "PySide6.QtSerialBus", "PySide6.QtRemoteObjects", "PySide6.QtScxml", "PySide6.QtStateMachine",
    "PySide6.QtTextToSpeech", "PySide6.QtHttpServer", "PySide6.QtNetworkAuth",
    "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtConcurrent", "PySide6.QtXml",
    "PySide6.QtAxContainer", "PySide6.QtCanvasPainter", "PySide6.QtNetwork",
)

#: Python packages that must never be frozen in: a second Qt binding (two Qt stacks in one
#: process crash), test and build tools, and heavy libraries something might import optionally.
PY_EXCLUDES = (
    "PyQt5", "PyQt6", "PySide2", "tkinter", "_tkinter", "IPython", "matplotlib", "pytest",
    "_pytest", "hypothesis", "pytestqt", "PyInstaller", "pip", "setuptools", "scipy", "pandas",
    "jsonschema", "importlinter",
    # Pillow comes with fpdf2, which embeds PNG and JPEG only: AVIF and WebP codecs (5 MB with
    # their libraries) and the Qt/Tk bridges (which would import a GUI toolkit) stay out.
    "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin", "PIL.ImageQt",
    "PIL.ImageTk", "PIL._imagingtk",
    # Standard-library modules that link system libraries nothing here uses (Berkeley DB,
    # readline, curses).
    "_dbm", "_gdbm", "dbm.ndbm", "dbm.gnu", "readline", "curses", "_curses", "_curses_panel",
    # Interactive help (numpy imports pydoc only inside numpy.info) and decimal's pure-Python
    # fallback (the C _decimal is built in): 0.3 MB that paid for pacparser and Jinja2.
    "pydoc", "pydoc_data", "_pydecimal",
    # numpy.__config__ tries PyYAML only to print its build configuration (show_config), and
    # f2py is the Fortran wrapper generator numpy loads only on request: PyYAML (in the dev
    # extras) and f2py were 1.1 MB of the one-file download (issue 22).
    "yaml", "_yaml", "numpy.f2py",
)

#: Shared libraries dropped after analysis even if some dependency pulls them in: any Qt that is
#: not PySide6's own (OpenCV GUI wheels ship one under cv2/qt), and the Qt libraries and plug-in
#: families of the modules above.
BINARY_DROP = (
    "cv2/qt/*", "*/cv2/qt/*", "PyQt5/*", "PyQt6/*",
    "*libQt6Qml*", "*libQt6Quick*", "*libQt6Pdf*", "*libQt6WebEngine*", "*libQt6Multimedia*",
    "*libQt63D*", "*libQt6Designer*", "*libQt6Charts*", "*libQt6Lottie*", "*libQt6Labs*",
    "*libQt6VirtualKeyboard*", "*Qt6Qml*.dll", "*Qt6Quick*.dll", "*Qt6Pdf*.dll",
    "*Qt6WebEngine*.dll", "*Qt6Multimedia*.dll", "*Qt63D*.dll", "*Qt6VirtualKeyboard*.dll",
    "*/plugins/qmltooling/*", "*/plugins/sqldrivers/*", "*/plugins/designer/*",
    "*/plugins/multimedia/*", "*/plugins/virtualkeyboard/*", "*/plugins/platforminputcontexts/"
    "libqtvirtualkeyboardplugin*", "*/plugins/scenegraph/*", "*/plugins/qmllint/*",
    "*/plugins/position/*", "*/plugins/sensors/*", "*/plugins/webview/*", "*/plugins/tls/*",
    "*/plugins/networkinformation/*", "*/plugins/generic/*",
    "*/qml/*", "*libQt6Network*", "*Qt6Network.dll",
    # The GTK platform theme drags the whole system GTK 3 stack (gtk, gdk, cairo, pango, atk:
    # ~20 MB) into the bundle, where it then mismatches the user's GTK modules and themes.
    # Without it Qt uses its own Fusion style and the portal theme for dialogs.
    "*/plugins/platformthemes/libqgtk3*",
    # Platforms for embedded devices and remote framebuffers; desktops use xcb or wayland,
    # the self-test and CI use offscreen.
    "*/plugins/platforms/libqeglfs*", "*/plugins/platforms/libqlinuxfb*",
    "*/plugins/platforms/libqvnc*", "*/plugins/platforms/libqvkkhrdisplay*",
    "*/plugins/platforms/libqminimalegl*", "*/plugins/egldeviceintegrations/*",
    "*libQt6EglFSDeviceIntegration*", "*libQt6EglFsKmsSupport*",
    "*/plugins/imageformats/*qtiff*", "*/plugins/imageformats/*qwebp*",
    "*/plugins/imageformats/*qtga*", "*/plugins/imageformats/*qwbmp*",
    # Qt reads only PNG (built in) and SVG here: pictures from the camera are numpy arrays,
    # the snapshot is encoded by OpenCV, the icons are PNG and SVG.
    "*/plugins/imageformats/*qjpeg*", "*/plugins/imageformats/*qgif*",
    "*/plugins/imageformats/*qicns*", "*/plugins/imageformats/*qico*",
    # Part of glibc: it must come from the same glibc the system runs.
    "libmvec.so*",
)

#: Top-level libraries nothing links to but that are loaded at run time with dlopen: the
#: Python runtime and PortAudio (sounddevice opens it by name; see rthooks/rthook_portaudio.py).
DLOPENED = ("libpython*", "libportaudio*")

#: Qt's own translations: only the languages TechCheck speaks (the hook collects all ~40).
QT_TRANSLATION_KEEP = ("qtbase_sv.qm", "qt_sv.qm", "qtbase_en.qm", "qt_en.qm")

#: Babel's CLDR data for the locales of techcheck.checks.l10n.LOCALES and those they inherit
#: from (en_GB → en_001 → en → root; sv_SE → sv → root): the hook collects all ~1000 (30 MB).
BABEL_LOCALE_KEEP = ("root.dat", "en.dat", "en_001.dat", "en_GB.dat", "sv.dat", "sv_SE.dat")


@dataclass
class Plan:
    hiddenimports: list[str] = field(default_factory=list)
    datas: list[tuple[str, str]] = field(default_factory=list)
    metadata_dists: list[str] = field(default_factory=list)
    plugins: dict[str, str] = field(default_factory=dict)  # check id -> "module:attr"


def declared_entry_points(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, str]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return dict(data.get("project", {}).get("entry-points", {}).get(GROUP, {}))


def installed_entry_points() -> dict[str, tuple[str, str]]:
    """check id -> (module:attr, distribution) for every installed plug-in."""
    found: dict[str, tuple[str, str]] = {}
    for ep in metadata.entry_points(group=GROUP):
        found.setdefault(ep.name, (ep.value, ep.dist.name if ep.dist else ""))
    return found


def stale_metadata() -> str | None:
    """A message when pyproject.toml declares checks the installed metadata lacks (the
    bundle would silently miss them), else None."""
    declared = declared_entry_points()
    installed = {k: v for k, (v, dist) in installed_entry_points().items() if dist == "techcheck"}
    if declared != installed:
        missing = sorted(set(declared) - set(installed))
        extra = sorted(set(installed) - set(declared))
        changed = sorted(k for k in set(declared) & set(installed) if declared[k] != installed[k])
        return ("the installed techcheck metadata does not match pyproject.toml "
                f"(missing {missing}, extra {extra}, changed {changed}); "
                "run: pip install -e . --no-deps")
    return None


def cli_commands(cli: Path = ROOT / "app" / "cli.py") -> list[str]:
    """``COMMANDS`` from app/cli.py, read without importing it."""
    tree = ast.parse(cli.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "COMMANDS" for t in targets):
                return [str(v) for v in ast.literal_eval(node.value)]
    raise ValueError(f"{cli}: no COMMANDS list")


def existing_commands(names: list[str]) -> list[str]:
    """Commands whose module exists (one may be listed before its author has committed it;
    the CLI would then fail at start, and the self-test says so)."""
    return [n for n in names if (ROOT / "app" / "commands" / f"{n}.py").exists()]


#: The import name the source folders are installed under (pyproject.toml's package-dir).
PACKAGE = "techcheck"


def source_dir(module: str) -> Path:
    """Where ``techcheck.<folder>.<rest>`` lives in the source tree: ``<folder>/<rest>``."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        raise ValueError(f"{module}: not a module of {PACKAGE}")
    return ROOT.joinpath(*parts[1:])


def stage_sources(dest: Path) -> Path:
    """Lay the Python sources out as they are installed (``techcheck/app``, ``techcheck/checks``,
    ``techcheck/resources``) under ``dest`` and return ``dest`` for the analysis' search path.

    PyInstaller's analysis looks for modules on ``sys.path`` folders and cannot follow the path
    hook of an editable install, which is how ``techcheck.*`` maps onto the repository's
    top-level folders in a checkout. A copy (not links: Windows may not allow them) of the
    ``.py`` files is enough; the data files are listed separately (``resource_datas``)."""
    target = dest / PACKAGE
    if target.exists():
        shutil.rmtree(target)
    for folder in ("app", "checks", "resources"):
        shutil.copytree(ROOT / folder, target / folder,
                        ignore=lambda d, names: [n for n in names if n == "__pycache__" or (
                            Path(d, n).is_file() and not n.endswith(".py"))])
    return dest


def resource_datas(root: Path = ROOT / "resources") -> list[tuple[str, str]]:
    """(source file, destination folder) for every data file, at its place in the installed
    layout (``techcheck/resources/...``), where ``techcheck.resources.path`` looks."""
    out = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        if not any(fnmatch.fnmatch(path.name, pat) for pat in RESOURCE_PATTERNS):
            continue
        rel = Path(PACKAGE) / path.parent.relative_to(root.parent)
        out.append((str(path), rel.as_posix()))
    return out


def module_files(module: str) -> list[str]:
    """A module and, for a package, every submodule found in the source tree (without
    importing: a plug-in that fails to import at build time must still be bundled, so the
    frozen app reports the same error result the source install does). Modules outside
    ``techcheck`` (a third-party plug-in) are taken by name."""
    if not module.startswith(PACKAGE + "."):
        return [module]
    base = source_dir(module)
    if base.is_dir():
        mods = [module]
        for py in sorted(base.rglob("*.py")):
            if "__pycache__" in py.parts:
                continue
            rel = py.relative_to(ROOT).with_suffix("")
            name = ".".join((PACKAGE, *rel.parts))
            if name.endswith(".__init__"):
                name = name[: -len(".__init__")]
            mods.append(name)
        return sorted(set(mods))
    return [module]


def make_plan() -> Plan:
    plan = Plan()
    hidden: set[str] = set()
    dists = {"techcheck"}
    for check_id, (value, dist) in sorted(installed_entry_points().items()):
        module = value.split(":", 1)[0].strip()
        plan.plugins[check_id] = value
        hidden.update(module_files(module))
        if dist:
            dists.add(dist)
    hidden.update(f"{PACKAGE}.app.commands.{name}" for name in existing_commands(cli_commands()))
    # Imported lazily or by name at run time, so the analysis cannot follow them.
    for folder in ("app/gui", "app/report", "app/commands", "checks", "resources"):
        package = ".".join((PACKAGE, *folder.split("/")))
        if source_dir(package).is_dir():
            hidden.update(module_files(package))
    plan.hiddenimports = sorted(hidden)
    plan.metadata_dists = sorted(dists)
    plan.datas = resource_datas()
    return plan


def drop_binary(dest: str) -> bool:
    """Whether a collected binary (by its destination path in the bundle) is left out."""
    dest = dest.replace("\\", "/")
    return any(fnmatch.fnmatch(dest, pat) for pat in BINARY_DROP)


def drop_data(dest: str) -> bool:
    """Qt's translations and Babel's locale data for languages TechCheck does not speak, and
    QML trees."""
    dest = dest.replace("\\", "/")
    if "/Qt/translations/" in dest or dest.startswith("PySide6/translations/"):
        return dest.rsplit("/", 1)[-1] not in QT_TRANSLATION_KEEP
    if dest.startswith("babel/locale-data/"):
        return dest.rsplit("/", 1)[-1] not in BABEL_LOCALE_KEEP
    return drop_binary(dest)


#: Binaries built with debug information that ``strip --strip-debug`` may safely shrink: the
#: Python runtime and extension modules compiled on the build machine, and fontTools'
#: accelerators. Never the auditwheel-repaired libraries of wheels (``*.libs/``, numpy's
#: OpenBLAS): stripping a patchelf-edited file breaks it, which is why ``strip=True`` in the
#: spec breaks numpy (measured here: the bundle then fails to import numpy).
STRIP_DEBUG = ("libpython*", "python3.*/lib-dynload/*.so", "fontTools/*.so",
               "_soundfile_data/*.so")


def strip_candidates(binaries: list) -> list:
    def match(dest: str) -> bool:
        dest = dest.replace("\\", "/")
        return ".libs/" not in dest and any(fnmatch.fnmatch(dest, pat) for pat in STRIP_DEBUG)

    return [e for e in binaries if match(e[0])]


def prune_system_libraries(binaries: list, imports_of) -> tuple[list, list[str]]:
    """Drop top-level system libraries that no kept binary needs any more (Linux).

    PyInstaller collects each binary's link-time dependencies before the spec filters them, so
    dropping a plug-in (say the GTK theme) leaves its dependencies behind. ``imports_of(src)``
    returns the names a file links against, transitively (``ldd``). Roots are everything in a
    package folder, every extension module and the ``DLOPENED`` libraries; a top-level
    library stays only if some root needs it.
    """
    def top_level(entry) -> bool:
        return "/" not in entry[0].replace("\\", "/") and entry[2] == "BINARY"

    roots = [e for e in binaries if not top_level(e) or
             any(fnmatch.fnmatch(e[0], pat) for pat in DLOPENED)]
    needed: set[str] = set()
    for entry in roots:
        needed.update(Path(name).name for name in imports_of(entry[1]))
    kept, dropped = [], []
    for entry in binaries:
        if top_level(entry) and entry not in roots and entry[0] not in needed:
            dropped.append(entry[0])
        else:
            kept.append(entry)
    return kept, sorted(dropped)


def foreign_qt(dest: str) -> bool:
    """A Qt library that is not PySide6's: shipping it would load two Qt stacks."""
    dest = dest.replace("\\", "/")
    name = dest.rsplit("/", 1)[-1]
    is_qt = fnmatch.fnmatch(name, "libQt[56]*") or fnmatch.fnmatch(name, "Qt[56]*.dll") or \
        name in ("QtCore", "QtGui", "QtWidgets")
    return is_qt and not dest.startswith("PySide6/")


def executable_for(mode: str, dist: Path, platform: str = sys.platform) -> tuple[Path, Path]:
    """(what a user gets, the executable to run for the CLI) of a finished build in ``dist``."""
    exe = ".exe" if platform == "win32" else ""
    if platform == "darwin":
        app = dist / f"{APP_NAME}.app"
        return app, app / "Contents" / "MacOS" / CLI_NAME
    if mode == "onefile":
        path = dist / f"{APP_NAME}{exe}"
        return path, path
    folder = dist / APP_NAME
    return folder, folder / f"{CLI_NAME}{exe}"


def version() -> str:
    try:
        return metadata.version("techcheck")
    except metadata.PackageNotFoundError:
        data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        return str(data["project"]["version"])


def version_tuple(text: str | None = None) -> tuple[int, int, int, int]:
    nums = []
    for part in (text or version()).split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        nums.append(int(digits) if digits else 0)
    return tuple(([*nums, 0, 0, 0, 0])[:4])  # type: ignore[return-value]
