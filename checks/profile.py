"""Platform profiles: the limits every check is held to, one TOML file per platform.

A profile has a ``[profile]`` table (name, title, platform, optional ``extends``) and one table
per check id whose keys are the fields of that check's ``Limits`` dataclass; an organisation's
own profile may add a ``[brand]`` table (docs/branding.md), kept as written here and validated
by the app, which shows it (``techcheck.app.brand``). Loading is strict:
an unknown table or key, a wrong type or a malformed file raises ``ProfileError`` naming the
file, the line and the key, because a typo in a limit silently ignored is a wrong verdict.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import logging
import math
import re
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from techcheck import resources
from techcheck.checks import renamed
from techcheck.checks.model import Between, Checked, ItemOf, SameLengthAs
from techcheck.checks.safefile import InputFileError, read_bounded

log = logging.getLogger("techcheck.profile")

PLATFORMS = ("teams", "zoom", "meet", "webex", "other")
#: A profile is a page of limits (the built-in ones are 1–14 KB with their comments);
#: ``extends`` chains are short.
MAX_BYTES = 128 * 1024
MAX_EXTENDS = 8
_META_KEYS = {"name": str, "title": str, "platform": str, "extends": str, "description": str}


class ProfileError(Exception):
    """A profile that cannot be used. ``str()`` is a complete message for the user."""

    def __init__(self, file: str, message: str, line: int | None = None, key: str | None = None):
        self.file, self.line, self.key, self.message = file, line, key, message
        where = f"{file}:{line}" if line else file
        what = f" key '{key}':" if key else ""
        super().__init__(f"{where}:{what} {message}")


@dataclass
class Profile:
    name: str
    title: str
    platform: str = "other"
    description: str = ""
    path: str = ""
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    schemas: dict[str, type] = field(default_factory=dict, repr=False)
    brand: dict[str, Any] | None = None  # the [brand] table, unvalidated (see app.brand)

    def limits(self, check_id: str) -> Any:
        """An instance of the check's ``Limits`` with this profile's values (over generic.toml's,
        which every profile sits over)."""
        cls = self.schemas.get(check_id)
        values = self.sections.get(check_id, {})
        if cls is None:
            raise KeyError(f"no limits are declared for check '{check_id}'")
        return cls(**values)

    def summary(self) -> dict[str, Any]:
        """What the report says about the profile. A user's own file is named without its
        folder: the report goes to a recruiter and a path can contain the user's name."""
        d: dict[str, Any] = {"name": self.name, "title": self.title, "platform": self.platform}
        p = Path(self.path) if self.path else None
        if p is not None and p.parent != resources.path("profiles"):
            d["file"] = p.name
        if self.brand is not None:
            d["brand"] = dict(self.brand)
        return d


def available_profiles() -> list[Path]:
    return sorted(resources.path("profiles").glob("*.toml"))


def resolve(spec: str, folder: Path | None = None) -> Path:
    """A profile name (``teams``) or a path to a TOML file; a relative path is read from
    ``folder`` when given (an ``extends`` from the folder of the profile that names it, not
    from wherever the program was started), else from the current folder."""
    p = Path(spec)
    if folder is not None and not p.is_absolute():
        p = folder / p
    try:
        if p.suffix == ".toml" or p.exists() or "/" in spec or "\\" in spec:
            p.resolve()
            return p
    except (OSError, ValueError):  # a name too long, a NUL byte
        raise ProfileError(spec[:80], "not a usable file name") from None
    candidate = resources.path("profiles", f"{spec}.toml")
    if not candidate.exists():
        names = ", ".join(q.stem for q in available_profiles())
        raise ProfileError(spec, f"no such profile (built-in profiles: {names})")
    return candidate


