"""Step 2a: find actor mentions with one compiled multi-pattern matcher.

Every alias of the actor data (names, adjectives, demonyms, capitals, seats of
government, organisation names) goes into an Aho-Corasick automaton, matched
case-sensitively with word boundaries, longest match first. Aliases listed as
``weak`` (Georgia, Jordan, Chad, Korea, Congo...) only count where the text makes
them a state: followed by an institution (``Jordan's King``, ``Korea's Joint Chiefs``)
or where the same actor is named unambiguously elsewhere in the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import ahocorasick

from tracker.actors import ActorInfo

KINDS = ("name", "adj", "demonym", "capital", "seat", "org")


@dataclass(frozen=True, slots=True)
class Alias:
    """One way of naming an actor."""

    code: str
    kind: str  # one of KINDS
    weak: bool = False


@dataclass(slots=True)
class Mention:
    """An actor named in a sentence; offsets are relative to the sentence.

    Treated as a value: changed only through ``dataclasses.replace`` (not frozen
    because frozen dataclasses are slow to build, and a long article has thousands)."""

    start: int
    end: int
    code: str
    kind: str  # name|adj|demonym|capital|seat|org|person|pronoun
    text: str
    weak: bool = False
    person: str = ""
    title: str = ""


def _alias_rows(actor: ActorInfo) -> Iterable[tuple[str, str]]:
    if actor.kind == "non-state":  # a group a user added: a target, never a source
        for name in (actor.name, *actor.names, *actor.adjectives, *actor.demonyms):
            yield name, "non-state"
        return
    kind_of_names = "org" if actor.kind == "organisation" else "name"
    yield actor.name, kind_of_names
    for name in actor.names:
        yield name, kind_of_names
        if actor.kind == "organisation" and name.isupper() and len(name) >= 4:
            yield name.capitalize(), kind_of_names  # Nato, Asean
    for word in actor.adjectives:
        yield word, "adj"
    for word in actor.demonyms:
        yield word, "demonym"
    for word in actor.capitals:
        yield word, "capital"
    for word in actor.seats:
        yield (word[4:] if word.startswith(("the ", "The ")) else word), "seat"


# An actor's name joined to a participle: "the U.S.-led coalition", "Russian-backed rebels"
_LED = re.compile(
    r"-(?:led|backed|brokered|sponsored|supported|funded|armed|trained|supplied|controlled|"
    r"occupied|annexed|allied|aligned|administered|run|imposed|drafted|proposed)\b"
)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"


class Gazetteer:
    """A compiled matcher over all actor aliases."""

    def __init__(self, actors: Mapping[str, ActorInfo]):
        table: dict[str, list[Alias]] = {}
        for actor in actors.values():
            weak = set(actor.weak)
            for text, kind in _alias_rows(actor):
                if text:
                    table.setdefault(text, []).append(Alias(actor.code, kind, text in weak))
            for text in weak:
                table.setdefault(text, []).append(Alias(actor.code, "name", True))
        self._automaton = ahocorasick.Automaton()
        for text, aliases in table.items():
            unique = list(dict.fromkeys(aliases))
            # an alias that starts (ends) with a word character must not start (end) mid-word
            self._automaton.add_word(
                text, (text, tuple(unique), _is_word_char(text[0]), _is_word_char(text[-1]))
            )
        self._automaton.make_automaton()
        self.actors = actors

    def find(self, text: str) -> list[Mention]:
        """Longest, leftmost, word-bounded alias matches in ``text``."""
        found: list[tuple[int, int, tuple[Alias, ...]]] = []
        size = len(text)
        for end_index, (alias, aliases, word_start, word_end) in self._automaton.iter(text):
            start, end = end_index - len(alias) + 1, end_index + 1
            if word_start and start > 0 and ((ch := text[start - 1]).isalnum() or ch in "_-"):
                continue
            if word_end and end < size and ((ch := text[end]).isalnum() or ch in "_-") and not (
                ch == "-" and _LED.match(text, end)
            ):
                continue  # but "U.S.-led", "Saudi-led", "Russian-backed" name the actor
            found.append((start, end, aliases))
        found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        mentions: list[Mention] = []
        last_end = -1
        for start, end, aliases in found:
            if start < last_end:
                continue
            last_end = end
            mentions.extend(
                Mention(start, end, a.code, a.kind, text[start:end], weak=a.weak) for a in aliases
            )
        return mentions
