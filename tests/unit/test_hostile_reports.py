"""Hostile and broken report files (issue 13): each ends quickly, in bounded memory, with the
report's verdict or a sentence naming the file and the problem (exit 3), never "internal error".

The attack files in ``tests/attacks/`` are the ones the issue reproduced on main.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import jsonschema
import pytest

from techcheck.app.atomicfile import NotRegularFileError, describe_write_error, write_atomic
from techcheck.app.report import jsonio
from techcheck.checks.i18n import MAX_TEXT, translate
from tests import report_samples as samples
from tests.hostile import ATTACKS, assert_bounded, run_measured

# --- item 1: format-string injection ------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", ["format-width.json", "format-width-memoryerror.json"])
def test_a_huge_width_in_a_template_is_not_filled(name: str, tmp_path: Path):
    html, txt = tmp_path / "r.html", tmp_path / "r.txt"
    m = run_measured("report", str(ATTACKS / name), "--html", str(html), "--text", str(txt),
                     tmp=tmp_path)
    assert m.returncode == 2, m.stderr  # the report's own verdict: not ready
    assert_bounded(m, tmp_path)
    assert html.stat().st_size < 200_000 and txt.stat().st_size < 20_000
    assert "Busy {value:&gt;" in html.read_text() or "Busy {value:>" in html.read_text()


@pytest.mark.slow
@pytest.mark.parametrize(("name", "shown"), [
    ("format-attribute.json", "Leak {value.__class__.__mro__} here"),
    ("format-index.json", "Leak {value[0]} here"),
])
def test_attribute_and_index_lookups_are_shown_not_evaluated(name: str, shown: str,
                                                             tmp_path: Path):
    m = run_measured("report", str(ATTACKS / name), tmp=tmp_path)
    assert m.returncode == 2, m.stderr
    assert_bounded(m, tmp_path)
    assert shown in m.stdout
    assert "class" not in m.stdout.replace(shown, "")


def test_safe_fill_keeps_what_the_catalogue_uses():
    assert translate("{value:.1f} of {threshold:.0f}", "en", {"value": 2.25, "threshold": 5}) \
        == "2.2 of 5"
    # a percentage as the rows write it: a no-break space before "%" (l10n.with_unit)
    assert translate("{value:.0%}", "en", {"value": 0.25}) == "25\u00a0%"
    assert translate("{value:,.0f} MiB", "sv", {"value": 12345.0}) == "12\u00a0345 MiB"
    assert translate("{v:>6}|", "en", {"v": "ab"}) == "    ab|"
    # what is not allowed stays as written, whatever the value
    for tpl in ("{v!r}", "{v.real}", "{v[0]}", "{v:>300}", "{v:.{p}f}", "{v:x}", "{0}"):
        assert translate(tpl, "en", {"v": 3, "p": 2}) == tpl


def test_long_texts_are_shortened_visibly():
    out = translate("{m}", "en", {"m": "x" * 10_000_000})
    assert len(out) == MAX_TEXT and out.endswith("…(shortened)")
    assert translate("{m}", "sv", {"m": "x" * 5000}).endswith("…(förkortat)")
    assert translate("{n:.1f}", "en", {"n": 10**4000}) == "{n:.1f}"  # too large to write out


# --- shared helpers -------------------------------------------------------------------------------


def _sample(tmp_path: Path, mutate=None, name: str = "r.json", raw: str | None = None) -> Path:
    """A real saved report, changed by ``mutate(data)`` or replaced by ``raw`` text."""
    data = json.loads(jsonio.dumps(samples.report()))
    if mutate is not None:
        mutate(data)
    path = tmp_path / name
    path.write_text(raw if raw is not None else json.dumps(data), encoding="utf-8",
                    errors="surrogatepass")
    return path


def _finding(data: dict) -> dict:
    return next(f for c in data["checks"] for f in c["findings"] if f["status"] != "pass")


# --- item 2: outputs are regular files or new paths -----------------------------------------------


def _kinds(tmp_path: Path) -> dict[str, Path]:
    """A real FIFO, a real symbolic link (to a file with content) and, as root, a real
    character device node like /dev/null, made in the test's own folder."""
    made = {}
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    made["named pipe (FIFO)"] = fifo
    real = tmp_path / "real.txt"
    real.write_text("keep me")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    made["symbolic link"] = link
    node = tmp_path / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        made["character device"] = node
    except PermissionError:
        pass
    return made


