"""The flow of the tool: inputs -> ingest -> extract -> store, as library calls.

The CLI and the dashboard both go through these functions, so an article pasted
in the browser is handled exactly like one ingested from the command line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy.engine import Engine

from tracker import store
from tracker.actors import load_actors
from tracker.config import Settings
from tracker.extract import EXTRACTOR_VERSION, get_extractor
from tracker.ingest import IngestError, Limits, iter_inputs
from tracker.types import Article, Reaction

log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did."""

    added: int = 0
    duplicates: int = 0
    reactions: int = 0
    not_english: int = 0
    errors: list[IngestError] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.errors)


def limits_from(settings: Settings) -> Limits:
    return Limits(
        max_file_bytes=settings.max_file_mb * 1024 * 1024,
        max_article_chars=settings.max_article_chars,
    )


def extract_article(article: Article, settings: Settings) -> list[Reaction]:
    """Reactions of one article with the lexicons the settings name."""
    return get_extractor(settings.actors_files, settings.cues_files).extract(article)


def extract_inputs(
    inputs: Sequence[str], settings: Settings
) -> Iterator[tuple[Article, list[Reaction]] | IngestError]:
    """Read ``inputs`` and extract each article, without any database."""
    for item in iter_inputs(inputs, limits_from(settings)):
        if isinstance(item, IngestError):
            yield item
        else:
            yield item, extract_article(item, settings)


def save(engine: Engine, article: Article, settings: Settings) -> store.SaveResult:
    """Extract ``article`` and write it with its reactions in one transaction."""
    if store.find_article(engine, article) is not None:
        return store.SaveResult("duplicate", None, 0)
    return store.save_article(
        engine, article, extract_article(article, settings), EXTRACTOR_VERSION,
        actors=_actors(settings.actors_files),
    )


@lru_cache(maxsize=8)
def _actors(paths: tuple) -> dict:
    """The actor dictionary with the extra files, read once per set of files."""
    return load_actors(paths)


def ingest(
    inputs: Sequence[str],
    engine: Engine,
    settings: Settings,
    on_item: Callable[[Article | IngestError], None] | None = None,
) -> IngestReport:
    """Ingest every input; a bad input is reported and the others still go in."""
    report = IngestReport()
    for item in iter_inputs(inputs, limits_from(settings)):
        if isinstance(item, IngestError):
            report.errors.append(item)
        else:
            _ingest_one(engine, item, settings, report)
        if on_item is not None:
            on_item(item)
    return report


def _ingest_one(engine: Engine, article: Article, settings: Settings, report: IngestReport) -> None:
    try:
        result = save(engine, article, settings)
    except Exception as exc:  # one article failing must not stop the others
        log.debug("saving %s failed", article.origin, exc_info=True)
        report.errors.append(IngestError(article.origin, f"could not be stored: {exc}"))
        return
    if result.status == "added":
        report.added += 1
        report.reactions += result.reactions
        if article.language and article.language != "en":
            report.not_english += 1
    else:
        report.duplicates += 1
