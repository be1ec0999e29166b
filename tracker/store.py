"""The store: engines, schema upgrades, writes and queries. The only module that builds SQL.

SQLite (WAL, foreign keys on) serves one analyst; PostgreSQL (psycopg 3) serves many
writers and readers. Writing one article with its reactions is one transaction, and
the unique constraints on content hash and URL make any re-run, or two loaders
running at once, harmless.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    and_,
    case,
    create_engine,
    delete,
    distinct,
    event,
    exists,
    func,
    insert,
    or_,
    select,
    true,
    union,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import aliased

from tracker import models, types
from tracker.config import normalise_url
from tracker.stances import STANCE_NAMES, STANCES

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
"""The Alembic environment and versions."""

SQLITE_BUSY_MS = 30_000
"""How long a SQLite connection waits for another's lock before giving up."""

SCHEMA_LOCK_KEY = 0x7472_6163_6B65_72  # "tracker": the PostgreSQL advisory lock for upgrades

EXPORT_COLUMNS: tuple[str, ...] = (
    "reaction_id",
    "article_id",
    "published",
    "source",
    "source_name",
    "stance",
    "target",
    "target_name",
    "speaker",
    "speaker_title",
    "quote",
    "sentence",
    "cameo",
    "plover",
    "polarity",
    "confidence",
    "status",
    "cue",
    "rule",
    "article_title",
    "article_url",
    "outlet",
)
"""Columns of `iter_reaction_rows` and of every export, in order."""

_DIALECT_INSERTS: dict[str, Callable[..., Any]] = {
    "sqlite": sqlite.insert,
    "postgresql": postgresql.insert,
}


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What `save_article` did.

    Attributes:
        status: `added`, or `duplicate` when the article was already stored.
        article_id: the stored article's id (the existing one for a duplicate, when found).
        reactions: how many reactions were written.
    """

    status: Literal["added", "duplicate"]
    article_id: int | None
    reactions: int


@dataclass(frozen=True, slots=True)
class ReactionFilter:
    """Which reactions a query returns. Empty tuples and None mean "all".

    Attributes:
        sources: source actor codes.
        targets: target actor codes; exported rows are limited to these targets.
        stances: stance names.
        since: first publication date, inclusive.
        until: last publication date, inclusive.
        min_confidence: lowest confidence kept.
        statuses: review statuses; when given they replace the rejected rule below.
        text: case-insensitive substring of the article title or text.
        include_rejected: keep reactions a reviewer rejected.
    """

    sources: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    min_confidence: float | None = None
    statuses: tuple[str, ...] = ()
    text: str = ""
    include_rejected: bool = False


# --- engines and schema -------------------------------------------------------------


def make_engine(url: str) -> Engine:
    """Open a database and bring its schema to the latest revision.

    Args:
        url: a SQLAlchemy URL or a SQLite file path (see `config.normalise_url`).

    Returns:
        An engine; SQLite connections use WAL, foreign keys and a 30 s busy timeout.
    """
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed)
    else:
        engine = create_engine(parsed, pool_pre_ping=True)
    ensure_schema(engine)
    return engine


READ_MMAP_BYTES = 1 << 30
"""How much of a SQLite file a reading engine maps into memory (shared through the OS page cache)."""


def make_reader_engine(url: str) -> Engine:
    """`make_engine` for a reader that scans a lot, such as the dashboard.

    On SQLite its connections also memory-map the file (`PRAGMA mmap_size`), which
    makes grouped scans of a large database about twice as fast; other databases
    get the same engine as `make_engine`.
    """
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_reader_pragmas)
        engine.dispose()  # drop the connection the schema check opened without it
    return engine


def _sqlite_reader_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA mmap_size={READ_MMAP_BYTES}")
    finally:
        cursor.close()


def _sqlite_engine(url: URL) -> Engine:
    """A SQLite engine whose connections get the tracker's pragmas."""
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Set the busy timeout, WAL journal and foreign keys on a new SQLite connection."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        _retry_while_locked(lambda: cursor.execute("PRAGMA journal_mode=WAL"))
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _retry_while_locked(action: Callable[[], Any]) -> None:
    """Run a SQLite action again while the database is locked, up to the busy timeout.

    Switching a new database to WAL needs an exclusive lock and SQLite reports
    "database is locked" at once, without waiting, when another process holds one.
    """
    deadline = time.monotonic() + SQLITE_BUSY_MS / 1000
    while True:
        try:
            action()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def ensure_schema(engine: Engine) -> None:
    """Upgrade the database to head unless it is there already (e.g. a new, empty one)."""
    if current_revision(engine) != head_revision():
        upgrade(engine)


def current_revision(engine: Engine) -> str | None:
    """The database's Alembic revision, None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@cache
def head_revision() -> str:
    """The newest revision in the migrations folder."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS}")
    return head


