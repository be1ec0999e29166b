"""Step 4: stance cues from the lexicon, with modality.

The lexicon is data (``data/cues.jsonl``, plus files named by ``TRACKER_CUES``):
each line has an ``id``, a ``stance``, a ``frame`` saying how its arguments are
found, a regular-expression ``pattern`` (``{w:0-3}`` stands for zero to three
words) and optional ``cameo``, ``plover``, ``weight`` and ``negation_ok``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from re import _constants, _parser  # to read literal prefixes of cue patterns

import ahocorasick

from tracker.stances import STANCES

FRAMES = frozenset({"agent", "call", "modal", "evaluative", "copy"})
_KEYS = {"id", "stance", "frame", "pattern", "cameo", "plover", "weight", "negation_ok"}
_WORDS = re.compile(r"\{w:(\d+)-(\d+)\}")


@dataclass(frozen=True, slots=True)
class Cue:
    """One lexicon entry, compiled."""

    id: str
    stance: str
    frame: str
    regex: re.Pattern[str]  # case-insensitive, for any text
    cameo: str
    plover: str
    weight: float
    negation_ok: bool
    lower_regex: re.Pattern[str] | None = None  # the same, faster, over lower-cased text
    # Strings one of which any match begins with; a sentence without them is skipped.
    prefixes: tuple[str, ...] | None = None


@dataclass(slots=True)
class CueMatch:
    """A cue found in a sentence; offsets relative to the sentence. Treated as a value
    (changed only through ``dataclasses.replace``); not frozen, which is slower to build."""

    cue: Cue
    start: int
    end: int
    text: str


def _expand(pattern: str) -> str:
    return _WORDS.sub(lambda m: rf"(?:[\w'’\".,-]+\s+){{{m.group(1)},{m.group(2)}}}?", pattern)


def _compile(row: dict, where: str) -> Cue:
    unknown = set(row) - _KEYS
    if unknown or not {"id", "stance", "pattern"} <= set(row):
        raise ValueError(f"{where}: needs id, stance, pattern; unknown keys {sorted(unknown)}")
    stance = STANCES.get(row["stance"])
    frame = row.get("frame", "agent")
    if stance is None or frame not in FRAMES:
        raise ValueError(f"{where}: unknown stance {row['stance']!r} or frame {frame!r}")
    source = rf"(?<![\w-])(?:{_expand(row['pattern'])})(?![\w-])"
    try:
        regex = re.compile(source, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"{where}: bad pattern: {exc}") from None
    # Case-insensitive matching is slow in `re`; a pattern without capitals runs as
    # well over the lower-cased sentence. Patterns that test case keep the slow way.
    lower = None if re.search(r"[A-Z]", row["pattern"]) else re.compile(source)
    prefixes = literal_prefixes(_expand(row["pattern"]))
    return Cue(
        row["id"], stance.name, frame, regex, str(row.get("cameo", stance.cameo)),
        str(row.get("plover", stance.plover)), float(row.get("weight", 0.7)),
        bool(row.get("negation_ok", False)), lower, prefixes,
    )


def literal_prefixes(pattern: str, size: int = 12) -> tuple[str, ...] | None:
    """The literal strings (lower case, up to ``size`` characters) every match of
    ``pattern`` starts with, or None when some match may start otherwise. Cues match
    regardless of case, so the prefixes are looked for in the lower-cased sentence: a
    cheap prefilter."""
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return None
    found = _prefixes(list(parsed), size)
    if found is None or any(len(p) < 2 for p in found):
        return None
    return tuple(sorted(found))


def _prefixes(items: list, size: int) -> set[str] | None:
    """Possible starts of a match of the parsed sequence ``items``; None when unknown."""
    if not items:
        return {""}
    op, av = items[0]
    rest = items[1:]
    if op is _constants.LITERAL:
        heads: set[str] | None = {chr(av).lower()}  # cues match regardless of case
    elif op is _constants.SUBPATTERN:
        heads = _prefixes(list(av[-1]), size)
    elif op is _constants.BRANCH:
        branches = [_prefixes(list(b), size) for b in av[1]]
        heads = None if any(b is None for b in branches) else set().union(*branches)
    elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
        low, high, sub = av
        once = _prefixes(list(sub), size)
        if once is None:
            return None
        # After one round the element may come again ("a+b" matches "aab"), so what
        # follows is only known when it can occur at most once.
        with_it = _then(once, rest, size) if high == 1 else {p[:size] for p in once}
        if low > 0 or with_it is None:
            return with_it
        without = _prefixes(rest, size)
        return None if without is None else with_it | without
    else:
        return None
    return None if heads is None else _then(heads, rest, size)


def _then(heads: set[str], rest: list, size: int) -> set[str] | None:
    out: set[str] = set()
    tails: set[str] | None = None
    for head in heads:
        if len(head) >= size or not rest:
            out.add(head[:size])
            continue
        if tails is None:
            tails = _prefixes(rest, size)
            if tails is None:
                tails = {""}
        out |= {(head + t)[:size] for t in tails}
        if len(out) > 400:
            return None
    return out


def _read(text: str, origin: str) -> list[Cue]:
    cues = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{origin}:{number}: invalid JSON: {exc.msg}") from None
            cues.append(_compile(row, f"{origin}:{number}"))
    return cues


def load_cues(extra: Sequence[Path] = ()) -> tuple[Cue, ...]:
    """The built-in lexicon followed by the entries of ``extra`` files."""
    builtin = (resources.files("tracker.extract") / "data" / "cues.jsonl").read_text("utf-8")
    cues = _read(builtin, "cues.jsonl")
    for path in extra:
        cues += _read(Path(path).read_text("utf-8"), str(path))
    return tuple(cues)


_PREFILTERS: dict[int, tuple[Sequence[Cue], ahocorasick.Automaton, tuple[int, ...]]] = {}


def _prefilter(cues: Sequence[Cue]) -> tuple[ahocorasick.Automaton, tuple[int, ...]]:
    """The prefilter of a lexicon, built once per lexicon object."""
    cached = _PREFILTERS.get(id(cues))
    if cached is None or cached[0] is not cues:
        cached = (cues, *_build_prefilter(cues))
        _PREFILTERS[id(cues)] = cached
    return cached[1], cached[2]


def _build_prefilter(cues: Sequence[Cue]) -> tuple[ahocorasick.Automaton, tuple[int, ...]]:
    """One automaton over the literal prefixes of all cues, and the cues without any."""
    automaton = ahocorasick.Automaton()
    table: dict[str, list[int]] = {}
    always = []
    for i, cue in enumerate(cues):
        if cue.prefixes is None:
            always.append(i)
            continue
        # A prefix that extends another of the same cue adds nothing: where it occurs,
        # the shorter one does too. So each cue is tried at most once per place.
        for prefix in cue.prefixes:
            if not any(prefix != p and prefix.startswith(p) for p in cue.prefixes):
                table.setdefault(prefix, []).append(i)
    for prefix, indexes in table.items():
        # A pattern with capitals runs case-insensitively over the text itself; the
        # others, faster, over the lower-cased text (same offsets).
        tries = tuple((cues[i], cues[i].lower_regex or cues[i].regex, cues[i].lower_regex is None)
                      for i in dict.fromkeys(indexes))
        automaton.add_word(prefix, (len(prefix), tries))
    automaton.make_automaton()
    return automaton, tuple(always)


def _anchored_matches(text: str, lowered: str, cues: Sequence[Cue]) -> list[CueMatch]:
    """Every match starts where one of its cue's literal prefixes occurs: the automaton
    finds those places in one pass and each cue's pattern is tried only there."""
    automaton, always = _prefilter(cues)
    found: list[CueMatch] = []
    for end, (length, tries) in automaton.iter(lowered):
        start = end - length + 1
        for cue, regex, on_text in tries:
            m = regex.match(text if on_text else lowered, start)
            if m:
                found.append(CueMatch(cue, start, m.end(), text[start : m.end()]))
    for i in always:
        cue = cues[i]
        for m in (cue.lower_regex or cue.regex).finditer(lowered if cue.lower_regex else text):
            found.append(CueMatch(cue, m.start(), m.end(), text[m.start() : m.end()]))
    return found


