"""The `tracker` command end to end, run as a user runs it: a real process, real files,
real SQLite files and the real PostgreSQL server the conftest starts.

Each CLI call costs about a second (imports), so expensive set-ups (the demo corpus
loaded into a database, the ingest of a folder of bad inputs) run once per module and
backend, and several tests read what they left behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tracker.config import SETTINGS_HELP, normalise_url

PROJECT = Path(__file__).resolve().parents[1]
README = PROJECT / "README.md"
DEMO_FILE = PROJECT / "tracker" / "demo" / "articles.jsonl"
SHARED = Path(__file__).resolve().parents[2] / "shared"

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
SETTING_VARS = {env for env, _default, _help in SETTINGS_HELP.values()}
TIMEOUT = 300

REQUIRED_EXPORT_COLUMNS = (
    "reaction_id", "published", "source", "source_name", "stance", "target", "target_name",
    "speaker", "speaker_title", "quote", "sentence", "cameo", "polarity", "confidence",
    "status", "article_title", "article_url",
)  # fmt: skip
REQUIRED_EXTRACT_KEYS = (
    "article_id", "source", "stance", "targets", "speaker", "speaker_title", "quote",
    "sentence", "cameo", "plover", "polarity", "confidence",
)  # fmt: skip
SUMMARY_LINE = re.compile(r"^\d+ articles added, \d+ already stored, \d+ reactions, \d+ failed")

ENGLISH_TXT = (
    "Japan condemns missile launch\n\n"
    "Japan on Tuesday condemned North Korea's latest ballistic missile launch. Chief Cabinet "
    "Secretary Yoshimasa Hayashi said Tokyo had lodged a strong protest with Pyongyang.\n"
)
ENGLISH_MD = (
    "# China urges restraint\n\n"
    "China on Friday urged **restraint** on all sides after clashes on the border between "
    "India and Pakistan, the foreign ministry in Beijing said.\n"
)
GERMAN_TXT = (
    "Bundesregierung verurteilt Angriffe auf die Ukraine\n\n"
    "Die Bundesregierung hat die jüngsten russischen Raketenangriffe auf die Ukraine scharf "
    "verurteilt. Außenministerin Annalena Baerbock sagte am Montag in Berlin, die gezielten "
    "Angriffe auf die zivile Infrastruktur seien ein Bruch des Völkerrechts und dürften nicht "
    "ohne Folgen bleiben. Die Europäische Union werde in den kommenden Tagen über weitere "
    "Sanktionen gegen Moskau beraten, hieß es aus dem Auswärtigen Amt.\n"
)
LATIN1_TXT = (
    "Zürich talks end without deal\n\n"
    "Switzerland's foreign ministry said in Zürich on Monday that it was déçu by the "
    "decision and urged calm. Genève and Neuchâtel had offered to host the next round.\n"
)
NUL_TXT = (
    b"Seoul protests troop deployment\n\n"
    b"South Korea\x00 has called in the Russian\x00 ambassador to protest against the "
    b"deployment of North Korean troops.\n"
)


# --- running the command -------------------------------------------------------------


def tracker_command() -> list[str]:
    """The installed console script, else the module."""
    script = Path(sys.executable).parent / "tracker"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tracker.cli"]


def cli_env(db_url: str | None = None) -> dict[str, str]:
    """The caller's environment without tracker settings, plus DATABASE_URL when given."""
    env = {k: v for k, v in os.environ.items() if k not in SETTING_VARS}
    if db_url is not None:
        env["DATABASE_URL"] = db_url
    return env


