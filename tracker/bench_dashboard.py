"""`make bench`: how fast each dashboard page renders on a database of 100,000 reactions.

The database is generated: the demo articles are extracted once, then copied
into thousands of articles with varied dates (2015-2025), sources and targets, and
written with bulk inserts into a new SQLite file. Each page is then timed three ways:

- `data`: the page's queries (the `dashboard/data.py` functions it calls) with
  empty caches, as the first visitor after a change of filters meets them;
- `cold`: the whole page script in Streamlit's AppTest with empty query caches
  (the app itself already loaded: imports and the engine are warm);
- `warm`: the same again with the caches filled, as a reload or a page switch.

Each is timed with no filter and with an issue's filters (a topic word and one
target). The budget is 2 seconds a page.

Usage: python -m tracker.bench_dashboard [--reactions N] [--db PATH] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tracker import models, store
from tracker.actors import load_actors
from tracker.config import load_settings
from tracker.demo import demo_path
from tracker.extract import EXTRACTOR_VERSION
from tracker.pipeline import extract_inputs
from tracker.types import Article, Reaction

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"
BUDGET_SECONDS = 2.0
FIRST_DAY, DAYS = date(2015, 1, 1), 11 * 365
PAGES = ("overview", "issue", "country", "relations", "evidence", "review", "add")


# --- the database ---------------------------------------------------------------------


def demo_articles() -> list[tuple[Article, list[Reaction]]]:
    """The demo corpus with the reactions extraction finds in it."""
    found = extract_inputs([str(demo_path())], load_settings(env={}))
    return [item for item in found if isinstance(item, tuple) and item[1]]


@dataclass
class _Rows:
    articles: list[dict[str, Any]]
    reactions: list[dict[str, Any]]
    targets: list[dict[str, Any]]


def generate(path: Path, reactions: int = 100_000, seed: int = 7) -> Engine:
    """Write a new SQLite database at `path` with about `reactions` reactions.

    Returns:
        An engine on it.
    """
    if path.exists():
        path.unlink()
    engine = store.make_engine(str(path))
    rng = random.Random(seed)
    templates = demo_articles()
    states = [code for code, info in load_actors().items() if info.kind == "state"]
    weights = [40 if code in _BUSY else 1 for code in states]
    rows = _Rows([], [], [])
    while len(rows.reactions) < reactions:
        article, found = templates[len(rows.articles) % len(templates)]
        _copy(rows, article, found, rng, states, weights)
    _write(engine, rows)
    return engine


_BUSY = {"USA", "RUS", "CHN", "GBR", "FRA", "DEU", "UKR", "ISR", "IRN", "PRK", "KOR", "JPN", "IND", "TUR"}


def _copy(rows: _Rows, article: Article, found: list[Reaction], rng: random.Random,
          states: list[str], weights: list[int]) -> None:  # fmt: skip
    """Add one copy of a demo article, its reactions moved to other actors and dates."""
    number = len(rows.articles) + 1
    rows.articles.append({
        "id": number, "external_id": f"bench-{number}", "url": f"https://bench.invalid/{number}",
        "content_hash": f"{number:064d}", "title": article.title, "outlet": "Bench Wire",
        "published_at": FIRST_DAY + timedelta(days=rng.randrange(DAYS)), "language": "en",
        "origin": "bench", "text": f"{article.text}\n\n(bench copy {number})",
    })  # fmt: skip
    for reaction in found:
        reaction_id = len(rows.reactions) + 1
        source = reaction.source if rng.random() < 0.5 else rng.choices(states, weights)[0]
        rows.reactions.append(_reaction_row(reaction_id, number, reaction, source, rng))
        targets = {t if rng.random() < 0.5 else rng.choices(states, weights)[0] for t in reaction.targets}
        rows.targets += [{"reaction_id": reaction_id, "target_code": t} for t in sorted(targets - {source})]


def _reaction_row(reaction_id: int, article_id: int, reaction: Reaction, source: str,
                  rng: random.Random) -> dict[str, Any]:  # fmt: skip
    return {
        "id": reaction_id, "article_id": article_id, "source_code": source, "stance": reaction.stance,
        "cameo": reaction.cameo, "plover": reaction.plover, "polarity": reaction.polarity,
        "speaker": reaction.speaker, "speaker_title": reaction.speaker_title, "quote": reaction.quote,
        "sentence": reaction.sentence, "char_start": reaction.char_start, "char_end": reaction.char_end,
        "confidence": round(min(1.0, max(0.1, reaction.confidence + rng.uniform(-0.2, 0.1))), 2),
        "cue": reaction.cue, "rule": reaction.rule, "extractor_version": EXTRACTOR_VERSION,
        "status": "auto",
    }  # fmt: skip


def _write(engine: Engine, rows: _Rows) -> None:
    """Bulk-insert the actors, articles, reactions and targets in one transaction."""
    actors = [{"code": a.code, "name": a.name, "kind": a.kind, "region": a.region or ""}
              for a in load_actors().values()]  # fmt: skip
    with store.write_transaction(engine) as conn:
        conn.execute(sqlite_insert(models.Actor).on_conflict_do_nothing(), actors)
        for table, values in ((models.Article, rows.articles), (models.Reaction, rows.reactions),
                              (models.ReactionTarget, rows.targets)):  # fmt: skip
            for start in range(0, len(values), 20_000):
                conn.execute(insert(table), values[start : start + 20_000])
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")


# --- timing ---------------------------------------------------------------------------


def _dashboard_modules() -> Any:
    sys.path.insert(0, str(DASHBOARD))
    import data  # type: ignore[import-not-found]

    return data


def page_queries(data: Any, url: str, filters: store.ReactionFilter) -> dict[str, Callable[[], object]]:
    """The data calls each page makes, with the page's default widget values."""
    from dataclasses import replace

    code = filters.targets[0] if filters.targets else "USA"
    as_source, as_target = replace(filters, sources=(code,)), replace(filters, targets=(code,))
    return {
        "overview": lambda: (
            data.summary(url, filters), data.stance_mix(url, filters), data.reactions(url, filters, 25),
            data.top_actors(url, filters, "source", 12), data.top_actors(url, filters, "target", 12),
        ),
        "issue": lambda: (
            data.actor_stances(url, filters), data.timeline(url, filters),
            data.top_actors(url, filters, "target", 1000), data.reactions_by_actor(url, filters, 3),
        ),
        "country": lambda: (
            data.actors(url), data.actor_stances(url, as_target, "source"),
            data.actor_stances(url, as_source, "target"), data.summary(url, as_source),
            data.summary(url, as_target), data.timeline(url, as_source), data.timeline(url, as_target),
        ),
        "relations": lambda: data.dyads(url, filters),
        "evidence": lambda: (data.summary(url, filters), data.reactions(url, filters, data.ROW_CAP)),
        "review": lambda: data.reactions(url, replace(filters, statuses=("auto",)), 200, "least_confident"),
        "add": lambda: None,
    }  # fmt: skip


