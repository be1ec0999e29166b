"""Actors: states, international organisations and well-known office holders.

The data lives as JSON Lines beside the extraction code, in
``tracker/extract/data/``, one object a line, so a user can read and extend it
without reading Python:

- ``states.jsonl``: the 193 UN member states, the two observer states (Holy See
  ``VAT``, Palestine ``PSE``), Taiwan ``TWN`` and Kosovo ``XKX``.
- ``organisations.jsonl``: the international organisations of the spec (``UN``,
  ``NATO``, ``EU``, ...). Office titles that speak for one (``High
  Representative``) are in ``titles``, not in ``names``.
- ``office_holders.jsonl``: heads of state and government, foreign ministers and
  spokespeople, one line a person and term.

Conventions of the actor files:

- ``region`` is the UN M49 region (Africa, Americas, Asia, Europe, Oceania;
  ``International`` for organisations); ``subregion`` is the M49 sub-region, or
  the M49 intermediate region where there is one (``Western Africa``,
  ``South America``, ``Caribbean``). ``iso_numeric`` is the ISO 3166-1 numeric
  code as a 3-digit string; Kosovo has none and uses ``-99``.
- No alias starts with "the": seats are ``White House``, ``Kremlin``.
- Every alias in ``names``, ``adjectives``, ``demonyms``, ``capitals`` and
  ``seats`` belongs to exactly one actor. ``weak`` lists aliases that need
  context to count as the actor (``Georgia``, ``Jordan``, ``Washington``); they
  may also appear in the other lists, and may repeat across actors (``Congo``,
  ``Congolese``). ``Korea`` alone is a weak alias of South Korea only.

Conventions of the office-holder file:

- ``end`` is the day the term ended, usually the successor's first day; a
  lookup counts both ``start`` and ``end`` as inside the term. ``end`` is null
  for a term that had not ended when the list was written.
- Offices use the real English title where it is distinctive (``Secretary of
  State``, ``Foreign Secretary``, ``Minister of External Affairs``) and
  ``Foreign Minister`` elsewhere. Spokespeople are ``Spokesperson``.
- Dates are exact to the day where known; where only the month was known the
  first of the month is used (many spokespeople, North Korean foreign
  ministers). The list was written from knowledge that runs to about late 2025:
  terms shown as open (end null) may have ended since, and later office holders
  are missing. Extend it with an extra file (see :func:`load_office_holders`).
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

ACTOR_FILES = ("states.jsonl", "organisations.jsonl")
OFFICE_HOLDER_FILE = "office_holders.jsonl"
KINDS = ("state", "organisation", "non-state")

_SCALAR_FIELDS = ("name", "kind", "region", "subregion", "iso_numeric")
_LIST_FIELDS = ("names", "adjectives", "demonyms", "capitals", "seats", "weak", "titles")
_ACTOR_KEYS = frozenset(("code", *_SCALAR_FIELDS, *_LIST_FIELDS))
_HOLDER_REQUIRED = ("name", "actor", "office", "start")
_HOLDER_KEYS = frozenset((*_HOLDER_REQUIRED, "aliases", "end"))


@dataclass(frozen=True, slots=True)
class ActorInfo:
    """A state, an international organisation or a non-state actor, and its aliases.

    Attributes:
        code: ISO 3166-1 alpha-3 for states, the spec's code for organisations.
        name: common English short name ("South Korea").
        kind: "state", "organisation" or "non-state".
        region, subregion: UN M49 region and sub-region ("Asia", "Eastern Asia").
        iso_numeric: ISO 3166-1 numeric code as a string ("410"), "" if none.
        names: every way a text names the actor, the short name first.
        adjectives, demonyms: "South Korean"; "South Koreans".
        capitals: capital cities and seats of government ("Seoul").
        seats: metonymic institutions that speak for it ("Blue House").
        weak: aliases that only count with context ("Korea").
        titles: office titles that speak for an organisation ("High Representative").
    """

    code: str
    name: str
    kind: str
    region: str = ""
    subregion: str = ""
    iso_numeric: str = ""
    names: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    seats: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OfficeHolder:
    """One person's term in one office; ``end`` is None while the term is open."""

    name: str
    aliases: tuple[str, ...]
    actor: str
    office: str
    start: date
    end: date | None

    def holds_on(self, day: date) -> bool:
        """Whether ``day`` falls inside the term, both ends included."""
        return self.start <= day and (self.end is None or day <= self.end)


