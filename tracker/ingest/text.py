"""Plain text and Markdown files: one file is one article.

- `.txt`: the whole decoded file is the text; the title is its first non-empty line
  when that is shorter than 200 characters, else "".
- `.md`: Markdown syntax is stripped lightly (YAML front matter, heading marks,
  emphasis, inline code, code fences, links and images keep their text, list bullets,
  block quotes, rules); `title:`, `date:`, `url:` and `outlet:` in the front matter
  become metadata. The title is the front matter's, else the first line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePath

from tracker.ingest.core import Limits, build_article, parse_date
from tracker.ingest.decode import decode_bytes, read_bytes
from tracker.types import Article

MAX_TITLE_CHARS = 200

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.DOTALL)
_FRONT_FIELD = re.compile(r"^(title|date|url|outlet)\s*:\s*(.*?)\s*$", re.MULTILINE)
_MARKDOWN_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^[ \t]*(```|~~~).*$", re.MULTILINE), ""),  # code fences
    (re.compile(r"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$", re.MULTILINE), ""),  # rules
    (re.compile(r"^[ \t]{0,3}(=+|-+)[ \t]*$", re.MULTILINE), ""),  # setext underlines
    (
        re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)([ \t]+#+)?[ \t]*$", re.MULTILINE),
        r"\1",
    ),  # headings
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE), ""),  # block quotes
    (re.compile(r"^([ \t]*)[-*+][ \t]+", re.MULTILINE), r"\1"),  # bullets
    (re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]*\S+.*$", re.MULTILINE), ""),  # link definitions
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # inline links
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # inline code
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *em*
    (re.compile(r"(?<!\w)_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)"), r"\1"),  # _em_
)


def read_text_file(path: str, limits: Limits) -> Iterator[Article]:
    """Read a `.txt` or `.md` file as one article.

    Raises:
        IngestFailure: the file cannot be read or decoded, or has no usable text.
    """
    text = decode_bytes(read_bytes(path, limits), limits)
    if PurePath(path).suffix.lower() == ".md":
        yield _markdown_article(text, path, limits)
    else:
        yield build_article(text, limits, origin=path, title=first_line_title(text))


def first_line_title(text: str) -> str:
    """The first non-empty line when it is short enough to be a headline, else ""."""
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) < MAX_TITLE_CHARS else ""
    return ""


def _markdown_article(text: str, path: str, limits: Limits) -> Article:
    front, body = split_front_matter(text)
    plain = strip_markdown(body)
    return build_article(
        plain,
        limits,
        origin=path,
        title=front.get("title") or first_line_title(plain),
        url=front.get("url"),
        published=parse_date(front.get("date")),
        outlet=front.get("outlet", ""),
    )


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split YAML front matter (`---` ... `---`) off Markdown; read its simple fields."""
    text = text.lstrip()
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fields = {key: value.strip("\"'") for key, value in _FRONT_FIELD.findall(match.group(1))}
    return fields, text[match.end() :]


def strip_markdown(text: str) -> str:
    """Remove common Markdown syntax, keeping the words a reader sees."""
    for pattern, replacement in _MARKDOWN_RULES:
        text = pattern.sub(replacement, text)
    return text
