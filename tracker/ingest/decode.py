"""Bytes to clean text, shared by every kind of input.

Reading a file (`read_bytes`):

- the size is checked with `stat` before anything is read; more than
  `Limits.max_file_bytes` (25 MiB) is an error, and so is an empty file (JSON Lines
  files are streamed instead, and the limit holds for each line: see `records`);
- only regular files are read (not folders, pipes or devices).

Decoding (`decode_bytes`), in this order:

1. a byte order mark decides: UTF-8, UTF-16 or UTF-32;
2. UTF-16 without a mark is recognised by its pattern of zero bytes;
3. binary content is refused: known signatures (PNG, JPEG, GIF, PDF, ZIP and
   office files, gzip, 7z, RAR, ELF, SQLite, media) or more than
   `Limits.max_binary_ratio` control bytes; a few stray NULs are tolerated;
4. strict UTF-8; then the charset the document declares (HTTP header or HTML
   `<meta charset>`); then Windows-1252/Latin-1 when the result reads like Western
   European text; then charset-normalizer's best guess (Cyrillic, Greek, CJK ...);
5. newlines become `\\n`; NUL and other control characters except tab and newline
   are removed (PostgreSQL refuses NUL in text); a blank result is an error.
"""

from __future__ import annotations

import codecs
import errno
import logging
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from charset_normalizer import from_bytes

from tracker.ingest.core import MIB, IngestFailure, Limits, clean_text

logger = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)

_MAGIC = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\xd0\xcf\x11\xe0", "old office document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"RIFF", "media file"),
    (b"OggS", "media file"),
    (b"ID3", "MP3 audio"),
)

# Control bytes that do not occur in text (tab, newline, form feed and CR do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0c\r") + b"\x7f"
_WESTERN_PUNCTUATION = set("\xa0’‘‚“”„–—…€«»‹›°§©®™±·•¿¡×÷£¥¢´¨ºª¹²³¼½¾¶†‡‰")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SAMPLE_CHARS = 200_000


def read_bytes(path: str, limits: Limits) -> bytes:
    """Read a whole file after checking that it is a regular, non-empty, small enough file.

    Raises:
        IngestFailure: missing, unreadable, not a regular file, too large or empty.
    """
    with open_file(path, limits) as handle:
        try:
            data = handle.read(limits.max_file_bytes + 1)
        except OSError as error:
            raise IngestFailure(os_reason(error)) from None
    if len(data) > limits.max_file_bytes:
        raise IngestFailure(too_large(None, limits))  # it grew after stat
    if not data:
        raise IngestFailure("empty file")
    return data


@contextmanager
def open_file(path: str, limits: Limits, *, check_size: bool = True) -> Iterator[BinaryIO]:
    """Open a regular, non-empty file for reading bytes, checking its size first.

    Args:
        path: the file.
        limits: `max_file_bytes` is checked with `stat`, before opening.
        check_size: False for files read piece by piece (JSON Lines), of any size.

    Raises:
        IngestFailure: missing, unreadable, not a regular file, too large or empty.
    """
    try:
        _check_stat(os.stat(path), limits, check_size)
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after the caller is done
    except OSError as error:
        raise IngestFailure(os_reason(error)) from None
    with handle:
        yield handle


def _check_stat(info: os.stat_result, limits: Limits, check_size: bool) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise IngestFailure("is a folder")
    if not stat.S_ISREG(info.st_mode):
        raise IngestFailure("not a regular file")
    if check_size and info.st_size > limits.max_file_bytes:
        raise IngestFailure(too_large(info.st_size, limits))
    if info.st_size == 0:
        raise IngestFailure("empty file")


