"""CSV and JSON Lines exports, written to in-memory text streams."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import Engine

from tracker.export import write_export
from tracker.store import EXPORT_COLUMNS, ReactionFilter


def export(engine: Engine, fmt: str, filters: ReactionFilter | None = None) -> tuple[int, str]:
    """Rows written and the text of an export."""
    out = io.StringIO(newline="")
    written = write_export(engine, out, fmt, filters)  # type: ignore[arg-type]
    return written, out.getvalue()


def test_export_csv_header_in_column_order(loaded: Engine) -> None:
    _, text = export(loaded, "csv")
    assert next(csv.reader(io.StringIO(text))) == list(EXPORT_COLUMNS)


def test_export_csv_one_row_per_target(loaded: Engine) -> None:
    written, text = export(loaded, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert written == len(rows) == 6  # USA x2, JPN, KOR, UN, CHN; GBR rejected
    assert [r["target"] for r in rows if r["source"] == "USA"] == ["PRK", "RUS"]


def test_export_csv_empty_target_for_targetless_reaction(loaded: Engine) -> None:
    _, text = export(loaded, "csv")
    (un,) = [r for r in csv.DictReader(io.StringIO(text)) if r["source"] == "UN"]
    assert (un["target"], un["target_name"]) == ("", "")


def test_export_csv_dates_iso(loaded: Engine) -> None:
    _, text = export(loaded, "csv", ReactionFilter(sources=("KOR",)))
    (kor,) = csv.DictReader(io.StringIO(text))
    assert kor["published"] == "2024-10-05"


def test_export_csv_applies_filters(loaded: Engine) -> None:
    written, text = export(loaded, "csv", ReactionFilter(stances=("condemn",), targets=("PRK",)))
    assert written == 2
    assert {r["source"] for r in csv.DictReader(io.StringIO(text))} == {"USA", "JPN"}


def test_export_jsonl_parses(loaded: Engine) -> None:
    written, text = export(loaded, "jsonl")
    objects = [json.loads(line) for line in text.splitlines()]
    assert written == len(objects) == 6
    assert all(tuple(obj) == EXPORT_COLUMNS for obj in objects)


def test_export_jsonl_dates_iso_and_numbers_typed(loaded: Engine) -> None:
    _, text = export(loaded, "jsonl", ReactionFilter(sources=("KOR",)))
    kor = json.loads(text)
    assert (kor["published"], kor["confidence"], kor["target"]) == ("2024-10-05", 0.8, "RUS")


def test_export_empty_database_writes_header_only(engine: Engine) -> None:
    written, text = export(engine, "csv")
    assert (written, text.splitlines()) == (0, [",".join(EXPORT_COLUMNS)])


def test_export_unknown_format_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export(engine, "xlsx")