def find_cues(text: str, cues: Sequence[Cue]) -> list[CueMatch]:
    """All cue matches in ``text``, overlaps resolved to the earliest, then longest."""
    lowered = text.lower()
    if len(lowered) != len(text):  # rare characters whose lower case is longer
        lowered = ""
    if not lowered:
        found = [CueMatch(cue, m.start(), m.end(), m.group()) for cue in cues
                 for m in cue.regex.finditer(text)]
    elif '"' in lowered:
        # Quotation marks inside a cue ('had "nothing to do" with'): match without
        # them, then map the offsets back to the sentence.
        shifts, at = [], text.find('"')
        while at != -1:  # where each quote mark would sit in the text without them
            shifts.append(at - len(shifts))
            at = text.find('"', at + 1)

        def back(i: int) -> int:
            return i + bisect_right(shifts, i)

        found = [
            CueMatch(m.cue, back(m.start), back(m.end - 1) + 1, text[back(m.start) : back(m.end - 1) + 1])
            for m in _anchored_matches(text.replace('"', ""), lowered.replace('"', ""), cues)
        ]
    else:
        found = _anchored_matches(text, lowered, cues)
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[CueMatch] = []
    for match in found:
        if kept and match.start < kept[-1].end:
            continue
        kept.append(match)
    return kept