def needs_whole_file(head: bytes) -> bool:
    """True when text starting with `head` is UTF-16 or UTF-32, so cannot be split on b"\\n"."""
    marks = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    return head.startswith(marks) or _decode_utf16_unmarked(head[: len(head) // 2 * 2]) is not None


def os_reason(error: OSError) -> str:
    """A short reason for an operating system error."""
    if error.errno == errno.ENOENT:
        return "no such file or directory"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.EISDIR:
        return "is a folder"
    return (error.strerror or str(error)).lower()


def too_large(size: int | None, limits: Limits) -> str:
    """The reason for a file or download over `limits.max_file_bytes` (size None: unknown)."""
    limit = f"limit {limits.max_file_bytes / MIB:g} MB, set TRACKER_MAX_FILE_MB"
    if size is None:
        return f"too large ({limit})"
    return f"too large ({size / MIB:.1f} MB; {limit})"


def decode_bytes(data: bytes, limits: Limits, declared: str | None = None) -> str:
    """Turn the bytes of a text document into clean text.

    Args:
        data: the whole document.
        limits: `max_binary_ratio` decides what is binary.
        declared: the charset the document or its HTTP response declares, if any.

    Returns:
        The text with `\\n` newlines and without control characters; lines are kept
        as they are, so line numbers still match the file.

    Raises:
        IngestFailure: empty, binary, undecodable or blank.
    """
    if not data:
        raise IngestFailure("empty file")
    text = _decode_marked(data)
    if text is None:
        reject_binary(data, limits)
        text = _decode_unmarked(data, declared)
    text = clean_text(text)
    if not text.strip():
        raise IngestFailure("no text (blank)")
    return text


def _decode_marked(data: bytes) -> str | None:
    """Decode text that says what it is: a byte order mark, or UTF-16 zero bytes."""
    for bom, encoding, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise IngestFailure(f"invalid {name} text") from None
    return _decode_utf16_unmarked(data)


def _decode_utf16_unmarked(data: bytes) -> str | None:
    """UTF-16 without BOM: mostly-ASCII text has a zero in every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        encoding = "utf-16-le"
    elif even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def reject_binary(data: bytes, limits: Limits) -> None:
    """Raise when `data` is a known binary format or has too many control bytes.

    Raises:
        IngestFailure: "binary content, not text".
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise IngestFailure(f"binary content, not text ({kind})")
    if data[4:8] == b"ftyp":
        raise IngestFailure("binary content, not text (media file)")
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > limits.max_binary_ratio * len(data):
        raise IngestFailure("binary content, not text")


def _decode_unmarked(data: bytes, declared: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _decode_declared(data, declared)
    if text is None:
        text = _decode_western(data)
    if text is None:
        text = _decode_detected(data)
    return text


def _decode_declared(data: bytes, declared: str | None) -> str | None:
    """Decode with a declared charset; Latin-1 and ASCII mean Windows-1252, as in browsers."""
    if not declared:
        return None
    try:
        name = codecs.lookup(declared.strip()).name
    except LookupError:
        return None
    if name in ("latin-1", "iso8859-1", "ascii", "utf-8"):
        return None  # UTF-8 already failed; Latin-1 is checked by _decode_western
    try:
        return data.decode(name)
    except UnicodeDecodeError:
        return None


def _decode_western(data: bytes) -> str | None:
    """Windows-1252 (a superset of Latin-1's letters) when the result reads as Western text.

    Cyrillic or Greek bytes also decode as Windows-1252, but then almost every letter
    is accented; Western European text has a few accented letters among ASCII ones.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # five bytes are undefined in cp1252, none in Latin-1
        text = data.decode("latin-1")
    sample = text[:_SAMPLE_CHARS]
    foreign = _NON_ASCII.findall(sample)
    plausible = [c for c in foreign if _is_western(c)]
    letters = sum(1 for c in sample if c.isalpha())
    accented = sum(1 for c in foreign if c.isalpha())
    if len(plausible) < 0.95 * len(foreign) or accented > 0.3 * max(letters, 1):
        return None
    return text


def _is_western(char: str) -> bool:
    return (char.isalpha() and ord(char) < 0x180) or char in _WESTERN_PUNCTUATION


def _decode_detected(data: bytes) -> str:
    best = from_bytes(data).best()
    if best is None:
        raise IngestFailure("not UTF-8 or Latin-1 text")
    logger.debug("decoded as %s by detection", best.encoding)
    return str(best)
