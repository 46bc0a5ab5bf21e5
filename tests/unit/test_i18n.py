"""Every text marked with N_ in the engine and the app has a Swedish translation with the same
placeholders, so a Swedish user never meets a half-English finding or a crash on format."""

from __future__ import annotations

import ast
import string

from techcheck.checks.i18n import catalogue
from tests.conftest import ROOT


def marked_texts() -> dict[str, str]:
    """text -> "file:line" for every N_("...") call in checks/ and app/."""
    found: dict[str, str] = {}
    for folder in ("checks", "app"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id == "N_" and node.args
                        and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str)):
                    rel = path.relative_to(ROOT)
                    found.setdefault(node.args[0].value, f"{rel}:{node.lineno}")
    return found


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


TEXTS = marked_texts()


def test_there_is_something_to_translate():
    assert len(TEXTS) > 20


def untranslated(texts: dict[str, str], sv: dict[str, str]) -> tuple[list[str], list[str]]:
    """(texts with no Swedish, texts whose Swedish has other ``{fields}``), each entry naming
    where the text is marked, so one failing test lists every problem at once."""
    missing = [f"{texts[t]}: {t!r}" for t in sorted(texts) if t not in sv]
    wrong = [f"{texts[t]}: {t!r} -> {sv[t]!r}" for t in sorted(texts)
             if t in sv and fields(sv[t]) != fields(t)]
    return missing, wrong


def test_every_text_has_a_swedish_translation_with_the_same_placeholders():
    """One test for all texts (it was one test per text: hundreds of cases); a Swedish text with
    other ``{fields}`` than its English one would crash on format."""
    missing, wrong = untranslated(TEXTS, catalogue("sv"))
    assert not missing, f"{len(missing)} texts have no Swedish:\n" + "\n".join(missing)
    assert not wrong, f"{len(wrong)} translations differ in placeholders:\n" + "\n".join(wrong)


def test_the_translation_check_reports_every_planted_problem():
    """The guard above can fail: two missing texts and a wrong placeholder are all reported."""
    texts = {"Fine": "a.py:1", "Gone {n}": "a.py:2", "Also gone": "b.py:3", "Hi {name}": "c.py:4"}
    sv = {"Fine": "Bra", "Hi {name}": "Hej {namn}"}
    missing, wrong = untranslated(texts, sv)
    assert missing == ["b.py:3: 'Also gone'", "a.py:2: 'Gone {n}'"]
    assert wrong == ["c.py:4: 'Hi {name}' -> 'Hej {namn}'"]


def test_catalogue_files_are_valid_json_without_duplicates():
    import json

    seen: dict[str, str] = {}
    for p in sorted((ROOT / "resources" / "translations" / "sv").glob("*.json")):
        pairs = json.loads(p.read_text(encoding="utf-8"), object_pairs_hook=list)
        for key, _ in pairs:
            if key.startswith("_"):
                continue
            assert key not in seen or seen[key] == p.name, f"{key!r} in {seen[key]} and {p.name}"
            seen[key] = p.name
    assert seen