def _unchanged(tmp_path: Path, kinds: dict[str, Path]) -> None:
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe").st_mode)
    assert (tmp_path / "link.txt").is_symlink() and (tmp_path / "real.txt").read_text() == "keep me"
    if (tmp_path / "null").exists():
        assert stat.S_ISCHR(os.lstat(tmp_path / "null").st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_write_atomic_refuses_links_pipes_and_devices(tmp_path: Path):
    kinds = _kinds(tmp_path)
    for kind, path in kinds.items():
        with pytest.raises(NotRegularFileError) as exc:
            write_atomic(path, "x")
        assert kind in str(exc.value) and str(path) in str(exc.value)
        assert "left it untouched" in describe_write_error(path, exc.value)
    _unchanged(tmp_path, kinds)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "text", "html"])
def test_report_outputs_refuse_special_files_and_leave_them(fmt: str, tmp_path: Path, cli):
    (tmp_path / "in").mkdir()
    src = _sample(tmp_path / "in")
    kinds = _kinds(tmp_path)
    for kind, path in kinds.items():
        r = cli("report", str(src), f"--{fmt}", str(path))
        assert r.returncode == 3, r.stderr
        assert kind in r.stderr and str(path) in r.stderr and "untouched" in r.stderr
    _unchanged(tmp_path, kinds)


def test_invite_does_not_replace_a_device_node(tmp_path: Path, cli):
    kinds = _kinds(tmp_path)
    target = kinds.get("character device", kinds["named pipe (FIFO)"])
    r = cli("invite", "--profile", "teams", "--when", "2026-12-01T10:00+01:00", "--contact",
            "Ann", "-o", str(target))
    assert r.returncode == 3 and "untouched" in r.stderr, r.stderr
    _unchanged(tmp_path, kinds)


# --- item 3: all outputs or none, bounded ---------------------------------------------------------


def test_a_report_that_cannot_be_rendered_writes_no_output(tmp_path: Path):
    src = _sample(tmp_path, lambda d: _finding(d)["template"].update(message="bad \ud800 text"))
    outs = {f: tmp_path / f"out.{f}" for f in ("pdf", "text", "html")}
    m = run_measured("report", str(src), *[a for f, p in outs.items() for a in (f"--{f}", str(p))],
                     tmp=tmp_path)
    assert m.returncode == 3 and "lone surrogate" in m.stderr, m.stderr
    assert_bounded(m)
    assert not [p for p in outs.values() if p.exists()]


@pytest.mark.slow
def test_a_full_disk_on_one_output_leaves_none_written(tmp_path: Path, mount_tmpfs):
    disk = mount_tmpfs(16)
    src = _sample(tmp_path)
    html, pdf = tmp_path / "ok.html", disk / "big.pdf"
    r = run_measured("report", str(src), "--html", str(html), "--pdf", str(pdf), tmp=tmp_path)
    assert r.returncode == 3 and "disk is full" in r.stderr and "No file was written" in r.stderr
    assert not html.exists() and not pdf.exists() and not list(disk.iterdir())


@pytest.mark.slow
def test_a_7_mb_message_is_shortened_and_quick_in_every_format(tmp_path: Path):
    src = _sample(tmp_path, lambda d: _finding(d)["template"].update(message="word " * 1_500_000))
    assert 7_000_000 < src.stat().st_size < jsonio.MAX_BYTES
    outs = {f: tmp_path / f"out.{f}" for f in ("pdf", "html", "text", "json")}
    m = run_measured("report", str(src), *[a for f, p in outs.items() for a in (f"--{f}", str(p))],
                     tmp=tmp_path)
    assert m.returncode == 2, m.stderr
    assert_bounded(m)
    assert all(p.stat().st_size < 500_000 for p in outs.values())
    assert "…(shortened)" in outs["text"].read_text()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(outs["pdf"]), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "(shortened)" in text


@pytest.mark.slow
def test_the_pdf_names_what_its_budget_left_out(tmp_path: Path):
    def many(d: dict) -> None:
        f = _finding(d)
        f["template"]["message"] = "long " * 400
        d["checks"][0]["findings"] = [dict(f, code=f"system.x{i}") for i in range(150)]
    out = tmp_path / "r.pdf"
    m = run_measured("report", str(_sample(tmp_path, many)), "--pdf", str(out), tmp=tmp_path)
    assert m.returncode == 2, m.stderr
    assert_bounded(m)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "more findings, left out of the PDF" in " ".join(text.split())


# --- items 4 and 5: corrupt input, the same verdict in every install ------------------------------


def _deep(tmp_path: Path) -> Path:
    p = tmp_path / "deep.json"
    p.write_text("[" * 100_000 + "]" * 100_000)
    return p


