"""From what the user names (files, folders, URLs) to Articles, one input at a time.

- A file is read by the reader of its suffix (see `SUPPORTED_SUFFIXES`), whatever its
  case (`.TXT` too). A file with another suffix is an `IngestError` "unsupported file
  type", also inside a folder: nothing is skipped without a word, except hidden files.
- A folder is walked recursively in name order; hidden files and folders (names
  starting with `.`, like `.git` or `.DS_Store`) are skipped silently; symlinked
  folders are followed once. A folder that cannot be listed is an `IngestError`.
- An `http://` or `https://` URL is fetched (see `tracker.ingest.web`); other schemes
  are an `IngestError`.
- A path that does not exist is an `IngestError` "no such file or directory".

No exception escapes for one bad input: a failure becomes an `IngestError` and the
next input is read.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import PurePath

import httpx

from tracker.ingest.core import DEFAULT_LIMITS, IngestError, IngestFailure, Limits
from tracker.ingest.decode import os_reason
from tracker.ingest.html import read_html_file
from tracker.ingest.records import read_csv_file, read_json_file, read_jsonl_file
from tracker.ingest.text import read_text_file
from tracker.ingest.web import is_url, make_client, read_url
from tracker.types import Article

logger = logging.getLogger(__name__)

Result = Article | IngestError
Source = str | os.PathLike[str]

READERS: dict[str, Callable[[str, Limits], Iterator[Result]]] = {
    ".txt": read_text_file,
    ".md": read_text_file,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".json": read_json_file,
    ".jsonl": read_jsonl_file,
    ".csv": read_csv_file,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(READERS)

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)


def iter_inputs(
    inputs: Sequence[Source],
    limits: Limits = DEFAULT_LIMITS,
    client: httpx.Client | None = None,
) -> Iterator[Result]:
    """Yield an Article or an IngestError for everything in `inputs`, in order.

    Args:
        inputs: file paths, folder paths and http(s) URLs.
        limits: what is too large, too long or binary.
        client: HTTP client for URLs; when None, one is made (see
            `tracker.ingest.web.make_client`) at the first URL and closed at the end.

    Yields:
        One Article per article found; one IngestError per input or record that
        could not be read, with its origin and a short reason.
    """
    with ExitStack() as stack:
        for source in expand_inputs(inputs):
            if client is None and is_url(source):
                client = stack.enter_context(make_client(limits))
            yield from iter_input(source, limits, client)


def count_inputs(inputs: Sequence[Source]) -> int:
    """How many files and URLs `iter_inputs` will read: a total for a progress bar.

    Folders are walked but no file is opened; a URL (even a feed) counts once.
    """
    return sum(1 for _ in expand_inputs(inputs))


def expand_inputs(inputs: Sequence[Source]) -> Iterator[str]:
    """The files and URLs behind `inputs`: folders are walked, the rest passed on as given."""
    for source in inputs:
        path = os.fspath(source)
        if not is_url(path) and os.path.isdir(path):
            yield from _walk(path, set())
        else:
            yield path


def _walk(folder: str, seen: set[str]) -> Iterator[str]:
    """Files under `folder` in name order, skipping hidden ones; an unlistable folder is
    yielded itself, so that reading it reports why."""
    real = os.path.realpath(folder)
    if real in seen:
        return
    seen.add(real)
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        yield folder
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry.path, seen)
        else:
            yield entry.path


def iter_input(
    source: Source, limits: Limits = DEFAULT_LIMITS, client: httpx.Client | None = None
) -> Iterator[Result]:
    """Read one file or URL, as `expand_inputs` yields them; never raises for bad input.

    Args:
        source: a file path or an http(s) URL.
        limits: what is too large, too long or binary.
        client: HTTP client for a URL; when None, one is made and closed here.
    """
    origin = os.fspath(source)
    if client is None and is_url(origin):
        with make_client(limits) as own_client:
            yield from iter_input(origin, limits, own_client)
        return
    try:
        yield from _read(origin, limits, client)
    except IngestFailure as failure:
        yield IngestError(origin, failure.reason)
    except OSError as error:  # a read failing half-way, as on a failing disk
        yield IngestError(origin, os_reason(error))
    except Exception as error:  # one bad input must not stop the others
        logger.debug("unexpected error reading %s", origin, exc_info=True)
        yield IngestError(origin, f"unexpected error: {type(error).__name__}: {error}")


def _read(source: str, limits: Limits, client: httpx.Client | None) -> Iterator[Result]:
    if is_url(source):
        assert client is not None, "iter_input makes a client for URLs"
        yield from read_url(source, client, limits)
        return
    scheme = _SCHEME.match(source)
    if scheme:
        raise IngestFailure(f"unsupported URL scheme '{scheme.group(1)}' (use http or https)")
    reader = READERS.get(PurePath(source).suffix.lower())
    if reader is None:
        raise IngestFailure(_unreadable_reason(source))
    yield from reader(source, limits)


def _unreadable_reason(path: str) -> str:
    """Why a path without a known suffix cannot be read."""
    if os.path.isdir(path):
        try:
            os.listdir(path)
        except OSError as error:
            return os_reason(error)
        return "is a folder"
    if not os.path.lexists(path):
        return "no such file or directory"
    suffix = PurePath(path).suffix.lower()
    supported = ", ".join(SUPPORTED_SUFFIXES)
    if not suffix:
        return f"unsupported file type (no suffix; supported: {supported})"
    return f"unsupported file type '{suffix}' (supported: {supported})"
