"""The store on real SQLite and PostgreSQL databases: schema, writes, queries, streaming."""

from __future__ import annotations

import inspect
import multiprocessing
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, delete, func, insert, select, text
from sqlalchemy import inspect as inspect_db
from sqlalchemy.pool import NullPool

from tracker import models, store
from tracker.types import Article, Reaction

TABLES = {"articles", "actors", "reactions", "reaction_targets", "alembic_version"}


def count(engine: Engine, model: type[models.Base]) -> int:
    """Rows in a model's table."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def dyads(rows: list[dict]) -> set[tuple[str, str, str]]:
    """(source, stance, target) of export rows."""
    return {(row["source"], row["stance"], row["target"]) for row in rows}


def rows(engine: Engine, **filters: object) -> list[dict]:
    """All export rows for a filter."""
    return list(store.iter_reaction_rows(engine, store.ReactionFilter(**filters)))


# --- schema --------------------------------------------------------------------------


def test_store_make_engine_creates_schema_on_first_use(db_url: str) -> None:
    engine = store.make_engine(db_url)
    try:
        assert TABLES <= set(inspect_db(engine).get_table_names())
        assert store.current_revision(engine) == store.head_revision()
    finally:
        engine.dispose()


def test_store_make_engine_twice_keeps_data(db_url: str, make_article) -> None:
    first = store.make_engine(db_url)
    store.save_article(first, make_article(), [], "v")
    first.dispose()
    second = store.make_engine(db_url)
    try:
        assert count(second, models.Article) == 1
    finally:
        second.dispose()


def test_store_make_engine_creates_parent_folder(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "t.db"
    engine = store.make_engine(str(path))
    engine.dispose()
    assert path.exists()


@pytest.mark.parametrize(("pragma", "expected"), [("journal_mode", "wal"), ("foreign_keys", 1)])
def test_store_sqlite_pragmas_on(sqlite_url: str, pragma: str, expected: object) -> None:
    engine = store.make_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql(f"PRAGMA {pragma}").scalar_one() == expected
    finally:
        engine.dispose()


def test_store_sqlite_busy_timeout_set(sqlite_url: str) -> None:
    engine = store.make_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == 30000
    finally:
        engine.dispose()


def test_store_upgrade_returns_head(db_url: str) -> None:
    engine = store.make_engine(db_url)
    try:
        assert store.upgrade(engine) == store.head_revision()
    finally:
        engine.dispose()


# --- save_article --------------------------------------------------------------------


def test_store_save_article_adds_article_reactions_targets(engine: Engine, make_article) -> None:
    reactions = [Reaction("USA", "condemn", ("PRK", "RUS")), Reaction("UN", "appeal")]
    result = store.save_article(engine, make_article(), reactions, "v1")
    assert (result.status, result.reactions) == ("added", 2)
    assert result.article_id is not None
    assert count(engine, models.ReactionTarget) == 2


def test_store_save_article_keeps_article_fields(engine: Engine, make_article) -> None:
    article = make_article(3, title="T", outlet="O", language="ko", origin="x.json:3")
    store.save_article(engine, article, [], "v")
    with engine.connect() as conn:
        row = conn.execute(select(models.Article)).one()
    assert (row.external_id, row.url, row.title, row.outlet) == ("test-3", article.url, "T", "O")
    assert (row.published_at, row.language, row.origin) == (date(2024, 10, 3), "ko", "x.json:3")
    assert (row.content_hash, row.text) == (article.content_hash, article.text)
    assert row.ingested_at is not None


def test_store_save_article_marks_reactions_auto_with_version(engine: Engine, make_article) -> None:
    store.save_article(engine, make_article(), [Reaction("KOR", "protest", ("RUS",))], "v9")
    with engine.connect() as conn:
        row = conn.execute(select(models.Reaction)).one()
    assert (row.status, row.extractor_version, row.reviewed_at) == ("auto", "v9", None)


def test_store_save_article_twice_is_duplicate(engine: Engine, make_article) -> None:
    reactions = [Reaction("KOR", "protest", ("RUS",))]
    first = store.save_article(engine, make_article(), reactions, "v")
    second = store.save_article(engine, make_article(), reactions, "v")
    assert (second.status, second.article_id, second.reactions) == (
        "duplicate",
        first.article_id,
        0,
    )
    assert (count(engine, models.Article), count(engine, models.Reaction)) == (1, 1)


def test_store_save_article_same_url_other_text_is_duplicate(engine: Engine, make_article) -> None:
    store.save_article(engine, make_article(1, url="https://x.example/a"), [], "v")
    result = store.save_article(
        engine, make_article(2, url="https://x.example/a"), [Reaction("USA", "support")], "v"
    )
    assert result.status == "duplicate"
    assert (count(engine, models.Article), count(engine, models.Reaction)) == (1, 0)


def test_store_save_article_same_text_other_url_is_duplicate(engine: Engine, make_article) -> None:
    store.save_article(engine, make_article(1, url="https://a.example/1"), [], "v")
    result = store.save_article(engine, make_article(1, url="https://b.example/1"), [], "v")
    assert result.status == "duplicate"


def test_store_save_article_rewrapped_text_is_duplicate(engine: Engine, make_article) -> None:
    store.save_article(engine, make_article(1, text="One  two\nthree", url=None), [], "v")
    result = store.save_article(engine, make_article(1, text="One two three", url=None), [], "v")
    assert result.status == "duplicate"


def test_store_save_article_without_url_twice_both_added(engine: Engine, make_article) -> None:
    for n in (1, 2):
        assert store.save_article(engine, make_article(n, url=None), [], "v").status == "added"
    assert count(engine, models.Article) == 2


def test_store_save_article_failure_midway_writes_nothing(engine: Engine, make_article) -> None:
    broken = Reaction("JPN", "condemn", ("PRK",), speaker=object())  # type: ignore[arg-type]
    reactions = [Reaction("USA", "condemn", ("PRK",)), broken]
    with pytest.raises(Exception):  # noqa: B017 - the driver's own error type
        store.save_article(engine, make_article(), reactions, "v")
    for model in (models.Article, models.Actor, models.Reaction, models.ReactionTarget):
        assert count(engine, model) == 0


def test_store_save_article_unknown_stance_refused(engine: Engine, make_article) -> None:
    with pytest.raises(ValueError, match="unknown stance"):
        store.save_article(engine, make_article(), [Reaction("USA", "applaud")], "v")
    assert count(engine, models.Article) == 0


def test_store_save_article_repeated_target_stored_once(engine: Engine, make_article) -> None:
    reaction = Reaction("USA", "condemn", ("RUS", "RUS"))
    store.save_article(engine, make_article(), [reaction], "v")
    assert count(engine, models.ReactionTarget) == 1


def test_store_save_article_names_known_actors(engine: Engine, make_article) -> None:
    from tracker.actors import load_actors

    store.save_article(engine, make_article(), [Reaction("USA", "condemn", ("RUS",))], "v")
    with engine.connect() as conn:
        usa = conn.execute(select(models.Actor).where(models.Actor.code == "USA")).one()
    known = load_actors()["USA"]
    assert (usa.name, usa.kind) == (known.name, known.kind)


def test_store_save_article_names_actors_from_given_dictionary(engine: Engine, make_article) -> None:
    from tracker.actors import ActorInfo

    known = {"HAM": ActorInfo(code="HAM", name="Hamas", kind="non-state", region="Middle East")}
    store.save_article(engine, make_article(), [Reaction("HAM", "reject")], "v", actors=known)
    with engine.connect() as conn:
        actor = conn.execute(select(models.Actor)).one()
    assert (actor.name, actor.kind, actor.region) == ("Hamas", "non-state", "Middle East")


def test_store_save_article_unknown_actor_kind_unknown(engine: Engine, make_article) -> None:
    store.save_article(engine, make_article(), [Reaction("ZZZ_TEST", "support")], "v")
    with engine.connect() as conn:
        actor = conn.execute(select(models.Actor)).one()
    assert (actor.code, actor.name, actor.kind) == ("ZZZ_TEST", "ZZZ_TEST", "unknown")


def test_store_delete_article_cascades(engine: Engine, make_article) -> None:
    store.save_article(engine, make_article(), [Reaction("USA", "condemn", ("RUS",))], "v")
    with engine.begin() as conn:
        conn.execute(delete(models.Article))
    assert count(engine, models.Reaction) == count(engine, models.ReactionTarget) == 0


def _load_in_process(url: str, texts: list[str], barrier, results) -> None:
    """Worker: open the database and save every text as an article with one reaction."""
    barrier.wait(timeout=60)
    engine = store.make_engine(url)
    try:
        statuses = [
            store.save_article(
                engine,
                Article(text=t, url=f"https://news.example/{i}"),
                [Reaction("KOR", "protest", ("RUS",)), Reaction("USA", "condemn", ("PRK",))],
                "v",
            ).status
            for i, t in enumerate(texts)
        ]
    finally:
        engine.dispose()
    results.put(statuses)


def test_store_concurrent_loads_leave_one_copy(db_url: str) -> None:
    texts = [f"Article {i}: Seoul protested to Moscow." for i in range(30)]
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=_load_in_process, args=(db_url, texts, barrier, results)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    statuses = [results.get(timeout=5) for _ in workers]
    assert sum(s.count("added") for s in statuses) == len(texts)
    engine = store.make_engine(db_url)
    try:
        assert count(engine, models.Article) == len(texts)
        assert count(engine, models.Reaction) == 2 * len(texts)
    finally:
        engine.dispose()


# --- stats ---------------------------------------------------------------------------


def test_store_stats_keys(engine: Engine) -> None:
    keys = set(store.stats(engine))
    assert {"articles", "reactions", "actors", "targets", "stance_condemn"} <= keys
    assert {"stance_no_comment", "status_rejected"} <= keys


def test_store_stats_counts(loaded: Engine) -> None:
    counts = store.stats(loaded)
    assert (counts["articles"], counts["reactions"], counts["targets"]) == (3, 6, 6)
    assert (counts["stance_condemn"], counts["stance_appeal"], counts["stance_sanction"]) == (3, 1, 0)
    assert counts["actors"] == 8  # USA JPN KOR UN CHN GBR as sources, PRK RUS as targets
    assert counts["status_rejected"] == 1


# --- export rows and filters ---------------------------------------------------------


def test_store_export_rows_have_export_columns(loaded: Engine) -> None:
    assert all(tuple(row) == store.EXPORT_COLUMNS for row in rows(loaded))


def test_store_export_rows_one_per_target(loaded: Engine) -> None:
    usa = [row for row in rows(loaded) if row["source"] == "USA"]
    assert [row["target"] for row in usa] == ["PRK", "RUS"]
    assert len({row["reaction_id"] for row in usa}) == 1


def test_store_export_rows_empty_target_without_targets(loaded: Engine) -> None:
    (un,) = [row for row in rows(loaded) if row["source"] == "UN"]
    assert (un["target"], un["target_name"], un["stance"]) == ("", "", "appeal")


def test_store_export_rows_carry_article_and_evidence(loaded: Engine) -> None:
    (kor,) = rows(loaded, sources=("KOR",))
    assert (kor["published"], kor["article_title"]) == (date(2024, 10, 5), "Seoul summons envoy")
    assert (kor["quote"], kor["confidence"], kor["status"]) == ("We protest", 0.8, "auto")
    assert kor["article_url"] == "https://news.example/5"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"sources": ("KOR", "UN")}, {("KOR", "protest", "RUS"), ("UN", "appeal", "")}),
        ({"stances": ("support",)}, {("CHN", "support", "RUS")}),
        ({"targets": ("PRK",)}, {("USA", "condemn", "PRK"), ("JPN", "condemn", "PRK")}),
        ({"since": date(2024, 10, 5)}, {("KOR", "protest", "RUS"), ("UN", "appeal", ""),
                                         ("CHN", "support", "RUS")}),
        ({"until": date(2024, 10, 1)}, {("USA", "condemn", "PRK"), ("USA", "condemn", "RUS"),
                                        ("JPN", "condemn", "PRK")}),
        ({"since": date(2024, 10, 5), "until": date(2024, 10, 5)},
         {("KOR", "protest", "RUS"), ("UN", "appeal", "")}),
        ({"min_confidence": 0.8}, {("USA", "condemn", "PRK"), ("USA", "condemn", "RUS"),
                                   ("KOR", "protest", "RUS")}),
        ({"text": "beijing"}, {("CHN", "support", "RUS")}),
        ({"text": "urged CALM"}, {("KOR", "protest", "RUS"), ("UN", "appeal", "")}),
        ({"text": "100%"}, set()),
        ({"statuses": ("rejected",)}, {("GBR", "condemn", "RUS")}),
    ],
)  # fmt: skip
def test_store_filter_selects(loaded: Engine, filters: dict, expected: set) -> None:
    assert dyads(rows(loaded, **filters)) == expected


def test_store_filter_excludes_rejected_by_default(loaded: Engine) -> None:
    assert "GBR" not in {row["source"] for row in rows(loaded)}


def test_store_filter_include_rejected(loaded: Engine) -> None:
    assert ("GBR", "condemn", "RUS") in dyads(rows(loaded, include_rejected=True))


def test_store_reaction_where_counts_reactions(loaded: Engine) -> None:
    where = store.reaction_where(store.ReactionFilter(targets=("RUS",)))
    query = select(func.count()).select_from(models.Reaction).join(models.Article).where(where)
    with loaded.connect() as conn:
        assert conn.execute(query).scalar_one() == 3  # USA, KOR, CHN; GBR rejected


# --- streaming -----------------------------------------------------------------------


def bulk_load(engine: Engine, n: int, make_article) -> None:
    """One article with n reactions, every other one targeting RUS, inserted in bulk."""
    article_id = store.save_article(
        engine, make_article(), [Reaction("USA", "condemn", ("RUS",))], "v"
    ).article_id
    sentence = "The foreign ministry condemned the launch as a grave provocation. " * 3
    reactions = [
        {"article_id": article_id, "source_code": "USA", "stance": "condemn", "cameo": "111",
         "plover": "ACCUSE", "polarity": -1, "speaker": "", "speaker_title": "", "quote": "",
         "sentence": f"{i} {sentence}", "char_start": 0, "char_end": 10, "confidence": 0.5,
         "cue": "condemned", "rule": "bulk", "extractor_version": "v", "status": "auto"}
        for i in range(n - 1)
    ]  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(models.Reaction), reactions)
        conn.execute(
            insert(models.ReactionTarget).from_select(
                ["reaction_id", "target_code"],
                select(models.Reaction.id, text("'RUS'")).where(models.Reaction.id % 2 == 0),
            )
        )


def test_store_iter_reaction_rows_is_lazy(loaded: Engine) -> None:
    assert inspect.isgenerator(store.iter_reaction_rows(loaded, store.ReactionFilter()))


@pytest.mark.slow
def test_store_iter_reaction_rows_streams_in_bounded_memory(engine: Engine, make_article) -> None:
    n = 50_000
    bulk_load(engine, n, make_article)
    tracemalloc.start()
    try:
        seen = sum(1 for _ in store.iter_reaction_rows(engine, batch_size=500))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == n
    assert peak < 15_000_000  # all rows at once take well over 50 MB


@pytest.mark.postgres
def test_store_iter_reaction_rows_uses_server_side_cursor(pg_url: str, make_article) -> None:
    engine = store.make_engine(pg_url)
    watcher = create_engine(pg_url, poolclass=NullPool)
    try:
        bulk_load(engine, 3_000, make_article)
        stream = store.iter_reaction_rows(engine, batch_size=100)
        next(stream)
        with watcher.connect() as conn:
            queries = conn.execute(
                text("SELECT query FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                     " AND datname = current_database()")
            ).scalars().all()  # fmt: skip
        stream.close()
        assert any(q.startswith("FETCH FORWARD") for q in queries), queries
    finally:
        watcher.dispose()
        engine.dispose()
