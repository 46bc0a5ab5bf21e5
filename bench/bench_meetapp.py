"""How well the system check finds a missing or outdated meeting app (issue 24, item 4): the real
check, reading real Debian packages through the real ``dpkg-query``, on labelled set-ups.

Each set-up installs zero or more real ``.deb`` packages (built with ``dpkg-deb``, installed with
``dpkg --root`` into a private database: nothing outside a temporary folder is written) and runs
the system check for one platform with one minimum version. The label says what a person
looking at the set-up would expect: ``system.meeting_app_missing`` (the platform's app is not
installed), ``system.meeting_app_old`` (installed, older than the minimum) or nothing. Set-ups
include other platforms' apps, look-alike packages (add-ins, plug-ins), Debian epochs and
revisions, and versions whose parts compare as numbers ("5.17" is newer than "5.9").

Prints a Markdown table for docs/benchmarks.md: each set-up's result and, per finding code,
precision and recall.

    .venv/bin/python bench/bench_meetapp.py

(in a second checkout put its ``.cache/devshim`` on ``PYTHONPATH``). Needs dpkg (Debian).
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from techcheck.checks import registry
from techcheck.checks.context import CheckContext
from techcheck.checks.profile import load_profile
from techcheck.checks.system import SystemCheck
from techcheck.checks.system.meetapp import Where
from techcheck.checks.system.probe import SystemProbe
from tests.fakepkg import have_dpkg, install_fake_package

MISSING, OLD = "system.meeting_app_missing", "system.meeting_app_old"
CODES = (MISSING, OLD)


@dataclass(frozen=True)
class Setup:
    name: str
    platform: str  # the profile the interview uses
    minimum: str  # the profile's app_min_version ("" = none)
    packages: tuple[tuple[str, str], ...]  # (package, version) installed
    expect: frozenset[str]


def _s(name: str, platform: str, minimum: str, packages: tuple[tuple[str, str], ...],
       *expect: str) -> Setup:
    return Setup(name, platform, minimum, packages, frozenset(expect))


SETUPS = (
    _s("nothing installed, Zoom interview", "zoom", "", (), MISSING),
    _s("nothing installed, Teams interview", "teams", "", (), MISSING),
    _s("nothing installed, Webex interview", "webex", "", (), MISSING),
    _s("nothing installed, Meet interview (browser only)", "meet", "", ()),
    _s("Zoom installed, no minimum", "zoom", "", (("zoom", "6.2.5.2440"),)),
    _s("Zoom installed, newer than the minimum", "zoom", "5.17.0", (("zoom", "6.2.5.2440"),)),
    _s("Zoom equal to the minimum", "zoom", "6.2.5", (("zoom", "6.2.5"),)),
    _s("Zoom 5.9 against minimum 5.17 (part by part)", "zoom", "5.17", (("zoom", "5.9.3"),),
       OLD),
    _s("Zoom 5.17 against minimum 5.9 (part by part)", "zoom", "5.9", (("zoom", "5.17.1"),)),
    _s("Zoom older than the minimum", "zoom", "6.0.0", (("zoom", "5.16.10.668"),), OLD),
    _s("Zoom with a Debian epoch and revision, new enough", "zoom", "6.0",
       (("zoom", "1:6.1.0-2"),)),
    _s("Zoom with a Debian epoch and revision, too old", "zoom", "6.0",
       (("zoom", "2:5.9.0-1"),), OLD),
    _s("only Teams installed, Zoom interview", "zoom", "", (("teams-for-linux", "1.12.7"),),
       MISSING),
    _s("a look-alike package only, Zoom interview", "zoom", "",
       (("zoom-plugin-helper", "1.0"),), MISSING),
    _s("Teams for Linux installed, Teams interview", "teams", "",
       (("teams-for-linux", "1.12.7"),)),
    _s("old Teams package, Teams interview with a minimum", "teams", "1.5",
       (("teams", "1.4.00.26453"),), OLD),
    _s("Webex installed, Webex interview", "webex", "", (("webex", "44.10.0.31310"),)),
    _s("Webex older than the minimum", "webex", "45", (("webex", "44.10.0.31310"),), OLD),
    _s("every app installed, Meet interview", "meet", "",
       (("zoom", "6.2.5"), ("teams-for-linux", "1.12.7"), ("webex", "44.10"))),
    _s("Zoom and Webex installed, Teams interview", "teams", "",
       (("zoom", "6.2.5"), ("webex", "44.10")), MISSING),
)


def _profile(folder: Path, platform: str, minimum: str):
    schemas = registry.limit_schemas(registry.discover())
    path = folder / f"{platform}-{minimum or 'none'}.toml"
    path.write_text(f'[profile]\nname = "bench-{platform}"\ntitle = "Bench"\n'
                    f'extends = "{platform}"\n[system]\napp_min_version = "{minimum}"\n',
                    encoding="utf-8")
    return load_profile(str(path), schemas)


def run(setup: Setup, folder: Path) -> tuple[frozenset[str], str, float]:
    folder.mkdir()
    admin = folder / "root" / "var" / "lib" / "dpkg"
    for name, version in setup.packages:
        admin = Path(install_fake_package(folder, name, version))
    if not setup.packages:
        admin.mkdir(parents=True)
        (admin / "status").touch()
    where = Where(dpkg_admindir=str(admin), linux_sources=("dpkg",))
    started = time.perf_counter()
    result = SystemCheck(SystemProbe(where)).run(
        CheckContext(profile=_profile(folder, setup.platform, setup.minimum), duration=0.5))
    took = time.perf_counter() - started
    found = frozenset(f.code for f in result.findings if f.code in CODES)
    metric = result.metrics.get("meeting_app")
    return found, "" if metric is None else str(metric.value), took


def main() -> int:
    if not have_dpkg():
        print("needs dpkg-deb and dpkg (Debian)", file=sys.stderr)
        return 3
    rows, tally = [], {c: [0, 0, 0] for c in CODES}  # labelled, raised, raised and labelled
    with tempfile.TemporaryDirectory() as tmp:
        for i, setup in enumerate(SETUPS):
            found, shown, took = run(setup, Path(tmp) / f"s{i}")
            for c in CODES:
                tally[c][0] += c in setup.expect
                tally[c][1] += c in found
                tally[c][2] += c in setup.expect and c in found
            ok = "yes" if found == setup.expect else "**no**"
            rows.append(f"| {setup.name} | {setup.platform} | {setup.minimum or '—'} | "
                        f"{shown or '—'} | {', '.join(sorted(found)) or '—'} | {ok} | "
                        f"{took:.2f} |")
    print("| set-up | platform | minimum | meeting_app | findings | as labelled | check s |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    print("| code | labelled | raised | precision | recall |")
    print("|---|---|---|---|---|")
    for c, (labelled, raised, both) in tally.items():
        precision = f"{both / raised:.0%}" if raised else "—"
        recall = f"{both / labelled:.0%}" if labelled else "—"
        print(f"| `{c}` | {labelled} | {raised} | {precision} | {recall} |")
    return 0 if all(r.endswith("|") and "**no**" not in r for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
