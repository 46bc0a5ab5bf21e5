"""Recruiter invitations: a small TOML file a recruiter sends with the interview's details.

It says which platform profile to check against, optionally the company's own measurement
server (and STUN server), when the interview is, who to contact and which company sends it,
and optionally the company's brand (a ``[brand]`` table, validated by ``techcheck.app.brand``).
TechCheck opens it (``techcheck run --invitation FILE``, or the GUI through ``load``) and names
it in the report. The format is documented in docs/invitation-format.md.

The file comes from outside, so reading is strict and changes nothing until it has passed:
a size limit, UTF-8, TOML, only known keys of the right types and lengths, no control
characters, built-in profile names only (never a path), http/https URLs without credentials,
a host:port STUN address, and an interview time with its time zone. A file that fails any of
these raises ``InvitationError`` whose message says what is wrong and where.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from techcheck import resources
from techcheck.checks.safefile import InputFileError, read_bounded
from techcheck.checks.system.meetapp import version_problem

if TYPE_CHECKING:
    from techcheck.app.brand import Brand

FORMAT = "techcheck.invitation/1"
MAX_BYTES = 80 * 1024  # 16 KiB of text, and a brand's logo (48 KiB, base64: 64 KiB)
MAX_TEXT = 200
MAX_NOTE = 1000
MAX_URL = 2048
#: key → (type, required, max length); the only keys an invitation may have.
KEYS: dict[str, tuple[type, bool, int]] = {
    "format": (str, True, 40),
    "profile": (str, True, 40),
    "when": (datetime, True, 0),
    "contact": (str, True, MAX_TEXT),
    "company": (str, False, MAX_TEXT),
    "position": (str, False, MAX_TEXT),
    "server": (str, False, MAX_URL),
    "stun": (str, False, 300),
    "note": (str, False, MAX_NOTE),
    "app_min_version": (str, False, 40),
    "brand": (dict, False, 0),  # a table: app.brand checks it
}
#: Unicode general categories no text of an invitation or a brand may hold (Unicode Standard,
#: §4.5): Cc controls (C0, DEL and C1 such as U+009B, the one-character CSI), Cf format
#: characters (bidirectional marks, embeddings, overrides and isolates including U+061C,
#: zero-width characters, U+FEFF, word joiners, tag characters) and the line and paragraph
#: separators Zl (U+2028) and Zp (U+2029), which break a "one line" text as a newline does.
#: A tab is allowed, a line feed only where the text may have lines.
_UNSEEN = frozenset({"Cc", "Cf", "Zl", "Zp"})


def has_control(value: str, lines: bool = False) -> bool:
    """Whether ``value`` holds a character in ``_UNSEEN`` (a tab, and with ``lines`` a line
    feed, excepted)."""
    if value.isprintable():  # the common case, in C: no Cc, Cf, Zl, Zp (nor Zs) at all
        return False
    allowed = "\t\n" if lines else "\t"
    return any(c not in allowed and unicodedata.category(c) in _UNSEEN for c in value)
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}"
                   r"[a-z0-9])?)*$", re.IGNORECASE)
_PROFILE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


class InvitationError(Exception):
    """An invitation that cannot be used; ``str()`` is the whole message for the user."""


@dataclass(frozen=True)
class Invitation:
    profile: str
    when: datetime  # always with a time zone
    contact: str
    company: str = ""
    position: str = ""
    server: str = ""
    stun: str = ""
    note: str = ""
    #: The oldest version of the platform's desktop app the interview accepts ("" none): over
    #: the profile's ``[system] app_min_version`` for this run (``RunSetup.context``).
    app_min_version: str = ""
    file: str = ""  # the file's name only (never its folder: that may hold the user's name)
    sha256: str = ""
    brand: Brand | None = None

    @property
    def internal_servers(self) -> list[tuple[str, str]]:
        """``(key, value)`` for each of ``server`` and ``stun`` that names this computer or a
        machine inside the candidate's own network (see ``inside_network``). TechCheck uses
        such a server only when the person confirms: in the app an inline question, in the
        CLI ``--allow-private-server``."""
        out = []
        if self.server and inside_network(urlsplit(self.server).hostname or ""):
            out.append(("server", self.server))
        if self.stun and inside_network(_split_stun(self.stun)[0]):
            out.append(("stun", self.stun))
        return out

    def public_hosts(self, server: bool = True, stun: bool = True) -> frozenset[str]:
        """The host names of ``server`` and ``stun`` (each when asked for): what the network
        check must find outside the network after looking them up, unless the person allowed
        a server inside it (``CheckContext.options["public_hosts"]``)."""
        hosts = set()
        if server and self.server:
            hosts.add(urlsplit(self.server).hostname or "")
        if stun and self.stun:
            hosts.add(_split_stun(self.stun)[0].lower())
        return frozenset(h for h in hosts if h)

    def to_report(self) -> dict[str, Any]:
        """What goes into ``Report.extra["invitation"]``."""
        d: dict[str, Any] = {"format": FORMAT, "profile": self.profile,
             "when": self.when.isoformat(timespec="minutes"), "contact": self.contact}
        for key in ("company", "position", "server", "stun", "note", "app_min_version", "file",
                    "sha256"):
            if getattr(self, key):
                d[key] = getattr(self, key)
        if self.brand is not None:
            d["brand"] = self.brand.to_dict()
        return d

    def to_toml(self) -> str:
        """The invitation file a recruiter sends (what ``techcheck invite`` writes)."""
        lines = [
            "# TechCheck invitation: open it in TechCheck (or run",
            "# `techcheck run --invitation THIS_FILE`) to check your computer before the interview.",
            f"format = {_toml_str(FORMAT)}",
            f"profile = {_toml_str(self.profile)}",
            f"when = {self.when.isoformat(timespec='seconds')}",  # TOML wants the seconds
            f"contact = {_toml_str(self.contact)}",
        ]
        for key in ("company", "position", "server", "stun", "note", "app_min_version"):
            if getattr(self, key):
                lines.append(f"{key} = {_toml_str(getattr(self, key))}")
        if self.brand is not None:  # a table: after every top-level key
            lines.append("\n[brand]")
            lines += [f"{k} = {_toml_str(v)}" for k, v in self.brand.to_dict().items()]
        return "\n".join(lines) + "\n"


def _toml_str(s: str) -> str:
    """A TOML basic string; every character that needs it is escaped."""
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def builtin_profiles() -> list[str]:
    return sorted(p.stem for p in resources.path("profiles").glob("*.toml"))


def load(path: str | os.PathLike[str]) -> Invitation:
    """Read and validate an invitation file. Raises ``InvitationError``."""
    p = Path(path)
    name = p.name
    try:
        raw = read_bounded(p, MAX_BYTES, "an invitation", shown=name)
    except InputFileError as exc:
        raise InvitationError(str(exc)) from None
    inv = parse(raw, name)
    return Invitation(**{**inv.__dict__, "file": name, "sha256": hashlib.sha256(raw).hexdigest()})


def parse(raw: bytes | str, name: str = "invitation") -> Invitation:
    """Validate the bytes of an invitation file."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            raise InvitationError(f"{name}: too large for an invitation")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InvitationError(f"{name}: not a text file in UTF-8") from None
    else:
        text = raw
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvitationError(f"{name}: not a valid invitation (TOML error: {exc})") from None
    except RecursionError:  # "a = [[[[…" nested thousands deep
        raise InvitationError(f"{name}: not a valid invitation (nested too deeply)") from None
    except ValueError:  # tomllib lets int() refuse a number of thousands of digits
        raise InvitationError(f"{name}: not a valid invitation (a number has too many "
                              "digits)") from None
    return from_dict(data, name)