def _set(path: str, value):
    def mutate(d: dict) -> None:
        *parents, last = path.split("/")
        node = d
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value
    return mutate


CORRUPT = {
    # name: (mutate or raw text, words the message must contain)
    "5000-digit int": (None, '{"schema": "techcheck.report/1", "x": ' + "9" * 5000 + "}",
                       "digits"),
    "10**400 value": (_set("checks/0/metrics/cpu_load/value", 10**400), None, "digits"),
    "1e400 duration": (None, "DURATION", "too large"),
    "10**400 memory": (_set("machine/memory_gb", 10**400), None, "digits"),
    "NaN": (None, "NAN", "NaN"),
    "lone surrogate": (_set("app_version", "\ud800"), None, "lone surrogate"),
    "5000-digit schema version": (_set("schema", "techcheck.report/" + "9" * 5000), None,
                                  "schema"),
    "schema /0": (_set("schema", "techcheck.report/0"), None, "techcheck.report/1"),
    "created=12345": (_set("created", 12345), None, "created"),
    "verdict great": (_set("verdict", "great"), None, "verdict"),
    "metrics=[]": (_set("checks/0/metrics", []), None, "metrics"),
    "error=7": (_set("checks/0/error", 7), None, "error"),
    "app_version list": (_set("app_version", ["1"]), None, "app_version"),
    "impossible date": (_set("created", "2026-99-99T99:99+00:00"), None, "no such date"),
    "not an object": (None, "[1, 2]", "not a TechCheck report"),
    "brand without a name": (_set("profile/brand", {"accent": "#123456"}), None, "brand"),
    "brand colour": (_set("profile/brand", {"name": "Acme", "accent": "red"}), None, "accent"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_corrupt_reports_get_a_sentence_and_exit_3(case: str, tmp_path: Path):
    mutate, raw, words = CORRUPT[case]
    if raw == "DURATION":
        raw = re.sub(r'"duration_s": [0-9.]+', '"duration_s": 1e400', _sample(tmp_path).read_text(),
                     count=1)
        assert "1e400" in raw
    elif raw == "NAN":
        raw = re.sub(r'"duration_s": [0-9.]+', '"duration_s": NaN', _sample(tmp_path).read_text(),
                     count=1)
        assert "NaN" in raw
    src = _sample(tmp_path, mutate, raw=raw)
    out = tmp_path / "out.html"
    # as installed: no jsonschema (issue 13, item 5: the same verdict in every install)
    m = run_measured("report", str(src), "--html", str(out), tmp=tmp_path, without=("jsonschema",))
    assert m.returncode == 3, (m.returncode, m.stderr)
    assert_bounded(m)
    assert str(src) in m.stderr and words in m.stderr, m.stderr
    assert not out.exists()


def test_json_nested_100000_deep_is_refused(tmp_path: Path):
    m = run_measured("report", str(_deep(tmp_path)), tmp=tmp_path)
    assert m.returncode == 3 and "nested" in m.stderr, m.stderr
    assert_bounded(m)


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "too-large"])
def test_no_file_is_read_whole_before_its_size_is_known(kind: str, tmp_path: Path):
    if kind == "dev-zero":
        path, words = tmp_path / "zero", "character device"
        try:
            os.mknod(path, 0o444 | stat.S_IFCHR, os.makedev(1, 5))  # a real /dev/zero node
        except PermissionError:
            path = Path("/dev/zero")  # reading only; the test makes no change to it
    elif kind == "fifo":
        path, words = tmp_path / "fifo.json", "named pipe (FIFO)"
        os.mkfifo(path)
    else:
        path, words = tmp_path / "big.json", "too large"
        with open(path, "wb") as fh:
            fh.truncate(200 * 2**20)  # a sparse 200 MB file
    m = run_measured("report", str(path), tmp=tmp_path)
    assert m.returncode == 3 and words in m.stderr, m.stderr
    assert_bounded(m)


def test_the_loader_accepts_only_what_the_schema_accepts(tmp_path: Path):
    """The pure-Python validation (used in every install) never accepts a report that the JSON
    Schema rejects; where it is stricter the tests above say why."""
    schema = json.loads(jsonio.SCHEMA_FILE.read_text())
    validator = jsonschema.Draft202012Validator(schema)
    good = json.loads(jsonio.dumps(samples.report(snapshot=True)))
    assert not jsonio.validate(good) and validator.is_valid(good)
    for case, (mutate, _raw, _) in CORRUPT.items():
        if mutate is None:
            continue
        data = copy.deepcopy(good)
        mutate(data)
        if case in ("10**400 value", "10**400 memory", "lone surrogate"):
            continue  # refused while parsing, before validation
        assert jsonio.validate(data), case


