"""The Computer step shows what the system check measured, as every other step does, and no
fix tells a candidate to type a command (issue 23 item 11)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtWidgets import QGroupBox, QLabel

from tests.gui_fixtures import by_name, click_step

# the offscreen platform cannot resize a native window to its size hints
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "measured", "load"), [("en", "Measured", "Processor load"),
                                                        ("sv", "Uppmätt", "Processorbelastning")])
def test_the_computer_step_shows_its_measurements(make_window, qtbot, lang, measured, load):
    from techcheck.checks import l10n
    from techcheck.checks.i18n import translate
    from techcheck.checks.system import measures as M

    assert translate(M.CPU_LOAD.label, lang) == load
    w = make_window(demo_mode="on", language=lang)
    click_step(qtbot, w, "system")  # the step checks on arrival
    page = w.pages["system"]
    qtbot.waitUntil(lambda: "system" in w.session.results and not page.panel.running,
                    timeout=60_000)
    box = by_name(w, measured, QGroupBox)
    metric = w.session.results["system"].metrics["cpu_load"]
    shown = l10n.quantity(metric.value, metric.unit, lang)
    value = by_name(box, f"{load}: {shown}", QLabel)
    assert value.text() == shown and shown.endswith("%")
    memory = w.session.results["system"].metrics["memory_total"]
    label = translate(M.MEMORY_TOTAL.label, lang)
    by_name(box, f"{label}: {l10n.quantity(memory.value, memory.unit, lang)}", QLabel)
    battery = w.session.results["system"].metrics.get("battery")
    if battery is not None and isinstance(battery.value, str):  # no battery: a word, no "%"
        label = translate(M.BATTERY.label, lang)
        by_name(box, f"{label}: {translate(battery.value, lang)}", QLabel)


def test_a_word_takes_no_unit():
    from techcheck.checks import l10n

    assert l10n.quantity("none", "%", "en") == "none"  # a computer without a battery
    assert l10n.quantity("5", "%", "en") == "5\u00a0%"


def _texts(folder: Path) -> list[tuple[str, str]]:
    """Every text the checks mark for translation (``N_``): findings, fixes, titles."""
    out = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                out.append((str(path.relative_to(ROOT)), str(node.args[0].value)))
    return out


def test_no_fix_sends_a_candidate_to_the_command_line():
    texts = _texts(ROOT / "checks")
    assert len(texts) > 100  # the scan found the checks' texts
    commands = [(p, t) for p, t in texts if "techcheck " in t or "techcheck run" in t]
    assert not commands, commands