def _read_toml(path: Path, shown: str) -> tuple[str, dict[str, Any]]:
    """The profile file's text and its TOML tables, bounded in size; ``ProfileError`` saying
    what is wrong (with the line for a TOML error)."""
    try:
        raw = read_bounded(path, MAX_BYTES, "a profile file", shown="")
        text = raw.decode("utf-8")
    except InputFileError as exc:
        message = str(exc).removeprefix(": ")
        raise ProfileError(shown, "file not found" if message == "no such file" else message
                           ) from None
    except UnicodeDecodeError as exc:
        raise ProfileError(shown, f"cannot read the file: {exc}") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ProfileError(shown, f"not valid TOML: {exc}", int(m.group(1)) if m else None) from None
    except RecursionError:  # "a = [[[[…" nested thousands deep
        raise ProfileError(shown, "not valid TOML: nested too deeply") from None
    except ValueError:  # tomllib lets int() refuse a number of thousands of digits
        raise ProfileError(shown, "not valid TOML: a number has too many digits") from None


def _check_meta(data: dict[str, Any], text: str, shown: str) -> dict[str, Any]:
    """The [profile] table, every key known and of its type, name and title given."""
    meta = data.get("profile")
    if not isinstance(meta, dict):
        raise ProfileError(shown, "missing the [profile] table with name and title", 1)
    for key, value in meta.items():
        want = _META_KEYS.get(key)
        line = _line_of(text, "profile", key)
        if want is None:
            known = ", ".join(_META_KEYS)
            raise ProfileError(shown, f"unknown key in [profile] (known: {known})", line,
                               f"profile.{key}")
        if not isinstance(value, want):
            raise ProfileError(shown, f"must be a {want.__name__}", line, f"profile.{key}")
    for key in ("name", "title"):
        if key not in meta:
            raise ProfileError(shown, "is required in [profile]", _line_of(text, "profile"),
                               f"profile.{key}")
    if meta.get("platform", "other") not in PLATFORMS:
        raise ProfileError(
            shown,
            f"must be one of {', '.join(PLATFORMS)}",
            _line_of(text, "profile", "platform"),
            "profile.platform",
        )
    return meta


def _base_of(meta: dict[str, Any], text: str, shown: str, path: Path, schemas: dict[str, type],
             seen: tuple[Path, ...]
             ) -> tuple[dict[str, dict[str, Any]], str | None, dict[str, Any] | None]:
    """What the profile starts from: (the sections, platform and brand of the profile it
    extends, or of generic.toml, the one place limits have values)."""
    platform = meta.get("platform")
    if "extends" in meta:
        try:
            base = load_profile(meta["extends"], schemas, (*seen, path))
        except ProfileError as exc:  # say which profile asked for the one that failed
            raise ProfileError(shown, f"cannot extend {meta['extends'][:80]!r}: {exc}",
                               _line_of(text, "profile", "extends"), "profile.extends") from None
        return ({k: dict(v) for k, v in base.sections.items()}, platform or base.platform,
                base.brand)
    if path != _generic_path():  # every profile sits over generic.toml
        base = load_profile(str(_generic_path()), schemas, (*seen, path))
        return {k: dict(v) for k, v in base.sections.items()}, platform, None
    return {}, platform, None


def _check_table(shown: str, text: str, section: str, table: Any,
                 schemas: dict[str, type]) -> dict[str, Any]:
    """One check's table, validated against its ``Limits`` class: the values it sets."""
    line = _line_of(text, section)
    if section not in schemas:
        known = ", ".join(sorted(schemas))
        raise ProfileError(shown, f"unknown table [{section}] (checks: {known})", line)
    if not isinstance(table, dict):
        raise ProfileError(shown, f"[{section}] must be a table", line)
    return _validate(shown, text, section, table, schemas[section])


def load_profile(spec: str, schemas: dict[str, type], _seen: tuple[Path, ...] = ()) -> Profile:
    """Load and validate a profile by name or path against the checks' ``Limits`` classes."""
    path = resolve(spec, _seen[-1].parent if _seen else None).resolve()
    shown = path.name if path.parent == resources.path("profiles") else str(path)
    if path in _seen:
        raise ProfileError(shown, "profiles extend each other in a loop")
    if len(_seen) >= MAX_EXTENDS:
        raise ProfileError(shown, f"too many profiles extend each other (at most {MAX_EXTENDS})")
    text, data = _read_toml(path, shown)
    meta = _check_meta(data, text, shown)
    sections, platform, brand = _base_of(meta, text, shown, path, schemas, _seen)
    for section, table in data.items():
        if section == "profile":
            continue
        if section == "brand":
            if not isinstance(table, dict):
                raise ProfileError(shown, "[brand] must be a table", _line_of(text, section))
            brand = dict(table)
            continue
        here = _check_table(shown, text, section, table, schemas)
        sections.setdefault(section, {}).update(here)
        _check_together(shown, text, section, set(here), sections[section], schemas[section])

    if not _seen:  # a base may leave a key to the profile that extends it
        _check_complete(shown, text, sections, schemas)
    return Profile(
        name=meta["name"],
        title=meta["title"],
        platform=platform or "other",
        description=meta.get("description", ""),
        path=str(path),
        sections=sections,
        schemas=dict(schemas),
        brand=brand,
    )


