"""PAC files: how many real-world files get the right answer, from the current evaluator and
from a named baseline (the bounded subset interpreter TechCheck used before issue 15, loaded
from git history), in one run.

    .venv/bin/python bench/bench_pac.py [--baseline-commit 8b5a399] [--json out.json]

The corpus is bench/pac_corpus/: 22 PAC files published in repositories and documentation,
each with its source, and the answers a browser gives (cases.toml). A file counts as right
when every one of its questions gets the expected proxy list. Name lookups are answered from
each file's ``hosts`` table in both contenders (this machine has no internet DNS).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "pac_corpus"
sys.path.insert(0, str(ROOT))

Answer = Callable[[str, str], str]  # (url, host) -> the file's answer; raises when it cannot


def normalise(answer: str) -> list[str]:
    """A proxy list as entries ("PROXY a:1"), blanks and empty entries dropped."""
    return [" ".join(part.split()) for part in answer.split(";") if part.strip()]


def expected_for(entry: dict, expected: str) -> str:
    """The answer expected now: a file with a weekday rule answers differently on Fridays."""
    if "friday" in entry and datetime.datetime.now().weekday() == 4:
        return entry["friday"]
    return expected


def load_baseline(commit: str):
    """The old interpreter's module, as it was at ``commit``."""
    text = subprocess.run(["git", "show", f"{commit}:checks/network/pac.py"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "pac_baseline.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location("pac_baseline", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["pac_baseline"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def baseline_contender(module) -> Callable[[str, dict], Answer]:
    def prepare(text: str, entry: dict) -> Answer:
        hosts = entry.get("hosts", {})
        script = module.parse(text, resolver=hosts.get,
                              my_ip=lambda: entry.get("my_ip", "192.0.2.10"))
        return script.find_proxy
    return prepare


def current_contender() -> Callable[[str, dict], Answer]:
    from techcheck.checks.network import pac

    def prepare(text: str, entry: dict) -> Answer:
        script = pac.parse(text, my_ip=entry.get("my_ip", "192.0.2.10"),
                           hosts=entry.get("hosts", {}))
        return lambda url, host: script.find_proxy(url, host)
    return prepare


def run(prepare: Callable[[str, dict], Answer], files: list[dict]) -> dict:
    rows = []
    start = time.monotonic()
    for entry in files:
        text = (CORPUS / entry["name"]).read_text(encoding="utf-8")
        right, errors = 0, []
        try:
            answer = prepare(text, entry)
        except Exception as exc:
            answer, errors = None, [f"{type(exc).__name__}: {exc}"]
        for url, expected in entry["cases"]:
            if answer is None:
                continue
            host = url.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0]
            try:
                got = answer(url, host)
            except Exception as exc:
                errors.append(f"{url}: {type(exc).__name__}: {exc}")
                continue
            if normalise(got) == normalise(expected_for(entry, expected)):
                right += 1
            else:
                errors.append(f"{url}: got {got!r}")
        rows.append({"file": entry["name"], "cases": len(entry["cases"]), "right": right,
                     "errors": errors[:2]})
    took = time.monotonic() - start
    return {"files": len(rows), "files_right": sum(r["right"] == r["cases"] for r in rows),
            "cases": sum(r["cases"] for r in rows), "cases_right": sum(r["right"] for r in rows),
            "seconds": round(took, 2), "rows": rows}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline-commit", default="8b5a399",
                    help="git commit whose checks/network/pac.py is the baseline")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    files = tomllib.loads((CORPUS / "cases.toml").read_text(encoding="utf-8"))["file"]
    results = {"baseline": run(baseline_contender(load_baseline(args.baseline_commit)), files)}
    results["current"] = run(current_contender(), files)
    for name, res in results.items():
        print(f"{name}: {res['files_right']}/{res['files']} files right, "
              f"{res['cases_right']}/{res['cases']} questions, {res['seconds']} s")
    print(f"{'file':36} {'baseline':>9} {'current':>9}  current's first error")
    for old, new in zip(results["baseline"]["rows"], results["current"]["rows"], strict=True):
        note = (new["errors"] or old["errors"] or [""])[0][:90]
        print(f"{old['file']:36} {old['right']:>4}/{old['cases']:<4} {new['right']:>4}/"
              f"{new['cases']:<4} {note}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
