"""The one formatting path (techcheck.checks.l10n): numbers, units and dates from CLDR
through Babel, used by the reports, the finding texts and the app alike (issue 20, item 6)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from datetime import datetime

import pytest

from techcheck.app.report import view
from techcheck.checks import l10n
from techcheck.checks.i18n import fill
from tests.conftest import ROOT


@pytest.mark.parametrize(("value", "lang", "decimals", "want"), [
    (23404.0, "sv", None, "23\u00a0404"),
    (23404.0, "en", None, "23,404"),
    (7.5, "sv", None, "7,5"),
    (7.5, "en", None, "7.5"),
    (7070.35, "sv", 2, "7\u00a0070,35"),
    (-3.25, "sv", 1, "\u22123,2"),
    (-28, "en", None, "-28"),  # CLDR: English writes a hyphen-minus, Swedish U+2212
    (0.0, "sv", None, "0"),
])
def test_numbers_in_each_language(value, lang, decimals, want):
    assert l10n.number(value, lang, decimals) == want


def test_quantities_are_never_raw_truth_values():
    assert l10n.quantity(7.5, "Mbit/s", "sv") == "7,5\u00a0Mbit/s"
    assert l10n.quantity(23404.0, "MiB", "sv") == "22,9\u00a0GiB"  # ≥ 10 GiB reads as GiB
    assert l10n.quantity(False, "", "sv") == "Nej" and l10n.quantity(True, "", "en") == "Yes"
    assert l10n.quantity(float("nan"), "ms", "sv") == "–"


def test_dates_from_cldr_month_names():
    t = "2026-12-01T10:00:00+01:00"
    assert l10n.when(t, "sv") == "1 december 2026 kl. 10:00 (UTC+01:00)"
    assert l10n.when(t, "en") == "1 December 2026, 10:00 (UTC+01:00)"
    assert l10n.when(datetime(2026, 3, 5, 9, 7), "sv") == "5 mars 2026 kl. 09:07"
    assert l10n.when("not a time", "sv") == "not a time"


def test_reports_and_finding_texts_share_the_path():
    """The report's functions are the path's, and a finding's template keeps its own precision
    and grouping but takes the language's separators."""
    assert view.number is l10n.number and view.quantity is l10n.quantity
    assert view.when is l10n.when
    assert fill("{value:,.1f} MiB", {"value": 23404.5}, "sv") == "23\u00a0404,5 MiB"
    assert fill("{value:,.1f} MiB", {"value": 23404.5}, "en") == "23,404.5 MiB"
    assert fill("{value:.0f} dBFS", {"value": -28.2}, "sv") == "\u221228 dBFS"
    assert fill("port {port}", {"port": 19302}, "sv") == "port 19302"  # no grouping unasked
    assert fill("{v:.1f}", {"v": float("inf")}, "sv") == "–"


#: Run in a fresh interpreter (Babel caches what it has read): every locale-data file that
#: formatting in TechCheck's languages opens.
_SPY = """
import builtins, json
read = set()
real_open = builtins.open
def spying_open(path, *a, **k):
    if str(path).endswith(".dat"):
        read.add(str(path).replace("\\\\", "/").rsplit("/", 1)[-1])
    return real_open(path, *a, **k)
builtins.open = spying_open
from techcheck.checks import l10n
for lang in l10n.LOCALES:
    l10n.number(1234.5, lang, 1)
    l10n.when("2026-12-01T10:00:00+01:00", lang)
print(json.dumps(sorted(read)))
"""


def test_the_bundle_keeps_exactly_the_locale_data_babel_reads(monkeypatch):
    """The packaged app drops Babel's other ~1000 locales (30 MB): what it keeps must be all
    that formatting in TechCheck's languages reads."""
    monkeypatch.syspath_prepend(str(ROOT / "packaging"))
    plan = importlib.import_module("bundle_plan")
    out = subprocess.run([sys.executable, "-c", _SPY], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    read = set(json.loads(out)) - {"global.dat"}  # babel/global.dat, outside locale-data/
    assert read and read <= set(plan.BABEL_LOCALE_KEEP), read
    assert plan.drop_data("babel/locale-data/de_DE.dat")
    assert not any(plan.drop_data(f"babel/locale-data/{name}") for name in plan.BABEL_LOCALE_KEEP)
    assert not plan.drop_data("babel/global.dat")