def run(
    *args: str | Path, cwd: Path, db_url: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `tracker ARGS` to completion, capturing its output as text."""
    return subprocess.run(
        [*tracker_command(), *map(str, args)],
        cwd=cwd, env=env or cli_env(db_url), capture_output=True, text=True,
        encoding="utf-8", timeout=TIMEOUT,
    )  # fmt: skip


def run_many(
    *calls: tuple[Sequence[str | Path], Path, dict[str, str]],
) -> list[subprocess.CompletedProcess[str]]:
    """Start several `tracker` commands at once (args, cwd, env), then wait for all."""
    processes = [
        subprocess.Popen(
            [*tracker_command(), *map(str, args)], cwd=cwd, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )  # fmt: skip
        for args, cwd, env in calls
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=TIMEOUT)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def run_bytes(*args: str | Path, cwd: Path, db_url: str) -> subprocess.CompletedProcess[bytes]:
    """Run `tracker ARGS`, keeping stdout as raw bytes."""
    return subprocess.run(
        [*tracker_command(), *map(str, args)],
        cwd=cwd, env=cli_env(db_url), capture_output=True, timeout=TIMEOUT,
    )  # fmt: skip


def ok(result: subprocess.CompletedProcess[Any]) -> subprocess.CompletedProcess[Any]:
    """Assert a zero exit status, showing the output otherwise."""
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def stats_of(db_url: str, cwd: Path) -> dict[str, int]:
    """`tracker stats --format json`, parsed."""
    return json.loads(ok(run("stats", "--format", "json", cwd=cwd, db_url=db_url)).stdout)


def query(db_url: str, sql: str, **params: Any) -> list[Any]:
    """Rows of a SQL query, run in this process on the database the CLI wrote."""
    engine = create_engine(normalise_url(db_url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params))
    finally:
        engine.dispose()


def read_export(path_or_text: Path | str) -> pd.DataFrame:
    """An exported CSV as strings, empty cells kept as ""."""
    source = path_or_text if isinstance(path_or_text, Path) else io.StringIO(path_or_text)
    return pd.read_csv(source, dtype=str, keep_default_na=False)


# --- databases that live for the module ---------------------------------------------


class Databases:
    """New SQLite files or PostgreSQL databases, dropped when the module ends."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: list[tuple[str, str]] = []

    def new(self, backend: str, pg_server: str | None = None) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.root / f'{uuid.uuid4().hex[:8]}.db'}"
        assert pg_server is not None
        name = f"tracker_cli_{uuid.uuid4().hex[:12]}"
        admin = create_engine(pg_server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        finally:
            admin.dispose()
        self.made.append((pg_server, name))
        return make_url(pg_server).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        for server, name in self.made:
            admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
            try:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            finally:
                admin.dispose()


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("dbs"))
    try:
        yield dbs
    finally:
        dbs.drop_all()


def pg_server_for(request: pytest.FixtureRequest, backend: str) -> str | None:
    """The PostgreSQL server for the postgres backend (skips without one)."""
    return request.getfixturevalue("pg_server") if backend == "postgres" else None


# --- the demo corpus, loaded once per backend ----------------------------------------


@dataclass
class DemoDb:
    """A database `tracker demo` filled, its stats and its unfiltered CSV export."""

    backend: str
    url: str
    workdir: Path
    stats: dict[str, int]
    export_path: Path
    frame: pd.DataFrame = field(repr=False)


DemoLoader = Callable[..., DemoDb]


