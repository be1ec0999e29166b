"""Ingest: turn files, folders, URLs and feeds into `Article` values.

Ingest reads and cleans; it never touches the database and never guesses stances.
Each bad input (or bad record inside a file) becomes an `IngestError` and the rest
go on; no exception escapes `iter_inputs` for a bad input.

Inputs (see `tracker.ingest.inputs`): `.txt` and `.md` files (`text`), `.html` and
`.htm` pages (`html`), `.json`, `.jsonl` and `.csv` records (`records`), folders of
them, and http(s) URLs of pages or RSS/Atom feeds (`web`).

Limits (`Limits`, see `tracker.ingest.decode` for the decoding rules):

- files and downloads over 25 MiB are refused before they are read;
- article texts over 1,000,000 characters are refused;
- binary content (known signatures, or over 5% control bytes) is refused;
- at most 100 entries of a feed are read; the default HTTP client times out at 20 s.

Example:
    >>> from tracker.ingest import iter_inputs, IngestError
    >>> for item in iter_inputs(["news/", "https://example.com/feed.xml"]):
    ...     if isinstance(item, IngestError):
    ...         print(item)
"""

from tracker.ingest.core import DEFAULT_LIMITS, IngestError, Limits
from tracker.ingest.inputs import (
    SUPPORTED_SUFFIXES,
    count_inputs,
    expand_inputs,
    iter_input,
    iter_inputs,
)
from tracker.ingest.language import guess_language
from tracker.ingest.web import make_client

__all__ = [
    "DEFAULT_LIMITS",
    "SUPPORTED_SUFFIXES",
    "IngestError",
    "Limits",
    "count_inputs",
    "expand_inputs",
    "guess_language",
    "iter_input",
    "iter_inputs",
    "make_client",
]
