"""Finds check plug-ins through the entry-point group ``techcheck.checks``.

The built-in checks are registered the same way in ``pyproject.toml``, so a third-party package
adds a check by declaring an entry point; nothing here changes. A plug-in that fails to import
or is not a ``Check`` is kept as an entry with an ``error``: the runner turns it into an
``error`` result and every other check still runs.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass

from techcheck.checks.base import Check

log = logging.getLogger("techcheck.registry")

GROUP = "techcheck.checks"


@dataclass
class Plugin:
    id: str  # the entry point's name, which must equal the class's ``id``
    target: str  # "module:Class"
    distribution: str
    cls: type[Check] | None = None
    error: str | None = None

    @property
    def title(self) -> str:
        return self.cls.title if self.cls else self.id

    @property
    def order(self) -> int:
        return self.cls.order if self.cls else 1000


def discover(group: str = GROUP) -> list[Plugin]:
    """All registered checks, loaded, in their default order; broken ones carry ``error``."""
    plugins: dict[str, Plugin] = {}
    from importlib import metadata  # here, not at import: ~20 ms of the app's first paint

    for ep in metadata.entry_points(group=group):
        dist = ep.dist.name if ep.dist else "?"
        if ep.name in plugins:
            log.warning("check %r is registered twice (%s and %s); using the first",
                        ep.name, plugins[ep.name].distribution, dist)
            continue
        plugin = Plugin(id=ep.name, target=ep.value, distribution=dist)
        try:
            cls = ep.load()
        except Exception as exc:  # any import-time failure of third-party code
            log.error("cannot load check plug-in %s (%s):\n%s", ep.name, ep.value,
                      traceback.format_exc())
            plugin.error = f"the plug-in could not be loaded: {type(exc).__name__}: {exc}"
        else:
            if not (isinstance(cls, type) and issubclass(cls, Check)):
                plugin.error = f"{ep.value} is not a techcheck Check class"
            elif getattr(cls, "id", None) != ep.name:
                plugin.error = (f"entry point '{ep.name}' names a check whose id is "
                                f"'{getattr(cls, 'id', None)}'")
            else:
                plugin.cls = cls
            if plugin.error:
                log.error("check plug-in %s rejected: %s", ep.name, plugin.error)
        plugins[ep.name] = plugin
    return sorted(plugins.values(), key=lambda p: (p.order, p.id))


def limit_schemas(plugins: list[Plugin]) -> dict[str, type]:
    """Check id → its ``Limits`` class, for validating profiles."""
    return {p.id: p.cls.Limits for p in plugins if p.cls is not None}


def select(plugins: list[Plugin], only: list[str] | None, skip: list[str] | None) -> list[Plugin]:
    """Apply ``--only`` and ``--skip``; unknown ids raise ``ValueError`` naming the known ones."""
    known = {p.id for p in plugins}
    for ids in (only or [], skip or []):
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValueError(
                f"unknown check {', '.join(unknown)} (available: {', '.join(sorted(known))})"
            )
    chosen = [p for p in plugins if not only or p.id in only]
    if only:  # keep the order the user asked for
        chosen.sort(key=lambda p: only.index(p.id))
    return [p for p in chosen if p.id not in (skip or [])]
