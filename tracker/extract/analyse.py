"""Steps 2 and 3 over one article: mentions of actors and people, per sentence.

The result is an ``ArticleDoc``: sentences, and for each the actor mentions
(states, organisations, people resolved to the actor they speak for, pronouns
and non-state voices), ready for the reaction step.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from importlib import resources

from tracker.actors import OfficeHolder
from tracker.extract.clauses import _AND_GAP, _CONJUNCTION_GAP, _word
from tracker.extract.gazetteer import Gazetteer, Mention
from tracker.extract.people import (
    NON_STATE_WORDS,
    TITLE_WORDS,
    Person,
    Registry,
    Token,
    is_title_word,
    lookup_office,
    name_end,
    title_chain_end,
    tokens,
    words_after,
)
from tracker.extract.sentences import Sentence, normalise, split_sentences

_POSTPOSED_OWNER = re.compile(
    r"^,\s+(?:a|an|the)?\s*(?:[\w'-]+\s+){0,5}?(?:for|of|at|in|with)\s+(?:the\s+)?$|^,\s+(?:the|an?)\s+$"
)
_OWNER_GAP = re.compile(r"^(?:'s|')?\s*(?:the\s+)?$")
_PRONOUNS = {"he": "person", "she": "person", "it": "actor", "they": "actor", "we": "self", "i": "self"}
# as written: lower case, capitalised or all capitals
_VOICE_FORMS = frozenset(
    form for word in (*_PRONOUNS, *NON_STATE_WORDS) for form in (word, word.capitalize(), word.upper())
)
def _load_armed_groups() -> re.Pattern[str]:
    text = (resources.files("tracker.extract") / "data" / "armed_groups.txt").read_text("utf-8")
    names = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    alternatives = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


# Non-state armed groups by name ('Hamas', 'the Houthis', 'the RSF'): voices of no state.
ARMED_GROUPS = _load_armed_groups()
_GROUP_NOUNS = re.compile(
    f"(?:{_word('The')}|{_word('the')})"
    r" (?:group|bloc|alliance|league|organisation|organization|union|council|"
    r"ministry|government|kingdom|emirate|republic|administration|regime|allies)\b"
)
# "their foreign ministers", "its embassy", "his spokesman": offices of an actor named before
_POSSESSED_OFFICE = re.compile(
    "(" + "|".join(_word(w) for w in ("Their", "their", "Its", "its", "His", "his", "Her", "her")) + ")"
    r" (?:[a-z-]+ ){0,2}(?:ministers?|ministry|government|"
    r"spokes(?:man|woman|person)|officials?|leaders?|ambassadors?|envoys?|embassy|office)\b"
)
_STOP_CAPITALS = frozenset(
    """The A An In On At But And It He She They We This That These Those His Her Its Their
    Speaking After Before When While As If Since Last Earlier Later Meanwhile However Some
    Other Many Both Neither Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December
    Reporting Editing Analysts Officials Diplomats""".split()
)


@dataclass(slots=True)
class SentenceDoc:
    sentence: Sentence
    text: str
    mentions: list[Mention] = field(default_factory=list)
    cue_spans: list = field(default_factory=list)
    eligible: dict = field(default_factory=dict)  # speaker eligibility, computed once
    relative: list[tuple[int, int]] | None = None  # spans of relative clauses, found once


@dataclass(slots=True)
class ArticleDoc:
    text: str
    published: date | None
    sentences: list[SentenceDoc]
    registry: Registry
    strong_codes: set[str]
    title: SentenceDoc | None = None


def _keep_weak(m: Mention, text: str, strong: set[str], ends: frozenset[int] = frozenset()) -> bool:
    if not m.weak:
        return True
    if m.text in _COMPASS:
        # "the North" for North Korea in an article about it; not "North Darfur"
        after = words_after(text, m.end, 1)
        return m.code in strong and not (after and after[0][:1].isupper())
    if m.code in strong:
        return True
    after = words_after(text, m.end, 1)
    if after and is_title_word(after[0]):
        return True  # "Jordan's King Abdullah", "Georgia's foreign ministry"
    before = text[: m.start].rstrip()
    if before and before.split()[-1][:1].isupper() and not before.endswith((",", ".", ";", ":")):
        return False  # "Michael Jordan"
    longer = _LONGER_NAME.search(before)
    if longer and longer.start(1) not in ends:
        return False  # "the Peace and Security Council": part of a longer name
    if _PLACE_PREPOSITION.search(before) and not (
        after and after[0][:1].isupper()
    ):
        return True  # a place after a preposition: "troops from Chad", "a visit to Jordan"
    # The subject of a statement: "Jordan condemned", "Chad said", "Georgia has ..."
    return bool(after) and (after[0] in _STATEMENT_VERBS or after[0].endswith("ed"))


_COMPASS = frozenset({"North", "South"})
_LONGER_NAME = re.compile(r"[A-Z][\w-]+(\s+(?:and|of|for|&))$")
_PLACE_PREPOSITION = re.compile(r"\b(?:from|to|in|into|with|against|on)$")
_STATEMENT_VERBS = frozenset("said says has have will would is was also warned urged".split())


def _in_a_list(m: Mention, text: str, plain: list[Mention]) -> bool:
    """Is ``m`` one item of a list of actors ('Saudi Arabia, Jordan and the U.A.E.')?"""
    return any(
        p.end <= m.start and _is_list_gap(text[p.end : m.start])
        or m.end <= p.start and _is_list_gap(text[m.end : p.start])
        for p in plain
    )


def _is_list_gap(gap: str) -> bool:
    return bool(_CONJUNCTION_GAP.match(gap) or _AND_GAP.match(gap))


def _resolve_weak(mentions: list[Mention], text: str, strong: set[str]) -> list[Mention]:
    ends = frozenset(m.end for m in mentions if not m.weak)
    plain = [m for m in mentions if not m.weak and m.kind in ("name", "capital", "org")]
    by_span: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        by_span.setdefault((m.start, m.end), []).append(m)
    kept = []
    for group in by_span.values():
        if len(group) > 1:
            group = [m for m in group if m.code in strong] or []
            group = group[:1]
        kept += [m for m in group if _keep_weak(m, text, strong, ends)
                 or m.weak and m.kind == "name" and _in_a_list(m, text, plain)]
    return kept


def _without_ethnic_groups(mentions: list[Mention], text: str) -> list[Mention]:
    """'Bosnian Croat', 'Kosovo Albanian': a nationality word right after another
    actor's name names a people of that place, not its own state."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (prev is not None and m.kind in ("adj", "demonym") and prev.kind in ("adj", "demonym", "name")
                and prev.code != m.code and text[prev.end : m.start] == " "):
            continue
        out.append(m)
    return out