def upgrade(engine: Engine) -> str:
    """Run `alembic upgrade head` on the database, one process at a time.

    Args:
        engine: the database to upgrade.

    Returns:
        The head revision the database is now at.
    """
    with _migration_transaction(engine) as conn:
        command.upgrade(alembic_config(conn), "head")
    log.info("database schema at revision %s", head_revision())
    return head_revision()


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the migrations folder, optionally bound to a connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@contextmanager
def _migration_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the database's schema lock until it commits.

    SQLite takes its write lock (`BEGIN IMMEDIATE`) with foreign keys off, as batch
    migrations copy tables; PostgreSQL takes a transaction-scoped advisory lock.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            with _sqlite_foreign_keys_off(conn), conn.begin():
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                yield conn
        else:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(select(func.pg_advisory_xact_lock(SCHEMA_LOCK_KEY)))
                yield conn


@contextmanager
def _sqlite_foreign_keys_off(conn: Connection) -> Iterator[None]:
    """Switch SQLite foreign keys off (outside any transaction) and back on after."""
    conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    conn.commit()
    try:
        yield
    finally:
        conn.rollback()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.commit()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction for writing: committed on success, rolled back on any exception.

    On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so concurrent
    writers wait for each other (busy timeout) instead of failing midway.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        yield conn


# --- writes -------------------------------------------------------------------------


def save_article(
    engine: Engine,
    article: types.Article,
    reactions: Sequence[types.Reaction],
    extractor_version: str,
    *,
    actors: Mapping[str, Any] | None = None,
) -> SaveResult:
    """Store an article with its reactions and targets in one transaction.

    An article whose content hash or URL is already stored is a duplicate and
    nothing is written. Any error rolls the whole article back.

    Args:
        engine: the database.
        article: the article as ingest made it.
        reactions: what extract found in it.
        extractor_version: the extractor's version, stored on each reaction.
        actors: actor dictionary (`tracker.actors.load_actors(...)`) naming the
            actors stored for new codes; the built-in one when None.

    Returns:
        Whether it was added, its id, and how many reactions were written.

    Raises:
        ValueError: when a reaction's stance is not one of the spec's ten.
    """
    _check_stances(reactions)
    existing = find_article(engine, article)
    if existing is not None:
        return SaveResult("duplicate", existing, 0)
    with write_transaction(engine) as conn:
        article_id = _insert_article(conn, article)
        if article_id is None:
            return SaveResult("duplicate", _find_article_id(conn, article), 0)
        _ensure_actors(conn, _actor_codes(reactions), actors if actors is not None else _known_actors())
        written = _insert_reactions(conn, article_id, reactions, extractor_version)
    return SaveResult("added", article_id, written)


def _check_stances(reactions: Sequence[types.Reaction]) -> None:
    """Refuse reactions whose stance the spec does not define."""
    for reaction in reactions:
        if reaction.stance not in STANCE_NAMES:
            raise ValueError(f"unknown stance {reaction.stance!r} (source {reaction.source})")


def find_article(engine: Engine, article: types.Article) -> int | None:
    """The id of a stored article with the same content hash or URL, if any."""
    with engine.connect() as conn:
        return _find_article_id(conn, article)


def _find_article_id(conn: Connection, article: types.Article) -> int | None:
    """Look an article up by content hash, or by URL when it has one."""
    same = models.Article.content_hash == article.content_hash
    if article.url:
        same = or_(same, models.Article.url == article.url)
    query = select(models.Article.id).where(same).order_by(models.Article.id).limit(1)
    return conn.execute(query).scalar_one_or_none()


def _dialect_insert(conn: Connection, model: type[models.Base]) -> Any:
    """An INSERT that supports ON CONFLICT DO NOTHING on this database."""
    try:
        return _DIALECT_INSERTS[conn.dialect.name](model)
    except KeyError:
        raise ValueError(f"unsupported database: {conn.dialect.name}") from None


def _insert_article(conn: Connection, article: types.Article) -> int | None:
    """Insert the article row; None when a unique constraint says it is stored."""
    values = {
        "external_id": article.id,
        "url": article.url or None,
        "content_hash": article.content_hash,
        "title": article.title,
        "outlet": article.outlet,
        "published_at": article.published,
        "language": article.language,
        "origin": article.origin,
        "text": article.text,
    }
    stmt = (
        _dialect_insert(conn, models.Article)
        .values(**values)
        .on_conflict_do_nothing()
        .returning(models.Article.id)
    )
    return conn.execute(stmt).scalar_one_or_none()


def _actor_codes(reactions: Sequence[types.Reaction]) -> list[str]:
    """Every source and target code, sorted so concurrent writers lock in one order."""
    codes = {r.source for r in reactions}
    codes.update(code for r in reactions for code in r.targets)
    return sorted(codes)


@cache
def _known_actors() -> Mapping[str, Any]:
    """The built-in actor dictionary, loaded once per process."""
    from tracker.actors import load_actors

    return load_actors()


