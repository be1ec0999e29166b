"""The `tracker` command: thin wrappers, each parsing options and calling the library."""

from __future__ import annotations

import csv
import json
import logging
import sys
from pathlib import Path

import click

from tracker import __version__

log = logging.getLogger("tracker")

_DB = click.option(
    "--db", "db", default=None, metavar="URL",
    help="Database URL or SQLite file (default: $DATABASE_URL, else sqlite:///tracker.db).",
)
_QUIET = click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")


def _settings(db: str | None = None, lexicons: bool = False):
    """Settings; with ``lexicons``, the extra dictionaries they name loaded and checked."""
    from tracker.config import load_settings
    from tracker.extract import get_extractor

    try:
        settings = load_settings(db=db)
        if lexicons:
            get_extractor(settings.actors_files, settings.cues_files)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    return settings


def _engine(db: str | None, lexicons: bool = False):
    from tracker import store
    from tracker.config import redact_url

    settings = _settings(db, lexicons)
    try:
        return settings, store.make_engine(settings.database_url)
    except Exception as exc:  # a bad URL or an unreachable server: one line, no traceback
        reason = str(exc).partition("\n")[0]  # drivers add hint and background lines
        url = redact_url(settings.database_url)
        raise click.ClickException(f"cannot open database {url}: {reason}") from None


def _error(line: str) -> None:
    click.echo(f"error: {line}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tracker")
