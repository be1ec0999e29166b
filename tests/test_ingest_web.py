"""Ingest from the web: pages, feeds and HTTP failures, against a real server on loopback.

The server is `http.server` in a thread on a free port of 127.0.0.1; the HTTP client
is injected, as the CLI does. Nothing is mocked.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from tracker.ingest import DEFAULT_LIMITS, IngestError, Limits, iter_inputs, make_client
from tracker.types import Article

DATA = Path(__file__).parent / "data" / "ingest"
TIMEOUT = 0.3
SLOW = 5.0

NEWS = """<html><head><title>{title}</title>
<meta property="og:site_name" content="Loopback News"></head>
<body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>
<p>{body} The statement was issued after an emergency meeting of the cabinet in the capital.</p>
<p>Officials said further steps would be discussed with partners in the coming days.</p>
</article></body></html>"""

ARTICLES = {
    "/news/one.html": NEWS.format(
        title="Japan condemns missile launch",
        body="Japan condemned the missile launch as a violation of Security Council resolutions.",
    ),
    "/news/two.html": NEWS.format(
        title="Berlin summons ambassador",
        body="Germany summoned the Iranian ambassador to protest against the executions.",
    ),
}

FULL_TEXT = " ".join(["The European Union said on Tuesday it was deeply concerned about the escalation."] * 8)


def rss(base: str) -> str:
    items = "".join(
        f"<item><title>Item {n}</title><link>{base}{path}</link>"
        f"<description>Short summary {n}.</description>"
        f"<pubDate>Mon, 0{n} Jan 2024 10:00:00 GMT</pubDate></item>"
        for n, path in enumerate(ARTICLES, start=1)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Loopback Feed</title><link>{base}/</link>{items}</channel></rss>"
    )


def atom(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Loopback Atom</title>
<entry><title>EU concerned</title><link href="{base}/missing"/>
<updated>2024-02-03T08:00:00Z</updated>
<content type="html">&lt;p&gt;{FULL_TEXT}&lt;/p&gt;&lt;p&gt;Second paragraph.&lt;/p&gt;</content>
</entry>
<entry><title>Gone</title><link href="{base}/missing"/>
<updated>2024-02-04T08:00:00Z</updated></entry>
</feed>"""