def _generic_path() -> Path:
    return resources.path("profiles", "generic.toml").resolve()


@functools.cache
def _generic_text() -> str:
    return _generic_path().read_text(encoding="utf-8")


@functools.cache
def _generic_table() -> dict[str, Any]:
    return tomllib.loads(_generic_text())


def generic_limits(section: str, cls: type) -> Any:
    """``cls`` with generic.toml's ``[section]`` values: for code that judges without a chosen
    profile (a camera preview on its own, tests). Keys it lacks take the class's defaults,
    which only a third-party plug-in has."""
    text = _generic_text()
    table = _generic_table().get(section, {})
    return cls(**_validate("generic.toml", text, section, table, cls))


def _reference(section: str, cls: type) -> dict[str, Any]:
    """The values that tell which way each measure's limits run: generic.toml's, over the
    defaults of a plug-in's own ``Limits`` (docs/engineering.md, "Writing a check")."""
    out = {f.name: f.default for f in dataclasses.fields(cls)
           if f.default is not dataclasses.MISSING}
    out.update(_generic_table().get(section, {}))
    return out


def _check_complete(file: str, text: str, sections: dict[str, dict[str, Any]],
                    schemas: dict[str, type]) -> None:
    """Every key without a default must have a value: generic.toml gives every key of every
    built-in check (their ``Limits`` classes declare no values), a plug-in's ``Limits`` gives
    defaults for the keys a profile may leave out."""
    for section, cls in schemas.items():
        if not dataclasses.is_dataclass(cls):
            continue
        given = sections.get(section, {})
        missing = [f.name for f in dataclasses.fields(cls) if f.name not in given
                   and f.default is dataclasses.MISSING
                   and f.default_factory is dataclasses.MISSING]
        if missing:
            raise ProfileError(file, f"[{section}] needs a value for {', '.join(missing)}",
                               _line_of(text, section), f"{section}.{missing[0]}")


def _validate(file: str, text: str, section: str, table: dict[str, Any],
              cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls, include_extras=True)
    names = [f.name for f in dataclasses.fields(cls)]
    out: dict[str, Any] = {}
    for given, value in table.items():
        line = _line_of(text, section, given)
        key = given
        if (why := renamed.retired(section, given)) is not None:
            log.warning("%s:%s: [%s] %s no longer sets anything (%s): remove it from the file",
                        file, line, section, given, why)
            continue
        if (current := renamed.limit_key(section, given)) is not None:
            if current in table:
                raise ProfileError(file, f"is the old name of {current}, which is given too: "
                                   f"keep only {current}", line, f"{section}.{given}")
            log.warning("%s:%s: [%s] %s is now called %s: the old name still works; rename it "
                        "in the file", file, line, section, given, current)
            key = current
        if key not in hints:
            raise ProfileError(
                file, f"unknown key in [{section}] (known: {', '.join(names)})", line,
                f"{section}.{key}",
            )
        out[key] = _coerce(file, line, f"{section}.{key}", value, hints[key])
    return out


#: Bounds a limit's value must keep, by the unit its name ends in (whole numbers and each item
#: of a list alike). They keep a profile from asking for a negative duration, a percentage
#: over 100 or a million parallel streams.
_UNIT_BOUNDS: dict[str, tuple[float, float]] = {
    "_pct": (0.0, 100.0),
    "_s": (0.0, 3600.0),
    "_ms": (0.0, 600_000.0),
    "_mbps": (0.0, 1_000_000.0),
    "_streams": (1.0, 32.0),
}


