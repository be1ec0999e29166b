"""A cheap guess of an article's language: no model, no download.

Chinese, Japanese and Korean are told by their scripts. Other languages are told by
frequent function words, kept as data in `stopwords.json` beside this module: the
language whose words make up a fair share of the text, clearly more than any other,
wins. When nothing wins, the answer is "" (unknown), never a guess.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from importlib import resources

_SAMPLE_CHARS = 2_000
_WORD = re.compile(r"[^\W\d_]+")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CJK = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3040-\u30ff\u4e00-\u9fff]")
_LETTER = re.compile(r"[^\W\d_]")

MIN_HITS = 3
"""Fewest function words a language needs to be named."""
MIN_SHARE = 0.1
"""Smallest share of all words that must be the winning language's function words."""
MIN_MARGIN = 1.3
"""How many times more hits the winner needs than the runner-up."""


@cache
def stopwords() -> dict[str, frozenset[str]]:
    """Language code -> its function words, loaded once from `stopwords.json`."""
    raw = json.loads(resources.files(__package__).joinpath("stopwords.json").read_text("utf-8"))
    return {code: frozenset(words) for code, words in raw.items() if not code.startswith("_")}


@cache
def _languages_of_word() -> dict[str, tuple[str, ...]]:
    """Function word -> the languages it belongs to."""
    index: dict[str, list[str]] = {}
    for code, words in stopwords().items():
        for word in words:
            index.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in index.items()}


def guess_language(text: str) -> str:
    """Guess the ISO 639-1 code of `text` ("en", "de", ...), or "" when unsure.

    Args:
        text: article text; only its first 2,000 characters are looked at.

    Returns:
        A two-letter code, or "" for unknown.
    """
    sample = text[:_SAMPLE_CHARS]
    return _guess_by_script(sample) or _guess_by_words(sample)


def _guess_by_script(sample: str) -> str:
    if not _CJK.search(sample):
        return ""
    hangul, kana, han = (len(p.findall(sample)) for p in (_HANGUL, _KANA, _HAN))
    letters = len(_LETTER.findall(sample))
    if hangul + kana + han < 0.3 * max(letters, 1):
        return ""
    if hangul > kana + han:
        return "ko"
    return "ja" if kana > 0.05 * (kana + han) else "zh"


def _guess_by_words(sample: str) -> str:
    words = _WORD.findall(sample.lower())
    index = _languages_of_word()
    hits: Counter[str] = Counter()
    for word, count in Counter(words).items():
        for code in index.get(word, ()):
            hits[code] += count
    ranked = hits.most_common(2)
    if not ranked:
        return ""
    best, best_hits = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if best_hits < MIN_HITS or best_hits < MIN_SHARE * len(words):
        return ""
    return best if best_hits >= MIN_MARGIN * runner_up else ""
