"""Ingest from files and folders: every format, and every kind of bad input.

Real files in `tmp_path`; nothing is mocked. Web inputs are in test_ingest_web.py.
"""

from __future__ import annotations

import errno
import json
import os
from datetime import date
from pathlib import Path

import pytest

from tracker.ingest import (
    DEFAULT_LIMITS,
    SUPPORTED_SUFFIXES,
    IngestError,
    Limits,
    count_inputs,
    guess_language,
    iter_inputs,
)
from tracker.ingest.decode import os_reason
from tracker.ingest.text import strip_markdown
from tracker.types import Article

DATA = Path(__file__).parent / "data" / "ingest"

ENGLISH = (
    "South Korea summoned the Russian ambassador on Monday to protest against the "
    "deployment of North Korean troops. The foreign ministry said it was a grave threat."
)
GERMAN = (
    "Das Auswärtige Amt in Berlin hat den russischen Botschafter einbestellt. Die "
    "Bundesregierung verurteilt den Angriff auf das Schärfste, sagte ein Sprecher am Montag."
)


def read(*inputs: str | Path, limits: Limits = DEFAULT_LIMITS) -> list[Article | IngestError]:
    return list(iter_inputs([str(i) for i in inputs], limits))


def read_one(path: Path, limits: Limits = DEFAULT_LIMITS) -> Article | IngestError:
    (item,) = read(path, limits=limits)
    return item


def article(path: Path, limits: Limits = DEFAULT_LIMITS) -> Article:
    item = read_one(path, limits)
    assert isinstance(item, Article), str(item)
    return item


def error(path: Path, limits: Limits = DEFAULT_LIMITS) -> IngestError:
    item = read_one(path, limits)
    assert isinstance(item, IngestError), item
    return item


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# --- happy paths, one per format ---------------------------------------------------


def test_ingest_text_file(tmp_path: Path) -> None:
    path = write(tmp_path / "seoul.txt", "\nSeoul summons envoy\n\n" + ENGLISH + "\n")
    got = article(path)
    assert got.title == "Seoul summons envoy"
    assert got.text == "Seoul summons envoy\n\n" + ENGLISH
    assert (got.origin, got.id, got.language, got.url) == (str(path), None, "en", None)


def test_ingest_text_title_empty_when_first_line_is_long(tmp_path: Path) -> None:
    path = write(tmp_path / "long.txt", ENGLISH * 3)
    assert article(path).title == ""


def test_ingest_markdown_file(tmp_path: Path) -> None:
    markdown = (
        '---\ntitle: "Envoy summoned"\ndate: 2024-10-21\noutlet: Example Wire\n---\n'
        "# Seoul summons *Russian* envoy\n\n"
        "South Korea **summoned** the [Russian ambassador](https://x.example/a) on Monday.\n\n"
        "> The cooperation is a `grave` threat, the ministry said.\n\n"
        "- first point\n* second point\n"
    )
    got = article(write(tmp_path / "envoy.md", markdown))
    assert got.title == "Envoy summoned"
    assert got.published == date(2024, 10, 21)
    assert got.outlet == "Example Wire"
    assert got.text == (
        "Seoul summons Russian envoy\n\n"
        "South Korea summoned the Russian ambassador on Monday.\n\n"
        "The cooperation is a grave threat, the ministry said.\n\n"
        "first point\nsecond point"
    )


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("## Heading ##", "Heading"),
        ("_emphasis_ and __strong__", "emphasis and strong"),
        ("snake_case_name stays", "snake_case_name stays"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("![a map](map.png) shows", "a map shows"),
        ("see [the report][1]\n[1]: https://x.example", "see the report\n"),
        ("```\ncode\n```", "\ncode\n"),
        ("Title\n=====", "Title\n"),
    ],
)
def test_ingest_markdown_stripped_lightly(markdown: str, plain: str) -> None:
    assert strip_markdown(markdown) == plain


