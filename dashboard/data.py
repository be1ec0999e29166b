"""The dashboard's only way to the data: cached queries taking the database URL and filters.

Pages call these functions and render what they return; they never build SQL. Every
query is a `tracker.store` function, shaped here into a DataFrame and cached
(`st.cache_data`) under its arguments and the database's data version
(`store.data_version`, a few index lookups, itself cached for `VERSION_SECONDS`).
So a result is reused while nothing changes, for `TTL_SECONDS` at most, and a newly
ingested article (by the CLI, another process, or this app) shows up within
`VERSION_SECONDS`. Widget values come in as arguments (a `ReactionFilter` is
hashable), so each combination of filters has its own entry. Writes made here
(reviews, new articles) clear the caches at once.
"""

from __future__ import annotations

import functools
import io
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from tracker import pipeline, store
from tracker.config import Settings, load_settings
from tracker.export import write_export
from tracker.ingest import IngestError, iter_inputs
from tracker.ingest.records import record_to_article
from tracker.stances import STANCE_NAMES, STANCES
from tracker.types import Article, Reaction

TTL_SECONDS = 3600
"""How long a query result is kept at most, even when the data has not changed."""

VERSION_SECONDS = 2
"""How often the database is asked whether its data changed; new articles appear within this."""

MAX_ENTRIES = 200
"""Results kept per query function (each combination of filters is one)."""

ROW_CAP = 500
"""Most rows a table shows; the CSV download has them all."""

SPINNER = "Reading the database..."
"""Shown while a query runs (only when its result is not cached)."""

ROW_COLUMNS = (
    "id", "published", "source", "source_name", "region", "stance", "targets", "target_names",
    "speaker", "speaker_title", "quote", "sentence", "cue", "confidence", "status",
    "article_title", "article_url", "outlet",
)  # fmt: skip
"""Columns of the reaction tables (`reactions`, `reactions_by_actor`)."""


def settings() -> Settings:
    """The tracker's settings, read from the environment the dashboard was started in."""
    return load_settings(env=os.environ)


def database_url() -> str:
    """The database the dashboard shows (`DATABASE_URL`, else the default)."""
    return settings().database_url


@st.cache_resource(show_spinner=False)
def engine(url: str) -> Engine:
    """One engine per database for the whole server; the schema is upgraded on first use."""
    return store.make_reader_engine(url)


def clear_caches() -> None:
    """Forget every cached query, after a write."""
    st.cache_data.clear()


@st.cache_data(ttl=VERSION_SECONDS, show_spinner=False)
def data_version(url: str) -> tuple[Any, ...]:
    """The database's data version (see `store.data_version`), asked at most every few seconds."""
    return store.data_version(engine(url))


def query(func: Callable[..., Any]) -> Callable[..., Any]:
    """Cache a query function `func(url, ...)` under its arguments and the data version.

    The wrapped function is called as `func(url, ...)`; its cache entry also
    depends on `data_version(url)`, so a change in the database makes a new entry.
    """

    @functools.wraps(func)
    def versioned(url: str, version: tuple[Any, ...], *args: Any, **kwargs: Any) -> Any:
        return func(url, *args, **kwargs)

    cached = st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=SPINNER)(versioned)

    @functools.wraps(func)
    def call(url: str, *args: Any, **kwargs: Any) -> Any:
        return cached(url, data_version(url), *args, **kwargs)

    call.clear = cached.clear  # type: ignore[attr-defined]
    return call


# --- what the filters offer -----------------------------------------------------------


@query
def date_bounds(url: str) -> tuple[date | None, date | None]:
    """First and last publication dates in the database."""
    return store.date_bounds(engine(url))


@query
def actors(url: str) -> pd.DataFrame:
    """Actors that appear in reactions: code, name, kind, region, as_source, as_target, label."""
    frame = pd.DataFrame(
        store.actors_in_use(engine(url)),
        columns=["code", "name", "kind", "region", "as_source", "as_target"],
    )
    frame["label"] = frame["name"] + " (" + frame["code"] + ")"
    return frame


