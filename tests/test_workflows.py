"""The GitHub Actions workflows, which cannot run on this machine: their YAML parses, the test
job runs the whole suite on Linux, Windows and macOS and reports how many tests ran, and the
commands each runner's shell gets are ones that shell understands."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict:
    doc = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(doc, dict) and doc.get("jobs"), name
    return doc


def triggers(doc: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    return doc.get("on") or doc.get(True) or {}


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_workflow_parses_and_every_step_does_something(name):
    doc = load(name)
    assert triggers(doc), f"{name}: no 'on:'"
    for job_id, job in doc["jobs"].items():
        assert job.get("runs-on"), f"{name}:{job_id}: no runs-on"
        assert job.get("timeout-minutes"), f"{name}:{job_id}: unbounded"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{name}:{job_id}: {step}"


def test_the_test_job_runs_the_whole_suite_on_three_systems_and_counts():
    doc = load("test.yml")
    on = triggers(doc)
    assert "pull_request" in on and "push" in on
    job = doc["jobs"]["test"]
    oses = job["strategy"]["matrix"]["os"]
    assert {"windows-2022", "macos-14"} <= set(oses) and any(o.startswith("ubuntu") for o in oses)
    assert job["strategy"]["fail-fast"] is False  # one system failing must not hide another
    assert job["runs-on"] == "${{ matrix.os }}"
    steps = job["steps"]
    runs = [s for s in steps if "run" in s]
    pytest_steps = [s for s in runs if "pytest" in s["run"] or "setup.sh test" in s["run"]]
    assert len(pytest_steps) == 2
    conditions = sorted(s.get("if", "") for s in pytest_steps)
    assert conditions == ["runner.os != 'Linux'", "runner.os == 'Linux'"]
    for step in pytest_steps:
        command = step["run"].strip()
        # The whole suite: no test selection, the skip reasons listed, a JUnit report to count.
        args = re.split(r"\bpytest\b|setup\.sh test", command, maxsplit=1)[1]
        assert not re.search(r"(^|\s)(-k|-m)\s|\stests/", args), command
        assert " -ra" in command and "--junitxml=junit.xml" in command
    linux = next(s for s in pytest_steps if s["if"] == "runner.os == 'Linux'")
    assert linux["run"].strip().startswith("bash scripts/setup.sh test") and linux["shell"] == "bash"
    # The count runs whatever happened before it, and its script is valid Python.
    count = next(s for s in steps if s.get("name") == "How many tests ran")
    assert count["if"] == "always()" and count["shell"] == "python"
    script = count["run"].replace("${{ matrix.os }}", "windows-2022")
    compile(script, "count", "exec")
    assert "GITHUB_STEP_SUMMARY" in script and "skipped" in script
    assert env_value(job, "QT_QPA_PLATFORM") == "offscreen"


def env_value(job: dict, key: str) -> str | None:
    return (job.get("env") or {}).get(key)


def test_windows_steps_speak_powershell_or_say_their_shell():
    """Without ``shell:``, Windows runs a step in PowerShell: no bash syntax there (line
    continuations with a backslash, ``$VAR``, ``export``, ``source``, ``&&`` chains of tests)."""
    for name in ("test.yml", "build.yml"):
        for job in load(name)["jobs"].values():
            oses = str(job.get("strategy", {}).get("matrix", {}))
            if "windows" not in oses:
                continue
            for step in job["steps"]:
                if "run" not in step or step.get("shell") or "Linux" in step.get("if", "") \
                        or "runner.os == 'macOS'" in step.get("if", ""):
                    continue
                text = step["run"]
                assert not re.search(r"\\\s*$|\$[A-Z_]+\b|^\s*(export|source)\s", text, re.M), \
                    f"{name}: {step.get('name')}: bash syntax in a PowerShell step:\n{text}"
