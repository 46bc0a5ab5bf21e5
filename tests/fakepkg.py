"""A real Debian package installed into a private dpkg database: what a test needs to exercise
the real ``dpkg-query`` path (the meeting-app lookup, checks/system/meetapp.py) without touching
the system's own package database."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def have_dpkg() -> bool:
    return shutil.which("dpkg-deb") is not None and shutil.which("dpkg") is not None


def install_fake_package(tmp: Path, name: str, version: str) -> str:
    """Build a real .deb ``name`` ``version`` (no files, only its control data) and install it
    with dpkg into a private database under ``tmp`` (``--root``: nothing outside ``tmp`` is
    written); returns the database folder, for ``dpkg-query --admindir``."""
    pkg, root = tmp / f"pkg-{name}", tmp / "root"
    (pkg / "DEBIAN").mkdir(parents=True)
    (pkg / "DEBIAN" / "control").write_text(
        f"Package: {name}\nVersion: {version}\nArchitecture: all\n"
        "Maintainer: TechCheck tests <tests@example.invalid>\nDescription: test stand-in\n",
        encoding="utf-8")
    admin = root / "var" / "lib" / "dpkg"
    for sub in ("updates", "info"):
        (admin / sub).mkdir(parents=True, exist_ok=True)
    (admin / "status").touch()
    deb = tmp / f"{name}.deb"
    subprocess.run(["dpkg-deb", "--build", str(pkg), str(deb)], check=True,
                   capture_output=True, timeout=60)
    subprocess.run(["dpkg", f"--root={root}", "--force-not-root", "--force-script-chrootless",
                    "-i", str(deb)], check=True, capture_output=True, timeout=60)
    return str(admin)