def _actor_row(code: str, known: Mapping[str, Any]) -> dict[str, str]:
    """Name, kind and region of an actor code; unknown codes get their code as name."""
    info = known.get(code)
    if info is None:
        return {"code": code, "name": code, "kind": "unknown", "region": ""}
    return {"code": code, "name": info.name, "kind": info.kind, "region": info.region or ""}


def _ensure_actors(conn: Connection, codes: Sequence[str], known: Mapping[str, Any]) -> None:
    """Insert the actors that are not stored yet, named from the `known` dictionary."""
    if not codes:
        return
    stmt = _dialect_insert(conn, models.Actor).on_conflict_do_nothing(index_elements=["code"])
    conn.execute(stmt, [_actor_row(code, known) for code in codes])


def _reaction_row(article_id: int, reaction: types.Reaction, extractor_version: str) -> dict[str, Any]:
    """The reactions-table values of one reaction."""
    return {
        "article_id": article_id,
        "source_code": reaction.source,
        "stance": reaction.stance,
        "cameo": reaction.cameo,
        "plover": reaction.plover,
        "polarity": reaction.polarity,
        "speaker": reaction.speaker,
        "speaker_title": reaction.speaker_title,
        "quote": reaction.quote,
        "sentence": reaction.sentence,
        "char_start": reaction.char_start,
        "char_end": reaction.char_end,
        "confidence": reaction.confidence,
        "cue": reaction.cue,
        "rule": reaction.rule,
        "extractor_version": extractor_version,
        "status": "auto",
    }


def _insert_reactions(
    conn: Connection,
    article_id: int,
    reactions: Sequence[types.Reaction],
    extractor_version: str,
) -> int:
    """Insert the reactions and their targets; returns how many reactions."""
    if not reactions:
        return 0
    rows = [_reaction_row(article_id, r, extractor_version) for r in reactions]
    stmt = insert(models.Reaction).returning(models.Reaction.id, sort_by_parameter_order=True)
    ids = conn.execute(stmt, rows).scalars().all()
    targets = [
        {"reaction_id": reaction_id, "target_code": code}
        for reaction_id, reaction in zip(ids, reactions, strict=True)
        for code in dict.fromkeys(reaction.targets)
    ]
    if targets:
        conn.execute(insert(models.ReactionTarget), targets)
    return len(ids)


# --- queries ------------------------------------------------------------------------


def stats(engine: Engine) -> dict[str, int]:
    """Counts for a summary: articles, reactions, targets, actors, per stance and status.

    `actors` counts the actors that appear in reactions, as source or target.
    Stance and status counts come as `stance_<name>` and `status_<name>` keys.
    """
    with engine.connect() as conn:
        counts = {
            "articles": _count(conn, models.Article.id),
            "reactions": _count(conn, models.Reaction.id),
            "targets": _count(conn, models.ReactionTarget.reaction_id),
            "actors": _count_actors_in_reactions(conn),
        }
        stances = _count_by(conn, models.Reaction.stance)
        statuses = _count_by(conn, models.Reaction.status)
    counts.update({f"stance_{name}": stances.get(name, 0) for name in (*STANCE_NAMES, *stances)})
    counts.update({f"status_{name}": statuses.get(name, 0) for name in (*models.STATUSES, *statuses)})
    return counts


def _count(conn: Connection, column: Any) -> int:
    """Number of rows in a column's table."""
    return conn.execute(select(func.count(column))).scalar_one()


def _count_by(conn: Connection, column: Any) -> dict[str, int]:
    """Rows per value of a column."""
    rows = conn.execute(select(column, func.count()).group_by(column))
    return {value: count for value, count in rows}


def _count_actors_in_reactions(conn: Connection) -> int:
    """Distinct actor codes used as a source or a target."""
    codes = union(
        select(models.Reaction.source_code.label("code")),
        select(models.ReactionTarget.target_code.label("code")),
    ).subquery()
    return conn.execute(select(func.count()).select_from(codes)).scalar_one()


def reaction_where(filters: ReactionFilter) -> ColumnElement[bool]:
    """The WHERE clause of a filter, over `reactions` joined with `articles`.

    Args:
        filters: what to keep.

    Returns:
        A condition for `select(...).join(models.Article).where(...)`.
    """
    reaction, article = models.Reaction, models.Article
    conditions: list[ColumnElement[bool]] = []
    if filters.sources:
        conditions.append(reaction.source_code.in_(filters.sources))
    if filters.stances:
        conditions.append(reaction.stance.in_(filters.stances))
    if filters.targets:
        conditions.append(_has_target(filters.targets))
    if filters.since is not None:
        conditions.append(article.published_at >= filters.since)
    if filters.until is not None:
        conditions.append(article.published_at <= filters.until)
    if filters.min_confidence is not None:
        conditions.append(reaction.confidence >= filters.min_confidence)
    if filters.statuses:
        conditions.append(reaction.status.in_(filters.statuses))
    elif not filters.include_rejected:
        conditions.append(reaction.status != "rejected")
    if filters.text:
        conditions.append(_mentions(filters.text))
    return and_(true(), *conditions)


