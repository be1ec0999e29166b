"""Measure extraction against gold data in the spec's evaluation format.

Scoring follows the spec (and `shared/tools/score.py`): every reaction is exploded
into dyads (source, stance, target); a gold dyad without target, (s, stance, *), is
found by any predicted dyad of that source and stance. Precision, recall and F1 are
given per stance and overall, with a calibration table: how often predictions at
each confidence level are right, so a user can choose a confidence threshold.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tracker.stances import STANCE_NAMES
from tracker.types import Article, Reaction

Dyad = tuple[str, str, str]
CONFIDENCE_BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(slots=True)
class Tally:
    """Counts behind precision and recall."""

    found: int = 0
    gold: int = 0
    correct: int = 0
    predicted: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Evaluation:
    """The result of `evaluate`: overall and per-stance tallies, and calibration."""

    overall: Tally = field(default_factory=Tally)
    per_stance: dict[str, Tally] = field(default_factory=dict)
    # band lower bound -> [correct, predicted] over predicted dyads at or above it
    calibration: dict[float, list[int]] = field(default_factory=dict)
    articles: int = 0


def dyads(source: str, stance: str, targets: Iterable[str]) -> list[Dyad]:
    targets = list(targets)
    return [(source, stance, t) for t in targets] or [(source, stance, "*")]


def read_gold(path: Path) -> Iterator[tuple[Article, list[dict]]]:
    """Articles and their gold reactions from an evaluation JSONL file.

    Raises:
        ValueError: a line that is not valid JSON or lacks `id`, `text` or `reactions`.
    """
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                published = date.fromisoformat(row["published"][:10]) if row.get("published") else None
                article = Article(text=row["text"], id=str(row["id"]), title=row.get("title") or "",
                                  published=published, origin=f"{path}:{number}")
                gold = list(row["reactions"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not an evaluation record ({exc})") from None
            yield article, gold


def score_article(ev: Evaluation, gold: Sequence[dict], predicted: Sequence[Reaction]) -> None:
    """Add one article's gold and predicted reactions to ``ev``."""
    g: set[Dyad] = {d for r in gold for d in dyads(r["source"], r["stance"], r.get("targets") or ())}
    conf: dict[Dyad, float] = {}
    for r in predicted:
        for d in dyads(r.source, r.stance, r.targets):
            conf[d] = max(conf.get(d, 0.0), r.confidence)
    pairs = {(s, st) for s, st, _ in conf}
    for d in g:
        ok = (d[0], d[1]) in pairs if d[2] == "*" else d in conf
        for tally in (ev.overall, ev.per_stance.setdefault(d[1], Tally())):
            tally.gold += 1
            tally.found += ok
    for d, c in conf.items():
        ok = d in g or (d[0], d[1], "*") in g
        for tally in (ev.overall, ev.per_stance.setdefault(d[1], Tally())):
            tally.predicted += 1
            tally.correct += ok
        for band in CONFIDENCE_BANDS:
            if c >= band:
                cell = ev.calibration.setdefault(band, [0, 0])
                cell[0] += ok
                cell[1] += 1
    ev.articles += 1


def evaluate(path: Path, extract) -> Evaluation:
    """Run ``extract`` over every article of the gold file at ``path`` and score it."""
    ev = Evaluation()
    for article, gold in read_gold(path):
        score_article(ev, gold, extract(article))
    return ev


def render(ev: Evaluation) -> str:
    """A plain-text report: per-stance table, overall line, calibration table."""
    lines = [f"{'stance':<11} {'gold':>5} {'found':>5} {'pred':>5} {'right':>5}   P     R     F1"]
    for name in STANCE_NAMES:
        t = ev.per_stance.get(name)
        if t:
            lines.append(f"{name:<11} {t.gold:>5} {t.found:>5} {t.predicted:>5} {t.correct:>5}  "
                         f"{t.precision:.2f}  {t.recall:.2f}  {t.f1:.2f}")
    o = ev.overall
    lines.append(f"overall     {o.gold:>5} {o.found:>5} {o.predicted:>5} {o.correct:>5}  "
                 f"{o.precision:.2f}  {o.recall:.2f}  {o.f1:.2f}")
    lines += ["", "calibration: predicted dyads at or above each confidence, and how many are right"]
    for band in CONFIDENCE_BANDS:
        right, total = ev.calibration.get(band, (0, 0))
        share = f"{right / total:.0%}" if total else "-"
        lines.append(f"  >= {band:.1f}  {total:>5} predicted  {right:>5} right  {share:>5}")
    lines.append(f"strict P {o.precision:.3f} R {o.recall:.3f} F1 {o.f1:.3f} "
                 f"(gold {o.gold}, predicted {o.predicted}, articles {ev.articles})")
    return "\n".join(lines)
