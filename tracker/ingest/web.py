"""Web inputs: an http(s) URL of an article page, a plain-text page, or an RSS/Atom feed.

- Pages are fetched with an injected `httpx.Client` (`make_client` builds the default:
  20 s timeout, User-Agent `tracker/0.1`, redirects followed). A download is streamed
  and stops at `Limits.max_file_bytes` (25 MiB).
- HTML pages go through `tracker.ingest.html`; the fetched URL is kept unless the page
  names a canonical one.
- A feed is recognised by its content type (`rss`, `atom`) or by sniffing `<rss`,
  `<feed` or `<rdf:RDF` at its start, and parsed with feedparser. Each of its first
  `Limits.max_feed_entries` entries becomes one article: from the entry's own content
  when it carries the full text (500 characters or more), else from the page its link
  points to. Entry title, date and the feed's title fill what the page lacks.
- Failures are `IngestError`s with the URL as origin: "HTTP 404", "timed out after
  20 s", "connection refused", "could not resolve host", "too large (...)".
"""

from __future__ import annotations

import dataclasses
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import feedparser
import httpx
import lxml.html
from lxml.etree import ParserError

from tracker.ingest.core import IngestError, IngestFailure, Limits, build_article
from tracker.ingest.decode import decode_bytes, too_large
from tracker.ingest.html import article_from_html
from tracker.ingest.text import first_line_title
from tracker.types import Article

logger = logging.getLogger(__name__)

USER_AGENT = "tracker/0.1"
FULL_TEXT_MIN_CHARS = 500
"""Feed entry content at least this long is taken as the full article."""

