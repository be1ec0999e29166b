"""Extraction: a pure function from an Article to its Reactions.

The pipeline is a visible, ordered list of plain steps (see ARCHITECTURE.md):
sentences, mentions, who is who, cues, reactions. Lexicons are read once, from
data files beside this module and the extra files named by settings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from tracker.actors import load_actors, load_office_holders
from tracker.extract.analyse import Analyser
from tracker.extract.cues import load_cues
from tracker.extract.gazetteer import Gazetteer
from tracker.extract.people import forget_sentences
from tracker.extract.reactions import ReactionFinder
from tracker.types import Article, Reaction

__all__ = ["EXTRACTOR_VERSION", "Extractor", "extract", "get_extractor"]

EXTRACTOR_VERSION = "rules-0.1"


class Extractor:
    """Holds the compiled lexicons; ``extract`` is pure given them."""

    def __init__(self, actor_files: Sequence[Path] = (), cue_files: Sequence[Path] = ()):
        actors = load_actors(tuple(actor_files))
        self.analyser = Analyser(Gazetteer(actors), load_office_holders(tuple(actor_files)))
        self.finder = ReactionFinder(load_cues(tuple(cue_files)))

    def extract(self, article: Article) -> list[Reaction]:
        """The reactions reported in ``article``, in text order, without duplicates."""
        if article.language and article.language != "en":
            return []
        forget_sentences()
        doc = self.analyser.analyse(article.text, article.published, article.title)
        return _dedupe(self.finder.find(doc))


def _dedupe(reactions: list[Reaction]) -> list[Reaction]:
    """One reaction per source and stance in a sentence, with the targets of all its cues.

    Targets named in the sentence win over targets guessed from the article
    (``+context-target``): the reaction whose cue named them is kept."""
    merged: dict[tuple, Reaction] = {}
    for r in reactions:
        key = (r.source, r.stance, r.char_start)
        first = merged.get(key)
        guessed = "+context-target" in r.rule
        if first is None or "+context-target" in first.rule and not guessed:
            merged[key] = r
        elif not guessed and not set(r.targets) <= set(first.targets):
            targets = first.targets + tuple(t for t in r.targets if t not in first.targets)
            merged[key] = dataclasses.replace(first, targets=targets)
    return list(merged.values())


@lru_cache(maxsize=8)
def get_extractor(actor_files: tuple[Path, ...] = (), cue_files: tuple[Path, ...] = ()) -> Extractor:
    """A shared extractor per set of extra files, built once."""
    return Extractor(actor_files, cue_files)


def extract(article: Article) -> list[Reaction]:
    """Extract reactions from one article with the built-in lexicons."""
    return get_extractor().extract(article)
