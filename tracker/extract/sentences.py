"""Step 1: normalise text and split it into sentences with character offsets.

News abbreviations (``U.S.``, ``Gen.``, ``Oct.``, initials) do not end a sentence;
a paragraph break always does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj sgt capt cpt adm gov sen rep rev st jr sr
    jan feb mar apr jun jul aug sep sept oct nov dec no nos inc ltd co corp vs etc
    approx dept est fig mt ft univ pres amb min sec"""
    .split()
)
_SENTENCE_STARTERS = frozenset(
    """The A An It He She They We In On At But And Its His Her Their This That These
    Those Last Earlier Later Meanwhile However Officials Speaking After Before When
    While As If Since""".split()
)

# A candidate end: ., ! or ? with closing quotes/brackets, then space, then a likely start.
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"“‘(]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n\s*")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_FOLLOWING = re.compile(r"\s*([^ ]*)")  # the next word
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?\.?")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\u00a0": " "})


@dataclass(slots=True)
class Sentence:
    """A sentence and where it sits in the article text (a value; not frozen, which is
    slower to build)."""

    index: int
    start: int
    end: int
    text: str


def normalise(text: str) -> str:
    """Curly quotes to straight ones, no-break spaces to spaces; length is kept."""
    return text.translate(_QUOTES)


def _is_abbreviation(text: str, dot: int) -> bool:
    match = _WORD_BEFORE.search(text, max(0, dot - 64), dot + 1)  # the last word is enough
    if not match:
        return False
    word = match.group(1)
    if _INITIALS.fullmatch(word):
        # U.S. / U.N. / initials: a boundary only before a typical sentence start.
        following = _FOLLOWING.match(text, dot + 1).group(1).strip("\"'“(")
        return following not in _SENTENCE_STARTERS
    return word.rstrip(".").lower() in _ABBREVIATIONS


def _split_paragraph(text: str, offset: int) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _BOUNDARY.finditer(text):
        dot = match.start()
        if text[dot] == "." and _is_abbreviation(text, dot):
            continue
        spans.append((offset + start, offset + match.end()))
        start = match.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if text[start:].strip():
        spans.append((offset + start, offset + len(text.rstrip())))
    return spans


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; offsets index into ``text`` itself."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _PARAGRAPH.finditer(text):
        spans += _split_paragraph(text[start : match.start()], start)
        start = match.end()
    spans += _split_paragraph(text[start:], start)
    return [
        Sentence(i, s, e, text[s:e]) for i, (s, e) in enumerate(sp for sp in spans if sp[1] > sp[0])
    ]
