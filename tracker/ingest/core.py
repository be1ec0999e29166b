"""Shared pieces of ingest: the error value, the limits, and the one way to build an Article.

Every reader raises `IngestFailure` for a bad input (or yields an `IngestError` for one
bad record among good ones); `tracker.ingest.inputs` turns failures into `IngestError`
values, so no exception escapes `iter_inputs` for one bad input.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from tracker.ingest.language import guess_language
from tracker.types import Article

logger = logging.getLogger(__name__)

MIB = 1024 * 1024

# C0 controls except tab and newline (carriage returns are normalised before), DEL,
# C1 controls, lone surrogates (from JSON escapes; not encodable) and BOMs.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")
_NEWLINES = re.compile("\r\n?")


@dataclass(frozen=True, slots=True)
class IngestError:
    """One input (or one record of it) that could not be turned into an Article.

    Attributes:
        origin: the input: a path, `path:line`, `path#index` or a URL.
        reason: one short human line saying what is wrong.
    """

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


class IngestFailure(Exception):
    """Raised inside readers for a bad input; becomes an `IngestError` with its origin."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    """What ingest accepts. Inputs beyond a limit become an `IngestError`, never a crash.

    Attributes:
        max_file_bytes: largest file or download read (25 MiB); checked with `stat` or
            the Content-Length before reading, and while streaming a download.
        max_article_chars: longest article text kept (1,000,000 characters, about 150,000
            words); longer texts are an error, not cut, since they are not one article.
        max_binary_ratio: share of control bytes (NUL and other C0 bytes except tab,
            newline, carriage return and form feed) above which bytes are binary (5%;
            text has almost none, random binary data about 11%).
        max_feed_entries: entries read from one RSS/Atom feed (100).
        timeout_seconds: timeout of the HTTP client that `iter_inputs` creates when it
            is given none (20 s).
    """

    max_file_bytes: int = 25 * MIB
    max_article_chars: int = 1_000_000
    max_binary_ratio: float = 0.05
    max_feed_entries: int = 100
    timeout_seconds: float = 20.0


DEFAULT_LIMITS = Limits()


def clean_text(text: str) -> str:
    """Normalise newlines to `\\n` and drop control characters (NUL too), keeping lines."""
    return _CONTROL_CHARS.sub("", _NEWLINES.sub("\n", text))


def check_text(text: str, limits: Limits) -> str:
    """Return `text` if it is an acceptable article body.

    Raises:
        IngestFailure: when the text is blank or longer than `limits.max_article_chars`.
    """
    if not text.strip():
        raise IngestFailure("no text (blank)")
    if len(text) > limits.max_article_chars:
        raise IngestFailure(
            f"article too long ({len(text):,} characters; limit "
            f"{limits.max_article_chars:,}, set TRACKER_MAX_ARTICLE_CHARS)"
        )
    return text


def build_article(
    text: str,
    limits: Limits,
    *,
    origin: str,
    id: str | None = None,
    title: str = "",
    url: str | None = None,
    published: date | None = None,
    outlet: str = "",
) -> Article:
    """Clean and check `text`, guess its language and make the Article.

    Raises:
        IngestFailure: when the cleaned text is blank or too long.
    """
    body = check_text(clean_text(text).strip(), limits)
    return Article(
        text=body,
        id=id,
        title=" ".join(clean_text(title).split()),
        url=(url.strip() or None) if url else None,
        published=published,
        outlet=" ".join(clean_text(outlet).split()),
        language=guess_language(body),
        origin=origin,
    )


def parse_date(value: object) -> date | None:
    """An ISO date or datetime (`2024-10-21`, `2024-10-21T09:30:00Z`) as a date, else None.

    A datetime keeps its own calendar day (no conversion to UTC): that is the day the
    outlet published it. Anything unparseable is logged and dropped, not an error.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()
    try:
        return datetime.fromisoformat(raw).date()
    except ValueError:
        logger.info("ignoring unparseable date %r", raw)
        return None