def stance_label(stance: str) -> str:
    """A stance's display label ("Appeal for calm" for `appeal`)."""
    known = STANCES.get(stance)
    return known.label if known else stance


# --- counts and rankings --------------------------------------------------------------


@query
def summary(url: str, filters: store.ReactionFilter) -> dict[str, int]:
    """Filtered reactions, articles, source actors and targeted actors."""
    return store.reaction_summary(engine(url), filters)


@query
def stance_mix(url: str, filters: store.ReactionFilter) -> pd.DataFrame:
    """Reactions per stance (stance, label, reactions), in the spec's order, zeros left out."""
    counts = store.stance_counts(engine(url), filters)
    rows = [(s, stance_label(s), counts[s]) for s in (*STANCE_NAMES, *counts) if counts.get(s)]
    return pd.DataFrame(list(dict.fromkeys(rows)), columns=["stance", "label", "reactions"])


@query
def top_actors(url: str, filters: store.ReactionFilter, role: str, limit: int = 15) -> pd.DataFrame:
    """The most active sources (role "source") or most targeted actors (role "target")."""
    rows = store.top_actors(engine(url), filters, role, limit)  # type: ignore[arg-type]
    return pd.DataFrame(rows, columns=["code", "name", "kind", "region", "reactions"])


@query
def actor_stances(url: str, filters: store.ReactionFilter, role: str = "source") -> pd.DataFrame:
    """One row per actor (as source or target) with its reactions per stance.

    Columns: code, name, kind, region, reactions, main_stance (most frequent;
    the latest on a tie), main_label, polarity (mean), breakdown ("condemn 3,
    sanction 1"), then one column per stance with its count.
    """
    rows = store.actor_stance_counts(engine(url), filters, role)  # type: ignore[arg-type]
    return actor_stance_table(pd.DataFrame(rows, columns=[
        "code", "name", "kind", "region", "stance", "reactions", "polarity", "last"]))  # fmt: skip


def actor_stance_table(long: pd.DataFrame) -> pd.DataFrame:
    """Pivot per-actor, per-stance counts into one row per actor (see `actor_stances`)."""
    columns = ["code", "name", "kind", "region", "reactions", "main_stance", "main_label",
               "polarity", "breakdown", *STANCE_NAMES]  # fmt: skip
    if long.empty:
        return pd.DataFrame(columns=columns)
    long = long.assign(weighted=long["reactions"] * long["polarity"], order=long["stance"].map(_ORDER))
    main = long.sort_values(["reactions", "last", "order"], ascending=[False, False, True])
    main = main.drop_duplicates("code").set_index("code")
    wide = long.pivot_table(index="code", columns="stance", values="reactions", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=list(STANCE_NAMES), fill_value=0)
    totals = long.groupby("code")[["reactions", "weighted"]].sum()
    out = main[["name", "kind", "region"]].join(totals).join(wide)
    out["main_stance"] = main["stance"]
    out["main_label"] = out["main_stance"].map(stance_label)
    out["polarity"] = (out["weighted"] / out["reactions"]).round(2)
    out["breakdown"] = [
        ", ".join(f"{stance_label(s)} {row[s]}" for s in STANCE_NAMES if row[s]) for _, row in out.iterrows()
    ]
    out = out.reset_index().sort_values(["reactions", "name"], ascending=[False, True])
    return out[columns].reset_index(drop=True)


_ORDER = {name: i for i, name in enumerate(STANCE_NAMES)}


@query
def timeline(url: str, filters: store.ReactionFilter) -> tuple[pd.DataFrame, str]:
    """Reactions per period and stance (period, stance, label, reactions), and the period's unit.

    The unit grows with the span of dates the filters leave so that bars stay wide
    enough to see (see `period_unit`); the counting is done in SQL.
    """
    first, last = date_bounds(url)
    unit = period_unit(filters.since or first, filters.until or last)
    rows = store.period_counts(engine(url), filters, unit)
    frame = pd.DataFrame(rows, columns=["period", "stance", "reactions"])
    frame["period"] = pd.to_datetime(frame["period"])
    frame["label"] = frame["stance"].map(stance_label)
    return frame[["period", "stance", "label", "reactions"]], unit


