"""Export reactions as CSV or JSON Lines, streamed row by row from the store."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, Literal, TextIO

from sqlalchemy import Engine

from tracker.store import EXPORT_COLUMNS, ReactionFilter, iter_reaction_rows

ExportFormat = Literal["csv", "jsonl"]
FORMATS: tuple[str, ...] = ("csv", "jsonl")


def write_export(
    engine: Engine,
    out: TextIO,
    fmt: ExportFormat,
    filters: ReactionFilter | None = None,
) -> int:
    """Write one row per reaction and target to a text stream.

    Args:
        engine: the database to read.
        out: where to write; open files with `newline=""` for CSV.
        fmt: `csv` (with a header) or `jsonl` (one JSON object a line).
        filters: which reactions; rejected ones are left out by default.

    Returns:
        The number of rows written, header not counted.

    Raises:
        ValueError: for an unknown format.
    """
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return writer(out, iter_reaction_rows(engine, filters))


def _write_csv(out: TextIO, rows: Iterable[dict[str, Any]]) -> int:
    """CSV with a header line, columns in `EXPORT_COLUMNS` order."""
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def _write_jsonl(out: TextIO, rows: Iterable[dict[str, Any]]) -> int:
    """One JSON object per line, dates in ISO format, UTF-8 text kept as is."""
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, default=_json_value))
        out.write("\n")
        count += 1
    return count


def _json_value(value: Any) -> Any:
    """Dates and times as ISO strings for `json.dumps`."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


_WRITERS: dict[str, Callable[[TextIO, Iterable[dict[str, Any]]], int]] = {
    "csv": _write_csv,
    "jsonl": _write_jsonl,
}
