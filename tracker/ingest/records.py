"""Records: JSON, JSON Lines and CSV files, one article per record.

Fields of a record (JSON keys, CSV column names in any case):

- `text` (required): the article body; a record without it, or with a blank one, is
  an `IngestError` for that record alone;
- `id`, `title`, `url`, `outlet` (optional); `id` is kept as a string;
- `published` (optional): an ISO date or datetime; an unparseable one is dropped (the
  article is kept, the date logged);
- any other key is ignored, such as `reactions` in the evaluation files.

Formats and where each record comes from (`Article.origin`):

- `.json`: one object (`path`) or an array of objects (`path#0`, `path#1`, ...);
  invalid JSON is one error for the whole file;
- `.jsonl`: one object per line (`path:LINE`, counted from 1); blank lines are
  skipped; a broken line is an error for that line and the others still go through;
  the file is streamed, so it may be larger than `Limits.max_file_bytes` (each line
  may not);
- `.json` and `.csv` are read whole, within `Limits.max_file_bytes`;
- `.csv`: a header row, then one row per article (`path:LINE`, the line where the row
  starts); the delimiter is the commonest of `,` `;` and tab in the header.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from tracker.ingest.core import (
    IngestError,
    IngestFailure,
    Limits,
    build_article,
    clean_text,
    parse_date,
)
from tracker.ingest.decode import (
    decode_bytes,
    needs_whole_file,
    open_file,
    read_bytes,
    reject_binary,
    too_large,
)
from tracker.types import Article

Result = Article | IngestError
Line = str | IngestFailure
"""A line of a JSON Lines file: its text, or why it could not be decoded."""

_HEAD_BYTES = 8192


def read_json_file(path: str, limits: Limits) -> Iterator[Result]:
    """Read a `.json` file: one article object or an array of them.

    Raises:
        IngestFailure: unreadable file, invalid JSON, or neither an object nor an array.
    """
    text = decode_bytes(read_bytes(path, limits), limits)
    try:
        value = json.loads(text, strict=False)
    except json.JSONDecodeError as error:
        raise IngestFailure(f"invalid JSON: {error.msg} (line {error.lineno} column {error.colno})") from None
    if isinstance(value, dict):
        yield record_to_article(value, path, limits)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield record_to_article(item, f"{path}#{index}", limits)
    else:
        raise IngestFailure(f"expected a JSON object or array of objects, got {_kind(value)}")


def read_jsonl_file(path: str, limits: Limits) -> Iterator[Result]:
    """Read a `.jsonl` file line by line: one article object per line.

    The file may be of any size: it is streamed, and each line (not the file) is held
    to `limits.max_file_bytes`. A broken or oversized line is an error for that line
    alone. Lines are UTF-8 as JSON Lines asks; a line that is not is decoded like any
    text. UTF-16 and UTF-32 files are read whole, within the file size limit.

    Raises:
        IngestFailure: the file cannot be read, is binary, or holds only blank lines.
    """
    with open_file(path, limits, check_size=False) as handle:
        head = handle.read(_HEAD_BYTES)
        handle.seek(0)
        if needs_whole_file(head):
            text = decode_bytes(read_bytes(path, limits), limits)
            lines: Iterator[tuple[int, Line]] = enumerate(text.split("\n"), start=1)
        else:
            reject_binary(head, limits)
            lines = _utf8_lines(handle, limits)
        yield from _jsonl_records(lines, path, limits)


def _jsonl_records(lines: Iterator[tuple[int, Line]], path: str, limits: Limits) -> Iterator[Result]:
    blank = True
    for number, line in lines:
        origin = f"{path}:{number}"
        if isinstance(line, IngestFailure):
            blank = False
            yield IngestError(origin, line.reason)
        elif line.strip():
            blank = False
            yield _jsonl_line(line, origin, limits)
    if blank:
        raise IngestFailure("no text (blank)")


def _utf8_lines(handle: BinaryIO, limits: Limits) -> Iterator[tuple[int, Line]]:
    """Numbered lines of a UTF-8 file as clean text, or the failure to read one."""
    number = 0
    while line := handle.readline(limits.max_file_bytes + 1):
        number += 1
        if len(line) > limits.max_file_bytes:
            while line and not line.endswith(b"\n"):
                line = handle.readline(limits.max_file_bytes)
            yield number, IngestFailure(f"line {too_large(None, limits)}")
        else:
            yield number, _decode_line(line.removeprefix(codecs.BOM_UTF8), limits)


def _decode_line(line: bytes, limits: Limits) -> Line:
    try:
        return clean_text(line.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        return decode_bytes(line, limits)
    except IngestFailure as failure:
        return failure


def _jsonl_line(line: str, origin: str, limits: Limits) -> Result:
    try:
        value = json.loads(line, strict=False)
    except json.JSONDecodeError as error:
        return IngestError(origin, f"invalid JSON: {error.msg} (column {error.colno})")
    return record_to_article(value, origin, limits)


def read_csv_file(path: str, limits: Limits) -> Iterator[Result]:
    """Read a `.csv` file with a header row; each further row is one article.

    Raises:
        IngestFailure: the file cannot be read or decoded, or has no `text` column.
    """
    text = decode_bytes(read_bytes(path, limits), limits)
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_file_bytes))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    columns = _header(reader)
    while True:
        origin = f"{path}:{reader.line_num + 1}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield IngestError(origin, f"invalid CSV: {error}")
            return
        if any(cell.strip() for cell in row):
            yield record_to_article(dict(zip(columns, row, strict=False)), origin, limits)


def _delimiter(text: str) -> str:
    header = text.lstrip().split("\n", 1)[0]
    return max(",;\t", key=header.count)


def _header(reader: Iterator[list[str]]) -> list[str]:
    """The first non-empty row, as lower-case column names; it must have `text`."""
    try:
        row = next(reader)
        while not any(cell.strip() for cell in row):
            row = next(reader)
    except StopIteration:
        raise IngestFailure("no text (blank)") from None
    except csv.Error as error:
        raise IngestFailure(f"invalid CSV: {error}") from None
    columns = [cell.strip().lower() for cell in row]
    if "text" not in columns:
        raise IngestFailure(f"no 'text' column (columns: {', '.join(columns)})")
    return columns


def record_to_article(record: object, origin: str, limits: Limits) -> Result:
    """Turn one record (a mapping of field names to values) into an Article or an error."""
    if not isinstance(record, Mapping):
        return IngestError(origin, f"expected a JSON object, got {_kind(record)}")
    text = record.get("text")
    if text is None:
        return IngestError(origin, "no 'text' field")
    if not isinstance(text, str):
        return IngestError(origin, f"'text' is {_kind(text)}, not a string")
    if not text.strip():
        return IngestError(origin, "blank 'text' field")
    try:
        return _build(record, text, origin, limits)
    except IngestFailure as failure:
        return IngestError(origin, failure.reason)


def _build(record: Mapping[str, object], text: str, origin: str, limits: Limits) -> Article:
    return build_article(
        text,
        limits,
        origin=origin,
        id=_scalar(record.get("id")) or None,
        title=_scalar(record.get("title")),
        url=_scalar(record.get("url")) or None,
        published=parse_date(record.get("published")),
        outlet=_scalar(record.get("outlet")),
    )


def _scalar(value: object) -> str:
    """A string, number or boolean as a string; anything else (None, lists ...) as ""."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float):
        return str(value)
    return ""


def _kind(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")