class Handler(BaseHTTPRequestHandler):
    """Serves the routes the tests read; records each request's User-Agent."""

    stop = threading.Event()
    user_agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        Handler.user_agents.append(self.headers.get("User-Agent", ""))
        base = f"http://{self.headers['Host']}"
        routes = {
            "/article.html": ("text/html; charset=utf-8", (DATA / "article.html").read_bytes()),
            "/feed.xml": ("application/rss+xml", rss(base).encode()),
            "/atom.xml": ("application/xml", atom(base).encode()),
            "/plain.txt": (
                "text/plain; charset=utf-8",
                b"Kyiv welcomes aid\n\nKyiv said it welcomed the aid.",
            ),
            "/image.png": ("image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
            "/big.html": ("text/html", b"<p>" + b"x" * 4096 + b"</p>"),
            **{path: ("text/html", html.encode()) for path, html in ARTICLES.items()},
        }
        if self.path == "/slow":
            Handler.stop.wait(SLOW)
        if self.path == "/redirect":
            self._send(302, "text/plain", b"", location="/article.html")
        elif self.path in routes:
            self._send(200, *routes[self.path])
        else:
            self._send(404, "text/plain", b"not found")

    def _send(self, status: int, content_type: str, body: bytes, location: str = "") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if location:
                self.send_header("Location", location)
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up (the slow route)
            pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """Base URL of a real HTTP server on a free loopback port."""
    Handler.stop.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.stop.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with make_client(Limits(timeout_seconds=TIMEOUT)) as c:
        yield c


def read(url: str, client: httpx.Client, limits: Limits = DEFAULT_LIMITS) -> list[Article | IngestError]:
    return list(iter_inputs([url], limits, client))


def test_ingest_web_html_article(server: str, client: httpx.Client) -> None:
    (got,) = read(f"{server}/article.html", client)
    assert isinstance(got, Article), str(got)
    assert got.origin == f"{server}/article.html"
    assert got.title == "Seoul summons Russian envoy over North Korean troops"
    assert got.url == "https://wire.example.com/world/seoul-summons-envoy"  # canonical
    assert (got.published, got.outlet, got.language) == (date(2024, 10, 21), "Example Wire", "en")
    assert got.text.startswith("SEOUL, Oct. 21 - South Korea summoned")
    assert Handler.user_agents[-1] == "tracker/0.1"


def test_ingest_web_redirect_followed(server: str, client: httpx.Client) -> None:
    (got,) = read(f"{server}/redirect", client)
    assert isinstance(got, Article) and got.origin == f"{server}/redirect"
    assert got.title == "Seoul summons Russian envoy over North Korean troops"


def test_ingest_web_plain_text(server: str, client: httpx.Client) -> None:
    (got,) = read(f"{server}/plain.txt", client)
    assert isinstance(got, Article)
    assert (got.title, got.url) == ("Kyiv welcomes aid", f"{server}/plain.txt")


def test_ingest_web_rss_feed_fetches_each_article(server: str, client: httpx.Client) -> None:
    items = read(f"{server}/feed.xml", client)
    assert all(isinstance(i, Article) for i in items), [str(i) for i in items]
    assert [(a.origin, a.url, a.title, a.published) for a in items] == [
        (
            f"{server}/news/one.html",
            f"{server}/news/one.html",
            "Japan condemns missile launch",
            date(2024, 1, 1),
        ),
        (
            f"{server}/news/two.html",
            f"{server}/news/two.html",
            "Berlin summons ambassador",
            date(2024, 1, 2),
        ),
    ]
    assert items[0].text.startswith("Japan condemned the missile launch")
    assert items[1].outlet == "Loopback News"


def test_ingest_web_atom_feed_full_text_and_broken_link(server: str, client: httpx.Client) -> None:
    full, gone = read(f"{server}/atom.xml", client)
    assert isinstance(full, Article), str(full)
    assert full.text == FULL_TEXT + "\n\nSecond paragraph."
    assert (full.title, full.published, full.outlet) == (
        "EU concerned",
        date(2024, 2, 3),
        "Loopback Atom",
    )
    assert str(gone) == f"{server}/missing: HTTP 404"


def test_ingest_web_feed_entries_capped(server: str, client: httpx.Client) -> None:
    items = read(f"{server}/feed.xml", client, Limits(max_feed_entries=1))
    assert [i.origin for i in items] == [f"{server}/news/one.html"]


@pytest.mark.parametrize(
    ("path", "limits", "reason"),
    [
        ("/missing", Limits(), "HTTP 404"),
        ("/slow", Limits(), f"timed out after {TIMEOUT:g} s"),
        ("/image.png", Limits(), "unsupported content type 'image/png'"),
        ("/big.html", Limits(max_file_bytes=1024), "too large"),
    ],
)
def test_ingest_web_failure_is_an_error(
    server: str, client: httpx.Client, path: str, limits: Limits, reason: str
) -> None:
    (got,) = read(f"{server}{path}", client, limits)
    assert isinstance(got, IngestError)
    assert got.origin == f"{server}{path}"
    assert got.reason.startswith(reason)


def test_ingest_web_connection_refused(client: httpx.Client) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (got,) = read(f"http://127.0.0.1:{port}/news", client)
    assert str(got) == f"http://127.0.0.1:{port}/news: connection refused"


def test_ingest_web_failures_do_not_stop_files(server: str, client: httpx.Client, tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("The minister said the talks were useful and constructive.", encoding="utf-8")
    items = list(iter_inputs([f"{server}/missing", str(text), f"{server}/article.html"], Limits(), client))
    assert [type(i).__name__ for i in items] == ["IngestError", "Article", "Article"]


def test_ingest_web_default_client_made_and_closed(server: str) -> None:
    (got,) = list(iter_inputs([f"{server}/article.html"]))
    assert isinstance(got, Article), str(got)