def _coerce(file: str, line: int | None, key: str, value: Any, want: Any) -> Any:
    """``value`` from the file as the ``Limits`` field's type ``want`` asks, or a
    ``ProfileError`` naming ``key`` and ``line``."""
    if typing.get_origin(want) is typing.Annotated:  # ItemOf/SameLengthAs: _check_together
        coerced = _coerce(file, line, key, value, typing.get_args(want)[0])
        _check_marks(file, line, key, coerced, getattr(want, "__metadata__", ()))
        return coerced
    if want in (float, int):
        return _number(file, line, key, value, whole=want is int)
    if isinstance(want, type) and issubclass(want, enum.Enum):
        choices = [m.value for m in want]
        if value not in choices:
            raise ProfileError(file, f"must be one of {', '.join(map(str, choices))}, "
                               f"not {value!r}", line, key)
        return want(value)
    if want in (bool, str):
        if not isinstance(value, want):
            kind = "true or false" if want is bool else "a string"
            raise ProfileError(file, f"must be {kind}, not {value!r}", line, key)
        return value
    if typing.get_origin(want) in (tuple, list):
        return _sequence(file, line, key, value, want)
    return value


def _check_marks(file: str, line: int | None, key: str, coerced: Any,
                 marks: tuple[Any, ...]) -> None:
    """An ``Annotated`` field's ``Between`` and ``Checked`` marks, item by item."""
    for mark in marks:
        for item in coerced if isinstance(coerced, tuple | list) else (coerced,):
            if isinstance(mark, Between) and not mark.low <= item <= mark.high:
                raise ProfileError(file, f"must be between {mark.low:g} and {mark.high:g}, "
                                   f"not {item!r}", line, key)
            if isinstance(mark, Checked) and (problem := mark.problem(item)):
                raise ProfileError(file, problem, line, key)


def _number(file: str, line: int | None, key: str, value: Any, whole: bool) -> int | float:
    """A finite number (a whole one for an ``int`` field) within its unit's bounds."""
    if isinstance(value, bool) or not isinstance(value, int if whole else int | float):
        kind = "a whole number" if whole else "a number"
        raise ProfileError(file, f"must be {kind}, not {value!r}", line, key)
    if not math.isfinite(value):  # TOML allows nan and inf; no limit means either
        raise ProfileError(file, f"must be a finite number, not {value!r}", line, key)
    for suffix, (low, high) in _UNIT_BOUNDS.items():
        if key.endswith(suffix) and not low <= value <= high:
            raise ProfileError(file, f"must be between {low:g} and {high:g}, not {value!r}",
                               line, key)
    return value if whole else float(value)


def _sequence(file: str, line: int | None, key: str, value: Any, want: Any) -> Any:
    """A list (or a tuple of a fixed length), each item coerced to the item type."""
    origin, args = typing.get_origin(want), typing.get_args(want)
    item = args[0] if args else float
    if not isinstance(value, list):
        raise ProfileError(file, f"must be a list, not {value!r}", line, key)
    if origin is tuple and args and args[-1] is not Ellipsis and len(value) != len(args):
        raise ProfileError(file, f"must have {len(args)} items, not {len(value)}", line, key)
    items = [_coerce(file, line, key, v, item) for v in value]
    return tuple(items) if origin is tuple else items