_NEGATION = re.compile(
    r"\b(?:not|never|no longer|n't|without|refus\w+ to|declin\w+ to|fail\w* to|"
    r"(?:did|does|do|has|have|had|was|were|is) not)\s+(?:\w+\s+){0,2}$",
)
_HYPOTHETICAL = re.compile(
    r"\b(?:may|might|could|would consider|considering|consider|plans? to|planning to|"
    r"(?:is|are|was|were) (?:expected|set|due|likely|unlikely|poised) to|threaten\w* (?:\w+ )?to|"
    r"whether|if|unless|wants? to|hopes? to|seeking to|sought to)\s+(?:\w+\s+){0,3}$",
)
_CONDITIONAL = re.compile(r"\b(?:if|unless)\b")
_OPEN_CONDITION = re.compile(r"\b(?:unless|if)\b[^,;]*$")
_CLAUSE_SPLIT = re.compile(r"[;:]|\b(?:but|while|although|whereas)\b")
_WILL = re.compile(r"\b(?:will|would)\b")
_MAY = re.compile(r"\b(?:may|might|could)\b")
_FUTURE = re.compile(r"\b(?:will|would|shall)\s+(?:\w+\s+){0,2}$")
_WOULD = re.compile(r"\b(?:would|could|might)\b")
_DETERMINER = re.compile(
    r"\b(?:the|a|an|its|their|his|her|our|of|for|to help|from|any|this|that|with)\s+$"
)
# "prompting calls for restraint from Gulf states": someone else's call, named as a noun
_CALLS_FOR = re.compile(
    r"\b(?:calls|pleas|appeals|demands|proposals?|offers?|plans?|requests?|bids?)\s+for\s+(?:\w+\s+)?$"
)
# Cue words that are as often nouns naming someone else's act as verbs of the subject
_NOUN_OR_VERB = frozenset(
    """support supports demand demands welcome praise blame backing back veto vetoes boycott
    protest protests appeal appeals call calls criticism sanction sanctions threat threats
    rejection denial condemnation""".split()
)
_TEXTS = ("resolution", "draft", "motion", "bill", "text", "declaration")
_BLOCKED_TEXT = re.compile(
    r"\b(?:block|blocks|blocked|blocking|veto|vetoes|vetoed|vetoing|reject|rejects|rejected|"
    r"killed|opposed|voted against)\b.*\b(?:resolution|draft|motion|bill|text|declaration)\s+$"
)
_NOUN_TO = re.compile(
    r"\b(?:move|moves|plan|plans|decision|bid|attempt|attempts|effort|efforts|order|orders|"
    r"proposal|proposals|threat|threats|intention|readiness|campaign|push|drive|pressure|"
    r"capability|capabilities|ability|power|means|right)"
    r"\s+(?:by\s+\S+\s+)?to\s+$",
)