def from_dict(data: dict[str, Any], name: str = "invitation") -> Invitation:
    def bad(key: str, why: str) -> InvitationError:
        return InvitationError(f"{name}: '{key}' {why}")

    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise InvitationError(f"{name}: unknown key '{unknown[0]}' (an invitation has only: "
                              f"{', '.join(KEYS)})")
    for key, (want, required, limit) in KEYS.items():
        if key not in data:
            if required:
                raise bad(key, "is missing")
        elif want is not datetime and want is not dict:  # every other kind of key is text
            _check_text(key, data[key], limit, bad)
    if data["format"] != FORMAT:
        if data["format"].startswith("techcheck.invitation/"):
            raise bad("format", f"is {data['format']!r}: the invitation was made by a newer "
                                f"TechCheck; update TechCheck to open it")
        raise bad("format", f"must be {FORMAT!r}")
    profile = data["profile"]
    if not _PROFILE.match(profile) or profile not in builtin_profiles():
        raise bad("profile", f"must be one of {', '.join(builtin_profiles())}")
    when = check_when(data["when"], bad)
    server = check_url(data["server"], bad) if "server" in data else ""
    stun = check_stun(data["stun"], bad) if "stun" in data else ""
    app_min_version = data.get("app_min_version", "").strip()
    if (problem := version_problem(app_min_version)) is not None:
        raise bad("app_min_version", problem)
    brand = None
    if "brand" in data:
        from techcheck.app import brand as branding  # app.brand uses this module's rules for text

        try:
            brand = branding.from_dict(data["brand"], f"{name}: [brand]")
        except branding.BrandError as exc:
            raise InvitationError(str(exc)) from None
    return Invitation(profile=profile, when=when, contact=data["contact"].strip(),
                      company=data.get("company", "").strip(),
                      position=data.get("position", "").strip(), server=server, stun=stun,
                      note=data.get("note", "").strip(), app_min_version=app_min_version,
                      brand=brand)