@click.option("--verbose", "-v", is_flag=True, help="Log debugging detail to stderr.")
def main(verbose: bool) -> None:
    """Track how states and international organisations react to events, from news articles."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("trafilatura").setLevel(logging.DEBUG if verbose else logging.ERROR)  # not our lines


@main.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@_DB
def db_upgrade(db: str | None) -> None:
    """Migrate the database to the latest schema (new databases are migrated on first use)."""
    from tracker import store

    _, engine = _engine(db)
    click.echo(f"database at revision {store.upgrade(engine)}")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@_DB
@_QUIET
def ingest(inputs: tuple[str, ...], db: str | None, quiet: bool) -> None:
    """Read articles from files, folders or URLs, extract reactions and store both.

    INPUTS are .txt, .md, .html, .htm, .json, .jsonl or .csv files, folders (read
    recursively) or http(s) URLs of pages or RSS/Atom feeds. Articles seen before
    (same text or same URL) are skipped. Each input that fails gets one line on
    stderr; the others still go in, and the exit status is 1.
    """
    from tracker import pipeline
    from tracker.ingest import count_inputs

    settings, engine = _engine(db, lexicons=True)
    with _progress(quiet, count_inputs(inputs)) as advance:
        report = pipeline.ingest(inputs, engine, settings, on_item=advance)
    for err in report.errors:
        _error(str(err))
    if not quiet:
        note = ""
        if report.not_english:
            note = f", {report.not_english} not in English (stored without reactions)"
        click.echo(
            f"{report.added} articles added, {report.duplicates} already stored, "
            f"{report.reactions} reactions, {report.failed} failed{note}",
            err=True,
        )
    engine.dispose()
    sys.exit(1 if report.failed else 0)


class _NoProgress:
    def __enter__(self):
        return lambda item: None

    def __exit__(self, *exc):
        return False


class _Progress:
    def __init__(self, total: int):
        from rich.progress import Progress

        self.progress = Progress(transient=True, console=_stderr_console())
        self.total = total

    def __enter__(self):
        self.progress.start()
        task = self.progress.add_task("ingesting", total=self.total or None)
        origins: set[str] = set()

        def advance(item) -> None:
            origin = item.origin.split(":")[0].split("#")[0]
            if origin not in origins:
                origins.add(origin)
                self.progress.update(task, completed=len(origins))

        return advance

    def __exit__(self, *exc):
        self.progress.stop()
        return False


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _progress(quiet: bool, total: int):
    if quiet or total < 20 or not sys.stderr.isatty():
        return _NoProgress()
    return _Progress(total)


EXTRACT_FIELDS = (
    "article_id", "source", "stance", "targets", "speaker", "speaker_title", "quote",
    "sentence", "cameo", "plover", "polarity", "confidence", "cue", "rule", "char_start",
    "char_end",
)


def reaction_record(article_key: str, reaction) -> dict:
    """One extracted reaction as a flat record for JSONL, CSV or a table."""
    record = {"article_id": article_key}
    for name in EXTRACT_FIELDS[1:]:
        value = getattr(reaction, name)
        record[name] = list(value) if name == "targets" else value
    return record


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "table"]), default="table",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="Write here instead of stdout.")
def extract(inputs: tuple[str, ...], fmt: str, output) -> None:
    """Extract reactions from INPUTS without a database and print them.

    Takes the same inputs as `ingest`, including evaluation files in the spec's JSONL
    format; `article_id` is each input's own id, else its path.
    """
    from tracker.pipeline import extract_inputs

    failed = 0
    writer = _record_writer(fmt, output)
    for item in extract_inputs(inputs, _settings(lexicons=True)):
        if isinstance(item, tuple):
            article, reactions = item
            for r in reactions:
                writer(reaction_record(article.key, r))
        else:
            failed += 1
            _error(str(item))
    writer(None)
    sys.exit(1 if failed else 0)


def _record_writer(fmt: str, out):
    if fmt == "jsonl":
        return lambda rec: rec is not None and out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=EXTRACT_FIELDS, extrasaction="ignore")
        writer.writeheader()

        def write_csv(rec):
            if rec is not None:
                writer.writerow({**rec, "targets": ";".join(rec["targets"])})

        return write_csv
    rows: list[dict] = []

    def write_table(rec):
        if rec is not None:
            rows.append(rec)
        else:
            _print_table(rows, out)

    return write_table


def _print_table(rows: list[dict], out) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("article", "source", "stance", "targets", "speaker", "cue", "conf.")
    for r in rows:
        table.add_row(str(r["article_id"]), r["source"], r["stance"], ",".join(r["targets"]),
                      r["speaker"], r["cue"], f"{r['confidence']:.2f}")
    Console(file=out, width=160).print(table)


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def evaluate(gold: Path) -> None:
    """Score extraction against GOLD, a JSONL file in the spec's evaluation format.

    Prints precision, recall and F1 per stance and overall (strict dyads, as the
    spec scores them) and a calibration table of confidence against correctness.
    """
    from tracker import evaluate as evaluation
    from tracker.pipeline import extract_article

    settings = _settings(lexicons=True)
    try:
        result = evaluation.evaluate(gold, lambda article: extract_article(article, settings))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(evaluation.render(result))


@main.command()
@_DB
@_QUIET
@click.option("--if-empty", is_flag=True, help="Only load them into a database with no articles.")
def demo(db: str | None, quiet: bool, if_empty: bool) -> None:
    """Load the bundled demo articles (safe to run again: nothing is duplicated)."""
    from tracker import pipeline, store
    from tracker.demo import demo_path

    settings, engine = _engine(db, lexicons=True)
    if if_empty and store.stats(engine)["articles"]:
        if not quiet:
            click.echo("demo: the database already holds articles; nothing loaded", err=True)
        return
    report = pipeline.ingest([str(demo_path())], engine, settings)
    for err in report.errors:
        _error(str(err))
    if not quiet:
        click.echo(f"demo: {report.added} articles added, {report.duplicates} already stored, "
                   f"{report.reactions} reactions", err=True)
    engine.dispose()
    sys.exit(1 if report.failed else 0)


def _filters(source, target, stance, since, until, include_rejected=False):
    from tracker.store import ReactionFilter

    return ReactionFilter(
        sources=tuple(source), targets=tuple(target), stances=tuple(stance),
        since=since.date() if since else None, until=until.date() if until else None,
        include_rejected=include_rejected,
    )


def _filter_options(func):
    from tracker.stances import STANCE_NAMES

    options = [
        click.option("--source", multiple=True, metavar="CODE", help="Source actor code (repeatable)."),
        click.option("--target", multiple=True, metavar="CODE", help="Target actor code (repeatable)."),
        click.option("--stance", multiple=True, type=click.Choice(STANCE_NAMES),
                     help="Stance (repeatable)."),
        click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First publication date."),
        click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last publication date."),
        click.option("--include-rejected", is_flag=True, help="Keep reactions a reviewer rejected."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True)
@click.option("--output", "-o", default="-", metavar="FILE", help="File to write, or - for stdout.")
@_filter_options
@_DB
def export(fmt, output, source, target, stance, since, until, include_rejected, db) -> None:
    """Export reactions, one row per reaction and target, streamed."""
    from tracker.export import write_export

    _, engine = _engine(db)
    filters = _filters(source, target, stance, since, until, include_rejected)
    if output == "-":
        write_export(engine, sys.stdout, fmt, filters)
    else:
        try:
            with open(output, "w", encoding="utf-8", newline="") as out:
                write_export(engine, out, fmt, filters)
        except OSError as exc:
            raise click.ClickException(f"{output}: {exc.strerror}") from None
    engine.dispose()


@main.command()
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True)
@_DB
def stats(fmt: str, db: str | None) -> None:
    """Print counts of articles, reactions and actors."""
    from tracker import store

    _, engine = _engine(db)
    counts = store.stats(engine)
    engine.dispose()
    if fmt == "json":
        click.echo(json.dumps(counts, indent=2))
    else:
        width = max(len(k) for k in counts)
        for key, value in counts.items():
            click.echo(f"{key:<{width}}  {value}")


@main.command()
@_DB
@click.option("--port", default=8501, show_default=True, help="Port to serve the dashboard on.")
@click.option("--host", default="localhost", show_default=True, help="Address to listen on.")
def dashboard(db: str | None, port: int, host: str) -> None:
    """Start the browser dashboard (Streamlit)."""
    from tracker.dashboard_launch import run_dashboard

    settings = _settings(db)
    sys.exit(run_dashboard(settings.database_url, port=port, host=host))


if __name__ == "__main__":  # pragma: no cover
    main()
