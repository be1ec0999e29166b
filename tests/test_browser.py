"""The dashboard in a real browser: a Streamlit server on a free port, driven in headless Chromium.

Debian's chromium is driven by Playwright (`executable_path`), so no browser is
downloaded. Without chromium or playwright the tests skip, or fail when
TRACKER_REQUIRE_BROWSER=1 (as in CI). Every request the pages make is recorded:
none may leave 127.0.0.1. Set TRACKER_SCREENSHOT=path to save the issue page.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import Engine

from tracker import pipeline, store
from tracker.config import load_settings
from tracker.dashboard_launch import dashboard_command
from tracker.demo import demo_path
from tracker.store import ReactionFilter
from tracker.types import Reaction

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("TRACKER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}
PAGES = ["Overview", "Reactions to an issue", "Country profile", "Relations", "Evidence", "Review",
         "Add articles"]  # fmt: skip
HOSTILE = 'Russia condemned <img src=x onerror="alert(1)"> the **strike** on the dam.'
TIMEOUT_MS = 30_000
STANCE_COLOURS = ("#b2182b", "#f4a582", "#d6604d", "#67001f", "#fdb863", "#542788", "#8c510a", "#4393c3",
                  "#1a9850", "#969696")  # dashboard/charts.py  # fmt: skip


def _no_browser(reason: str) -> NoReturn:
    """Skip, or fail when the run requires the browser tests."""
    if os.environ.get("TRACKER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"TRACKER_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    db_url: str
    engine: Engine


@pytest.fixture(scope="module")
def playwright_api() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        _no_browser(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_playwright() as api:
        yield api


@pytest.fixture(scope="module")
def browser(playwright_api) -> Iterator[Any]:
    browser = playwright_api.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    """The dashboard on a free port over a SQLite database with the demo and one hostile article."""
    folder = tmp_path_factory.mktemp("browser")
    db_url = f"sqlite:///{folder / 'demo.db'}"
    engine = store.make_engine(db_url)
    pipeline.ingest([str(demo_path())], engine, load_settings(db=db_url))
    _add_hostile_article(engine)
    port = _free_port()
    log = (folder / "streamlit.log").open("w")
    command = [*dashboard_command(port, "127.0.0.1"), "--server.fileWatcherType", "none"]
    process = subprocess.Popen(command, env={**os.environ, "DATABASE_URL": db_url}, stdout=log,
                               stderr=subprocess.STDOUT)  # fmt: skip
    try:
        _wait_until_healthy(f"http://127.0.0.1:{port}", process, folder / "streamlit.log")
        yield Server(f"http://127.0.0.1:{port}", db_url, engine)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        engine.dispose()


def _add_hostile_article(engine: Engine) -> None:
    from tracker.types import Article

    article = Article(text=HOSTILE, title="Dam strike <b>bold</b>", url="https://local.invalid/dam",
                      origin="test", language="en")  # fmt: skip
    reaction = Reaction("RUS", "condemn", ("UKR",), sentence=HOSTILE, cue="condemned", confidence=0.5,
                        quote="<script>alert(2)</script>")  # fmt: skip
    store.save_article(engine, article, [reaction], "test")


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the dashboard exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"the dashboard did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


@dataclass
class Visit:
    page: Any
    outside: list[str]
    dialogs: list[str]


@pytest.fixture
def visit(browser, server) -> Iterator[Visit]:
    """A fresh browser tab; requests to any host but this machine are blocked and recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    outside: list[str] = []
    dialogs: list[str] = []

    def guard(route: Any) -> None:
        address = urlsplit(route.request.url)
        if address.scheme in ("http", "https", "ws", "wss") and address.hostname not in LOCAL_HOSTS:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server.url)
    heading(page, "Overview")
    yield Visit(page, outside, dialogs)
    context.close()
    assert outside == [], "requests left this machine"
    assert dialogs == [], "a script ran from article text"


