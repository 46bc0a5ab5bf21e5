"""The window's pages built on first use (``app/gui/lazypages.py``), without Qt: what is
built when, and that each page is handed to the window exactly once."""

from __future__ import annotations

import pytest

from techcheck.app.gui.lazypages import LazyPages


def make() -> tuple[LazyPages[str], list[str], list[tuple[str, str]]]:
    made: list[str] = []
    wired: list[tuple[str, str]] = []

    def build(key: str) -> str:
        made.append(key)
        return f"page-{key}"

    return LazyPages(("start", "camera", "results"), build,
                     lambda k, p: wired.append((k, p))), made, wired


def test_a_page_is_built_when_first_asked_for_and_only_once():
    pages, made, wired = make()
    assert made == [] and len(pages) == 3 and list(pages) == ["start", "camera", "results"]
    assert "camera" in pages and not pages.is_built("camera")  # knowing it builds nothing
    assert pages["camera"] == "page-camera" and pages["camera"] == "page-camera"
    assert made == ["camera"] and wired == [("camera", "page-camera")]
    assert pages.built() == ["page-camera"] and made == ["camera"]


def test_going_through_every_page_builds_them_all_in_order():
    pages, made, wired = make()
    pages["results"]
    assert list(pages.values()) == ["page-start", "page-camera", "page-results"]
    assert made == ["results", "start", "camera"]
    assert [k for k, _ in wired] == made
    pages.build_all()
    assert made == ["results", "start", "camera"]  # nothing twice


def test_an_unknown_page_is_a_key_error_and_builds_nothing():
    pages, made, _ = make()
    with pytest.raises(KeyError):
        pages["nowhere"]
    assert pages.get("nowhere") is None and made == []