def _check_text(key: str, value: Any, limit: int, bad) -> None:
    """A text key: a string, not too long, without control characters (the note may have
    line breaks) and, but for the note, not empty."""
    if not isinstance(value, str):
        raise bad(key, f"must be text, not {type(value).__name__}")
    if len(value) > limit:
        raise bad(key, f"is too long ({len(value)} characters; at most {limit})")
    if has_control(value, lines=key == "note"):
        raise bad(key, "contains control characters")
    if key != "note" and not value.strip():
        raise bad(key, "is empty")


def check_when(value: Any, bad) -> datetime:
    """A date and time with its zone: a TOML offset date-time or an ISO 8601 string."""
    if isinstance(value, str):
        if len(value) > 40:
            raise bad("when", "is too long")
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise bad("when", "must be a date and time like 2026-12-01T10:00+01:00") from None
    if (isinstance(value, date) and not isinstance(value, datetime)) or isinstance(value, time):
        raise bad("when", "needs both the date and the time, with the time zone, like "
                          "2026-12-01T10:00+01:00")
    if not isinstance(value, datetime):
        raise bad("when", "must be a date and time like 2026-12-01T10:00+01:00")
    if value.tzinfo is None or value.utcoffset() is None:
        raise bad("when", "needs the time zone, like 2026-12-01T10:00+01:00 (a time without "
                          "one means different times in different places)")
    if not 2000 <= value.year <= 2100:
        raise bad("when", "must be a year between 2000 and 2100")
    return value