def test_ingest_html_file() -> None:
    got = article(DATA / "article.html")
    assert got.title == "Seoul summons Russian envoy over North Korean troops"
    assert got.published == date(2024, 10, 21)
    assert got.url == "https://wire.example.com/world/seoul-summons-envoy"
    assert got.outlet == "Example Wire"
    assert got.language == "en"
    assert got.text.startswith("SEOUL, Oct. 21 - South Korea summoned the Russian ambassador")
    assert "\n\nVice Foreign Minister Kim Hong-kyun" in got.text
    for noise in ("Sign in", "Football results", "Copyright", got.title):
        assert noise not in got.text


def test_ingest_html_file_in_latin1_with_meta_charset(tmp_path: Path) -> None:
    html = (
        '<html><head><meta charset="iso-8859-1"><title>Zürich talks</title></head><body>'
        "<article><p>Die Gespräche in Zürich über den Waffenstillstand sind am Montag "
        "gescheitert, sagte der Außenminister nach dem Treffen im Café.</p></article></body></html>"
    )
    got = article(write(tmp_path / "z.htm", html.encode("latin-1")))
    assert "Zürich" in got.text and "Café" in got.text
    assert got.language == "de"


def test_ingest_json_object(tmp_path: Path) -> None:
    record = {
        "id": 7,
        "title": "T",
        "text": ENGLISH,
        "url": "https://x.example/7",
        "published": "2024-10-21",
        "outlet": "Wire",
        "language": "ignored",
    }
    got = article(write(tmp_path / "one.json", json.dumps(record)))
    assert got == Article(
        text=ENGLISH,
        id="7",
        title="T",
        url="https://x.example/7",
        published=date(2024, 10, 21),
        outlet="Wire",
        language="en",
        origin=str(tmp_path / "one.json"),
    )


def test_ingest_json_array(tmp_path: Path) -> None:
    path = write(tmp_path / "many.json", json.dumps([{"text": ENGLISH}, {"text": GERMAN, "id": "b"}]))
    first, second = read(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.origin, first.id) == (f"{path}#0", None)
    assert (second.origin, second.id, second.language) == (f"{path}#1", "b", "de")


def test_ingest_jsonl_in_evaluation_format(tmp_path: Path) -> None:
    lines = [
        {
            "id": "seed-001",
            "title": "Seoul summons envoy",
            "published": "2024-10-21",
            "text": ENGLISH,
            "reactions": [{"source": "KOR", "stance": "protest", "targets": ["RUS"]}],
        },
        {"id": "d02", "title": "", "published": None, "text": GERMAN, "reactions": []},
    ]
    path = write(tmp_path / "eval.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n\n")
    first, second = read(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.id, first.origin, first.published, first.text) == (
        "seed-001",
        f"{path}:1",
        date(2024, 10, 21),
        ENGLISH,
    )
    assert (second.id, second.origin, second.published, second.language) == (
        "d02",
        f"{path}:2",
        None,
        "de",
    )


def test_ingest_csv_rows(tmp_path: Path) -> None:
    rows = (
        "ID,Title,Text,Published\n"
        f'a1,First,"{ENGLISH}",2024-10-21T09:30:00+09:00\n'
        "\n"
        'a2,Second,"Line one of a quoted text.\nLine two, with ""quotes"".",not a date\n'
        f"a3,Third,{GERMAN.replace(',', '')},\n"
    )
    path = write(tmp_path / "rows.csv", rows)
    items = read(path)
    assert [(a.id, a.origin) for a in items] == [
        ("a1", f"{path}:2"),
        ("a2", f"{path}:4"),
        ("a3", f"{path}:6"),
    ]
    assert [a.published for a in items] == [date(2024, 10, 21), None, None]
    assert items[1].text == 'Line one of a quoted text.\nLine two, with "quotes".'


def test_ingest_csv_semicolon_delimiter(tmp_path: Path) -> None:
    path = write(tmp_path / "excel.csv", f"title;text\nT;{ENGLISH}\n".encode("utf-8-sig"))
    got = article(path)
    assert (got.title, got.text, got.origin) == ("T", ENGLISH, f"{path}:2")


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2024-10-21", date(2024, 10, 21)),
        ("2024-10-21T23:30:00-05:00", date(2024, 10, 21)),
        ("2024-10-21T09:30:00Z", date(2024, 10, 21)),
        ("21/10/2024", None),
        ("", None),
        (20241021, None),
        (None, None),
    ],
)
def test_ingest_published_date_kept_or_dropped(
    tmp_path: Path, published: object, expected: date | None
) -> None:
    path = write(tmp_path / "d.json", json.dumps({"text": ENGLISH, "published": published}))
    assert article(path).published == expected


