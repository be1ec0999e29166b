"""HTML pages: the main text and metadata, found by trafilatura.

- The page is decoded like any text (see `tracker.ingest.decode`), honouring a
  `<meta charset>` or the HTTP charset when the bytes are not UTF-8.
- trafilatura keeps the article body without navigation, comments or tables, and reads
  the title, publication date (from metadata and markup, not guessed from the text),
  canonical URL and site name (the outlet).
- Paragraphs are separated by a blank line; a first line that repeats the title is
  dropped, since the title is kept apart, as in the evaluation files.
- A page with no article text is an error: "no article text found in HTML".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import datetime

import trafilatura
from trafilatura.settings import Document

from tracker.ingest.core import IngestFailure, Limits, build_article, parse_date
from tracker.ingest.decode import decode_bytes, read_bytes
from tracker.types import Article

logger = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def read_html_file(path: str, limits: Limits) -> Iterator[Article]:
    """Read an `.html`/`.htm` file as one article.

    Raises:
        IngestFailure: unreadable, undecodable, or no article text in it.
    """
    data = read_bytes(path, limits)
    yield article_from_html(data, limits, origin=path)


def article_from_html(
    data: bytes,
    limits: Limits,
    *,
    origin: str,
    url: str | None = None,
    charset: str | None = None,
) -> Article:
    """Extract the article in an HTML page.

    Args:
        data: the page as bytes.
        limits: size and length limits.
        origin: where the page came from, for messages.
        url: the address it was fetched from, if any; the page's canonical URL wins.
        charset: the charset an HTTP response declared, if any.

    Raises:
        IngestFailure: undecodable, blank, or no article text found.
    """
    html = decode_bytes(data, limits, declared=charset or declared_charset(data))
    document = _extract(html, url)
    title = (document.title or "") if document else ""
    body = body_text(document.text or "", title) if document else ""
    if not document or not body:
        raise IngestFailure("no article text found in HTML")
    return build_article(
        body,
        limits,
        origin=origin,
        title=title,
        url=document.url or url,
        published=parse_date(document.date),
        outlet=document.sitename or "",
    )


def declared_charset(data: bytes) -> str | None:
    """The charset named by a `<meta charset>` in the first 4 KB of a page, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def body_text(text: str, title: str) -> str:
    """Paragraphs separated by blank lines, without a first line repeating the title."""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    if paragraphs and title and paragraphs[0].casefold() == title.strip().casefold():
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def _extract(html: str, url: str | None) -> Document | None:
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={
                "extensive_search": False,
                "original_date": True,
                "max_date": datetime.now().strftime("%Y-%m-%d"),
            },
        )
    except (ValueError, TypeError, AttributeError) as error:  # malformed markup
        logger.debug("trafilatura failed: %s", error)
        return None
    return document if isinstance(document, Document) else None
