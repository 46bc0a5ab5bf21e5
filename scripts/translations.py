"""Qt translations of the GUI's own texts, with Qt's own tools.

    python scripts/translations.py update    # pyside6-lupdate: app/gui → resources/translations/*.ts
    python scripts/translations.py release   # pyside6-lrelease: *.ts → *.qm (shipped)

Translators edit the .ts files (Qt Linguist: pyside6-linguist). Texts that checks produce are
translated by checks.i18n from resources/translations/<lang>/*.json instead.

Counts use Qt's plural forms: ``self.tr("%n check(s) need attention.", "", n)``. English, the
source language, has a .ts of its own that holds only those (``lupdate -pluralonly``), so
that English says "1 check" and "3 checks" too (Qt's "Handling Plurals" documentation).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
LANGS = ("sv",)
#: Source-language files that carry only the plural forms.
PLURAL_ONLY = ("en",)


def tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease next to this Python, else on PATH."""
    here = Path(sys.executable).parent / f"pyside6-{name}"
    found = str(here) if here.exists() else shutil.which(f"pyside6-{name}")
    if not found:
        raise SystemExit(f"pyside6-{name} not found: install PySide6-Essentials")
    return found


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "app" / "gui").rglob("*.py"))


def ts_file(lang: str) -> Path:
    return TS_DIR / f"techcheck_{lang}.ts"


def update(out: Path | None = None, lang: str = "sv") -> Path:
    target = out or ts_file(lang)
    extra = ["-pluralonly", "-source-language", "en", "-target-language", "en"] \
        if lang in PLURAL_ONLY else []
    subprocess.run([tool("lupdate"), "-no-obsolete", "-locations", "none", *extra, *sources(),
                    "-ts", str(target)], cwd=ROOT, check=True, capture_output=True)
    return target


def release(ts: Path, qm: Path) -> Path:
    subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True,
                   capture_output=True)
    return qm


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("update", "release"):
        print(__doc__)
        return 2
    for lang in (*LANGS, *PLURAL_ONLY):
        if argv[0] == "update":
            print(update(lang=lang))
        else:
            print(release(ts_file(lang), ts_file(lang).with_suffix(".qm")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
