"""Evidence sentences with the actor, the cue and the targets marked, as safe Markdown.

Article text and quotes are never rendered as HTML: every character of the sentence
that Markdown could read as syntax is backslash-escaped, and the marks are
Streamlit's own coloured-background directives around escaped text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

MARKS: dict[str, str] = {"actor": "blue", "cue": "orange", "target": "violet"}
"""The background colour of each kind of mark."""

LEGEND = "Marked: :blue-background[source actor] · :orange-background[cue] · :violet-background[target]"

_ALIAS_FIELDS = ("names", "adjectives", "demonyms", "capitals", "seats", "weak")
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_WHITESPACE = re.compile(r"\s+")


@cache
def _actors() -> Mapping[str, Any]:
    from tracker.actors import load_actors

    return load_actors()


def aliases(code: str, actors: Mapping[str, Any] | None = None) -> tuple[str, ...]:
    """Every way a text names an actor (names, adjectives, demonyms, capitals, seats), and its code."""
    info = (actors if actors is not None else _actors()).get(code)
    found = [code] if code else []
    if info is not None:
        for name in _ALIAS_FIELDS:
            found.extend(getattr(info, name))
    return tuple(dict.fromkeys(a for a in found if a))


def _occurrences(text: str, words: Iterable[str], *, ignore_case: bool = False) -> list[tuple[int, int]]:
    """Spans of whole-word occurrences of any of the words, longest words first."""
    ordered = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    if not ordered:
        return []
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in ordered) + r")(?!\w)",
        re.IGNORECASE if ignore_case else 0,
    )
    return [m.span() for m in pattern.finditer(text)]


def marks(
    sentence: str,
    *,
    source: str = "",
    targets: Sequence[str] = (),
    cue: str = "",
    speaker: str = "",
    actors: Mapping[str, Any] | None = None,
) -> list[tuple[int, int, str]]:
    """Where the cue, the source actor (or its speaker) and the targets are in the sentence.

    The cue wins over actors, and the source over targets, where they overlap.

    Returns:
        Non-overlapping `(start, end, kind)` spans in order; kind is a `MARKS` key.
    """
    speaker_words = [speaker, speaker.split()[-1]] if speaker.strip() else []
    wanted = [
        ("cue", _occurrences(sentence, [cue], ignore_case=True)),
        ("actor", _occurrences(sentence, [*aliases(source, actors), *speaker_words])),
        ("target", _occurrences(sentence, [a for t in targets for a in aliases(t, actors)])),
    ]
    taken: list[tuple[int, int, str]] = []
    for kind, spans in wanted:
        for start, end in spans:
            if all(end <= s or start >= e for s, e, _ in taken):
                taken.append((start, end, kind))
    return sorted(taken)


def escape_markdown(text: str) -> str:
    """Text that Streamlit's Markdown shows exactly as it is: no formatting, links, HTML or maths.

    Every ASCII punctuation character gets a backslash (CommonMark shows `\\*` as
    `*`) and runs of whitespace, newlines included, become one space.
    """
    return _PUNCTUATION.sub(r"\\\1", _WHITESPACE.sub(" ", text))


def to_markdown(sentence: str, spans: Sequence[tuple[int, int, str]]) -> str:
    """The sentence as escaped Markdown with each span in its colour."""
    parts, position = [], 0
    for start, end, kind in spans:
        parts.append(escape_markdown(sentence[position:start]))
        parts.append(f":{MARKS[kind]}-background[{escape_markdown(sentence[start:end])}]")
        position = end
    parts.append(escape_markdown(sentence[position:]))
    return "".join(parts).strip()


def highlighted(row: Mapping[str, Any], actors: Mapping[str, Any] | None = None) -> str:
    """A reaction row's sentence (`sentence`, `source`, `targets`, `cue`, `speaker`) as marked Markdown.

    `targets` may be a list of codes or a comma-separated string of them.
    """
    targets = row.get("targets") or []
    if isinstance(targets, str):
        targets = [t.strip() for t in targets.split(",") if t.strip()]
    sentence = str(row.get("sentence") or "")
    spans = marks(
        sentence,
        source=str(row.get("source") or ""),
        targets=targets,
        cue=str(row.get("cue") or ""),
        speaker=str(row.get("speaker") or ""),
        actors=actors,
    )
    return to_markdown(sentence, spans)
