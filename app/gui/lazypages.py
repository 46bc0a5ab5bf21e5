"""The window's pages by key, each built the first time it is asked for.

Building the eight pages after Start, with their modules, took ~50 ms of the ~280 ms the
window needed beyond a bare one before its first paint (bench/bench_startup.py, issue 22);
the first paint shows only Start. So the window builds Start at once and the rest right after
the first paint; anything that asks for a page before then (a test, an invitation opened from
the command line) gets it built on the spot. Reading every page (``values``, ``items``)
builds them all, so code that goes through them all sees them all; ``built`` gives only those
that exist, for code that must not build (closing a window before its first paint).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Generic, TypeVar

P = TypeVar("P")


class LazyPages(Mapping[str, P], Generic[P]):
    """``keys`` in their order; ``make(key)`` builds a page; ``on_built(key, page)`` is called
    once for each page built (to add it to the window and connect its signals)."""

    def __init__(self, keys: Sequence[str], make: Callable[[str], P],
                 on_built: Callable[[str, P], None]) -> None:
        self._keys = tuple(keys)
        self._make, self._on_built = make, on_built
        self._pages: dict[str, P] = {}

    def __getitem__(self, key: str) -> P:
        page = self._pages.get(key)
        if page is None:
            if key not in self._keys:
                raise KeyError(key)
            page = self._pages[key] = self._make(key)
            self._on_built(key, page)
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def is_built(self, key: str) -> bool:
        return key in self._pages

    def built(self) -> list[P]:
        """The pages built so far, in key order."""
        return [self._pages[k] for k in self._keys if k in self._pages]

    def build_all(self) -> None:
        for key in self._keys:
            self[key]