def _has_target(codes: Sequence[str]) -> ColumnElement[bool]:
    """The reaction is directed at one of these actors."""
    target = aliased(models.ReactionTarget, name="wanted_target")
    return exists().where(target.reaction_id == models.Reaction.id, target.target_code.in_(codes))


def _mentions(text: str) -> ColumnElement[bool]:
    """The article's title or text contains the text, ignoring case."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(
        models.Article.title.ilike(pattern, escape="\\"),
        models.Article.text.ilike(pattern, escape="\\"),
    )


def export_query(filters: ReactionFilter) -> Select[Any]:
    """One row per reaction and target (a reaction without target gives one row).

    Columns are `EXPORT_COLUMNS`, ordered by reaction id then target code.
    """
    reaction, article, link = models.Reaction, models.Article, models.ReactionTarget
    source = aliased(models.Actor, name="source_actor")
    target = aliased(models.Actor, name="target_actor")
    link_on = link.reaction_id == reaction.id
    if filters.targets:
        link_on = and_(link_on, link.target_code.in_(filters.targets))
    columns = {
        "reaction_id": reaction.id,
        "article_id": reaction.article_id,
        "published": article.published_at,
        "source": reaction.source_code,
        "source_name": source.name,
        "stance": reaction.stance,
        "target": link.target_code,
        "target_name": target.name,
        "speaker": reaction.speaker,
        "speaker_title": reaction.speaker_title,
        "quote": reaction.quote,
        "sentence": reaction.sentence,
        "cameo": reaction.cameo,
        "plover": reaction.plover,
        "polarity": reaction.polarity,
        "confidence": reaction.confidence,
        "status": reaction.status,
        "cue": reaction.cue,
        "rule": reaction.rule,
        "article_title": article.title,
        "article_url": article.url,
        "outlet": article.outlet,
    }
    return (
        select(*(columns[name].label(name) for name in EXPORT_COLUMNS))
        .select_from(reaction)
        .join(article, article.id == reaction.article_id)
        .join(source, source.code == reaction.source_code)
        .outerjoin(link, link_on)
        .outerjoin(target, target.code == link.target_code)
        .where(reaction_where(filters))
        .order_by(reaction.id, link.target_code)
    )


def iter_reaction_rows(
    engine: Engine, filters: ReactionFilter | None = None, batch_size: int = 1000
) -> Iterator[dict[str, Any]]:
    """Stream export rows, `batch_size` at a time, in bounded memory.

    PostgreSQL uses a server-side cursor; SQLite steps its cursor. The connection
    stays open until the iterator is exhausted or closed.

    Args:
        engine: the database.
        filters: which reactions; rejected ones are left out by default.
        batch_size: rows fetched per round trip.

    Yields:
        One dict per reaction and target, keys in `EXPORT_COLUMNS` order; a
        reaction without targets has "" as target and target_name.
    """
    stmt = export_query(filters or ReactionFilter())
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=batch_size).execute(stmt)
        try:
            for row in result:
                yield _export_row(row._mapping)
        finally:
            result.close()


def _export_row(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """A result row as a dict, with an empty target instead of NULL."""
    row = dict(mapping)
    if row["target"] is None:
        row["target"] = row["target_name"] = ""
    return row


# --- dashboard queries: aggregated in SQL, capped, one call per view -----------------

REVIEW_ACTIONS: tuple[str, ...] = ("confirm", "correct", "reject")
"""What a reviewer can do to a reaction; see `review_reaction`."""

ROW_ORDERS: tuple[str, ...] = ("newest", "least_confident", "most_confident")
"""Orders of `reaction_rows`."""

Role = Literal["source", "target"]


def _target_link_on(filters: ReactionFilter) -> ColumnElement[bool]:
    """Join condition of reaction_targets, limited to the filter's targets like the export."""
    link = models.ReactionTarget
    condition = link.reaction_id == models.Reaction.id
    if filters.targets:
        condition = and_(condition, link.target_code.in_(filters.targets))
    return condition


def _filtered(*columns: Any, filters: ReactionFilter) -> Select[Any]:
    """SELECT columns FROM reactions JOIN articles WHERE the filter holds."""
    reaction, article = models.Reaction, models.Article
    return (
        select(*columns)
        .select_from(reaction)
        .join(article, article.id == reaction.article_id)
        .where(reaction_where(filters))
    )


def data_version(engine: Engine) -> tuple[Any, ...]:
    """A value that changes whenever articles, reactions or reviews change, in a few index lookups.

    Returns:
        The newest article id, the newest reaction id, how many reactions there
        are and the latest review time.
    """
    reaction, article = models.Reaction, models.Article
    query = select(
        select(func.max(article.id)).scalar_subquery(),
        select(func.max(reaction.id)).scalar_subquery(),
        select(func.count(reaction.id)).scalar_subquery(),
        select(func.max(reaction.reviewed_at)).scalar_subquery(),
    )
    with engine.connect() as conn:
        return tuple(conn.execute(query).one())