# --- folders --------------------------------------------------------------------------


def test_ingest_folder_recursion(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", ENGLISH)
    write(tmp_path / "a" / "z.md", "# Z\n\n" + ENGLISH)
    write(tmp_path / "a" / "deeper" / "y.jsonl", json.dumps({"text": GERMAN}))
    write(tmp_path / "a" / "report.pdf", b"%PDF-1.7\n")
    write(tmp_path / ".git" / "HEAD.txt", ENGLISH)
    write(tmp_path / ".hidden.txt", ENGLISH)
    items = read(tmp_path)
    assert [i.origin for i in items] == [
        str(tmp_path / "a" / "deeper" / "y.jsonl") + ":1",
        str(tmp_path / "a" / "report.pdf"),
        str(tmp_path / "a" / "z.md"),
        str(tmp_path / "b.txt"),
    ]
    assert isinstance(items[1], IngestError)
    assert items[1].reason == f"unsupported file type '.pdf' (supported: {', '.join(SUPPORTED_SUFFIXES)})"
    assert count_inputs([str(tmp_path)]) == 4


def test_ingest_folder_symlink_loop_ends(tmp_path: Path) -> None:
    write(tmp_path / "news" / "a.txt", ENGLISH)
    os.symlink(tmp_path / "news", tmp_path / "news" / "loop")
    assert [i.origin for i in read(tmp_path / "news")] == [str(tmp_path / "news" / "a.txt")]


def test_ingest_count_inputs_counts_files_and_urls(tmp_path: Path) -> None:
    write(tmp_path / "x" / "a.txt", ENGLISH)
    write(tmp_path / "x" / "b.csv", "text\nx\n")
    assert count_inputs([str(tmp_path / "x"), "https://example.com/feed.xml", "missing.txt"]) == 4


# --- bad inputs ----------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\r\n  ", "no text (blank)"),
        ("nuls.txt", b"\x00" * 50, "binary content, not text"),
        ("image.txt", PNG, "binary content, not text (PNG image)"),
        (
            "doc.html",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            "binary content, not text (PDF document)",
        ),
        (
            "archive.json",
            b"PK\x03\x04\x14\x00\x00\x00",
            "binary content, not text (ZIP archive or office document)",
        ),
        ("noise.md", bytes(range(256)) * 4, "binary content, not text"),
        ("broken.html", b"<html><body><div><p></div></span>", "no article text found in HTML"),
        (
            "nav.html",
            b"<html><head><title>Menu</title></head><body><nav></nav></body></html>",
            "no article text found in HTML",
        ),
        (
            "bad.json",
            b'{"text": "a" "b"}',
            "invalid JSON: Expecting ',' delimiter (line 1 column 14)",
        ),
        (
            "scalar.json",
            b'"just a string"',
            "expected a JSON object or array of objects, got a string",
        ),
        ("no_text.json", b'{"title": "x"}', "no 'text' field"),
        ("blank_text.json", b'{"text": "  "}', "blank 'text' field"),
        ("number_text.json", b'{"text": 42}', "'text' is a number, not a string"),
        ("nocolumn.csv", b"title,body\nx,y\n", "no 'text' column (columns: title, body)"),
        ("report.pdf", b"%PDF-1.7\n", "unsupported file type '.pdf'"),
        ("README", b"hello", "unsupported file type (no suffix;"),
        ("bad16.txt", b"\xff\xfe\x00\xd8", "invalid UTF-16 text"),
    ],
)
def test_ingest_bad_file_is_an_error(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = write(tmp_path / name, content)
    got = error(path)
    assert got.origin == str(path)
    assert got.reason.startswith(reason)


def test_ingest_json_array_bad_element_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "mixed.json", json.dumps([{"text": ENGLISH}, ["not", "object"], {"text": ""}]))
    items = read(path)
    assert isinstance(items[0], Article)
    assert [str(i) for i in items[1:]] == [
        f"{path}#1: expected a JSON object, got an array",
        f"{path}#2: blank 'text' field",
    ]