_FEED_SNIFF = re.compile(rb"<(rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
_HTML_SNIFF = re.compile(rb"<(!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_BLOCK_TAGS = re.compile(r"</?(p|div|br|li|h[1-6]|blockquote|tr|section|article)\b[^>]*>", re.I)

Result = Article | IngestError


@dataclass(frozen=True, slots=True)
class Page:
    """A downloaded resource: its final URL, bytes, media type and declared charset."""

    url: str
    data: bytes
    media_type: str
    charset: str | None


def is_url(source: str) -> bool:
    """True for an http or https URL."""
    return source.lower().startswith(("http://", "https://"))


def make_client(limits: Limits) -> httpx.Client:
    """The default HTTP client: `limits.timeout_seconds`, our User-Agent, redirects followed."""
    return httpx.Client(
        timeout=limits.timeout_seconds,
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,
        max_redirects=10,
    )


def read_url(url: str, client: httpx.Client, limits: Limits) -> Iterator[Result]:
    """Fetch a URL and yield the article it holds, or one per entry of a feed.

    Raises:
        IngestFailure: the URL cannot be fetched or holds no article.
    """
    page = fetch(url, client, limits)
    if is_feed(page):
        yield from _read_feed(page, url, client, limits)
    else:
        yield _page_article(page, url, limits)


def fetch(url: str, client: httpx.Client, limits: Limits) -> Page:
    """Download `url` with `client`, stopping at `limits.max_file_bytes`.

    Raises:
        IngestFailure: an HTTP error status, a timeout, a connection failure, too large.
    """
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise IngestFailure(f"HTTP {response.status_code}")
            data = _read_capped(response, limits)
            media_type = response.headers.get("content-type", "").split(";")[0]
            return Page(str(response.url), data, media_type.strip().lower(), response.charset_encoding)
    except httpx.TimeoutException as error:
        raise IngestFailure(f"timed out after {_timeout_of(client, error):g} s") from None
    except httpx.ConnectError as error:
        raise IngestFailure(_connect_reason(error)) from None
    except httpx.TooManyRedirects:
        raise IngestFailure("too many redirects") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        raise IngestFailure(f"invalid URL: {error}") from None
    except httpx.HTTPError as error:
        raise IngestFailure(f"download failed: {error}") from None


def _read_capped(response: httpx.Response, limits: Limits) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_file_bytes:
        raise IngestFailure(too_large(int(declared), limits))
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limits.max_file_bytes:
            raise IngestFailure(too_large(None, limits))
        chunks.append(chunk)
    return b"".join(chunks)


def _timeout_of(client: httpx.Client, error: httpx.TimeoutException) -> float:
    timeout = client.timeout
    by_kind = (
        (httpx.ConnectTimeout, timeout.connect),
        (httpx.ReadTimeout, timeout.read),
        (httpx.WriteTimeout, timeout.write),
        (httpx.PoolTimeout, timeout.pool),
    )
    for kind, seconds in by_kind:
        if isinstance(error, kind) and seconds is not None:
            return seconds
    return max((s for _, s in by_kind if s is not None), default=0.0)


def _connect_reason(error: httpx.ConnectError) -> str:
    message = str(error).lower()
    if "refused" in message:
        return "connection refused"
    if "name or service" in message or "name resolution" in message or "nodename" in message:
        return "could not resolve host"
    return f"connection failed: {error}"


def is_feed(page: Page) -> bool:
    """An RSS/Atom feed by content type, or by its first tag when the type says XML."""
    if "rss" in page.media_type or "atom" in page.media_type:
        return True
    head = page.data[:1024]
    return bool(_FEED_SNIFF.search(head)) and not _HTML_SNIFF.search(head)


def _page_article(page: Page, origin: str, limits: Limits) -> Article:
    """The article in a fetched page: HTML, or plain text as it is."""
    if page.media_type == "text/plain":
        text = decode_bytes(page.data, limits, declared=page.charset)
        return build_article(text, limits, origin=origin, url=page.url, title=first_line_title(text))
    if page.media_type in ("text/html", "application/xhtml+xml", "") or _HTML_SNIFF.search(page.data[:1024]):
        return article_from_html(page.data, limits, origin=origin, url=page.url, charset=page.charset)
    raise IngestFailure(f"unsupported content type '{page.media_type}'")


def _read_feed(page: Page, origin: str, client: httpx.Client, limits: Limits) -> Iterator[Result]:
    parsed = feedparser.parse(
        io.BytesIO(page.data),
        response_headers={"content-location": page.url, "content-type": page.media_type},
    )
    entries = parsed.entries
    if not entries:
        raise IngestFailure(
            f"invalid feed: {parsed.bozo_exception}" if parsed.bozo else "feed has no entries"
        )
    if len(entries) > limits.max_feed_entries:
        logger.warning(
            "%s: reading the first %d of %d feed entries",
            origin,
            limits.max_feed_entries,
            len(entries),
        )
    outlet = parsed.feed.get("title", "")
    for index, entry in enumerate(entries[: limits.max_feed_entries]):
        yield _feed_entry(entry, f"{origin}#{index}", outlet, client, limits)


def _feed_entry(
    entry: dict, fallback_origin: str, outlet: str, client: httpx.Client, limits: Limits
) -> Result:
    """One feed entry as an Article, or an IngestError whose origin is the entry's link."""
    link = (entry.get("link") or "").strip()
    origin = link or fallback_origin
    try:
        article = _entry_article(entry, link, origin, client, limits)
    except IngestFailure as failure:
        return IngestError(origin, failure.reason)
    return dataclasses.replace(
        article,
        title=article.title or " ".join(entry.get("title", "").split()),
        published=article.published or _entry_date(entry),
        outlet=article.outlet or outlet,
        url=article.url or link or None,
    )


def _entry_article(entry: dict, link: str, origin: str, client: httpx.Client, limits: Limits) -> Article:
    content = _fragment_text(" ".join(c.get("value", "") for c in entry.get("content", [])))
    if content and (len(content) >= FULL_TEXT_MIN_CHARS or not link):
        return build_article(content, limits, origin=origin, url=link or None)
    if link:
        page = fetch(link, client, limits)
        return _page_article(page, origin, limits)
    summary = _fragment_text(entry.get("summary", ""))
    if summary:
        return build_article(summary, limits, origin=origin)
    raise IngestFailure("feed entry has no link and no text")


def _fragment_text(html: str) -> str:
    """Plain text of an HTML fragment from a feed, one paragraph per block."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(_BLOCK_TAGS.sub("\n", html), create_parent="div")
    except (ParserError, ValueError):
        return ""
    lines = (line.strip() for line in root.text_content().splitlines())
    return "\n\n".join(line for line in lines if line)


def _entry_date(entry: dict) -> date | None:
    # dict.get: feedparser warns when `updated_parsed` is read and silently missing.
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    return date(*parsed[:3]) if parsed else None