def date_bounds(engine: Engine) -> tuple[date | None, date | None]:
    """The first and last publication dates of stored articles (None when there are none)."""
    query = select(func.min(models.Article.published_at), func.max(models.Article.published_at))
    with engine.connect() as conn:
        first, last = conn.execute(query).one()
    return first, last


def actors_in_use(engine: Engine) -> list[dict[str, Any]]:
    """Actors that appear in reactions, by name.

    Returns:
        Dicts with `code`, `name`, `kind`, `region`, `as_source` and `as_target`
        (reactions, rejected ones included).
    """
    reaction, link, actor = models.Reaction, models.ReactionTarget, models.Actor
    sources = select(reaction.source_code.label("code"), func.count().label("n")).group_by(
        reaction.source_code
    ).subquery()
    targets = select(link.target_code.label("code"), func.count().label("n")).group_by(
        link.target_code
    ).subquery()
    query = (
        select(
            actor.code, actor.name, actor.kind, actor.region,
            func.coalesce(sources.c.n, 0).label("as_source"),
            func.coalesce(targets.c.n, 0).label("as_target"),
        )
        .outerjoin(sources, sources.c.code == actor.code)
        .outerjoin(targets, targets.c.code == actor.code)
        .where(or_(sources.c.n.is_not(None), targets.c.n.is_not(None)))
        .order_by(actor.name, actor.code)
    )  # fmt: skip
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def reaction_summary(engine: Engine, filters: ReactionFilter) -> dict[str, int]:
    """Counts of the filtered reactions: `reactions`, `articles`, `sources`, `targets`."""
    reaction, link = models.Reaction, models.ReactionTarget
    counts = _filtered(
        func.count(reaction.id),
        func.count(distinct(reaction.article_id)),
        func.count(distinct(reaction.source_code)),
        filters=filters,
    )
    targets = _filtered(func.count(distinct(link.target_code)), filters=filters).join(
        link, _target_link_on(filters)
    )
    with engine.connect() as conn:
        total, articles, sources = conn.execute(counts).one()
        targeted = conn.execute(targets).scalar_one()
    return {"reactions": total, "articles": articles, "sources": sources, "targets": targeted}


def stance_counts(engine: Engine, filters: ReactionFilter) -> dict[str, int]:
    """Filtered reactions per stance, most frequent first."""
    reaction = models.Reaction
    query = (
        _filtered(reaction.stance, func.count().label("n"), filters=filters)
        .group_by(reaction.stance)
        .order_by(func.count().desc(), reaction.stance)
    )
    with engine.connect() as conn:
        return {stance: n for stance, n in conn.execute(query)}


def _by_role(columns: Sequence[Any], role: Role, filters: ReactionFilter) -> Select[Any]:
    """Filtered reactions joined to the actor of a role (each target's, for "target")."""
    query = _filtered(*columns, filters=filters)
    if role == "source":
        code = models.Reaction.source_code
    elif role == "target":
        query = query.join(models.ReactionTarget, _target_link_on(filters))
        code = models.ReactionTarget.target_code
    else:
        raise ValueError(f"role must be 'source' or 'target', not {role!r}")
    return query.join(models.Actor, models.Actor.code == code)


def top_actors(engine: Engine, filters: ReactionFilter, role: Role, limit: int = 10) -> list[dict[str, Any]]:
    """The actors with the most filtered reactions, as source or as target.

    Returns:
        Dicts with `code`, `name`, `kind`, `region`, `reactions`, most reactions first.
    """
    actor = models.Actor
    count = func.count().label("reactions")  # one row per reaction, or per reaction and target
    query = _by_role([actor.code, actor.name, actor.kind, actor.region, count], role, filters)
    query = query.group_by(actor.code, actor.name, actor.kind, actor.region)
    query = query.order_by(count.desc(), actor.name).limit(limit)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def actor_stance_counts(
    engine: Engine, filters: ReactionFilter, role: Role = "source"
) -> list[dict[str, Any]]:
    """Filtered reactions per actor (as source or as target) and stance.

    Returns:
        Dicts with `code`, `name`, `kind`, `region`, `stance`, `reactions`,
        `polarity` (the stance's sign) and `last` (latest publication date).
    """
    actor, reaction, article = models.Actor, models.Reaction, models.Article
    columns = [
        actor.code, actor.name, actor.kind, actor.region, reaction.stance,
        func.count().label("reactions"),
        func.max(reaction.polarity).label("polarity"),
        func.max(article.published_at).label("last"),
    ]  # fmt: skip
    query = _by_role(columns, role, filters)
    query = query.group_by(actor.code, actor.name, actor.kind, actor.region, reaction.stance)
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query.order_by(actor.code, reaction.stance))]


PERIODS: tuple[str, ...] = ("day", "week", "month", "year")
"""Units of `period_counts`."""