def test_ingest_jsonl_broken_line_alone(tmp_path: Path) -> None:
    good = json.dumps({"text": ENGLISH})
    path = write(tmp_path / "feed.jsonl", f'{good}\n{{"text": "a" "b"}}\n\n{good}\n42\n')
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Article", "IngestError", "Article", "IngestError"]
    assert str(items[1]) == f"{path}:2: invalid JSON: Expecting ',' delimiter (column 14)"
    assert items[2].origin == f"{path}:4"
    assert str(items[3]) == f"{path}:5: expected a JSON object, got a number"


def test_ingest_jsonl_streamed_beyond_file_limit(tmp_path: Path) -> None:
    lines = [json.dumps({"id": n, "text": ENGLISH}) for n in range(50)]
    lines[7] = json.dumps({"id": 7, "text": ENGLISH * 20})  # one line over the limit
    path = write(tmp_path / "corpus.jsonl", "\n".join(lines))
    items = read(path, limits=Limits(max_file_bytes=1024))
    assert len(items) == 50
    assert str(items[7]) == f"{path}:8: line too large (limit 0.000976562 MB, set TRACKER_MAX_FILE_MB)"
    assert [a.id for a in items if isinstance(a, Article)] == [str(n) for n in range(50) if n != 7]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"text": "Zürich café"}\r\n'.encode("utf-16"), ["Zürich café"]),
        (
            '\ufeff{"text": "Zürich"}\n'.encode() + '{"text": "café"}\n'.encode("latin-1"),
            ["Zürich", "café"],
        ),
        (f'{{"text": "{ENGLISH[:60]}\x00{ENGLISH[60:]}"}}\n'.encode(), [ENGLISH]),
    ],
)
def test_ingest_jsonl_encodings(tmp_path: Path, content: bytes, expected: list[str]) -> None:
    items = read(write(tmp_path / "enc.jsonl", content))
    assert [a.text for a in items if isinstance(a, Article)] == expected


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\n\n  \n", "no text (blank)"),
        (PNG, "binary content, not text (PNG image)"),
        (b"", "empty file"),
    ],
)
def test_ingest_jsonl_bad_file(tmp_path: Path, content: bytes, reason: str) -> None:
    assert error(write(tmp_path / "bad.jsonl", content)).reason == reason


def test_ingest_csv_row_without_text_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "rows.csv", f"id,text\n1,\n2,{ENGLISH}\n")
    first, second = read(path)
    assert str(first) == f"{path}:2: blank 'text' field"
    assert isinstance(second, Article) and second.id == "2"


def test_ingest_nul_bytes_removed_from_text(tmp_path: Path) -> None:
    raw = ENGLISH.encode()
    content = raw[:40] + b"\x00" + raw[40:80] + b"\x00\x01\x1b" + raw[80:]
    got = article(write(tmp_path / "nul.txt", content))
    assert got.text == ENGLISH
    assert "\x00" not in got.text


def test_ingest_control_characters_removed_from_records(tmp_path: Path) -> None:
    path = write(tmp_path / "ctrl.jsonl", json.dumps({"text": "Seoul\x00 said\x07 no.\r\nTabs\tstay.\ud800"}))
    assert article(path).text == "Seoul said no.\nTabs\tstay."


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("latin-1", b""),
        ("cp1252", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
    ],
)
def test_ingest_encodings_decoded(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = "Talks in Zürich failed, the minister said at a café in Genève on Monday."
    if encoding == "cp1252":
        text += " “We regret it” – he said."
    got = article(write(tmp_path / "enc.txt", prefix + text.encode(encoding)))
    assert got.text == text
    assert "Zürich" in got.text and "café" in got.text


def test_ingest_cyrillic_legacy_encoding_detected(tmp_path: Path) -> None:
    text = (
        "Министерство иностранных дел России заявило, что это неприемлемо. "
        "Посол был вызван в министерство в понедельник, заявил представитель ведомства."
    )
    got = article(write(tmp_path / "ru.txt", text.encode("cp1251")))
    assert got.text == text
    assert got.language == "ru"


def test_ingest_newlines_normalised(tmp_path: Path) -> None:
    got = article(write(tmp_path / "crlf.txt", b"Title\r\n\r\nOne.\rTwo.\r\n"))
    assert got.text == "Title\n\nOne.\nTwo."


def test_ingest_file_too_large_not_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(30 * 1024 * 1024)  # sparse: instant, no disk used
    assert error(path).reason == "too large (30.0 MB; limit 25 MB, set TRACKER_MAX_FILE_MB)"


def test_ingest_article_too_long(tmp_path: Path) -> None:
    path = write(tmp_path / "long.txt", ENGLISH)
    got = error(path, Limits(max_article_chars=100))
    assert got.reason == (
        f"article too long ({len(ENGLISH)} characters; limit 100, set TRACKER_MAX_ARTICLE_CHARS)"
    )


def test_ingest_record_too_long_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "r.jsonl", "\n".join(json.dumps({"text": t}) for t in ("short text", ENGLISH)))
    first, second = read(path, limits=Limits(max_article_chars=50))
    assert isinstance(first, Article)
    assert isinstance(second, IngestError) and second.origin == f"{path}:2"
    assert second.reason.startswith("article too long")


