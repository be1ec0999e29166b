"""Migrations: an empty database upgrades to head and matches the models exactly."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect
from sqlalchemy.pool import NullPool

from tracker import models, store

ROOT = Path(__file__).resolve().parent.parent


def test_migrations_single_head() -> None:
    script = ScriptDirectory(str(store.MIGRATIONS))
    assert script.get_heads() == [store.head_revision()]


def test_migrations_upgrade_empty_sqlite_to_head(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url, poolclass=NullPool)
    try:
        assert store.upgrade(engine) == store.head_revision()
        assert set(models.Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_no_drift(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, models.Base.metadata) == []


def test_migrations_downgrade_to_base_and_back(engine: Engine) -> None:
    with engine.connect() as conn:
        config = store.alembic_config(conn)
        command.downgrade(config, "base")
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        command.upgrade(config, "head")
        conn.commit()
    assert store.current_revision(engine) == store.head_revision()


def test_migrations_alembic_ini_upgrades(sqlite_url: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", sqlite_url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
    engine = create_engine(sqlite_url, poolclass=NullPool)
    try:
        assert store.current_revision(engine) == store.head_revision()
    finally:
        engine.dispose()
