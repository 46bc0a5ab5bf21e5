"""The interviewer's preparation checklist, shared by the GUI and the report.

The recruiter ticks what is done before the interview; the report shows it when given
(``Report.extra["checklist"]``). Stored as ``{"items": [{"id", "label", "done"}]}``: the id is
what programs use, the English label keeps a report readable by an older or newer TechCheck
that does not know the id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from techcheck.checks.i18n import N_
from techcheck.checks.model import Status


@dataclass(frozen=True)
class Item:
    id: str
    label: str  # English, marked with N_
    done: bool = False


ITEMS: tuple[Item, ...] = (
    Item("invitation_sent", N_("Invitation with the time and the joining link sent")),
    Item("application_read", N_("CV and application read")),
    Item("questions_ready", N_("Questions and assessment criteria ready")),
    Item("room_booked", N_("Quiet room booked")),
)
IDS = tuple(i.id for i in ITEMS)


class ChecklistError(ValueError):
    """An unknown item id; ``str()`` names it and the known ones."""


def items(done: Iterable[str] = ()) -> list[Item]:
    """All items, in order, with ``done`` ticked. Unknown ids raise ``ChecklistError``."""
    done = set(done)
    unknown = done - set(IDS)
    if unknown:
        raise ChecklistError(
            f"unknown checklist item {', '.join(sorted(unknown))} (known: {', '.join(IDS)})")
    return [Item(i.id, i.label, i.id in done) for i in ITEMS]


def to_extra(checked: Iterable[Item]) -> dict[str, Any]:
    """What goes into ``Report.extra["checklist"]``."""
    return {"items": [{"id": i.id, "label": i.label, "done": i.done} for i in checked]}


def from_extra(data: Any) -> list[Item]:
    """Items from a saved report; tolerant of anything malformed (it is shown, not trusted)."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return []
    known = {i.id: i for i in ITEMS}
    out = []
    for raw in data["items"][:50]:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            continue
        label = known[raw["id"]].label if raw["id"] in known else str(raw.get("label") or raw["id"])
        out.append(Item(raw["id"], label[:200], raw.get("done") is True))
    return out


def status(checked: Iterable[Item]) -> Status | None:
    """The checklist's status, one rule for the step list, Results and the reports' verdict
    (``Report.checklist_undone``): every item ticked passes, an item not ticked is a warning;
    None without items."""
    checked = list(checked)
    if not checked:
        return None
    return Status.PASS if all(i.done for i in checked) else Status.WARN