def clear(data: Any) -> None:
    import streamlit as st

    st.cache_data.clear()
    data.engine(data.database_url())  # the engine stays: it is made once per server


def time_once(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def app_runs(url: str, filters: store.ReactionFilter) -> Iterator[tuple[str, float, float]]:
    """(page, cold, warm) seconds of each page script in AppTest."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(DASHBOARD / "app.py"), default_timeout=120).run()
    _set_filters(app, filters)
    for page in PAGES:
        st.cache_data.clear()
        app.switch_page(f"views/{page}.py")
        cold = time_once(app.run)
        warm = time_once(app.run)
        if app.exception:
            raise RuntimeError(f"{page}: {app.exception[0].value}")
        yield page, cold, warm


def _set_filters(app: Any, filters: store.ReactionFilter) -> None:
    """Choose the filters in the sidebar, as a user would."""
    if filters.text:
        app.text_input(key="f_text").set_value(filters.text)
    if filters.targets:
        app.multiselect(key="f_targets").set_value(list(filters.targets))
    app.run()
    if app.session_state["filters"] != filters:
        raise RuntimeError(f"the sidebar made {app.session_state['filters']}, not {filters}")


def report(url: str, label: str, filters: store.ReactionFilter) -> list[str]:
    data = _dashboard_modules()
    over = []
    print(f"\n{label}")
    print(f"{'page':<10} {'data':>7} {'cold':>7} {'warm':>7}")
    queries = page_queries(data, url, filters)
    for page, cold, warm in app_runs(url, filters):
        clear(data)
        queried = time_once(queries[page])
        flag = "  over budget" if max(queried, cold, warm) > BUDGET_SECONDS else ""
        print(f"{page:<10} {queried:>6.2f}s {cold:>6.2f}s {warm:>6.2f}s{flag}")
        if flag:
            over.append(f"{label}: {page}")
    return over


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reactions", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="where to write the database (default: a temporary file)")
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="tracker-bench-")
    path = args.db or Path(folder) / "bench.db"
    start = time.perf_counter()
    engine = generate(path, args.reactions)
    with engine.connect() as conn:
        count = conn.execute(select(func.count(models.Reaction.id))).scalar_one()
        articles = conn.execute(select(func.count(models.Article.id))).scalar_one()
    engine.dispose()
    print(f"generated {count:,} reactions in {articles:,} articles at {path} "
          f"in {time.perf_counter() - start:.1f}s")  # fmt: skip
    url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    over = report(url, "no filter", store.ReactionFilter())
    over += report(url, "issue filter: topic 'sanctions', target RUS",
                   store.ReactionFilter(text="sanctions", targets=("RUS",)))  # fmt: skip
    verdict = "all within" if not over else "over in " + ", ".join(over)
    print(f"\nbudget {BUDGET_SECONDS:.0f}s a page: {verdict}")
    if not (args.keep or args.db):
        path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