def _owner_before(mentions: list[Mention], text: str, start: int) -> Mention | None:
    for m in reversed(mentions):
        if m.end <= start and m.kind != "person":
            gap = text[m.end : start]
            return m if _OWNER_GAP.match(gap) else None
    return None


def _owner_after(mentions: list[Mention], text: str, end: int) -> Mention | None:
    for m in mentions:
        if m.start >= end and m.kind != "person":
            return m if _POSTPOSED_OWNER.match(text[end : m.start]) else None
    return None


def _non_state_before(toks: list[Token], i: int) -> bool:
    if i > 0 and toks[i - 1].lower in NON_STATE_WORDS:
        return True
    if i > 0 and toks[i - 1].text[0].isupper() and toks[i - 1].text not in _STOP_CAPITALS:
        return i == 1 or toks[i - 2].text not in ("'s",)  # e.g. "Hamas political chief"
    return False


def _without_possessive(name: str) -> str:
    """'Emmanuel Macron's' -> 'Emmanuel Macron' (apostrophes are straight by now)."""
    if name.endswith("'s"):
        return name[:-2]
    return name[:-1] if name.endswith("s'") else name


def _inside(sdoc: SentenceDoc, start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in sdoc.mentions)


class Analyser:
    """Finds actors, people and pronouns in an article's sentences."""

    def __init__(self, gazetteer: Gazetteer, holders: tuple[OfficeHolder, ...]):
        self.gazetteer = gazetteer
        self.holders = holders

    def analyse(self, text: str, published: date | None, title: str = "") -> ArticleDoc:
        doc = self._analyse(text, published)
        if title.strip():
            # A weak name in the headline ("Niger junta") counts when the body names its
            # actor unambiguously ("Niamey", "Nigerien").
            head = self._analyse(title.strip(), published, doc.strong_codes)
            doc.title = head.sentences[0] if head.sentences else None
        return doc

    def _analyse(self, text: str, published: date | None, strong: set[str] = frozenset()) -> ArticleDoc:
        text = normalise(text)
        sentences = split_sentences(text)
        raw = [self.gazetteer.find(s.text) for s in sentences]
        strong = {m.code for ms in raw for m in ms if not m.weak} | strong
        doc = ArticleDoc(text, published, [], Registry(), strong)
        for sentence, found in zip(sentences, raw, strict=True):
            mentions = _without_ethnic_groups(_resolve_weak(found, sentence.text, strong), sentence.text)
            sdoc = SentenceDoc(sentence, sentence.text, mentions)
            self._people(doc, sdoc)
            sdoc.mentions.sort(key=lambda m: (m.start, -m.end))
            doc.sentences.append(sdoc)
        return doc

    def _people(self, doc: ArticleDoc, sdoc: SentenceDoc) -> None:
        text, toks = sdoc.text, tokens(sdoc.text)
        people: list[Mention] = []
        covered = [False] * len(toks)  # tokens inside an actor mention
        offsets = toks.starts
        for m in sdoc.mentions:
            for t in range(bisect_left(offsets, m.start), len(offsets)):
                if offsets[t] >= m.end:
                    break
                covered[t] = True
        # A person or a title starts with a capital or a title word.
        words = toks.words
        starts = [i for i, word in enumerate(words) if (
            word[0].isupper() or word in TITLE_WORDS or "-" in word and is_title_word(word)
        ) and not covered[i]]
        done = 0
        for i in starts:
            if i < done:
                continue
            j = title_chain_end(words, i) if is_title_word(words[i]) else i
            k = name_end(words, j)
            done = max(done, j)
            if k > j and not any(covered[j:k]):
                name = _without_possessive(text[offsets[j] : offsets[k - 1] + len(words[k - 1])].rstrip(".,"))
                title = text[offsets[i] : offsets[j - 1] + len(words[j - 1])] if j > i else ""
                span = (offsets[i], offsets[k - 1] + len(words[k - 1]))
                mention = self._person(doc, sdoc, toks, i, j, k, name, title, span)
                if mention is not None:
                    people.append(mention)
                    done = k
                elif not title and words[j] not in _STOP_CAPITALS:
                    done = k  # a run of capitals that names no one: none of its tails does either
        sdoc.mentions += people

    def _person(self, doc, sdoc, toks, i, j, k, name, title, span) -> Mention | None:
        text = sdoc.text
        start, end = span
        if text[end - 1] in ".,":
            end -= 1
        known = doc.registry.lookup(name)
        if not title:
            if known is None and toks.words[j] in _STOP_CAPITALS and k - j == 1:
                return None
            if known is None and any(m.end == start - 1 and text[m.end] == " " for m in sdoc.mentions):
                return None  # "the United Nations Emergency Relief Coordinator": an office
            owner = _owner_after(sdoc.mentions, text, end)
            if known is None and owner is None:
                code = lookup_office(name, doc.published, self.holders)
                if not code:
                    return None
                known = Person(name, code, "", sdoc.sentence.index)
                doc.registry.add(known)
            elif owner is not None:
                known = Person(name, owner.code, "", sdoc.sentence.index)
                doc.registry.add(known)
            return Mention(start, end, known.code, "person", text[start:end], person=known.name,
                           title=known.title)
        owner = _owner_before(sdoc.mentions, text, start) or _owner_after(sdoc.mentions, text, end)
        if owner is not None:
            code = owner.code
            if owner.end <= start:
                start = owner.start
        elif any(t.lower in NON_STATE_WORDS for t in toks[i:j]) or _non_state_before(toks, i):
            code = ""
        else:
            code = lookup_office(name, doc.published, self.holders) or (known.code if known else "?")
        person = Person(name, code, title, sdoc.sentence.index)
        doc.registry.add(person)
        return Mention(start, end, code, "person", text[start:end], person=name, title=title)

    @staticmethod
    def pronouns_and_voices(sdoc: SentenceDoc) -> None:
        """Add pronouns, group nouns ('the bloc') and non-state voices ('analysts') to a
        sentence's mentions. Only sentences with a stance cue need them."""
        extra = []
        for m in _POSSESSED_OFFICE.finditer(sdoc.text):
            if not _inside(sdoc, m.start(), m.end()):
                kind = "pronoun-actor" if m.group(1).lower() in ("their", "its") else "pronoun-person"
                extra.append(Mention(m.start(), m.end(), "", kind, m.group()))
        if " the " in sdoc.text or "The " in sdoc.text:
            for m in _GROUP_NOUNS.finditer(sdoc.text):
                if not _inside(sdoc, m.start(), m.end()):
                    extra.append(Mention(m.start(), m.end(), "", "pronoun-actor", m.group()))
        for m in ARMED_GROUPS.finditer(sdoc.text):
            if not _inside(sdoc, m.start(), m.end()):
                extra.append(Mention(m.start(), m.end(), "", "non-state", m.group()))
        toks = tokens(sdoc.text)
        words = toks.words
        wanted = _VOICE_FORMS.intersection(words)
        for i in (i for i, word in enumerate(words) if word in wanted) if wanted else ():
            kind = _PRONOUNS.get(words[i].lower())
            tok = toks[i]
            if _inside(sdoc, tok.start, tok.end) or any(
                m.start <= tok.start < m.end for m in extra
            ):
                continue
            if kind == "self" and sdoc.text.count('"', 0, tok.start) % 2:
                continue  # "we" inside a quotation is whoever is quoted, found by "said"
            if kind:
                extra.append(Mention(tok.start, tok.end, "", f"pronoun-{kind}", tok.text))
            else:
                extra.append(Mention(tok.start, tok.end, "", "non-state", tok.text))
        sdoc.mentions += extra
        sdoc.mentions.sort(key=lambda m: (m.start, -m.end))
