"""Fixtures shared by all tests: databases (SQLite and a real PostgreSQL) and engines.

PostgreSQL comes from TRACKER_TEST_PG_URL when set, else from a throwaway cluster
started with initdb/pg_ctl on a free port. Without either, PostgreSQL tests skip,
or fail when TRACKER_REQUIRE_PG=1 (as in CI).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import pytest
from sqlalchemy import Engine, create_engine, update
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tracker import models, store
from tracker.config import normalise_url
from tracker.types import Article, Reaction

NO_PG = "no PostgreSQL: set TRACKER_TEST_PG_URL or install postgresql (initdb/pg_ctl)"


# --- SQLite --------------------------------------------------------------------------


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file in the test's temporary folder."""
    return f"sqlite:///{tmp_path / 't.db'}"


# --- PostgreSQL ----------------------------------------------------------------------


def _no_postgres(reason: str) -> NoReturn:
    """Skip, or fail when the run requires PostgreSQL."""
    if os.environ.get("TRACKER_REQUIRE_PG") == "1":
        pytest.fail(f"TRACKER_REQUIRE_PG=1 but {reason}")
    pytest.skip(reason)


def _pg_tool(name: str) -> str | None:
    """Path of a PostgreSQL server program, from PATH or the Debian folders."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    return None


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder."""

    def __init__(self, initdb: str, pg_ctl: str) -> None:
        self.initdb, self.pg_ctl = initdb, pg_ctl
        self.as_postgres = os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="tracker-pg-", dir="/tmp"))
        self.data, self.log = self.root / "data", self.root / "server.log"
        self.port = _free_port()
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, *args: str) -> None:
        """Run a server program, as the postgres user when we are root."""
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        subprocess.run([*prefix, *args], cwd=self.root, check=True, capture_output=True, text=True)

    def start(self) -> None:
        """initdb, then start on 127.0.0.1:port with sockets in the folder."""
        self.run(self.initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust",
                 "-E", "UTF8", "--no-locale", "--no-sync")  # fmt: skip
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.run(self.pg_ctl, "-D", str(self.data), "-l", str(self.log), "-o", options,
                 "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self.run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self) -> str:
        return self.log.read_text()[-2000:] if self.log.exists() else ""


def _cluster_or_skip() -> _Cluster:
    """A started local cluster, or skip/fail saying why there is none."""
    initdb, pg_ctl = _pg_tool("initdb"), _pg_tool("pg_ctl")
    if not (initdb and pg_ctl):
        _no_postgres(NO_PG)
    if os.geteuid() == 0 and not shutil.which("runuser"):
        _no_postgres(f"{NO_PG} (running as root needs runuser and a postgres user)")
    try:
        cluster = _Cluster(initdb, pg_ctl)
    except (LookupError, OSError) as exc:  # no postgres user, no /tmp
        _no_postgres(f"{NO_PG} ({exc})")
    try:
        cluster.start()
    except subprocess.CalledProcessError as exc:
        details = f"{exc.stderr}\n{cluster.log_tail()}"
        shutil.rmtree(cluster.root, ignore_errors=True)
        _no_postgres(f"could not start PostgreSQL: {details}")
    return cluster


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL of a PostgreSQL server's admin database, for the whole session."""
    given = os.environ.get("TRACKER_TEST_PG_URL")
    if given:
        yield normalise_url(given)
        return
    cluster = _cluster_or_skip()
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield make_url(pg_server).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


# --- either backend ------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database URL, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a new database with the schema in place, disposed afterwards."""
    engine = store.make_engine(db_url)
    try:
        yield engine
    finally:
        engine.dispose()


# --- data ----------------------------------------------------------------------------


def article_for_test(n: int = 1, **fields: Any) -> Article:
    """Article number n, with distinct text and URL unless given."""
    values: dict[str, Any] = {
        "text": f"Article {n}. South Korea has called in the Russian ambassador.",
        "id": f"test-{n}",
        "title": f"Title {n}",
        "url": f"https://news.example/{n}",
        "published": date(2024, 10, n),
        "outlet": "Example News",
        "language": "en",
        "origin": f"test:{n}",
    }
    values.update(fields)
    return Article(**values)


@pytest.fixture
def make_article() -> Callable[..., Article]:
    """Factory for articles: `make_article(n, **fields)`."""
    return article_for_test


SAMPLE: tuple[tuple[Article, tuple[Reaction, ...]], ...] = (
    (
        article_for_test(1, title="Allies denounce Pyongyang", text="The U.S. and Japan denounced."),
        (
            Reaction("USA", "condemn", ("PRK", "RUS"), speaker="Blinken", confidence=0.9),
            Reaction("JPN", "condemn", ("PRK",), confidence=0.6),
        ),
    ),
    (
        article_for_test(5, title="Seoul summons envoy", text="Seoul protested. The UN urged calm."),
        (
            Reaction("KOR", "protest", ("RUS",), quote="We protest", confidence=0.8),
            Reaction("UN", "appeal", (), confidence=0.7),
        ),
    ),
    (
        article_for_test(10, title="Beijing backs Moscow", text="China supported Russia."),
        (
            Reaction("CHN", "support", ("RUS",), confidence=0.4),
            Reaction("GBR", "condemn", ("RUS",), confidence=0.5),
        ),
    ),
)
"""Three articles (1, 5 and 10 October 2024); GBR's condemnation gets rejected."""


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    """The engine with SAMPLE saved and GBR's reaction marked rejected."""
    for article, reactions in SAMPLE:
        store.save_article(engine, article, reactions, "test-1")
    with engine.begin() as conn:
        conn.execute(
            update(models.Reaction).where(models.Reaction.source_code == "GBR").values(status="rejected")
        )
    return engine


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """A SQLite file with the demo corpus ingested, made once; tests copy it."""
    from tracker import pipeline
    from tracker.config import load_settings
    from tracker.demo import demo_path

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    url = f"sqlite:///{path}"
    engine = store.make_engine(url)
    pipeline.ingest([str(demo_path())], engine, load_settings(db=url))
    engine.dispose()
    return path