# --- issue 21 item 9: a flat array; item 12: statuses trusted over findings, duplicate keys ------


def _flat_array_report(path: Path, item: str) -> Path:
    """A valid report whose one ``details`` value is a flat array of ``item`` filling 8 MiB."""
    data = json.loads(jsonio.dumps(samples.report()))
    data["checks"][0]["details"]["flood"] = "@@FLOOD@@"
    head, tail = json.dumps(data).split('"@@FLOOD@@"')
    room = jsonio.MAX_BYTES - len(head) - len(tail) - 2
    count = room // (len(item) + 1)
    with open(path, "w") as fh:
        fh.write(head + "[" + ",".join([item] * count) + "]" + tail)
    assert path.stat().st_size <= jsonio.MAX_BYTES
    return path


@pytest.mark.slow
@pytest.mark.parametrize("item", ["0", "[]", "{}", '""', "1.5"])
def test_an_8_mib_flat_array_is_refused_in_bounded_memory_and_time(item: str, tmp_path: Path):
    """Before: about 740 MB and several seconds for ``[[],[],…]`` (the validator alone 678 MB).
    Now the values are counted before they are built, in the text with its strings blanked."""
    src = _flat_array_report(tmp_path / "flat.json", item)
    m = run_measured("report", str(src), tmp=tmp_path)
    assert m.returncode == 3, m.stderr
    assert "holds more than 100,000 JSON values" in m.stderr, m.stderr
    assert_bounded(m, tmp_path)


def test_the_values_are_counted_outside_texts_only():
    """Commas and brackets inside texts (a message, the camera picture) are not values."""
    data = json.loads(jsonio.dumps(samples.report()))
    data["checks"][0]["findings"][0]["template"]["message"] = "[a, b], {c}, \\\" ," * 20_000
    text = json.dumps(data)
    assert jsonio.count_values(text) < 2_000
    assert jsonio.from_data(jsonio.loads(text)).checks


def test_statuses_are_derived_from_the_findings_not_trusted(tmp_path: Path):
    """A report whose checks say "pass" over FAIL findings is not READY: a check is at least
    as bad as its worst finding (a tip never counts), never better than it says."""
    data = json.loads(jsonio.dumps(samples.report()))
    for c in data["checks"]:
        c["status"] = "pass"
    data["verdict"] = "ready"
    data["checks"][0]["findings"][0]["status"] = "fail"
    src = tmp_path / "liar.json"
    src.write_text(json.dumps(data))
    m = run_measured("report", str(src), tmp=tmp_path)
    assert m.returncode == 2, m.stderr
    assert "NOT READY" in m.stdout
    report = jsonio.read(src)
    assert report.checks[0].status.value == "fail"
    data["checks"][0]["findings"][0]["status"] = "pass"
    data["checks"][0]["status"] = "warn"  # worse than its findings: kept, never made better
    src.write_text(json.dumps(data))
    assert jsonio.read(src).checks[0].status.value == "warn"


@pytest.mark.parametrize("doc", [
    '{"schema": "techcheck.report/1", "schema": "x"}',
    '{"a": {"status": "fail", "status": "pass"}}',
])
def test_duplicate_json_keys_are_refused(doc: str):
    with pytest.raises(jsonio.ReportError, match="given twice"):
        jsonio.loads(doc, "r.json")


def test_a_report_with_a_duplicate_status_is_refused_by_the_cli(tmp_path: Path):
    text = jsonio.dumps(samples.report())
    first = text.index('"status": ')
    src = tmp_path / "dup.json"
    src.write_text(text[:first] + '"status": "pass", ' + text[first:])
    m = run_measured("report", str(src), tmp=tmp_path)
    assert m.returncode == 3 and "'status' is given twice" in m.stderr, m.stderr


def test_counting_values_is_linear_for_a_string_never_closed(tmp_path: Path):
    """8 MiB of escaped quotes in a string that never ends: each quote could start a new
    string, which made the count quadratic (80 KB took 12 s); now it is one linear scan."""
    src = tmp_path / "quotes.json"
    src.write_text('{"schema": "' + '\\"' * (4 * 2**20 - 8))
    m = run_measured("report", str(src), tmp=tmp_path)
    assert m.returncode == 3 and "not valid JSON" in m.stderr, m.stderr
    assert_bounded(m, tmp_path)