def _check_together(file: str, text: str, section: str, here: set[str],
                    values: dict[str, Any], cls: type) -> None:
    """Rules between the keys of one section, on this profile's values over generic.toml's:

    - a ``*_tip*``, ``*_warn*`` and ``*_fail*`` limit of one measure are ordered the way the
      generic.toml orders them (a higher-is-better measure warns above where it fails, the others
      below; item by item for ranges), so milder always comes before more severe;
    - a ``*range*`` pair is (low, high);
    - a type ``Annotated[…, ItemOf(KEY)]``: the value is one of KEY's items;
    - a type ``Annotated[…, SameLengthAs(KEY)]``: as many items as KEY;
    - the ``Limits`` class's own ``problem_between_keys(values)``, when it has one: ``None``
      or ((the keys involved), a sentence) for a rule of its own between keys.

    The error names the key this file set, so the line shown is the one to fix."""
    reference = _reference(section, cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    marks = _marks(cls)
    now = {name: values.get(name, reference.get(name)) for name in fields}

    def fail(message: str, *keys: str) -> None:
        key = next((k for k in keys if k in here), keys[0])
        line = _line_of(text, section, key) if key in here else _line_of(text, section)
        raise ProfileError(file, message, line, f"{section}.{key}")

    together = getattr(cls, "problem_between_keys", None)
    complete = all(now[name] is not None for name in fields)
    if together is not None and complete and (found := together(now)) is not None:
        keys, message = found
        fail(message, *keys)

    for name in fields:
        value = now[name]
        if value is None:  # not given: _check_complete says so
            continue
        if "range" in name and isinstance(value, tuple) and len(value) == 2 \
                and value[0] > value[1]:
            fail(f"must be (low, high), not {list(value)}", name)
        if (other := marks.get((name, ItemOf))) and (allowed := now[other]) is not None \
                and value not in allowed:
            fail(f"must be one of {other} ({', '.join(map(str, allowed))}), not {value!r}",
                 name, other)
        if (other := marks.get((name, SameLengthAs))) and (same := now[other]) is not None \
                and len(value) != len(same):
            fail(f"{name} has {len(value)} items and {other} {len(same)}: give one "
                 f"number per entry of {other}", name, other)
        for partner, level, next_level in _next_levels(name, fields):
            if reference.get(name) is None or now[partner] is None:
                continue
            pairs = zip(_items(reference[name]), _items(reference.get(partner)),
                        _items(value), _items(now[partner]), strict=False)
            for d_first, d_next, first, then in pairs:
                if d_first == d_next:
                    continue
                higher_is_better = d_first > d_next
                if (first < then) if higher_is_better else (first > then):
                    better, side = ("higher", "above") if higher_is_better else ("lower", "below")
                    fail(f"{name} = {first:g} and {partner} = {then:g} are the wrong way round: "
                         f"{better} is better here, so the {level} limit must be {side} the "
                         f"{next_level} limit", name, partner)


def _marks(cls: type) -> dict[tuple[str, type], str]:
    """(field, ItemOf or SameLengthAs) → the key it refers to, from the fields' ``Annotated``
    types."""
    out = {}
    for name, hint in typing.get_type_hints(cls, include_extras=True).items():
        for mark in getattr(hint, "__metadata__", ()):
            if isinstance(mark, ItemOf | SameLengthAs):
                out[(name, type(mark))] = mark.key
    return out


#: Severity levels a limit's name can carry, in the order a worsening value crosses them.
_LEVELS = ("tip", "warn", "fail")
_LEVEL_RE = re.compile(r"(?<=_)(tip|warn|fail)(?=_|$)")


def _next_levels(name: str, fields: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(partner field, this level, its level) for the next more severe limit of the same
    measure that exists: ``x_tip`` → ``x_warn`` (or ``x_fail`` without a warn)."""
    m = _LEVEL_RE.search(name)
    if m is None:
        return []
    for level in _LEVELS[_LEVELS.index(m.group(1)) + 1:]:
        partner = name[:m.start()] + level + name[m.end():]
        if partner in fields:
            return [(partner, m.group(1), level)]
    return []


def _items(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def _line_of(text: str, section: str, key: str | None = None) -> int | None:
    """1-based line of ``[section]`` or of ``key = …`` inside it (dotted keys not needed); a
    key the file gives under its old name (``checks/renamed.py``) is found by that name."""
    if key is not None:
        for old in renamed.old_limit_keys(section, key):
            if (found := _line_of(text, section, old)) is not None:
                return found
    current: str | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        m = re.match(r"^\[\s*([^\]]+?)\s*\]", line)
        if m:
            current = m.group(1).strip().strip('"')
            if key is None and current == section:
                return n
            continue
        if key is not None and current == section and re.match(
            rf"^[\"']?{re.escape(key)}[\"']?\s*=", line
        ):
            return n
    return None