def period_unit(first: date | None, last: date | None) -> str:
    """Days up to two months, weeks up to a year, months up to about four years, years beyond."""
    span = (last - first).days if first and last else 0
    return next(unit for limit, unit in _PERIODS if span <= limit)


_PERIODS = ((62, "day"), (366, "week"), (1500, "month"), (float("inf"), "year"))


# --- reactions ------------------------------------------------------------------------


def _rows_frame(rows: list[dict[str, Any]], extra: Sequence[str] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[*ROW_COLUMNS, *extra])
    frame["targets"] = frame["targets"].map(lambda codes: ", ".join(codes) if isinstance(codes, list) else "")
    frame["target_names"] = frame["target_names"].map(
        lambda names: ", ".join(names) if isinstance(names, list) else ""
    )
    frame["stance_label"] = frame["stance"].map(stance_label)
    frame["speaker_office"] = [speaker_office(n, t) for n, t in zip(frame["speaker"], frame["speaker_title"],
                                                                strict=True)]  # fmt: skip
    return frame


def speaker_office(name: str, title: str) -> str:
    """`Antonio Guterres, Secretary-General`, or whichever part is known."""
    return ", ".join(part for part in (name, title) if part)


@query
def reactions(
    url: str,
    filters: store.ReactionFilter,
    limit: int = ROW_CAP,
    order: str = "newest",
    search: str = "",
) -> pd.DataFrame:
    """Filtered reactions, one row each, at most `limit` (see `ROW_COLUMNS`).

    `search` keeps reactions whose sentence, quote, speaker or office contains it.
    Adds `stance_label` and `speaker_office`; targets are comma-separated codes.
    """
    rows = store.reaction_rows(engine(url), filters, limit=limit, order=order, search=search)
    return _rows_frame(rows)


@query
def reactions_by_actor(
    url: str, filters: store.ReactionFilter, per_actor: int = 3, limit: int = 1000
) -> pd.DataFrame:
    """Each source actor's strongest reactions, ordered by region and name, for the issue page.

    Adds `rank` and `actor_reactions` (the actor's filtered reactions in all) and
    `region` "International" for organisations.
    """
    rows = store.reactions_per_actor(engine(url), filters, per_actor=per_actor, limit=limit)
    frame = _rows_frame(rows, extra=("rank",))
    totals = actor_stances(url, filters).set_index("code")["reactions"]
    frame["actor_reactions"] = frame["source"].map(totals).fillna(0).astype(int)
    frame["region"] = frame["region"].replace("", "Other")
    return frame


@query
def dyads(url: str, filters: store.ReactionFilter) -> pd.DataFrame:
    """Reactions per source and target with mean polarity, most reactions first."""
    columns = ["source", "source_name", "target", "target_name", "reactions", "polarity", "negative",
               "positive"]  # fmt: skip
    return pd.DataFrame(store.dyad_counts(engine(url), filters), columns=columns)


def matrix(frame: pd.DataFrame, max_actors: int) -> pd.DataFrame:
    """The dyads among the `max_actors` most active sources and most targeted actors."""
    if frame.empty:
        return frame
    sources = frame.groupby("source")["reactions"].sum().nlargest(max_actors).index
    targets = frame.groupby("target")["reactions"].sum().nlargest(max_actors).index
    return frame[frame["source"].isin(sources) & frame["target"].isin(targets)].reset_index(drop=True)


def reaction(url: str, reaction_id: int) -> dict[str, Any] | None:
    """One reaction, fresh from the database (not cached: the review page shows it after a change)."""
    return store.get_reaction(engine(url), reaction_id)


# --- downloads ------------------------------------------------------------------------


def csv_bytes(db: Engine, filters: store.ReactionFilter) -> bytes:
    """Every filtered reaction as `tracker export --format csv` writes it, as UTF-8."""
    out = io.StringIO(newline="")
    write_export(db, out, "csv", filters)
    return out.getvalue().encode("utf-8")