def heading(page: Any, title: str) -> None:
    """Wait for a page's title and check it shows no error."""
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def go_to(page: Any, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    heading(page, title)


def main_text(page: Any) -> str:
    return page.get_by_test_id("stMain").inner_text()


def settled(page: Any, text: str) -> None:
    """Wait until the main area shows `text` (the script run after an input has finished)."""
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stMain")).to_contain_text(text, timeout=TIMEOUT_MS)


def test_browser_every_page_renders_offline(visit, server):
    from playwright.sync_api import expect

    page = visit.page
    articles = store.stats(server.engine)["articles"]
    metric = page.get_by_test_id("stMetric").filter(has_text="Articles")
    expect(metric).to_contain_text(str(articles), timeout=TIMEOUT_MS)
    for title in PAGES[1:]:
        go_to(page, title)
        if title == "Reactions to an issue":
            chart = page.get_by_test_id("stVegaLiteChart").first
            expect(chart.locator("canvas, svg").first).to_be_visible(timeout=TIMEOUT_MS)
            page.wait_for_timeout(500)  # let Vega draw
            assert _map_colours(chart.screenshot()) >= 3, "the map drew no stance colours"
    go_to(page, "Overview")


def _map_colours(png: bytes) -> int:
    """How many of the stance colours fill areas of the chart."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    counts = {colour: n for n, colour in image.getcolors(maxcolors=image.width * image.height)}
    wanted = {tuple(int(h[i : i + 2], 16) for i in (1, 3, 5)) for h in STANCE_COLOURS}
    return sum(1 for colour in wanted if counts.get(colour, 0) > 150)


def test_browser_filter_and_csv_download(visit, server):
    page = visit.page
    go_to(page, "Evidence")
    stances = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Stances")
    stances.locator("input").click()
    page.keyboard.type("Condemn")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    condemn = ReactionFilter(stances=("condemn",))
    expected = store.reaction_summary(server.engine, condemn)["reactions"]
    settled(page, "stances: Condemn")
    settled(page, f"{expected:,} of {expected:,}")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    rows = list(csv.reader(Path(download.value.path()).read_text(encoding="utf-8").splitlines()))
    assert tuple(rows[0]) == store.EXPORT_COLUMNS
    exported = list(store.iter_reaction_rows(server.engine, condemn))
    assert len(rows) - 1 == len(exported)
    assert {row[store.EXPORT_COLUMNS.index("stance")] for row in rows[1:]} == {"condemn"}
    go_to(page, "Reactions to an issue")
    settled(page, "stances: Condemn")  # the filter stays across pages


def test_browser_review_correction_survives_reingest(visit, server):
    from playwright.sync_api import expect

    page = visit.page
    go_to(page, "Review")
    chosen = page.get_by_role("combobox", name="Reaction to review").input_value()
    reaction_id = int(re.search(r"#(\d+)", chosen).group(1))
    before = store.get_reaction(server.engine, reaction_id)
    new_stance, label = ("concern", "Concern") if before["stance"] != "concern" else ("condemn", "Condemn")
    form = page.get_by_test_id("stForm")
    stance = form.get_by_role("combobox", name="Stance", exact=True)
    stance.click()
    stance.fill(label)
    page.get_by_role("option", name=label, exact=True).click()
    expect(stance).to_have_value(label)
    form.get_by_role("button", name="Save correction").click()
    settled(page, f"Reaction #{reaction_id}: corrected.")
    after = store.get_reaction(server.engine, reaction_id)
    assert (after["status"], after["stance"]) == ("corrected", new_stance)
    assert after["original"]["stance"] == before["stance"] and after["reviewed_at"] is not None

    report = pipeline.ingest([str(demo_path())], server.engine, load_settings(db=server.db_url))
    assert report.added == 0 and report.duplicates == 18
    again = store.get_reaction(server.engine, reaction_id)
    assert (again["status"], again["stance"], again["reviewed_at"]) == ("corrected", new_stance,
                                                                        after["reviewed_at"])  # fmt: skip
    go_to(page, "Evidence")
    page.get_by_label("Search sentences, quotes and speakers").fill(before["sentence"][:40])
    page.keyboard.press("Enter")
    settled(page, "review: corrected")


def test_browser_article_text_is_shown_as_text(visit, server):
    from playwright.sync_api import expect

    page = visit.page
    go_to(page, "Evidence")
    page.get_by_label("Search sentences, quotes and speakers").fill("onerror")
    page.keyboard.press("Enter")
    settled(page, '<img src=x onerror="alert(1)">')
    settled(page, "**strike**")
    settled(page, "<script>alert(2)</script>")
    expect(page.locator('img[src="x"]')).to_have_count(0)
    expect(page.get_by_test_id("stMain").locator("b", has_text="bold")).to_have_count(0)


def test_browser_issue_page_screenshot(visit, server):
    """The README's picture: the issue page for one event of the demo (saved when asked for)."""
    page = visit.page
    go_to(page, "Reactions to an issue")
    topic = page.get_by_label("Topic", exact=True)
    topic.fill("Ukraine")
    topic.press("Enter")
    settled(page, 'topic "Ukraine"')
    settled(page, "Who said what")
    target = os.environ.get("TRACKER_SCREENSHOT")
    if target:
        page.set_viewport_size({"width": 1400, "height": 1350})
        page.get_by_text("Each state in the colour").click()  # leave the text box
        page.wait_for_timeout(1500)  # let Vega draw at the new size
        page.screenshot(path=target)