@pytest.fixture(scope="module")
def demo_loader(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> DemoLoader:
    """`load(backend, pg_server)`: the demo database of a backend, made on first use."""
    cache: dict[str, DemoDb] = {}

    def load(backend: str, pg_server: str | None = None) -> DemoDb:
        if backend not in cache:
            workdir = tmp_path_factory.mktemp(f"demo-{backend}")
            url = databases.new(backend, pg_server)
            ok(run("demo", cwd=workdir, db_url=url))
            export_path = workdir / "all.csv"
            stats, _ = map(ok, run_many(
                (("stats", "--format", "json"), workdir, cli_env(url)),
                (("export", "--format", "csv", "--output", export_path), workdir, cli_env(url)),
            ))  # fmt: skip
            cache[backend] = DemoDb(
                backend, url, workdir, json.loads(stats.stdout), export_path,
                read_export(export_path),
            )  # fmt: skip
        return cache[backend]

    return load


@pytest.fixture(scope="module", params=BACKENDS)
def demo_db(request: pytest.FixtureRequest, demo_loader: DemoLoader) -> DemoDb:
    """The demo database, once on SQLite and once on PostgreSQL."""
    return demo_loader(request.param, pg_server_for(request, request.param))


@pytest.fixture
def sqlite_demo(demo_loader: DemoLoader) -> DemoDb:
    return demo_loader("sqlite")


def demo_record_count() -> int:
    return sum(1 for line in DEMO_FILE.read_text(encoding="utf-8").splitlines() if line.strip())


# --- 1. demo -------------------------------------------------------------------------


def test_cli_demo_loads_the_demo_articles(demo_db: DemoDb) -> None:
    assert demo_db.stats["articles"] >= 12
    assert demo_db.stats["articles"] == demo_record_count()
    assert demo_db.stats["reactions"] > 0


def test_cli_demo_twice_changes_nothing(demo_db: DemoDb) -> None:
    ok(run("demo", cwd=demo_db.workdir, db_url=demo_db.url))
    assert stats_of(demo_db.url, demo_db.workdir) == demo_db.stats


@pytest.mark.slow
def test_cli_demo_if_empty_loads_nothing_into_a_non_empty_database(
    tmp_path: Path, sqlite_url: str
) -> None:
    (tmp_path / "one.txt").write_text(ENGLISH_TXT, encoding="utf-8")
    ok(run("ingest", "--quiet", "one.txt", cwd=tmp_path, db_url=sqlite_url))
    before = query(sqlite_url, "SELECT count(*) FROM articles")
    assert before == [(1,)]
    ok(run("demo", "--if-empty", cwd=tmp_path, db_url=sqlite_url))
    assert stats_of(sqlite_url, tmp_path)["articles"] == 1


@pytest.mark.slow
def test_cli_demo_two_processes_at_once_leave_no_duplicate(
    tmp_path: Path, db_url: str, demo_loader: DemoLoader, request: pytest.FixtureRequest
) -> None:
    backend = "postgres" if db_url.startswith("postgresql") else "sqlite"
    both = run_many((("demo",), tmp_path, cli_env(db_url)), (("demo",), tmp_path, cli_env(db_url)))
    for result in both:
        ok(result)
    stats = stats_of(db_url, tmp_path)
    assert stats["articles"] == demo_record_count()
    loaded_once = demo_loader(backend, pg_server_for(request, backend))
    assert stats == loaded_once.stats
    assert reactions_per_article(db_url) == reactions_per_article(loaded_once.url)


def reactions_per_article(db_url: str) -> list[tuple[str, int]]:
    """(article URL, reactions stored for it) for every stored article, in URL order."""
    rows = query(
        db_url,
        "SELECT a.url, count(r.id) FROM articles a LEFT JOIN reactions r ON r.article_id = a.id "
        "GROUP BY a.id, a.url ORDER BY a.url, a.id",
    )
    return [(url, count) for url, count in rows]


# --- 2. export -----------------------------------------------------------------------


def test_cli_export_csv_has_the_required_columns(demo_db: DemoDb) -> None:
    missing = set(REQUIRED_EXPORT_COLUMNS) - set(demo_db.frame.columns)
    assert not missing
    assert len(demo_db.frame) > 0


def test_cli_export_csv_one_row_per_reaction_and_target(demo_db: DemoDb) -> None:
    pairs = query(
        demo_db.url,
        "SELECT r.id, coalesce(t.target_code, '') FROM reactions r "
        "LEFT JOIN reaction_targets t ON t.reaction_id = r.id WHERE r.status <> 'rejected'",
    )
    expected = sorted((str(rid), target) for rid, target in pairs)
    got = sorted(zip(demo_db.frame["reaction_id"], demo_db.frame["target"], strict=True))
    assert got == expected  # same pairs, none twice
    assert demo_db.frame["reaction_id"].nunique() == demo_db.stats["reactions"]


def test_cli_export_csv_reaction_without_target_gives_one_row_with_empty_target(
    demo_db: DemoDb,
) -> None:
    untargeted = {
        str(rid)
        for (rid,) in query(
            demo_db.url,
            "SELECT id FROM reactions WHERE id NOT IN (SELECT reaction_id FROM reaction_targets)",
        )
    }
    assert untargeted, "the demo corpus should have reactions without a target"
    rows = demo_db.frame[demo_db.frame["reaction_id"].isin(untargeted)]
    assert sorted(rows["reaction_id"]) == sorted(untargeted)  # exactly one row each
    assert set(rows["target"]) == {""} and set(rows["target_name"]) == {""}
    assert set(demo_db.frame.loc[demo_db.frame["target"] == "", "reaction_id"]) == untargeted


FILTER_CASES: dict[str, tuple[list[str], Callable[[pd.DataFrame], pd.Series]]] = {
    "source": (["--source", "USA", "--source", "GBR"], lambda df: df["source"].isin(["USA", "GBR"])),
    "target": (["--target", "RUS", "--target", "ISR"], lambda df: df["target"].isin(["RUS", "ISR"])),
    "stance": (
        ["--stance", "condemn", "--stance", "sanction"],
        lambda df: df["stance"].isin(["condemn", "sanction"]),
    ),
    "since": (  # an article was published that very day: the bound is inclusive
        ["--since", "2022-08-03"],
        lambda df: (df["published"] != "") & (df["published"] >= "2022-08-03"),
    ),
    "until": (
        ["--until", "2021-02-01"],
        lambda df: (df["published"] != "") & (df["published"] <= "2021-02-01"),
    ),
    "combined": (
        ["--source", "USA", "--source", "CHN", "--stance", "condemn", "--since", "2018-01-01",
         "--until", "2023-12-31"],
        lambda df: df["source"].isin(["USA", "CHN"]) & (df["stance"] == "condemn")
        & (df["published"] >= "2018-01-01") & (df["published"] <= "2023-12-31")
        & (df["published"] != ""),
    ),  # fmt: skip
}


@pytest.fixture(scope="module")
def filtered_exports(
    demo_loader: DemoLoader, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[subprocess.CompletedProcess[str], Path]]:
    """`tracker export` of the SQLite demo database with each case's filters, run at once:
    case -> (the finished process, the CSV file it wrote)."""
    cwd, url = tmp_path_factory.mktemp("filters"), demo_loader("sqlite").url
    results = run_many(*(
        (("export", "--output", f"{case}.csv", *options), cwd, cli_env(url))
        for case, (options, _keep) in FILTER_CASES.items()
    ))  # fmt: skip
    return {
        case: (result, cwd / f"{case}.csv")
        for case, result in zip(FILTER_CASES, results, strict=True)
    }


@pytest.mark.parametrize("case", list(FILTER_CASES))
def test_cli_export_filters_narrow_rows(
    case: str,
    sqlite_demo: DemoDb,
    filtered_exports: dict[str, tuple[subprocess.CompletedProcess[str], Path]],
) -> None:
    _options, keep = FILTER_CASES[case]
    whole = sqlite_demo.frame
    expected = whole[keep(whole)].reset_index(drop=True)
    assert 0 < len(expected) < len(whole), "the case should keep some rows, not all"
    result, path = filtered_exports[case]
    ok(result)
    pd.testing.assert_frame_equal(read_export(path), expected)


def test_cli_export_output_dash_writes_to_stdout(sqlite_demo: DemoDb, tmp_path: Path) -> None:
    result = ok(run_bytes("export", "--format", "csv", "--output", "-", cwd=tmp_path,
                          db_url=sqlite_demo.url))  # fmt: skip
    assert result.stdout == sqlite_demo.export_path.read_bytes()
    assert list(tmp_path.iterdir()) == []  # no file called "-"


def test_cli_export_jsonl_lines_parse(demo_db: DemoDb, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    ok(run("export", "--format", "jsonl", "--output", out, cwd=tmp_path, db_url=demo_db.url))
    lines = out.read_text(encoding="utf-8").splitlines()
    objects = [json.loads(line) for line in lines]
    assert len(objects) == len(demo_db.frame)
    assert all(set(REQUIRED_EXPORT_COLUMNS) <= set(obj) for obj in objects)
    assert list(objects[0]) == list(demo_db.frame.columns)
    pairs = [(str(obj["reaction_id"]), obj["target"]) for obj in objects]
    assert pairs == list(zip(demo_db.frame["reaction_id"], demo_db.frame["target"], strict=True))
    assert all(isinstance(obj["confidence"], float) for obj in objects)


@pytest.mark.postgres
def test_cli_export_same_rows_on_sqlite_and_postgres(
    demo_loader: DemoLoader, pg_server: str
) -> None:
    frames = [demo_loader("sqlite").frame, demo_loader("postgres", pg_server).frame]
    ids = ["reaction_id", "article_id"]
    lite, pg = (
        f.drop(columns=ids).sort_values(list(f.drop(columns=ids).columns)).reset_index(drop=True)
        for f in frames
    )
    pd.testing.assert_frame_equal(lite, pg)


# --- 3. stats ------------------------------------------------------------------------


def test_cli_stats_json_has_the_counts(demo_db: DemoDb) -> None:
    assert {"articles", "reactions", "actors"} <= set(demo_db.stats)
    assert all(isinstance(demo_db.stats[k], int) for k in ("articles", "reactions", "actors"))
    assert demo_db.stats["actors"] > 0


# --- 4. ingest of bad inputs ---------------------------------------------------------

# input name -> what its one error line must say
FAILING_INPUTS: dict[str, str] = {
    "inputs/empty.txt": r"empty",
    "inputs/blank.txt": r"blank|no text",
    "inputs/image.txt": r"binary",
    "inputs/broken.html": r"no .*text|HTML",
    "inputs/records.jsonl:3": r"JSON",
    "inputs/huge.txt": r"too large|limit",
    "inputs/document.pdf": r"unsupported",
    "nowhere/missing.txt": r"no such file",
}
STORED_INPUTS = (
    "inputs/good.txt", "inputs/good.md", "inputs/nul.txt", "inputs/latin1.txt",
    "inputs/german.txt", "inputs/records.jsonl:1", "inputs/records.jsonl:2",
    "inputs/records.jsonl:4",
)  # fmt: skip


def write_bad_inputs(root: Path) -> None:
    """A folder with one input of each kind of trouble, and a few good ones."""
    folder = root / "inputs"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("  \n\n\t \n   \n", encoding="utf-8")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(4096))
    (folder / "nul.txt").write_bytes(NUL_TXT)
    (folder / "latin1.txt").write_bytes(LATIN1_TXT.encode("latin-1"))
    (folder / "broken.html").write_text("<html><body><div>", encoding="utf-8")
    records = [
        json.dumps({"id": f"rec-{n}", "title": f"France condemns strike {n}",
                    "text": f"France on day {n} condemned the missile strike on Kyiv, the "
                            f"foreign ministry in Paris said in statement number {n}."})
        for n in (1, 2, 4)
    ]  # fmt: skip
    (folder / "records.jsonl").write_text(
        f"{records[0]}\n{records[1]}\n{{\"id\": \"rec-3\", \"text\": broken\n{records[2]}\n",
        encoding="utf-8",
    )
    line = b"The quick brown fox jumps over the lazy dog near the embassy. \n"
    (folder / "huge.txt").write_bytes(line * (30 * 1024 * 1024 // len(line) + 1))
    (folder / "german.txt").write_text(GERMAN_TXT, encoding="utf-8")
    (folder / "document.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    (folder / "good.txt").write_text(ENGLISH_TXT, encoding="utf-8")
    (folder / "good.md").write_text(ENGLISH_MD, encoding="utf-8")


@dataclass
class IngestRun:
    """Two identical ingests of the bad-input folder, and the stats after each."""

    url: str
    first: subprocess.CompletedProcess[str]
    first_stats: dict[str, int]
    second: subprocess.CompletedProcess[str]
    second_stats: dict[str, int]


@pytest.fixture(scope="module", params=BACKENDS)
def bad_ingest(
    request: pytest.FixtureRequest, databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> IngestRun:
    url = databases.new(request.param, pg_server_for(request, request.param))
    root = tmp_path_factory.mktemp(f"bad-{request.param}")
    write_bad_inputs(root)
    args = ("ingest", "inputs", "nowhere/missing.txt")
    first = run(*args, cwd=root, db_url=url)
    first_stats = stats_of(url, root)
    second = run(*args, cwd=root, db_url=url)
    second_stats = stats_of(url, root)
    (root / "inputs" / "huge.txt").unlink()  # 30 MB less left behind
    return IngestRun(url, first, first_stats, second, second_stats)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


def check_error_lines(stderr: str) -> None:
    """One `error:` line per failing input naming it and a reason; otherwise only the summary."""
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    others = [ln for ln in lines if not ln.startswith("error: ") and not SUMMARY_LINE.match(ln)]
    assert others == [], f"stray lines on stderr:\n{stderr}"
    errors = error_lines(stderr)
    assert len(errors) == len(FAILING_INPUTS), stderr
    for name, reason in FAILING_INPUTS.items():
        path = name.split(":")[0]
        naming = [ln for ln in errors if ln.startswith(f"error: {name}: ")]
        assert len(naming) == 1, f"{name}: expected one error line\n{stderr}"
        assert re.search(reason, naming[0].removeprefix(f"error: {name}: "), re.IGNORECASE), naming[0]
        assert sum(path in ln for ln in errors) == 1, f"{path} named more than once\n{stderr}"


@pytest.mark.slow
def test_cli_ingest_bad_inputs_exit_1_with_one_error_line_each(bad_ingest: IngestRun) -> None:
    assert bad_ingest.first.returncode == 1, bad_ingest.first.stderr
    check_error_lines(bad_ingest.first.stderr)
    assert "Traceback" not in bad_ingest.first.stdout


@pytest.mark.slow
def test_cli_ingest_bad_inputs_good_articles_stored(bad_ingest: IngestRun) -> None:
    assert bad_ingest.first_stats["articles"] == len(STORED_INPUTS)
    origins = {origin for (origin,) in query(bad_ingest.url, "SELECT origin FROM articles")}
    assert origins == set(STORED_INPUTS)


@pytest.mark.slow
def test_cli_ingest_bad_inputs_nul_bytes_removed(bad_ingest: IngestRun) -> None:
    (stored,) = query(bad_ingest.url, "SELECT text FROM articles WHERE origin = 'inputs/nul.txt'")
    assert "\x00" not in stored.text
    assert "South Korea has called in the Russian ambassador to protest" in stored.text


@pytest.mark.slow
def test_cli_ingest_bad_inputs_latin1_decoded(bad_ingest: IngestRun) -> None:
    (stored,) = query(
        bad_ingest.url, "SELECT title, text FROM articles WHERE origin = 'inputs/latin1.txt'"
    )
    assert stored.title == "Zürich talks end without deal"
    assert stored.text == LATIN1_TXT.strip()


@pytest.mark.slow
def test_cli_ingest_bad_inputs_german_stored_without_reactions(bad_ingest: IngestRun) -> None:
    (stored,) = query(
        bad_ingest.url,
        "SELECT a.language, (SELECT count(*) FROM reactions r WHERE r.article_id = a.id) AS n "
        "FROM articles a WHERE origin = 'inputs/german.txt'",
    )
    assert (stored.language, stored.n) == ("de", 0)
    assert "1 not in English" in bad_ingest.first.stderr


@pytest.mark.slow
def test_cli_ingest_bad_inputs_again_changes_nothing(bad_ingest: IngestRun) -> None:
    assert bad_ingest.second.returncode == 1, bad_ingest.second.stderr
    assert bad_ingest.second_stats == bad_ingest.first_stats
    check_error_lines(bad_ingest.second.stderr)
    assert error_lines(bad_ingest.second.stderr) == error_lines(bad_ingest.first.stderr)
    assert re.search(r"^0 articles added, 8 already stored", bad_ingest.second.stderr, re.M)


# --- 5. ingest --quiet ---------------------------------------------------------------


def test_cli_ingest_quiet_prints_nothing(tmp_path: Path, sqlite_url: str) -> None:
    (tmp_path / "good.txt").write_text(ENGLISH_TXT, encoding="utf-8")
    (tmp_path / "good.md").write_text(ENGLISH_MD, encoding="utf-8")
    result = ok(run("ingest", "--quiet", "good.txt", "good.md", cwd=tmp_path, db_url=sqlite_url))
    assert (result.stdout, result.stderr) == ("", "")
    assert query(sqlite_url, "SELECT count(*) FROM articles") == [(2,)]


# --- 6. extract ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_extract_jsonl(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """`tracker extract` of the demo corpus as JSON Lines, parsed."""
    cwd = tmp_path_factory.mktemp("extract")
    result = ok(run("extract", DEMO_FILE, "--format", "jsonl", cwd=cwd, env=cli_env()))
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_cli_extract_jsonl_one_object_per_reaction(
    demo_extract_jsonl: list[dict[str, Any]], sqlite_demo: DemoDb
) -> None:
    records = [json.loads(line) for line in DEMO_FILE.read_text(encoding="utf-8").splitlines()]
    ids = {record["id"] for record in records}
    assert len(demo_extract_jsonl) == sqlite_demo.stats["reactions"]
    for obj in demo_extract_jsonl:
        assert set(REQUIRED_EXTRACT_KEYS) <= set(obj), obj
        assert isinstance(obj["targets"], list)
        assert obj["article_id"] in ids
    assert {obj["article_id"] for obj in demo_extract_jsonl} <= ids
    assert len({obj["article_id"] for obj in demo_extract_jsonl}) > len(ids) // 2


def test_cli_extract_text_file_article_id_is_its_path(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "japan.txt").write_text(ENGLISH_TXT, encoding="utf-8")
    result = ok(run("extract", "news/japan.txt", "--format", "jsonl", cwd=tmp_path, env=cli_env()))
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert objects, result.stderr
    assert {obj["article_id"] for obj in objects} == {"news/japan.txt"}
    assert ("JPN", "condemn") in {(obj["source"], obj["stance"]) for obj in objects}


def test_cli_extract_csv_runs(tmp_path: Path, demo_extract_jsonl: list[dict[str, Any]]) -> None:
    result = ok(run("extract", DEMO_FILE, "--format", "csv", cwd=tmp_path, env=cli_env()))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and set(REQUIRED_EXTRACT_KEYS) <= set(rows[0])
    assert [(r["article_id"], r["source"], r["stance"], r["targets"]) for r in rows] == [
        (o["article_id"], o["source"], o["stance"], ";".join(o["targets"]))
        for o in demo_extract_jsonl
    ]


def test_cli_extract_table_runs(tmp_path: Path) -> None:
    (tmp_path / "japan.txt").write_text(ENGLISH_TXT, encoding="utf-8")
    result = ok(run("extract", "japan.txt", "--format", "table", cwd=tmp_path, env=cli_env()))
    assert "source" in result.stdout and "stance" in result.stdout
    assert "japan.txt" in result.stdout and "JPN" in result.stdout


# --- 7. scoring against the shared evaluation data -----------------------------------


SPLITS = ("seed", "dev")
SCORER = SHARED / "tools" / "score.py"


def gold_file(split: str) -> Path:
    return SHARED / "eval" / f"{split}.jsonl"


@pytest.fixture(scope="module")
def predictions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`tracker extract --format jsonl --output` over each evaluation split, run at once."""
    present = [split for split in SPLITS if gold_file(split).exists()]
    if not (SCORER.exists() and present):
        return {}
    cwd = tmp_path_factory.mktemp("score")
    runs = run_many(*(
        (("extract", gold_file(split), "--format", "jsonl", "--output", f"{split}.jsonl"),
         cwd, cli_env())
        for split in present
    ))  # fmt: skip
    for result in runs:
        ok(result)
    return {split: cwd / f"{split}.jsonl" for split in present}


@pytest.mark.slow
@pytest.mark.parametrize("split", SPLITS)
def test_cli_extract_scores_at_least_0_60_f1(
    split: str, predictions: dict[str, Path], tmp_path: Path
) -> None:
    if not (SCORER.exists() and gold_file(split).exists()):
        pytest.skip(f"no shared evaluation data: {SCORER} or {gold_file(split)} is missing")
    score = subprocess.run(
        [sys.executable, str(SCORER), str(gold_file(split)), str(predictions[split]),
         "--min-f1", "0.60"],
        cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip
    assert score.returncode == 0, f"{split}: F1 under 0.60\n{score.stdout}\n{score.stderr}"


# --- 8. db upgrade and bad database URLs ---------------------------------------------


def test_cli_db_upgrade_prints_the_revision(tmp_path: Path, db_url: str) -> None:
    from tracker.store import head_revision

    result = ok(run("db", "upgrade", cwd=tmp_path, db_url=db_url))
    assert head_revision() in result.stdout
    assert "Traceback" not in result.stderr


BAD_DATABASES = {
    "postgres-refused": "postgresql://nobody@127.0.0.1:1/x",
    "sqlite-not-a-database": "not-a-database.db",
    "sqlite-impossible-path": "sqlite:////dev/null/sub/x.db",
}
BAD_DATABASE_CASES = [
    *(("postgres-refused", command) for command in ("db upgrade", "stats", "ingest news.txt")),
    ("sqlite-not-a-database", "db upgrade"),
    ("sqlite-impossible-path", "stats"),
]  # fmt: skip


@pytest.mark.parametrize(("bad", "command"), BAD_DATABASE_CASES)
def test_cli_bad_db_url_one_error_line(tmp_path: Path, bad: str, command: str) -> None:
    (tmp_path / "not-a-database.db").write_text("this is not a database\n" * 100, encoding="utf-8")
    (tmp_path / "news.txt").write_text(ENGLISH_TXT, encoding="utf-8")
    result = run(*command.split(), "--db", BAD_DATABASES[bad], cwd=tmp_path, env=cli_env())
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one error line, got:\n{result.stderr}"
    assert "database" in lines[0]


def test_cli_bad_db_url_does_not_show_the_password(tmp_path: Path) -> None:
    result = run("stats", "--db", "postgresql://nobody:s3cret-pw@127.0.0.1:1/x",
                 cwd=tmp_path, env=cli_env())  # fmt: skip
    assert result.returncode != 0
    assert "s3cret-pw" not in result.stderr + result.stdout


# --- 9. help and documentation -------------------------------------------------------


def listed_commands(help_text: str) -> list[str]:
    """Command names in the `Commands:` section of a click help text."""
    _, _, section = help_text.partition("\nCommands:\n")
    return [m.group(1) for m in re.finditer(r"^  (\S+)", section, re.MULTILINE)]


@pytest.fixture(scope="module")
def command_paths(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, ...]]:
    """Every command and subcommand `tracker --help` leads to, with its help text checked."""
    cwd = tmp_path_factory.mktemp("help")
    paths: list[tuple[str, ...]] = []
    pending: list[tuple[str, ...]] = [()]
    while pending:
        path = pending.pop(0)
        result = ok(run(*path, "--help", cwd=cwd, env=cli_env()))
        assert result.stdout.startswith("Usage: tracker"), result.stdout
        assert "Traceback" not in result.stderr
        subcommands = listed_commands(result.stdout)
        if path and not subcommands:
            paths.append(path)
        pending.extend((*path, name) for name in subcommands)
    return paths


def test_cli_help_runs_for_every_command(command_paths: list[tuple[str, ...]]) -> None:
    names = {path[0] for path in command_paths}
    assert {"ingest", "extract", "demo", "export", "stats", "db", "dashboard"} <= names
    assert ("db", "upgrade") in command_paths


def test_cli_every_command_is_in_the_readme(command_paths: list[tuple[str, ...]]) -> None:
    readme = README.read_text(encoding="utf-8")
    missing = [p for p in command_paths if not re.search(rf"`tracker {' '.join(p)}\b", readme)]
    assert missing == [], f"commands not documented in README.md: {missing}"


def test_cli_readme_documents_no_unknown_command(command_paths: list[tuple[str, ...]]) -> None:
    readme = README.read_text(encoding="utf-8")
    documented = set()
    for match in re.finditer(r"^\| `tracker ([^`]*)`", readme, re.MULTILINE):
        words = []
        for word in match.group(1).split():
            if not re.fullmatch(r"[a-z][a-z-]*", word):
                break
            words.append(word)
        documented.add(tuple(words))
    assert documented, "README.md should have a table of commands"
    assert documented - set(command_paths) == set()


def test_cli_every_setting_is_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    missing = [env for env, _d, _h in SETTINGS_HELP.values() if f"`{env}`" not in readme]
    assert missing == [], f"settings not documented in README.md: {missing}"
