"""An assistive technology for the tests: reads the app's accessibility tree over AT-SPI and
acts on it the way a screen reader does (by accessible name and role, through the actions and
text interfaces the toolkit exports), never through the app's own code.

It runs under Debian's ``/usr/bin/python3``, because ``pyatspi`` (package ``python3-pyatspi``)
lives there and not in the project's virtual environment; so it imports nothing from the project
and only the standard library besides ``pyatspi``. ``tests/atspi_session.py`` starts it with the
private session bus's environment and talks to it in JSON lines on stdin/stdout:

    {"op": "find", "app": "TechCheck", "name": "Start the check", "role": "push button"}
    -> {"ok": true, "result": [{"name": ..., "role": ..., "states": [...], "actions": [...]}]}

Every request walks the tree afresh from the desktop: the objects behind a page that changed
are gone (their D-Bus paths go stale), so nothing is cached between requests. Only what is on
screen counts: the walk does not descend into an object without ``STATE_SHOWING``, which is how
the hidden pages of a stacked widget are left out, as a screen reader leaves them out.

Reference: the AT-SPI2 D-Bus interfaces (org.a11y.atspi.Accessible, .Action, .EditableText,
.Text) as documented in at-spi2-core, and pyatspi's wrappers of them.
"""

from __future__ import annotations

import json
import sys
import traceback

import pyatspi
from gi.repository import GLib

#: Longest a single D-Bus call to the app may take (ms): a busy app answers late, a hung one
#: must not hang the test. The caller's own deadlines are shorter than pyatspi's default 25 s.
CALL_TIMEOUT_MS = 5000
#: An action that opens a modal dialog is answered only when the dialog closes (below).
ACTION_TIMEOUT_MS = 1000


def _states(acc) -> list[str]:
    st = acc.getState()
    return sorted(pyatspi.stateToString(s) for s in st.getStates())


def _actions(acc) -> list[str]:
    try:
        act = acc.queryAction()
    except NotImplementedError:
        return []
    return [act.getName(i) for i in range(act.nActions)]


def _describe(acc, path: list[int]) -> dict:
    return {"name": acc.name or "", "role": acc.getRoleName(), "states": _states(acc),
            "actions": _actions(acc), "description": acc.description or "", "path": path}


#: Popup menus that appeared, newest last. Qt leaves popups out of the application's children
#: (QAccessibleApplication lists top-level windows except Qt::Popup), so, like a screen reader,
#: the driver learns of them from the "showing" event Qt sends when one opens.
_popups: list = []


def _on_showing(event) -> None:
    if not event.detail1 or event.source is None:
        return
    try:
        if event.source.getRoleName() in ("popup menu", "menu", "window"):
            _popups.append(event.source)
    except GLib.Error:  # shown and deleted again before the event was read
        return


#: What a screen reader announces as it happens, oldest first, until a "heard" request takes
#: it: an item becoming selected (the side list's current step) and a progress bar moving.
_heard: list[dict] = []
HEARD = ("object:state-changed:selected", "object:property-change:accessible-value")


def _on_heard(event) -> None:
    if event.type.startswith("object:state-changed:selected") and not event.detail1:
        return
    try:
        src = event.source
        parent = src.parent
        _heard.append({"type": event.type, "role": src.getRoleName(), "name": src.name or "",
                       "parent": (parent.name or "") if parent is not None else ""})
    except GLib.Error:  # gone before it was read: nothing a person could have heard either
        return


def _pump() -> None:
    """Deliver the AT-SPI events that arrived since the last request."""
    ctx = GLib.MainContext.default()
    while ctx.iteration(False):
        pass


def _open_popups() -> list:
    _pump()
    alive = []
    for acc in _popups:
        try:
            if acc.getState().contains(pyatspi.STATE_SHOWING) and acc not in alive:
                alive.append(acc)
        except Exception:  # closed and gone: its D-Bus object no longer exists
            continue
    _popups[:] = alive
    return alive


def _app(name: str):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        child = desktop.getChildAtIndex(i)
        if child is not None and child.name == name:
            return child
    raise LookupError(f"no application named {name!r} on the accessibility bus; found "
                      f"{[c.name for c in desktop if c is not None]}")


def _showing(app_name: str):
    """Yield (object, index path) for everything on screen, depth first, in tree order."""
    app = _app(app_name)
    stack = [(app, [])]
    # open popups come first (on top of the window), as "popup" paths starting at -1 - n
    stack.extend((p, [-1 - n]) for n, p in reversed(list(enumerate(_open_popups()))))
    while stack:
        acc, path = stack.pop()
        try:
            if path and not acc.getState().contains(pyatspi.STATE_SHOWING):
                continue
            children = []
            for i in range(acc.childCount):
                child = acc.getChildAtIndex(i)
                if child is not None:
                    children.append((child, [*path, i]))
        except GLib.Error:  # it went away while it was read (a page or dialog closed)
            continue
        yield acc, path
        stack.extend(reversed(children))