# --- reading --------------------------------------------------------------------------


def _data_file(name: str) -> Traversable:
    return resources.files("tracker.extract") / "data" / name


def _read_jsonl(source: Traversable | Path, label: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(where, object)`` for each non-blank line; ``where`` is ``label:line``."""
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{label}: cannot read: {exc}") from exc
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{label}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}: invalid JSON: {exc.msg}") from exc
        if not isinstance(obj, dict):
            raise ValueError(f"{where}: expected a JSON object, got {type(obj).__name__}")
        yield where, obj


def _check_keys(obj: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}")


def _string(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj[key]
    if not isinstance(value, str):
        raise ValueError(f"{where}: {key!r} must be a string")
    return value


def _strings(obj: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = obj.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: {key!r} must be a list of strings")
    return tuple(value)


# --- actors ---------------------------------------------------------------------------


def _actor_fields(obj: dict[str, Any], where: str) -> dict[str, Any]:
    """Validate one actor line and return its fields, lists as tuples."""
    _check_keys(obj, _ACTOR_KEYS, where)
    if not isinstance(obj.get("code"), str) or not obj["code"].strip():
        raise ValueError(f"{where}: missing 'code'")
    found: dict[str, Any] = {"code": obj["code"].strip()}
    for key in _SCALAR_FIELDS:
        if key in obj:
            found[key] = _string(obj, key, where)
    if "kind" in found and found["kind"] not in KINDS:
        raise ValueError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    for key in _LIST_FIELDS:
        if key in obj:
            found[key] = _strings(obj, key, where)
    return found


def _merged(existing: ActorInfo | None, found: dict[str, Any]) -> ActorInfo:
    """A new actor from ``found``, or ``existing`` with scalars replaced and lists extended."""
    if existing is None:
        defaults = {"name": found["code"], "kind": "non-state"}
        return ActorInfo(**{**defaults, **found})
    changes: dict[str, Any] = {k: v for k, v in found.items() if k in _SCALAR_FIELDS}
    for key in _LIST_FIELDS:
        if key in found:
            old: tuple[str, ...] = getattr(existing, key)
            changes[key] = old + tuple(v for v in dict.fromkeys(found[key]) if v not in old)
    return replace(existing, **changes)


def is_office_holder_line(obj: dict[str, Any]) -> bool:
    """An extra dictionary file mixes actor lines (with ``code``) and office-holder
    lines (with ``name``, ``actor`` and ``start``); this tells them apart."""
    return "code" not in obj and "actor" in obj


def _add_actors(actors: dict[str, ActorInfo], source: Traversable | Path, label: str) -> None:
    for where, obj in _read_jsonl(source, label):
        if is_office_holder_line(obj):
            continue
        found = _actor_fields(obj, where)
        actors[found["code"]] = _merged(actors.get(found["code"]), found)


@functools.lru_cache(maxsize=1)
def _default_actors() -> dict[str, ActorInfo]:
    actors: dict[str, ActorInfo] = {}
    for name in ACTOR_FILES:
        _add_actors(actors, _data_file(name), name)
    return actors


def load_actors(extra_paths: Sequence[Path] = ()) -> dict[str, ActorInfo]:
    """All actors by code: the built-in states and organisations, plus extra files.

    Args:
        extra_paths: JSONL files in the same format. A line with a new code adds an
            actor (name defaults to the code, kind to "non-state"); a line with a
            known code replaces the scalar fields it gives and appends new aliases
            to the lists it gives.

    Returns:
        A fresh dict (the built-in part is read once and cached).

    Raises:
        ValueError: a line is not a JSON object, has an unknown key, a value of the
            wrong type, or no code; the message names the file and line.
    """
    actors = dict(_default_actors())
    for path in extra_paths:
        _add_actors(actors, Path(path), str(path))
    return actors


def actor_name(code: str) -> str:
    """The actor's name, or ``code`` itself when the code is unknown."""
    actor = _default_actors().get(code)
    return actor.name if actor else code


# --- office holders -------------------------------------------------------------------


def _day(obj: dict[str, Any], key: str, where: str) -> date:
    try:
        return date.fromisoformat(_string(obj, key, where))
    except ValueError as exc:
        raise ValueError(f"{where}: {key!r} must be a date YYYY-MM-DD") from exc


def _office_holder(obj: dict[str, Any], where: str) -> OfficeHolder:
    """Validate one office-holder line."""
    _check_keys(obj, _HOLDER_KEYS, where)
    missing = [key for key in _HOLDER_REQUIRED if not obj.get(key)]
    if missing:
        raise ValueError(f"{where}: missing {', '.join(repr(k) for k in missing)}")
    start = _day(obj, "start", where)
    end = None if obj.get("end") is None else _day(obj, "end", where)
    if end is not None and end < start:
        raise ValueError(f"{where}: 'end' is before 'start'")
    return OfficeHolder(
        name=_string(obj, "name", where),
        aliases=_strings(obj, "aliases", where),
        actor=_string(obj, "actor", where),
        office=_string(obj, "office", where),
        start=start,
        end=end,
    )


def _read_holders(source: Traversable | Path, label: str) -> tuple[OfficeHolder, ...]:
    return tuple(
        _office_holder(obj, where)
        for where, obj in _read_jsonl(source, label)
        if is_office_holder_line(obj)
    )


@functools.lru_cache(maxsize=1)
def _default_holders() -> tuple[OfficeHolder, ...]:
    return _read_holders(_data_file(OFFICE_HOLDER_FILE), OFFICE_HOLDER_FILE)


def load_office_holders(extra_paths: Sequence[Path] = ()) -> tuple[OfficeHolder, ...]:
    """The built-in office-holder terms, followed by those of extra JSONL files.

    Args:
        extra_paths: files of lines ``{"name", "aliases", "actor", "office",
            "start", "end"}``; ``aliases`` and ``end`` may be left out.

    Raises:
        ValueError: a bad line; the message names the file and line.
    """
    holders = _default_holders()
    for path in extra_paths:
        holders += _read_holders(Path(path), str(path))
    return holders


def _name_key(name: str) -> str:
    """Case-, accent- and spacing-insensitive form of a person's name."""
    if name.isascii():  # nothing to decompose
        return " ".join(name.casefold().split())
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


_INDEXES: dict[int, tuple[tuple[OfficeHolder, ...], dict[str, list[OfficeHolder]]]] = {}


def _index(holders: Sequence[OfficeHolder]) -> dict[str, list[OfficeHolder]]:
    """Terms by name key; remembered for the last few holder tuples seen."""
    cached = _INDEXES.get(id(holders))
    if cached is not None and cached[0] is holders:
        return cached[1]
    index: dict[str, list[OfficeHolder]] = {}
    for holder in holders:
        for key in dict.fromkeys(_name_key(n) for n in (holder.name, *holder.aliases)):
            index.setdefault(key, []).append(holder)
    if isinstance(holders, tuple):
        if len(_INDEXES) >= 8:
            _INDEXES.clear()
        _INDEXES[id(holders)] = (holders, index)
    return index


def office_holder_on(
    name: str, day: date | None, holders: Sequence[OfficeHolder] | None = None
) -> OfficeHolder | None:
    """The term of the person called ``name`` (full name or alias) on ``day``.

    Args:
        name: "Joe Biden", "Biden"; case, accents and curly quotes do not matter.
        day: the day to look at; None picks the most recent term.
        holders: the terms to search; the built-in list when None.

    Returns:
        The matching term (the latest-starting one if several contain the day),
        or None when no term of that name contains the day.
    """
    pool = load_office_holders() if holders is None else holders
    terms = _index(pool).get(_name_key(name), [])
    if day is not None:
        terms = [term for term in terms if term.holds_on(day)]
    return max(terms, key=lambda term: term.start, default=None)
