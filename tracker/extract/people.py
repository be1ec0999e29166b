"""Step 2b and 3: people, their titles, and the actor each speaks for.

A person is introduced in the article with a title and usually an actor
(``South Korea's vice-foreign minister Kim Hong-Kyun``, ``Lin Jian, a spokesperson
for the Chinese foreign office``). Later mentions by one part of the name (``Kim
said``) resolve to the latest person introduced with that part. People the article
does not place are looked up in the dated office-holder list by the article's date.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

from tracker.actors import OfficeHolder, office_holder_on


def _load_title_words() -> frozenset[str]:
    text = (resources.files("tracker.extract") / "data" / "titles.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


TITLE_WORDS = _load_title_words()
_CONNECTORS = frozenset({"of", "for", "and", "on"})
# People who do not speak for a state: owners of the title, or words in it.
NON_STATE_WORDS = frozenset(
    """opposition rebel rebels militant militants insurgent insurgents analyst analysts expert
    experts professor researcher journalist journalists correspondent editor reporter lawmaker
    lawmakers activist activists rights candidate campaign columnist scholar
    fellow economist think-tank farmers students prisoners demonstrators protesters workers
    union unions villagers residents civilians minority citizens groups faction gunmen fighters
    separatists guerrillas militia militias monks clerics media newspaper newspapers press
    television radio hostage-takers crowds mob protest companies company firm firms bank banks
    investors traders""".split()
)
_TOKEN = re.compile(r"[A-Za-z][\w'’.-]*|\S")
_NAME_PARTICLES = frozenset(
    "al el bin ibn von van der de del da di du le la dos das ben abu ter".split()
)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    lower: str


@dataclass(slots=True)
class Person:
    """A person met in the article and the actor they speak for ('' when non-state)."""

    name: str
    code: str
    title: str
    sentence: int


@dataclass(slots=True)
class Registry:
    """People of one article, looked up by any part of their name."""

    people: list[Person] = field(default_factory=list)
    by_part: dict[str, Person] = field(default_factory=dict)

    def add(self, person: Person) -> None:
        self.people.append(person)
        for part in re.split(r"[\s]+", person.name):
            if len(part) > 2 and part[0].isupper():
                self.by_part[part] = person
        self.by_part[person.name] = person

    def lookup(self, name: str) -> Person | None:
        return self.by_part.get(name)


_POSSESSIVE = re.compile(r"(?:'s|’s|')?\s*")


def words_after(text: str, end: int, n: int = 3) -> tuple[Token, ...]:
    """The ``n`` tokens of ``text`` after offset ``end``, a possessive 's skipped."""
    skip = _POSSESSIVE.match(text, end).end()
    toks = tokens(text)
    i = bisect_left(_starts(text), skip)
    return toks[i : i + n]


@lru_cache(maxsize=4096)
def _starts(text: str) -> tuple[int, ...]:
    return tuple(t.start for t in tokens(text))


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[Token, ...]:
    """Word and punctuation tokens of ``text`` (cached: sentences are read many times)."""
    return tuple(
        Token(m.start(), m.end(), m.group(), m.group().lower()) for m in _TOKEN.finditer(text)
    )


def is_title_token(tok: Token) -> bool:
    return _is_title_word(tok.text)


@lru_cache(maxsize=16384)
def _is_title_word(text: str) -> bool:
    word = text.lower().strip(".,")
    if word in TITLE_WORDS:
        return True
    parts = word.split("-")
    return len(parts) > 1 and all(p in TITLE_WORDS for p in parts)


def _is_name_token(tok: Token) -> bool:
    return tok.text[0].isupper() and tok.text.rstrip(".,").replace("-", "").replace("'", "").replace(
        "’", ""
    ).isalpha() and not is_title_token(tok)


def title_chain_end(toks: list[Token], i: int) -> int:
    """Index after the run of title tokens starting at ``i`` (``i`` when none)."""
    j = i
    while j < len(toks):
        if is_title_token(toks[j]):
            j += 1
        elif toks[j].lower in _CONNECTORS and j + 1 < len(toks) and is_title_token(toks[j + 1]):
            j += 1
        else:
            break
    while j > i and toks[j - 1].lower in _CONNECTORS:
        j -= 1
    return j


def name_end(toks: list[Token], i: int) -> int:
    """Index after a person name of 1 to 4 capitalised words starting at ``i``."""
    j, words = i, 0
    while j < len(toks) and words < 4:
        tok = toks[j]
        if words and tok.lower in _NAME_PARTICLES:
            p = j
            while p < len(toks) and toks[p].lower in _NAME_PARTICLES:
                p += 1
            if p < len(toks) and _is_name_token(toks[p]):
                j = p
                continue
            break
        if not _is_name_token(tok):
            break
        words += 1
        j += 1
        if tok.text.endswith((",", ".")):
            break
    return j


def lookup_office(name: str, day: date | None, holders: tuple[OfficeHolder, ...]) -> str:
    """Actor code for a well-known office holder by name, or ''."""
    holder = office_holder_on(name, day, holders)
    if holder is None and " " in name:
        holder = office_holder_on(name.split()[-1], day, holders)
    return holder.actor if holder else ""
