"""Every text marked with N_ in the engine and the app has a Swedish translation with the same
placeholders, so a Swedish user never meets a half-English finding or a crash on format."""

from __future__ import annotations

import ast
import string

import pytest

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


@pytest.mark.parametrize("text", sorted(TEXTS), ids=lambda t: t[:40])
def test_swedish_translation_exists_with_same_placeholders(text: str):
    sv = catalogue("sv")
    assert text in sv, f"no Swedish for {text!r} ({TEXTS[text]})"
    assert fields(sv[text]) == fields(text), f"placeholders differ: {text!r}"


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
