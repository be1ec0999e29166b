"""Extending the dictionaries without Python, as the README tells a user to."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def extract(text_file: Path, **env: str) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", "tracker.cli", "extract", str(text_file), "--format", "jsonl"],
        capture_output=True, text=True, env={**os.environ, **env}, check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_extend_extra_cue_file_adds_a_stance_cue(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("Peru excoriated the border raid by Ecuador.\n", encoding="utf-8")
    assert extract(text) == []
    found = extract(text, TRACKER_CUES=str(EXAMPLES / "extra_cues.jsonl"))
    assert [(r["source"], r["stance"], r["targets"], r["cue"]) for r in found] == [
        ("PER", "condemn", ["ECU"], "excoriated")
    ]


def test_extend_office_holder_file_places_an_unintroduced_person(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("Lee Jae-myung condemned the missile launch by North Korea.\n", encoding="utf-8")
    found = extract(text, TRACKER_ACTORS=str(EXAMPLES / "extra_actors.jsonl"))
    assert [(r["source"], r["speaker"]) for r in found] == [("KOR", "Lee Jae-myung")]


def test_extend_non_state_actor_is_a_target_never_a_source(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("Hamas condemned the raid. Jordan condemned the attack by Hamas.\n", encoding="utf-8")
    found = extract(text, TRACKER_ACTORS=str(EXAMPLES / "extra_actors.jsonl"))
    assert [(r["source"], r["targets"]) for r in found] == [("JOR", ["HAMAS"])]


def test_extend_bad_cue_file_is_one_clear_line(tmp_path):
    bad = tmp_path / "cues.jsonl"
    bad.write_text('{"id": "x", "stance": "frown", "pattern": "frowned"}\n', encoding="utf-8")
    text = tmp_path / "a.txt"
    text.write_text("Peru frowned.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tracker.cli", "extract", str(text)],
        capture_output=True, text=True, env={**os.environ, "TRACKER_CUES": str(bad)},
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "cues.jsonl:1" in result.stderr and "frown" in result.stderr
