"""The values that flow through the pipeline: an Article in, Reactions out.

Ingest makes Articles, extract turns one Article into Reactions, store writes both.
Neither value knows about the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date


def content_hash(text: str) -> str:
    """Hash of an article's text with whitespace normalised, so re-wrapped copies match."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as ingest hands it on.

    Attributes:
        text: clean plain text of the article body (never HTML).
        id: the input's own identifier when it has one (JSON/CSV `id`), else None.
        title, url, published, outlet, language: metadata when known.
        origin: where it came from, for messages (`path`, `path:line`, or a URL).
    """

    text: str
    id: str | None = None
    title: str = ""
    url: str | None = None
    published: date | None = None
    outlet: str = ""
    language: str = ""
    origin: str = ""

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    @property
    def key(self) -> str:
        """The article id used in extract output: its own id, else its origin."""
        return self.id if self.id else self.origin


@dataclass(frozen=True, slots=True)
class Reaction:
    """One reaction of a source actor, with its evidence.

    Offsets `char_start`/`char_end` locate `sentence` in the article text.
    `cue` is the text that triggered it and `rule` names the rule that fired.
    """

    source: str
    stance: str
    targets: tuple[str, ...] = ()
    speaker: str = ""
    speaker_title: str = ""
    quote: str = ""
    sentence: str = ""
    char_start: int = 0
    char_end: int = 0
    cameo: str = ""
    plover: str = ""
    polarity: int = 0
    confidence: float = 0.5
    cue: str = ""
    rule: str = ""
