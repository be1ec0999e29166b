"""`tracker evaluate`: the spec's scoring, per stance, with calibration."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tracker.evaluate import Evaluation, evaluate, render, score_article
from tracker.types import Reaction


def gold(source, stance, targets=()):
    return {"source": source, "stance": stance, "targets": list(targets)}


def test_evaluate_targetless_gold_is_found_by_any_target():
    ev = Evaluation()
    score_article(ev, [gold("USA", "condemn")], [Reaction("USA", "condemn", ("RUS",), confidence=0.9)])
    assert (ev.overall.found, ev.overall.gold, ev.overall.correct, ev.overall.predicted) == (1, 1, 1, 1)


def test_evaluate_wrong_target_is_a_miss_and_an_extra():
    ev = Evaluation()
    score_article(ev, [gold("USA", "condemn", ["RUS"])], [Reaction("USA", "condemn", ("CHN",))])
    assert (ev.overall.found, ev.overall.correct) == (0, 0)
    assert ev.overall.f1 == 0.0


def test_evaluate_duplicate_dyads_count_once():
    ev = Evaluation()
    predicted = [Reaction("FRA", "appeal"), Reaction("FRA", "appeal")]
    score_article(ev, [gold("FRA", "appeal")], predicted)
    assert ev.overall.predicted == 1 and ev.overall.precision == 1.0


def test_evaluate_calibration_counts_by_confidence():
    ev = Evaluation()
    predicted = [Reaction("USA", "condemn", ("RUS",), confidence=0.95),
                 Reaction("GBR", "support", ("UKR",), confidence=0.55)]
    score_article(ev, [gold("USA", "condemn", ["RUS"])], predicted)
    assert ev.calibration[0.9] == [1, 1]
    assert ev.calibration[0.5] == [1, 2]
    assert "calibration" in render(ev)


def test_evaluate_matches_the_shared_scorer_on_the_demo(tmp_path):
    from tracker.demo import demo_path
    from tracker.extract import extract

    ev = evaluate(demo_path(), extract)
    scorer = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score.py"
    if not scorer.exists():
        assert 0 < ev.overall.f1 <= 1
        return
    pred = tmp_path / "pred.jsonl"
    cli = [sys.executable, "-m", "tracker.cli"]
    with open(pred, "w") as out:
        subprocess.run([*cli, "extract", str(demo_path()), "--format", "jsonl"], stdout=out, check=True)
    last = subprocess.run([sys.executable, str(scorer), str(demo_path()), str(pred)],
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]
    assert last == render(ev).splitlines()[-1]


def test_evaluate_cli_prints_per_stance_table(tmp_path):
    path = tmp_path / "gold.jsonl"
    record = {"id": "g1", "title": "", "published": "2024-01-02",
              "text": "Canada condemned the missile launch by North Korea.",
              "reactions": [gold("CAN", "condemn", ["PRK"])]}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tracker.cli", "evaluate", str(path)],
                            capture_output=True, text=True, check=True)
    assert "condemn" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("strict P 1.000 R 1.000 F1 1.000")


def test_evaluate_cli_bad_file_is_one_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("not json\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tracker.cli", "evaluate", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "bad.jsonl:1" in result.stderr
