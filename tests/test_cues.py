"""The cue lexicon: every entry compiles, its prefilter is sound, and it is data."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from tracker.demo import demo_path
from tracker.extract.cues import _compile, find_cues, literal_prefixes, load_cues
from tracker.stances import STANCES

CUES = load_cues()
ROWS = [
    json.loads(line)
    for line in (resources.files("tracker.extract") / "data" / "cues.jsonl").read_text().splitlines()
    if line.strip()
]


def demo_sentences() -> list[str]:
    out = []
    with open(demo_path(), encoding="utf-8") as lines:
        for line in lines:
            out += re.split(r"(?<=[.!?])\s+", json.loads(line)["text"])
    return out


def test_cues_ids_are_unique_and_stances_known():
    ids = [cue.id for cue in CUES]
    assert len(ids) == len(set(ids))
    assert {cue.stance for cue in CUES} <= set(STANCES)


def top_level_alternatives(pattern: str) -> list[str]:
    parts, depth, start, escaped = [], 0, 0, False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    return parts + [pattern[start:]]


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_cues_no_alternative_ends_in_a_space(row):
    # The matcher requires a word boundary after a match, so a trailing space never matches.
    for alternative in top_level_alternatives(row["pattern"]):
        assert not alternative.endswith(" "), alternative


def test_cues_prefilter_never_hides_a_match():
    for sentence in demo_sentences():
        lowered = sentence.lower()
        for cue in CUES:
            if cue.prefixes is None:
                continue
            for match in cue.regex.finditer(sentence):
                assert lowered[match.start() :].startswith(cue.prefixes) or any(
                    p in lowered for p in cue.prefixes
                ), (cue.id, match.group())


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("condemn(?:s|ed)?|slam", ("condem", "slam")),
        ("(?:deeply )?concerned", ("concer", "deeply")),
        ("\\w+ed", None),
        ("Agreed on(?! Monday)|(?:has|have) Agreed", ("agreed", "has ag", "have a")),
    ],
)
def test_cues_literal_prefixes(pattern, expected):
    assert literal_prefixes(pattern, size=6) == expected


def test_cues_literal_prefixes_default_to_twelve_characters():
    assert literal_prefixes("condemn(?:s|ed)?|slam") == ("condemn", "condemned", "condemns", "slam")
    assert literal_prefixes("(?:deeply )?concerned") == ("concerned", "deeply conce")


def test_cues_with_capitals_in_the_pattern_are_found_in_any_case():
    extra = _compile({"id": "x.monday", "stance": "support", "pattern": "Zorbled(?! Monday)"}, "t")
    assert extra.prefixes == ("zorbled",)
    found = find_cues("Both sides ZORBLED the plan; they zorbled Monday.", (*CUES, extra))
    assert [(m.cue.id, m.text) for m in found] == [("x.monday", "ZORBLED")]


def test_cues_earliest_then_longest_match_wins():
    (match,) = find_cues("Kuwait urged calm on Monday.", CUES)
    assert (match.cue.id, match.text) == ("appeal.calm", "urged calm")


def test_cues_quotation_marks_inside_a_cue_do_not_hide_it():
    text = 'Israel said it had "nothing to do" with the blast and called it "baseless".'
    found = find_cues(text, CUES)
    assert [(m.cue.id, m.text) for m in found] == [
        ("reject.claim", 'had "nothing to do" with'), ("reject.claim", "baseless")]
    for m in found:
        assert text[m.start : m.end] == m.text


def test_cues_literal_prefixes_stop_where_an_element_may_repeat():
    # "x(?:ab)+c" also matches "xababc": a prefix "xabc" would hide it
    prefixes = literal_prefixes("x(?:ab)+c")
    assert all("xababc".startswith(p) for p in prefixes if p.startswith("xab"))
    assert literal_prefixes("x(?:ab)?c") == ("xabc", "xc")
