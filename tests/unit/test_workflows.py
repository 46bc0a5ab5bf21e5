"""The GitHub Actions workflows, which cannot run on this machine: their YAML parses, the test
job runs the whole suite on Linux, Windows and macOS and reports how many tests ran, and the
commands each runner's shell gets are ones that shell understands."""

from __future__ import annotations

import os
import re
import subprocess
import sys

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


def pytest_steps(job: dict) -> list[dict]:
    return [s for s in job["steps"]
            if "run" in s and ("pytest" in s["run"] or "setup.sh test" in s["run"])]


def test_the_test_jobs_run_the_whole_suite_on_three_systems_and_count():
    doc = load("test.yml")
    on = triggers(doc)
    assert "pull_request" in on and "push" in on
    assert doc["env"]["QT_QPA_PLATFORM"] == "offscreen"
    jobs = doc["jobs"]
    # Windows and macOS: one matrix job, neither hides the other's failure.
    other = jobs["test"]
    assert set(other["strategy"]["matrix"]["os"]) == {"windows-2022", "macos-14"}
    assert other["strategy"]["fail-fast"] is False
    assert other["runs-on"] == "${{ matrix.os }}"
    # Linux: the system the project is built for, privileged as the tests here expect (root,
    # mounts, namespaces), through the README's own command.
    linux = jobs["test-linux"]
    assert linux["container"]["image"] == "debian:12"
    assert "--privileged" in linux["container"]["options"]
    (linux_run,) = pytest_steps(linux)
    assert linux_run["run"].strip().startswith("bash scripts/setup.sh test")
    assert linux_run["shell"] == "bash"
    (other_run,) = pytest_steps(other)
    install = next(s for s in other["steps"] if "pip install" in s.get("run", ""))
    assert 'install -e ".[dev]"' in install["run"]  # as the README tells Windows and macOS users
    for job, step in ((linux, linux_run), (other, other_run)):
        command = step["run"].strip()
        # The whole suite: no test selection, the skip reasons listed, a JUnit report to count.
        args = re.split(r"\bpytest\b|setup\.sh test", command, maxsplit=1)[1]
        assert not re.search(r"(^|\s)(-k|-m)\s|\stests/", args), command
        assert " -ra" in command and "--junitxml=junit.xml" in command
        count = next(s for s in job["steps"] if s.get("name") == "How many tests ran")
        assert count["if"] == "always()"  # also after failures
        assert "scripts/test_counts.py junit.xml" in count["run"]
        assert job["timeout-minutes"] <= 120


@pytest.mark.slow
def test_the_count_reads_a_real_junit_report(tmp_path):
    """pytest's own JUnit report of a run with a pass, a failure, an error and a skip."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_sample.py").write_text(
        "import pytest\n"
        "@pytest.fixture\n"
        "def broken():\n    raise RuntimeError('setup')\n"
        "def test_ok():\n    assert True\n"
        "def test_bad():\n    assert False\n"
        "def test_error(broken):\n    pass\n"
        "@pytest.mark.skip(reason='needs Linux')\n"
        "def test_skipped():\n    pass\n")
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "--junitxml=junit.xml"], cwd=tmp_path, capture_output=True, timeout=120)
    summary = tmp_path / "summary.md"
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "test_counts.py"),
                          str(tmp_path / "junit.xml"), "windows-2022"], capture_output=True,
                         text=True, timeout=60, env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    assert res.returncode == 0, res.stderr
    expected = "windows-2022: 1 passed, 1 failed, 1 errors, 1 skipped of 4 collected"
    assert res.stdout.strip() == expected
    assert summary.read_text() == f"### {expected}\n"
    missing = subprocess.run([sys.executable, str(ROOT / "scripts" / "test_counts.py"),
                              str(tmp_path / "none.xml")], capture_output=True, text=True,
                             timeout=60)
    assert missing.returncode == 2 and "did not start" in missing.stderr


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