def _period_start(day: Any, unit: str, dialect: str) -> Any:
    """The first day of the day's period (weeks start on Monday), as SQL."""
    if unit not in PERIODS:
        raise ValueError(f"unit must be one of {', '.join(PERIODS)}, not {unit!r}")
    if unit == "day":
        return day
    if dialect == "sqlite":
        modifiers = {"week": ("-6 days", "weekday 1"), "month": ("start of month",),
                     "year": ("start of year",)}  # fmt: skip
        return func.date(day, *modifiers[unit])
    return func.date_trunc(unit, day)


def period_counts(engine: Engine, filters: ReactionFilter, unit: str = "day") -> list[dict[str, Any]]:
    """Filtered reactions per period of publication and stance (undated articles left out).

    Args:
        engine: the database.
        filters: which reactions.
        unit: `day`, `week` (starting Monday), `month` or `year`.

    Returns:
        Dicts with `period` (a date, the period's first day), `stance` and `reactions`.
    """
    reaction, article = models.Reaction, models.Article
    period = _period_start(article.published_at, unit, engine.dialect.name).label("period")
    query = (
        _filtered(period, reaction.stance, func.count().label("reactions"), filters=filters)
        .where(article.published_at.is_not(None))
        .group_by(period, reaction.stance)
        .order_by(period, reaction.stance)
    )
    with engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
    for row in rows:
        row["period"] = _as_date(row["period"])
    return rows


def _as_date(value: Any) -> date:
    """A date from what a database returns for one: a date, a datetime or an ISO string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def dyad_counts(engine: Engine, filters: ReactionFilter) -> list[dict[str, Any]]:
    """Filtered reactions per source and target, with their mean polarity.

    Returns:
        Dicts with `source`, `source_name`, `target`, `target_name`, `reactions`,
        `polarity` (mean, -1 to 1), `negative` and `positive` (reactions of that sign).
    """
    reaction, link = models.Reaction, models.ReactionTarget
    source = aliased(models.Actor, name="source_actor")
    target = aliased(models.Actor, name="target_actor")
    query = (
        _filtered(
            reaction.source_code.label("source"), source.name.label("source_name"),
            link.target_code.label("target"), target.name.label("target_name"),
            func.count().label("reactions"),
            func.avg(reaction.polarity).label("polarity"),
            func.sum(case((reaction.polarity < 0, 1), else_=0)).label("negative"),
            func.sum(case((reaction.polarity > 0, 1), else_=0)).label("positive"),
            filters=filters,
        )
        .join(link, _target_link_on(filters))
        .join(source, source.code == reaction.source_code)
        .join(target, target.code == link.target_code)
        .group_by(reaction.source_code, source.name, link.target_code, target.name)
        .order_by(func.count().desc(), reaction.source_code, link.target_code)
    )  # fmt: skip
    with engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
    for row in rows:
        row["polarity"] = float(row["polarity"])
    return rows


def _row_columns() -> list[Any]:
    """Columns of one reaction row for tables (its targets are added afterwards)."""
    reaction, article, actor = models.Reaction, models.Article, models.Actor
    return [
        reaction.id, reaction.article_id, article.published_at.label("published"),
        reaction.source_code.label("source"), actor.name.label("source_name"),
        actor.kind.label("source_kind"), actor.region.label("region"),
        reaction.stance, reaction.polarity, reaction.speaker, reaction.speaker_title,
        reaction.quote, reaction.sentence, reaction.cue, reaction.rule, reaction.confidence,
        reaction.status, reaction.reviewed_at, reaction.original,
        article.title.label("article_title"), article.url.label("article_url"), article.outlet,
    ]  # fmt: skip


def _rows_query(filters: ReactionFilter) -> Select[Any]:
    """Filtered reactions with the columns of `_row_columns`."""
    actor = models.Actor
    return _filtered(*_row_columns(), filters=filters).join(actor, actor.code == models.Reaction.source_code)


def _searching(text: str) -> ColumnElement[bool]:
    """The reaction's sentence, quote, speaker or speaker's title contains the text, ignoring case."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    reaction = models.Reaction
    fields = (reaction.sentence, reaction.quote, reaction.speaker, reaction.speaker_title)
    return or_(*(field.ilike(pattern, escape="\\") for field in fields))


def _ordering(order: str) -> tuple[Any, ...]:
    reaction, article = models.Reaction, models.Article
    orders = {
        "newest": (article.published_at.desc().nulls_last(), reaction.id.desc()),
        "least_confident": (reaction.confidence, reaction.id),
        "most_confident": (reaction.confidence.desc(), reaction.id),
    }
    if order not in orders:
        raise ValueError(f"order must be one of {', '.join(ROW_ORDERS)}, not {order!r}")
    return orders[order]


