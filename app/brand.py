"""An organisation's brand on what its candidates see: its name, logo, accent colour and a short
welcome, given in the ``[brand]`` table of a recruiter's invitation or of the organisation's
own profile file (docs/branding.md). The Start page (invitations) and the HTML and PDF reports
show it.

The brand comes from outside (an invitation, or a report file re-rendered later), so it is read
as strictly as the invitation itself and nothing is used until all of it has passed: text
lengths and no control characters; the colour as ``#rrggbb``; the logo a ``data:`` URI of a PNG
or an SVG of at most ``MAX_LOGO_BYTES``. A PNG must be a PNG (signature, sane size); an SVG is
parsed with expat with every declaration refused (no DOCTYPE, so no entities, internal or
external) and may hold only SVG elements, no scripts, event handlers, links, animations or
references to anything outside itself. A logo is only ever shown as an image (``<img>``, a
QPixmap, a PDF image), never inlined as markup: even a missed trick could not run.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import struct
import xml.parsers.expat
from dataclasses import dataclass
from typing import Any

from techcheck.app.invitation import has_control

log = logging.getLogger("techcheck.brand")

MAX_NAME = 80
MAX_WELCOME = 300
MAX_LOGO_BYTES = 48 * 1024  # decoded; the base64 in the file is a third larger
MAX_LOGO_SIDE = 2048  # pixels, for a PNG
MAX_SVG_ELEMENTS = 2000
#: Points of path and polygon geometry drawn, after ``<use>`` expansion: 3 million took Qt 3 s
#: (measured here), a detailed traced logo has about 10,000.
MAX_SVG_POINTS = 100_000
KEYS = ("name", "accent", "welcome", "logo")
_ACCENT = re.compile(r"^#[0-9a-fA-F]{6}$")
_DATA_URI = re.compile(r"^data:(image/png|image/svg\+xml);base64,([A-Za-z0-9+/=\s]*)$")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
#: SVG elements that run code, load or link to something, embed other documents, or change
#: attributes over time (an <animate> or <set> can turn an href into a link after the check).
_SVG_REFUSED = {"script", "foreignobject", "iframe", "object", "embed", "audio", "video",
                "image", "a", "animate", "animatemotion", "animatetransform", "set",
                "discard", "handler", "listener", "feimage", "marker"}
#: Why <marker> is refused: a marker's whole content is drawn again at every vertex of every
#: path that names it, so 900 circles on a 3000-point path (28 KB) took Qt 14 s to draw;
#: logos do not need arrowheads.
_NUMBER = re.compile(r"[-+]?(?:\d*\.\d+|\d+\.?)(?:[eE][-+]?\d+)?")
_URL_REF = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE)


class BrandError(ValueError):
    """A brand that cannot be used; ``str()`` is the whole message for the user."""


@dataclass(frozen=True)
class Brand:
    name: str
    accent: str = ""  # "#rrggbb", or "" for TechCheck's own colours
    welcome: str = ""
    logo: bytes = b""
    logo_type: str = ""  # "image/png" or "image/svg+xml"

    @property
    def logo_uri(self) -> str:
        """The logo as a ``data:`` URI (the only way a report or the app shows it)."""
        if not self.logo:
            return ""
        return f"data:{self.logo_type};base64,{base64.b64encode(self.logo).decode('ascii')}"

    @property
    def text_colour(self) -> str:
        """The accent for text on white when it is readable there (contrast at least 4.5:1,
        WCAG 2.1 success criterion 1.4.3), else TechCheck's ink: a pale brand colour still
        marks the page, but never the words."""
        if self.accent and contrast_on_white(self.accent) >= 4.5:
            return self.accent
        return "#1f2328"

    def to_dict(self) -> dict[str, str]:
        """What goes into an invitation's ``[brand]`` table and the report's JSON."""
        d = {"name": self.name}
        for key, value in (("accent", self.accent), ("welcome", self.welcome),
                           ("logo", self.logo_uri)):
            if value:
                d[key] = value
        return d


def contrast_on_white(colour: str) -> float:
    """WCAG 2.1 contrast ratio of ``#rrggbb`` against white (relative luminance as defined
    there, from sRGB)."""
    def linear(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    lum = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return 1.05 / (lum + 0.05)


def from_dict(data: Any, where: str = "brand") -> Brand:
    """Validate a ``[brand]`` table. Raises ``BrandError`` naming the key and the problem."""

    def bad(key: str, why: str) -> BrandError:
        return BrandError(f"{where}: '{key}' {why}")

    if not isinstance(data, dict):
        raise BrandError(f"{where}: must be a table with {', '.join(KEYS)}")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise BrandError(f"{where}: unknown key '{unknown[0]}' (a brand has only: "
                         f"{', '.join(KEYS)})")
    for key in KEYS:
        if key in data and not isinstance(data[key], str):
            raise bad(key, f"must be text, not {type(data[key]).__name__}")
    name = _text(data.get("name", ""), MAX_NAME, lambda why: bad("name", why), lines=False)
    if not name:
        raise bad("name", "is missing")
    welcome = _text(data.get("welcome", ""), MAX_WELCOME, lambda why: bad("welcome", why),
                    lines=True)
    accent = data.get("accent", "").strip()
    if accent and not _ACCENT.match(accent):
        raise bad("accent", "must be a colour like #0a5cad (# and six hex digits)")
    logo, logo_type = b"", ""
    if data.get("logo", "").strip():
        logo, logo_type = check_logo(data["logo"], lambda why: bad("logo", why))
    return Brand(name, accent.lower(), welcome, logo, logo_type)


def _text(value: str, limit: int, bad, lines: bool) -> str:
    value = value.strip()
    if len(value) > limit:
        raise bad(f"is too long ({len(value)} characters; at most {limit})")
    if has_control(value, lines):
        raise bad("contains control characters")
    return value


def check_logo(uri: str, bad) -> tuple[bytes, str]:
    """(the logo's bytes, its type) from a ``data:image/png;base64,…`` or
    ``data:image/svg+xml;base64,…`` URI, after checking what it really is."""
    if len(uri) > MAX_LOGO_BYTES * 4 // 3 + 1024:
        raise bad(f"is too large (at most {MAX_LOGO_BYTES // 1024} KiB)")
    m = _DATA_URI.match(uri.strip())
    if m is None:
        raise bad("must be data:image/png;base64,… or data:image/svg+xml;base64,…")
    try:
        data = base64.b64decode("".join(m.group(2).split()), validate=True)
    except (binascii.Error, ValueError):
        raise bad("is not valid base64") from None
    if not data:
        raise bad("is empty")
    if len(data) > MAX_LOGO_BYTES:
        raise bad(f"is too large ({len(data) // 1024} KiB; at most {MAX_LOGO_BYTES // 1024} KiB)")
    if m.group(1) == "image/png":
        check_png(data, bad)
    else:
        check_svg(data, bad)
    return data, m.group(1)


def check_png(data: bytes, bad) -> None:
    """A PNG signature and an IHDR chunk with a size from 1 to ``MAX_LOGO_SIDE`` (PNG
    specification, ISO/IEC 15948, 5.2 and 11.2.2). The pixels are decoded only by Qt or fpdf2,
    which refuse damaged data themselves."""
    if not data.startswith(_PNG_SIGNATURE) or len(data) < 33 or data[12:16] != b"IHDR":
        raise bad("says PNG but is not a PNG picture")
    width, height = struct.unpack(">II", data[16:24])
    if not (1 <= width <= MAX_LOGO_SIDE and 1 <= height <= MAX_LOGO_SIDE):
        raise bad(f"is {width}×{height} pixels; at most {MAX_LOGO_SIDE}×{MAX_LOGO_SIDE}")


def check_svg(data: bytes, bad) -> None:
    """An SVG document that shows a picture and does nothing else (see the module's text)."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    state = {"elements": 0, "style": 0}
    tree = _Tree()

    def refuse(why: str):
        def handler(*_args):
            raise bad(why)
        return handler

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        state["elements"] += 1
        _check_element(ns, local, state["elements"], bad)
        if local == "style":
            state["style"] += 1
        geometry = sum(len(_NUMBER.findall(v)) for a, v in attrs.items()
                       if a.rpartition(" ")[2] in ("d", "points")) // 2
        tree.start(attrs.get("id", ""), _references(local, attrs, bad), 1, geometry)

    def end(name: str) -> None:
        tree.end()
        if name.rpartition(" ")[2] == "style":
            state["style"] -= 1

    def text(data_: str) -> None:
        if state["style"]:
            _check_style_text(data_, bad, "<style>")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse("has a DOCTYPE (it could declare entities)")
    parser.EntityDeclHandler = refuse("declares an entity")
    parser.ProcessingInstructionHandler = refuse("has a processing instruction")
    parser.ExternalEntityRefHandler = refuse("refers to an external entity")
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise bad(f"is not valid SVG ({xml.parsers.expat.errors.messages.get(exc.code, exc)}, "
                  f"line {exc.lineno})") from None
    if state["elements"] == 0:
        raise bad("is not an SVG picture")
    _check_drawn(tree, bad)


def _check_element(ns: str, local: str, count: int, bad) -> None:
    """The ``count``-th element, ``<local>`` in namespace ``ns``: an SVG element that draws."""
    if count > MAX_SVG_ELEMENTS:
        raise bad(f"has more than {MAX_SVG_ELEMENTS} SVG elements")
    if count == 1 and (ns, local) != (_SVG_NS, "svg"):
        raise bad("is not an SVG picture (its first element must be <svg> in the SVG "
                  "namespace)")
    if ns != _SVG_NS:
        raise bad(f"has a <{local}> element from outside SVG ({ns or 'no namespace'})")
    if local.lower() in _SVG_REFUSED:
        raise bad(f"has a <{local}> element (no scripts, links, embedded pictures, "
                  "animations or markers)")


def _references(local: str, attrs: dict[str, str], bad) -> list[str]:
    """The ids an element's attributes refer to (``href="#id"``, ``url(#id)``), after
    refusing event handlers, outside references and unsafe style text in them."""
    refs = []
    for attr, value in attrs.items():
        a_ns, _, a_name = attr.rpartition(" ")
        if a_name.lower().startswith("on"):
            raise bad(f"has an event handler ({a_name}) on <{local}>")
        if a_name == "href" and a_ns in ("", _XLINK_NS):
            if not value.strip().startswith("#"):
                raise bad(f"refers to something outside itself (<{local} href>)")
            refs.append(value.strip()[1:])
        _check_style_text(value, bad, f"<{local} {a_name}>")
        refs += [target.strip()[1:] for _q, target in _URL_REF.findall(value)]
    return refs


def _check_drawn(tree: _Tree, bad) -> None:
    """What the renderer would draw once ``<use>`` and ``url(#…)`` are expanded: no loop, and
    within the element and path-point budgets."""
    drawn = tree.drawn(0, MAX_SVG_ELEMENTS)
    if drawn is None:
        raise bad("refers to itself (a <use> or url(#…) loop)")
    if drawn > MAX_SVG_ELEMENTS:
        raise bad(f"has more than {MAX_SVG_ELEMENTS} SVG elements once its <use> references "
                  "are drawn")
    if (tree.drawn(1, MAX_SVG_POINTS) or 0) > MAX_SVG_POINTS:
        raise bad(f"has more than {MAX_SVG_POINTS:,} points of paths to draw once its <use> "
                  "references are drawn")


class _Tree:
    """An SVG document's elements as the renderer will instantiate them: each element, its
    children and the elements it refers to by ``href="#id"`` (``<use>``) or ``url(#id)``
    (patterns, markers, masks, clip paths, filters), whose whole subtree is drawn again at
    each reference (SVG 2, §5.6 "The 'use' element"). Seven levels of ten ``<use>`` are 10^7
    shapes from under 3 KB, so the elements are counted after that expansion, not in the file."""

    def __init__(self) -> None:
        self.children: list[list[int]] = []
        self.refs: list[list[str]] = []
        self.weights: list[tuple[int, int]] = []  # (1 element, points of geometry)
        self.ids: dict[str, int] = {}
        self.open: list[int] = []

    def start(self, element_id: str, refs: list[str], elements: int, points: int) -> None:
        index = len(self.children)
        self.children.append([])
        self.refs.append(refs)
        self.weights.append((elements, points))
        if self.open:
            self.children[self.open[-1]].append(index)
        if element_id:
            self.ids.setdefault(element_id, index)
        self.open.append(index)

    def end(self) -> None:
        self.open.pop()

    def drawn(self, measure: int, most: int) -> int | None:
        """What is drawn from the root, capped at ``most + 1``: elements (``measure`` 0) or
        points of geometry (1); None for a reference loop. Iterative (a file may nest 2000
        deep, past Python's recursion limit)."""
        if not self.children:
            return 0
        size: dict[int, int] = {}
        busy: set[int] = set()
        stack: list[tuple[int, bool]] = [(0, False)]
        while stack:
            node, done = stack.pop()
            below = self.children[node] + [self.ids[r] for r in self.refs[node] if r in self.ids]
            if done:
                busy.discard(node)
                own = self.weights[node][measure]
                size[node] = min(most + 1, own + sum(size[k] for k in below))
                continue
            if node in size:
                continue
            if node in busy:
                return None
            busy.add(node)
            stack.append((node, True))
            for k in below:
                if k in busy:
                    return None
                if k not in size:
                    stack.append((k, False))
        return size[0]


def _check_style_text(value: str, bad, where: str) -> None:
    """CSS in a style attribute or element may refer only inside the picture (``url(#id)``)."""
    low = value.lower()
    if "@import" in low or "javascript:" in low or "expression(" in low:
        raise bad(f"has active content in {where}")
    for _quote, target in _URL_REF.findall(value):
        if not target.strip().startswith("#"):
            raise bad(f"refers to something outside itself ({where}: url({target[:40]}))")


def from_report(report) -> Brand | None:
    """The brand a report shows: its invitation's, else its profile's (an organisation's own
    profile file), validated again (a report file may have been edited since); None when
    there is none or it does not pass."""
    invitation = (getattr(report, "extra", None) or {}).get("invitation")
    profile = getattr(report, "profile", None) or {}
    for source, holder in (("invitation", invitation), ("profile", profile)):
        if isinstance(holder, dict) and "brand" in holder:
            try:
                return from_dict(holder["brand"], f"report: {source}")
            except BrandError as exc:
                log.warning("the report's brand is not shown: %s", exc)
                return None
    return None