def _matches(acc, name: str | list[str] | None, role: str | None, contains: str | None) -> bool:
    if role is not None and acc.getRoleName() != role:
        return False
    names = [name] if isinstance(name, str) else name
    if names is not None and (acc.name or "") not in names:
        return False
    return contains is None or contains in (acc.name or "")


def _find(req: dict) -> list[tuple]:
    found = []
    for acc, path in _showing(req["app"]):
        try:
            if _matches(acc, req.get("name"), req.get("role"), req.get("contains")):
                found.append((acc, path))
        except GLib.Error:  # went away after the walk reached it
            continue
    return found


def _one(req: dict):
    found = _find(req)
    if len(found) != 1:
        what = {k: req[k] for k in ("name", "role", "contains") if req.get(k) is not None}
        raise LookupError(f"{len(found)} objects on screen match {what}, want exactly one: "
                          f"{[_describe(a, p) for a, p in found][:5]}")
    return found[0]


def op_find(req: dict) -> list[dict]:
    out = []
    for acc, path in _find(req):
        try:
            out.append(_describe(acc, path))
        except GLib.Error:  # went away while it was described: no longer on screen
            continue
    return out


def op_act(req: dict) -> dict:
    """Do the named action ("Press", "Toggle"…) of the one showing object that matches."""
    acc, path = _one(req)
    wanted = req.get("action", "Press").lower()
    act = acc.queryAction()
    names = [act.getName(i) for i in range(act.nActions)]
    for i, n in enumerate(names):
        if n.lower() == wanted:
            before = _describe(acc, path)
            pyatspi.setTimeout(ACTION_TIMEOUT_MS, CALL_TIMEOUT_MS)
            try:
                done = act.doAction(i)
            except GLib.Error as exc:
                if "reply" not in str(exc).lower():
                    raise
                # Qt answers an action only when it returns: one that opens a modal dialog
                # or a menu answers when that closes. The caller waits for what it opened.
                return {**before, "replied": False}
            finally:
                pyatspi.setTimeout(CALL_TIMEOUT_MS, CALL_TIMEOUT_MS)
            if not done:
                raise RuntimeError(f"{acc.getRoleName()} {acc.name!r} refused {n!r}")
            return {**before, "replied": True}
    raise LookupError(f"{acc.getRoleName()} {acc.name!r} has no action {wanted!r}, only "
                      f"{names} (a disabled control offers none)")


def op_set_text(req: dict) -> dict:
    """Replace the text of an editable field, as dictation or a braille display would."""
    acc, path = _one(req)
    acc.queryEditableText().setTextContents(req["text"])
    return _describe(acc, path)


def op_extents(req: dict) -> list[int]:
    """Where the object is on the screen (x, y, width, height)."""
    acc, _path = _one(req)
    box = acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    return [box.x, box.y, box.width, box.height]


def op_heard(_req: dict) -> list[dict]:
    """The events heard since the last call (and forgets them)."""
    _pump()
    out = list(_heard)
    _heard.clear()
    return out


def op_tree(req: dict) -> str:
    """What is on screen, one object a line, indented by depth (for failure messages)."""
    lines = []
    for acc, path in _showing(req["app"]):
        try:
            lines.append("  " * len(path) + f"[{acc.getRoleName()}] {acc.name or ''!r}")
        except GLib.Error:
            continue
    return "\n".join(lines)


OPS = {"find": op_find, "act": op_act, "set_text": op_set_text, "extents": op_extents,
       "heard": op_heard, "tree": op_tree}


def main() -> int:
    pyatspi.setTimeout(CALL_TIMEOUT_MS, CALL_TIMEOUT_MS)
    pyatspi.Registry.registerEventListener(_on_showing, "object:state-changed:showing")
    pyatspi.Registry.registerEventListener(_on_heard, *HEARD)
    out = sys.stdout
    print(json.dumps({"ok": True, "result": "ready"}), file=out, flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        req: dict = {}
        try:
            req = json.loads(line)
            reply = {"id": req.get("id"), "ok": True, "result": OPS[req["op"]](req)}
        except Exception as exc:  # every failure goes back to the test, which reports it
            reply = {"id": req.get("id"), "ok": False, "error": f"{type(exc).__name__}: {exc}",
                     "trace": traceback.format_exc(limit=3)}
        print(json.dumps(reply), file=out, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