def reaction_rows(
    engine: Engine,
    filters: ReactionFilter,
    *,
    limit: int = 500,
    order: str = "newest",
    search: str = "",
) -> list[dict[str, Any]]:
    """Filtered reactions, one row each, for tables and evidence.

    Args:
        engine: the database.
        filters: which reactions.
        limit: at most this many rows.
        order: one of `ROW_ORDERS`.
        search: keep reactions whose sentence, quote, speaker or title contains it.

    Returns:
        Dicts with the reaction's columns (`id`, `published`, `source`,
        `source_name`, `region`, `stance`, `speaker`, `quote`, `sentence`, `cue`,
        `confidence`, `status`, `original`, `article_title`, `article_url`, ...)
        and `targets` and `target_names`, lists in code order.
    """
    query = _rows_query(filters)
    if search.strip():
        query = query.where(_searching(search.strip()))
    query = query.order_by(*_ordering(order)).limit(limit)
    with engine.connect() as conn:
        return _with_targets(conn, [dict(row._mapping) for row in conn.execute(query)])


def reactions_per_actor(
    engine: Engine, filters: ReactionFilter, *, per_actor: int = 3, limit: int = 1000
) -> list[dict[str, Any]]:
    """Each source actor's strongest filtered reactions, as a reactions page lists them.

    An actor's reactions are ranked by confidence, then newest first; the best
    `per_actor` of each actor are kept, ordered by region, actor name and rank.

    Returns:
        The rows of `reaction_rows` with `rank` (1 = first of its actor).
    """
    reaction, article, actor = models.Reaction, models.Article, models.Actor
    ranked = _filtered(
        reaction.id.label("ranked_id"),
        func.row_number().over(
            partition_by=reaction.source_code,
            order_by=(reaction.confidence.desc(), article.published_at.desc().nulls_last(), reaction.id),
        ).label("rank"),
        filters=filters,
    ).subquery()
    query = (
        select(*_row_columns(), ranked.c.rank)
        .select_from(reaction)
        .join(ranked, ranked.c.ranked_id == reaction.id)
        .join(article, article.id == reaction.article_id)
        .join(actor, actor.code == reaction.source_code)
        .where(ranked.c.rank <= per_actor)
        .order_by(actor.region, actor.name, ranked.c.rank)
        .limit(limit)
    )
    with engine.connect() as conn:
        return _with_targets(conn, [dict(row._mapping) for row in conn.execute(query)])


def _with_targets(conn: Connection, rows: list[dict[str, Any]], chunk: int = 500) -> list[dict[str, Any]]:
    """Add `targets` and `target_names` (lists, by code) to each reaction row."""
    link, actor = models.ReactionTarget, models.Actor
    found: dict[int, list[tuple[str, str]]] = {}
    ids = [row["id"] for row in rows]
    for start in range(0, len(ids), chunk):
        query = (
            select(link.reaction_id, link.target_code, actor.name)
            .join(actor, actor.code == link.target_code)
            .where(link.reaction_id.in_(ids[start : start + chunk]))
            .order_by(link.reaction_id, link.target_code)
        )
        for reaction_id, code, name in conn.execute(query):
            found.setdefault(reaction_id, []).append((code, name))
    for row in rows:
        pairs = found.get(row["id"], [])
        row["targets"] = [code for code, _ in pairs]
        row["target_names"] = [name for _, name in pairs]
    return rows


def get_reaction(engine: Engine, reaction_id: int) -> dict[str, Any] | None:
    """One reaction as a `reaction_rows` row, whatever its status; None if there is none."""
    query = _rows_query(ReactionFilter(include_rejected=True)).where(models.Reaction.id == reaction_id)
    with engine.connect() as conn:
        rows = [dict(row._mapping) for row in conn.execute(query)]
        return _with_targets(conn, rows)[0] if rows else None


# --- review ---------------------------------------------------------------------------


def review_reaction(
    engine: Engine,
    reaction_id: int,
    action: str,
    *,
    source: str | None = None,
    stance: str | None = None,
    targets: Sequence[str] | None = None,
    when: datetime | None = None,
) -> dict[str, Any]:
    """Confirm, correct or reject a reaction, stamped with the time of the review.

    A correction replaces the source, stance (with its CAMEO, PLOVER and polarity)
    and targets it is given, sets the status to `corrected` and keeps what
    extraction said in `original` (the first time only, so a second correction
    does not lose it). Reviewed reactions are never replaced by re-extraction
    (`replace_reactions`); rejected ones leave queries and exports unless a
    filter asks for them.

    Args:
        engine: the database.
        reaction_id: the reaction.
        action: `confirm`, `correct` or `reject`.
        source: the corrected source actor code.
        stance: the corrected stance, one of the spec's ten.
        targets: the corrected target codes (an empty list: no target).
        when: the review time; now when None.

    Returns:
        The reaction as `get_reaction` gives it after the review.

    Raises:
        LookupError: there is no such reaction.
        ValueError: an unknown action or stance, an empty source, or a correction
            that changes nothing.
    """
    if action not in REVIEW_ACTIONS:
        raise ValueError(f"action must be one of {', '.join(REVIEW_ACTIONS)}, not {action!r}")
    with write_transaction(engine) as conn:
        current = _reaction_for_review(conn, reaction_id)
        values: dict[str, Any] = {"status": {"confirm": "confirmed", "reject": "rejected"}.get(action)}
        if action == "correct":
            values = _correct(conn, current, source, stance, targets)
        values["reviewed_at"] = when or models.utcnow()
        conn.execute(update(models.Reaction).where(models.Reaction.id == reaction_id).values(**values))
    reviewed = get_reaction(engine, reaction_id)
    assert reviewed is not None
    return reviewed