def test_ingest_missing_path() -> None:
    for missing in ("/nonexistent/news.txt", "/nonexistent/folder", "/nonexistent/x.pdf"):
        assert [str(i) for i in read(missing)] == [f"{missing}: no such file or directory"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_ingest_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", ENGLISH)
    path.chmod(0)
    assert error(path).reason == "permission denied"


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
        (FileNotFoundError(errno.ENOENT, "No such file or directory"), "no such file or directory"),
        (OSError(errno.EIO, "Input/output error"), "input/output error"),
    ],
)
def test_ingest_os_error_reasons(error: OSError, reason: str) -> None:
    assert os_reason(error) == reason


def test_ingest_unsupported_url_scheme() -> None:
    (got,) = read("ftp://example.com/news.txt")
    assert str(got) == "ftp://example.com/news.txt: unsupported URL scheme 'ftp' (use http or https)"


def test_ingest_bad_inputs_never_stop_the_rest(tmp_path: Path) -> None:
    bad = [
        write(tmp_path / "empty.txt", b""),
        write(tmp_path / "image.txt", PNG),
        write(tmp_path / "bad.json", b"{"),
        tmp_path / "missing.txt",
        write(tmp_path / "x.pdf", b"%PDF"),
    ]
    good = write(tmp_path / "good.txt", ENGLISH)
    items = read(*bad, good)
    assert [type(i).__name__ for i in items] == ["IngestError"] * 5 + ["Article"]


def test_ingest_error_str() -> None:
    assert str(IngestError("a.jsonl:3", "invalid JSON")) == "a.jsonl:3: invalid JSON"


# --- language -------------------------------------------------------------------------


def test_ingest_german_text_is_an_article_in_german(tmp_path: Path) -> None:
    got = article(write(tmp_path / "de.txt", GERMAN))
    assert got.language == "de"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ENGLISH, "en"),
        (GERMAN, "de"),
        (
            "Le ministre a condamné l’attaque et appelé la Russie à se retirer.",
            "fr",
        ),
        (
            "El ministro condenó el ataque y pidió a Rusia que se retire de la zona.",
            "es",
        ),
        (
            "Il ministro ha condannato l’attacco e ha chiesto alla Russia di ritirarsi.",
            "it",
        ),
        (
            "O ministro condenou o ataque e pediu à Rússia que se retire da zona.",
            "pt",
        ),
        (
            "De minister heeft de aanval veroordeeld en Rusland opgeroepen zich terug te trekken.",
            "nl",
        ),
        (
            "Министр иностранных дел осудил нападение и призвал Россию вывести войска, заявил он.",
            "ru",
        ),
        ("外務省は声明を発表し、攻撃を強く非難した。", "ja"),
        ("외교부는 성명을 발표하고 공격을 강력히 규탄했다.", "ko"),
        ("外交部发言人表示，中方对此表示强烈谴责。", "zh"),
        ("Kim Hong-kyun, Seoul", ""),
        ("12345 67890", ""),
    ],
)
def test_ingest_language_guessed(text: str, language: str) -> None:
    assert guess_language(text) == language