def check_url(value: str, bad) -> str:
    """An http or https URL with a host, no user name or password, no spaces."""
    if any(ch.isspace() for ch in value) or "\\" in value:
        raise bad("server", "must be a URL without spaces or backslashes")
    try:
        parts = urlsplit(value)
        port = parts.port  # raises on a bad port
    except ValueError:
        raise bad("server", "is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise bad("server", "must start with https:// or http://")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise bad("server", "must not contain a user name or password")
    host = parts.hostname or ""
    if not _valid_host(host):
        raise bad("server", "must name a server, like https://speed.example.com/")
    if port == 0:
        raise bad("server", "has an invalid port")
    return value


def check_stun(value: str, bad) -> str:
    """``host`` or ``host:port`` (``[v6]:port`` for IPv6), port 1–65535."""
    host, port = _split_stun(value)
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise bad("stun", "must be host:port with a port from 1 to 65535")
    if not _valid_host(host):
        raise bad("stun", "must be host:port, like stun.example.com:3478")
    return value.strip()


#: Names that stay inside a network by definition: RFC 6761 (localhost), RFC 6762 (.local,
#: multicast DNS), RFC 8375 (.home.arpa) and ICANN's 2024 reservation of .internal.
_INTERNAL_SUFFIXES = (".localhost", ".local", ".home.arpa", ".internal")


def inside_network(host: str) -> bool:
    """Whether ``host`` names this computer or a machine inside the candidate's network, judged
    as the system will read it: an address (in any notation getaddrinfo accepts, "127.1" and
    "0x7f.1" included: ``dns.numeric_address``) that is not globally routable (loopback,
    link-local such as 169.254.169.254, RFC 1918 and RFC 6598 private ranges, IPv6
    unique-local, and the other IANA special-purpose blocks), ``localhost``, a name under one
    of the reserved internal suffixes, or a name without a dot (completed by the local
    network's search domain). Names are not resolved here (opening an invitation sends no DNS
    query); the network check judges the addresses a name resolves to before it connects,
    and connects only to those (``options["public_hosts"]``, see ``public_hosts``)."""
    # Here, not at the top: the network package is large, and the app opens invitations early.
    from techcheck.checks.network.dns import is_internal_address, numeric_address

    h = host.strip().strip("[]").rstrip(".").lower()
    if not h:
        return False
    ip = numeric_address(h)
    if ip is None:
        return h == "localhost" or h.endswith(_INTERNAL_SUFFIXES) or "." not in h
    return is_internal_address(ip)


def _split_stun(value: str) -> tuple[str, str]:
    """(host, port text) of ``host``, ``host:port``, ``[v6]:port`` or ``stun:…``."""
    v = value.strip()
    if v.lower().startswith(("stun:", "stuns:")):
        v = v.split(":", 1)[1]
    m = re.match(r"^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$", v)
    if m:
        return m.group(1), m.group(2) or "3478"
    if v.count(":") == 1:
        host, port = v.split(":")
        return host, port
    return v, "3478"


def _valid_host(host: str) -> bool:
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(_HOST.match(host))


def create(*, profile: str, when: str | datetime, contact: str, company: str = "",
           position: str = "", server: str = "", stun: str = "", note: str = "",
           app_min_version: str = "") -> Invitation:
    """An invitation from the recruiter's answers, validated exactly as a received file is."""
    data: dict[str, Any] = {"format": FORMAT, "profile": profile, "when": when,
                            "contact": contact}
    for key, value in (("company", company), ("position", position), ("server", server),
                       ("stun", stun), ("note", note), ("app_min_version", app_min_version)):
        if value:
            data[key] = value
    inv = from_dict(data, "invitation")
    if parse(inv.to_toml()) != inv:  # the file we write must read back the same
        raise InvitationError("invitation: cannot be written faithfully; please report this")
    return inv


@dataclass(frozen=True)
class Timing:
    """When the interview is, seen from this computer at ``now``."""

    local: datetime  # the interview in this computer's time zone (its rules on that date)
    seconds_left: float  # negative once it has begun
    #: The first moment between now and the interview at which this computer's clock changes
    #: its offset from UTC (a daylight-saving change), or None; with the offsets before and after.
    clock_change: datetime | None = None
    offset_now: timedelta | None = None
    offset_then: timedelta | None = None

    @property
    def past(self) -> bool:
        return self.seconds_left < 0


def timing(when: datetime, now: datetime) -> Timing:
    """The interview's time in this computer's zone, how long until it, and the daylight-saving
    change that falls between ``now`` and it. ``astimezone()`` applies the system's time-zone
    rules (the IANA database, as ``zoneinfo`` reads it) for each date, so the interview's local
    time is right even across a change; the change is named because a time someone worked out
    by hand today ("an hour after mine") is an hour off after it. Found by halving the span to
    the minute (at most ~25 look-ups for a century), assuming one change of offset between."""
    local = when.astimezone()
    now_local = now.astimezone()
    left = (when - now).total_seconds()
    before, after = now_local.utcoffset(), local.utcoffset()
    if left <= 0 or before == after:
        return Timing(local, left)
    lo, hi = now, when  # offset(lo) == before, offset(hi) != before
    while (hi - lo) > timedelta(minutes=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone().utcoffset() == before:
            lo = mid
        else:
            hi = mid
    return Timing(local, left, hi.astimezone().replace(second=0, microsecond=0), before, after)