def _reaction_for_review(conn: Connection, reaction_id: int) -> dict[str, Any]:
    """The reviewable fields of a reaction, with its target codes."""
    reaction, link = models.Reaction, models.ReactionTarget
    columns = (reaction.source_code, reaction.stance, reaction.cameo, reaction.plover,
               reaction.polarity, reaction.original)  # fmt: skip
    row = conn.execute(select(*columns).where(reaction.id == reaction_id)).one_or_none()
    if row is None:
        raise LookupError(f"no reaction {reaction_id}")
    current = dict(row._mapping)
    query = select(link.target_code).where(link.reaction_id == reaction_id).order_by(link.target_code)
    current["targets"] = list(conn.execute(query).scalars())
    current["id"] = reaction_id
    return current


def _correct(
    conn: Connection,
    current: dict[str, Any],
    source: str | None,
    stance: str | None,
    targets: Sequence[str] | None,
) -> dict[str, Any]:
    """Check a correction, store its targets and return the reaction's new values."""
    new_source = (source if source is not None else current["source_code"]).strip()
    new_stance = stance if stance is not None else current["stance"]
    new_targets = None if targets is None else list(dict.fromkeys(t.strip() for t in targets if t.strip()))
    if not new_source:
        raise ValueError("a corrected reaction needs a source actor")
    if new_stance not in STANCES:
        raise ValueError(f"unknown stance {new_stance!r}")
    if new_targets is not None and new_source in new_targets:
        raise ValueError(f"{new_source} cannot be its own target")
    changed = (
        new_source != current["source_code"]
        or new_stance != current["stance"]
        or (new_targets is not None and sorted(new_targets) != current["targets"])
    )
    if not changed:
        raise ValueError("the correction changes nothing; confirm the reaction instead")
    _ensure_actors(conn, sorted({new_source, *(new_targets or [])}), _known_actors())
    values: dict[str, Any] = {"source_code": new_source, "stance": new_stance, "status": "corrected"}
    if new_stance != current["stance"]:
        known = STANCES[new_stance]
        values.update(cameo=known.cameo, plover=known.plover, polarity=known.polarity)
    if current["original"] is None:
        values["original"] = {
            "source": current["source_code"], "stance": current["stance"], "targets": current["targets"],
            "cameo": current["cameo"], "plover": current["plover"], "polarity": current["polarity"],
        }  # fmt: skip
    if new_targets is not None:
        _replace_targets(conn, current["id"], new_targets)
    return values


def _replace_targets(conn: Connection, reaction_id: int, codes: Sequence[str]) -> None:
    link = models.ReactionTarget
    conn.execute(delete(link).where(link.reaction_id == reaction_id))
    if codes:
        conn.execute(insert(link), [{"reaction_id": reaction_id, "target_code": c} for c in codes])


def replace_reactions(
    engine: Engine,
    article_id: int,
    reactions: Sequence[types.Reaction],
    extractor_version: str,
    *,
    actors: Mapping[str, Any] | None = None,
) -> int:
    """Re-extraction of a stored article: swap its automatic reactions for new ones.

    Reactions a person reviewed (confirmed, corrected or rejected) stay as they
    are, and a new reaction that repeats one of them (same sentence span, and
    the source and stance extraction first gave it) is not added again, so a
    correction or a rejection is never undone by running extraction again.

    Args:
        engine: the database.
        article_id: the stored article.
        reactions: what extraction finds in it now.
        extractor_version: stored on each new reaction.
        actors: actor dictionary for new codes; the built-in one when None.

    Returns:
        How many reactions were added.
    """
    _check_stances(reactions)
    reaction, link = models.Reaction, models.ReactionTarget
    with write_transaction(engine) as conn:
        reviewed = conn.execute(
            select(reaction.char_start, reaction.char_end, reaction.source_code, reaction.stance,
                   reaction.original)
            .where(reaction.article_id == article_id, reaction.status != "auto")
        ).all()  # fmt: skip
        kept = {
            (start, end, (original or {}).get("source", src), (original or {}).get("stance", stance))
            for start, end, src, stance, original in reviewed
        }
        automatic = select(reaction.id).where(reaction.article_id == article_id, reaction.status == "auto")
        conn.execute(delete(link).where(link.reaction_id.in_(automatic)))
        conn.execute(delete(reaction).where(reaction.id.in_(automatic)))
        fresh = [r for r in reactions if (r.char_start, r.char_end, r.source, r.stance) not in kept]
        _ensure_actors(conn, _actor_codes(fresh), actors if actors is not None else _known_actors())
        return _insert_reactions(conn, article_id, fresh, extractor_version)