_NEGATION_HINTS = ("not", "never", "no longer", "n't", "without", "refus", "declin", "fail")
_HYPOTHETICAL_HINTS = ("may", "might", "could", "consider", "plan", "expected", "set", "due", "likely",
                       "poised", "threaten", "whether", "if", "unless", "want", "hope", "seeking", "sought")
_IF = ("if", "unless")
_WOULD_HINTS = ("would", "could", "might")


def _any_in(text: str, words: tuple[str, ...]) -> bool:
    for word in words:
        if word in text:
            return True
    return False


def modality(sentence: str, match: CueMatch) -> str:
    """Why a cue is not a real act, or ''.

    'negated', 'hypothetical', 'question', 'nominal' (a
    verb cue used as a noun: ``its support of``, ``a demand from``), 'conditional'
    (a penalty promised on a condition, ``will cut aid unless``: a threat, not a sanction)
    or 'promised' (a penalty announced for later, ``would boycott``: a threat too).
    """
    before = sentence[max(0, match.start - 60) : match.start]
    clause = _CLAUSE_SPLIT.split(before)[-1]
    if "May" in clause:  # the month or a name (Theresa May), never the modal verb
        clause = clause.replace("May", "M_y")
    clause = clause.lower()  # the patterns below are lower case
    stance = match.cue.stance
    # Each pattern runs only where one of its words occurs (cheap substring tests).
    if not match.cue.negation_ok and _any_in(clause, _NEGATION_HINTS) and _NEGATION.search(clause):
        return "negated"
    if stance not in ("threaten", "appeal", "concern") and _any_in(clause, _HYPOTHETICAL_HINTS) \
            and _HYPOTHETICAL.search(clause):
        return "hypothetical"
    if stance != "threaten" and _any_in(clause, _IF) and _OPEN_CONDITION.search(clause):
        return "hypothetical"  # "unless X arranged a ceasefire": the condition, not an act
    if stance == "sanction" or stance not in ("threaten", "appeal") and _any_in(clause, _WOULD_HINTS):
        near = sentence[match.end :].split(".")[0].lower() + clause
        conditional = _any_in(near, _IF) and _CONDITIONAL.search(near)
        if stance == "sanction" and conditional and _WILL.search(clause) and not _MAY.search(clause):
            return "conditional"  # "will withdraw its troops unless...": a threat
        if stance == "sanction" and _FUTURE.search(clause):
            return "promised"  # "would boycott all contact": a penalty announced, not yet taken
        if stance not in ("threaten", "appeal") and _WOULD.search(clause) and conditional:
            return "hypothetical"
    if sentence.rstrip().endswith("?") and '"' not in sentence:
        return "question"
    if match.text.lower() in _NOUN_OR_VERB and _DETERMINER.search(clause):
        return "nominal"  # "its support of", "a demand from"; but "an ultimatum" is an act
    if clause.rstrip().endswith("to") and _NOUN_TO.search(clause) or (
        "for" in clause and _CALLS_FOR.search(clause)
    ):
        return "nominal"  # "the move by Pyongyang to send troops": a plan, not an act
    if match.text.endswith("ing") and _any_in(clause, _TEXTS) and _BLOCKED_TEXT.search(clause):
        return "nominal"  # "vetoed a resolution condemning X": the text condemns, and it failed
    return ""