def csv_download(url: str, filters: store.ReactionFilter) -> Callable[[], bytes]:
    """A callable making the CSV of the filtered view when the user clicks download."""
    db = engine(url)
    return lambda: csv_bytes(db, filters)


# --- review ---------------------------------------------------------------------------


def review(url: str, reaction_id: int, action: str, **correction: Any) -> dict[str, Any]:
    """Confirm, correct or reject a reaction (see `tracker.store.review_reaction`)."""
    reviewed = store.review_reaction(engine(url), reaction_id, action, **correction)
    clear_caches()
    return reviewed


@st.cache_data(ttl=3600, show_spinner=False)
def actor_choices() -> pd.DataFrame:
    """Every state and organisation a reviewer can pick (code, name, label), by name."""
    from tracker.actors import load_actors

    known = [a for a in load_actors(settings().actors_files).values() if a.kind != "non-state"]
    frame = pd.DataFrame([(a.code, a.name) for a in known], columns=["code", "name"])
    frame["label"] = frame["name"] + " (" + frame["code"] + ")"
    return frame.sort_values("name").reset_index(drop=True)


# --- adding articles ------------------------------------------------------------------


@dataclass
class Preview:
    """Articles read from what the user gave, each with the reactions extraction finds."""

    articles: list[tuple[Article, list[Reaction]]] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


def preview_text(text: str, title: str = "", published: date | None = None, link: str = "",
                 outlet: str = "") -> Preview:  # fmt: skip
    """Read pasted text as the CLI reads a JSON record, and extract its reactions."""
    record = {"text": text, "title": title, "url": link, "outlet": outlet,
              "published": published.isoformat() if published else ""}  # fmt: skip
    config = settings()
    item = record_to_article(record, "pasted text", pipeline.limits_from(config))
    return _preview([item], config)


def preview_files(files: Sequence[tuple[str, bytes]]) -> Preview:
    """Read uploaded files (name, content) with the CLI's readers, and extract their reactions."""
    config = settings()
    with tempfile.TemporaryDirectory(prefix="tracker-upload-") as folder:
        paths = []
        for index, (name, content) in enumerate(files):
            path = Path(folder) / f"{index:03d}-{Path(name).name}"
            path.write_bytes(content)
            paths.append(str(path))
        items = [_renamed(item, folder) for item in iter_inputs(paths, pipeline.limits_from(config))]
    return _preview(items, config)


def _renamed(item: Article | IngestError, folder: str) -> Article | IngestError:
    """Name an uploaded file's article or error by the file's own name, not the temporary path."""
    def name(origin: str) -> str:
        return origin.replace(folder + os.sep, "", 1)[4:] if origin.startswith(folder) else origin

    if isinstance(item, IngestError):
        return IngestError(name(item.origin), item.reason)
    return replace(item, origin=name(item.origin))


def preview_urls(urls: Sequence[str]) -> Preview:
    """Fetch pages or feeds as `tracker ingest URL` does, and extract their reactions."""
    config = settings()
    wanted = [u.strip() for u in urls if u.strip()]
    return _preview(list(iter_inputs(wanted, pipeline.limits_from(config))), config)


def _preview(items: Sequence[Article | IngestError], config: Settings) -> Preview:
    preview = Preview()
    for item in items:
        if isinstance(item, IngestError):
            preview.errors.append(item)
        else:
            preview.articles.append((item, pipeline.extract_article(item, config)))
    return preview


def save_articles(url: str, articles: Sequence[Article]) -> pipeline.IngestReport:
    """Store articles with `pipeline.save`, the call `tracker ingest` makes for each article.

    An article already stored (same text or URL) is counted as a duplicate; one
    that fails is reported and the others still go in.
    """
    report = pipeline.IngestReport()
    config, db = settings(), engine(url)
    for article in articles:
        try:
            result = pipeline.save(db, article, config)
        except Exception as exc:  # one article failing must not stop the others
            report.errors.append(IngestError(article.origin, f"could not be stored: {exc}"))
            continue
        if result.status == "added":
            report.added += 1
            report.reactions += result.reactions
        else:
            report.duplicates += 1
    clear_caches()
    return report
