"""A smaller ICU data library for the Linux bundle (issue 22: the one-file download ≤ 135 MB).

PySide6's Linux wheels ship ICU, whose data library ``libicudata.so.NN`` (32 MB, 12.4 MB of
the compressed one-file download) holds the data for every language, character set and
feature ICU has. Qt Core links it for a few things only: collation (``QCollator``: the file
dialog sorts names with it), locale-aware case mapping and time-zone names; Qt formats numbers
and dates from its own CLDR tables, finds text boundaries with its own Unicode tables, and
TechCheck decodes text in Python. So the bundle keeps ICU's core data (normalisation,
properties, case mapping, converter aliases), the supplemental tables, collation's root
(UCA) and the locale data of the root, English and Swedish — the two languages TechCheck
speaks. Another system locale falls back to the root data (collation by the Unicode
Collation Algorithm), as ICU does for any locale it lacks.

Left out: the other ~800 locales' data, legacy character-set tables (``*.cnv``: Shift-JIS,
EBCDIC… QStringDecoder then reports them invalid), break iterators and their dictionaries,
transliteration, confusable-character and character-name data.

How (ICU's own tools, Debian/Ubuntu package ``icu-devtools``, and a C compiler): the common
data package is read out of the wheel's library (the ``icudtNN_dat`` symbol), ``icupkg -r``
removes items, ``genccode`` turns the package into assembly with the same symbol, and ``cc``
links it into a library with the same soname. Without the tools the build says so and keeps
the wheel's library (the bundle is then 11 MB larger).

Checked by ``tests/app/test_packaging.py`` (the trimmed library sorts, maps case and names time
zones as the full one does in English and Swedish) and by the bundle's self-test.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

TOOLS = ("nm", "icupkg", "genccode", "cc")

#: Locales whose data stays: ICU's root, English and Swedish (with their regional variants).
KEEP_LOCALES = re.compile(r"^(root|en|en_[A-Za-z0-9_]+|sv|sv_[A-Za-z0-9_]+)\.res$")
#: A locale's resource bundle name (``de.res``, ``zh_Hant_TW.res``); others are ICU's tables.
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9_]+)?\.res$")
#: Whole trees and files nothing in Qt asks for (see the module docstring).
DROP_TREES = ("brkitr", "translit")
DROP_FILES = ("unames.icu", "confusables.cfu")


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


def removed_items(items: list[str]) -> list[str]:
    """The package items to leave out, from the list ``icupkg -l`` gives."""
    out = []
    for item in items:
        tree, _, name = item.rpartition("/")
        if (tree.split("/")[0] in DROP_TREES or name in DROP_FILES or name.endswith(".cnv")
                or name.endswith(".dict")):
            out.append(item)
        elif name in ("res_index.res", "pool.res"):
            continue  # every tree's index and shared strings
        elif tree == "" and not LOCALE.match(name):
            continue  # ICU's supplemental and core data
        elif name.endswith(".res") and not KEEP_LOCALES.match(name):
            out.append(item)
    return out


def _file_offset(elf: bytes, vaddr: int) -> int:
    """The file offset of virtual address ``vaddr`` in a 64-bit little-endian ELF file."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    for i in range(phnum):
        p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz = struct.unpack_from(
            "<IIQQQQ", elf, phoff + i * phentsize)
        if p_type == 1 and p_vaddr <= vaddr < p_vaddr + p_filesz:  # PT_LOAD
            return vaddr - p_vaddr + p_offset
    raise ValueError(f"address {vaddr:#x} is in no loaded segment")


def common_data(library: Path) -> tuple[str, bytes]:
    """(the entry point, e.g. ``icudt73``; the common data package) of an ICU data library."""
    out = subprocess.run(["nm", "-D", "--defined-only", "-S", str(library)], check=True,
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and re.fullmatch(r"icudt\d+_dat", parts[3]):
            addr, size = int(parts[0], 16), int(parts[1], 16)
            elf = library.read_bytes()
            start = _file_offset(elf, addr)
            return parts[3].removesuffix("_dat"), elf[start:start + size]
    raise ValueError(f"{library.name} exports no icudtNN_dat symbol")


def trim(library: Path, work: Path) -> Path:
    """A trimmed copy of the ICU data library ``library`` (same file name and soname), built in
    ``work``. Raises ``RuntimeError`` when a tool is missing or fails."""
    missing = missing_tools()
    if missing:
        raise RuntimeError(f"missing {', '.join(missing)} (Debian: icu-devtools, gcc)")
    entry, data = common_data(library)
    work.mkdir(parents=True, exist_ok=True)
    # icupkg names the items after the package file: it must be called icudtNNl.dat.
    full, small = work / "full" / f"{entry}l.dat", work / "small" / f"{entry}l.dat"
    for d in (full.parent, small.parent):
        d.mkdir(exist_ok=True)
    full.write_bytes(data)

    def run(*cmd: str, cwd: Path = work) -> str:
        res = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True)
        if res.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed: {res.stderr.strip() or res.stdout.strip()}")
        return res.stdout

    items = run("icupkg", "-l", str(full)).split()
    listing = work / "removed.txt"
    listing.write_text("\n".join(removed_items(items)) + "\n", encoding="ascii")
    small.unlink(missing_ok=True)
    run("icupkg", "-r", str(listing), str(full), str(small))
    run("genccode", "-a", "gcc", "-e", entry, "-d", str(small.parent), str(small))
    out = work / library.name
    run("cc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(out),
        str(small.parent / f"{entry}l_dat.S"))
    return out


def trim_in(binaries: list, work: Path) -> tuple[list, str]:
    """``Analysis.binaries`` with PySide6's ICU data library replaced by a trimmed one (every
    entry that collected it, so PyInstaller still links the copies to one file), and a line
    for the build log."""
    sources = {src for dest, src, _kind in binaries
               if re.fullmatch(r"libicudata\.so\.\d+", Path(dest).name) and "PySide6" in src}
    if len(sources) != 1:
        return binaries, f"ICU data: {len(sources)} PySide6 copies found, kept as they are"
    source = Path(sources.pop())
    try:
        small = trim(source, work)
    except (RuntimeError, ValueError, OSError) as exc:
        return binaries, f"ICU data kept whole (11 MB more): {exc}"
    replaced = [(dest, str(small) if src == str(source) else src, kind)
                for dest, src, kind in binaries]
    return replaced, (f"ICU data trimmed to root, English and Swedish: "
                      f"{source.stat().st_size / 1e6:.1f} → {small.stat().st_size / 1e6:.1f} MB")
