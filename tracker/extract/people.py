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
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import overload

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
_TOKEN = re.compile(r"[A-Za-z][\w'’.-]*+|\S")  # possessive: nothing to give back
_NAME_PARTICLES = frozenset(
    "al el bin ibn von van der de del da di du le la dos das ben abu ter".split()
)


@dataclass(slots=True)
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
        for part in person.name.split():
            if len(part) > 2 and part[0].isupper():
                self.by_part[part] = person
        self.by_part[person.name] = person

    def lookup(self, name: str) -> Person | None:
        return self.by_part.get(name)


_POSSESSIVE = re.compile(r"(?:'s|’s|')?\s*")


def words_after(text: str, end: int, n: int = 3) -> list[str]:
    """The ``n`` token strings of ``text`` after offset ``end``, a possessive 's skipped."""
    skip = _POSSESSIVE.match(text, end).end()
    toks = tokens(text)
    i = bisect_left(toks.starts, skip)
    return toks.words[i : i + n]


class Tokens(Sequence[Token]):
    """The word and punctuation tokens of one sentence.

    Most tokens are only glanced at (is it capitalised? a title word?), so only their
    strings and offsets are kept, and a ``Token`` is made when asked for."""

    __slots__ = ("text", "words", "starts", "_made")

    def __init__(self, text: str):
        self.text = text
        found = list(_TOKEN.finditer(text))
        self.words: list[str] = list(map(_GROUP, found))
        self.starts: list[int] = list(map(_START, found))
        self._made: list[Token | None] = [None] * len(self.words)

    def __len__(self) -> int:
        return len(self.words)

    @overload
    def __getitem__(self, i: int) -> Token: ...
    @overload
    def __getitem__(self, i: slice) -> list[Token]: ...

    def __getitem__(self, i):
        if i.__class__ is int:
            tok = self._made[i]  # IndexError past the end, as a sequence should
            return tok if tok is not None else self._make(i)
        return [self[j] for j in range(*i.indices(len(self.words)))]

    def _make(self, i: int) -> Token:
        if i < 0:
            i += len(self.words)
        word, start = self.words[i], self.starts[i]
        tok = self._made[i] = Token(start, start + len(word), word, word.lower())
        return tok


_GROUP, _START = re.Match.group, re.Match.start


@lru_cache(maxsize=4096)
def tokens(text: str) -> Tokens:
    """The tokens of ``text`` (cached: a sentence is read many times)."""
    return Tokens(text)


def forget_sentences() -> None:
    """Empty the sentence cache of ``tokens``.

    It exists because one article's sentences are read many times; it is emptied
    before each article so memory stays flat and no article is faster for sharing
    sentences with an earlier one (which would flatter ``make bench``, whose corpus
    reuses paragraphs)."""
    tokens.cache_clear()


@lru_cache(maxsize=16384)
def is_title_word(text: str) -> bool:
    word = text.lower().strip(".,")
    if word in TITLE_WORDS:
        return True
    parts = word.split("-")
    return len(parts) > 1 and all(p in TITLE_WORDS for p in parts)


@lru_cache(maxsize=16384)
def _is_name_word(word: str) -> bool:
    head, dash, rest = word.partition("-")
    if dash and head in _NAME_PARTICLES and rest[:1].isupper():
        word = rest  # "al-Jubeir", "el-Sisi"
    return word[0].isupper() and word.rstrip(".,").replace("-", "").replace("'", "").replace(
        "’", ""
    ).isalpha() and not is_title_word(word)


def title_chain_end(words: Sequence[str], i: int) -> int:
    """Index after the run of title words starting at ``i`` (``i`` when none); ``words``
    are a sentence's token strings (``Tokens.words``)."""
    j = i
    while j < len(words):
        if is_title_word(words[j]):
            j += 1
        elif words[j].lower() in _CONNECTORS and j + 1 < len(words) and is_title_word(words[j + 1]):
            j += 1
        else:
            break
    while j > i and words[j - 1].lower() in _CONNECTORS:
        j -= 1
    return j


def name_end(words: Sequence[str], i: int) -> int:
    """Index after a person name of 1 to 4 capitalised words starting at ``i``."""
    j, count = i, 0
    while j < len(words) and count < 4:
        word = words[j]
        if count and word.lower() in _NAME_PARTICLES:
            p = j
            while p < len(words) and words[p].lower() in _NAME_PARTICLES:
                p += 1
            if p < len(words) and _is_name_word(words[p]):
                j = p
                continue
            break
        if not _is_name_word(word):
            break
        count += 1
        j += 1
        if word.endswith((",", ".", "'s", "’s")):
            break  # "Hua Chunying's Regular Press Conference": the name ends at its possessive
    return j


def lookup_office(name: str, day: date | None, holders: tuple[OfficeHolder, ...]) -> str:
    """Actor code for a well-known office holder by name, or ''."""
    holder = office_holder_on(name, day, holders)
    if holder is None and " " in name:
        holder = office_holder_on(name.split()[-1], day, holders)
    return holder.actor if holder else ""
