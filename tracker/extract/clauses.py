"""Clause-level tests on sentence text, shared by the reaction step.

Each says something about the words around a mention or a cue: is this name the
object of a verb, inside a relative clause, a place, a victim; where does the
clause of a cue end. They read text only; the reaction step decides with them.
"""

from __future__ import annotations

import re

from tracker.extract.gazetteer import Mention
from tracker.extract.people import is_title_word, words_after


def _word(pattern: str) -> str:
    """``\\b`` + ``pattern`` (regex text starting with a letter), written to start with
    that letter: ``but`` -> ``b(?<!\\wb)ut``.

    A pattern whose alternatives all start with a literal lets ``re`` jump straight to
    the places where those characters occur; a leading ``\\b`` makes it try every
    position. Over a sentence this is about four times faster."""
    first = pattern[0]
    if not first.isalpha():
        raise ValueError(f"{pattern!r} must start with a letter")
    return f"{first}(?<!\\w{first}){pattern[1:]}"


_PREPOSITIONS = frozenset(
    """in at to from with on against of for into near over toward towards between about after
    under across than including like via visiting unlike among amid around behind through within
    outside inside upon during despite before by as""".split()
)
_GROUP_NOUNS_OF = frozenset(
    """leaders members ministers officials heads head chiefs envoys ambassadors representatives
    delegation spokesman spokeswoman spokesperson counterparts diplomats""".split()
)


_SUBJECT_OPENERS = frozenset(
    """and or that said says but while as when where because since if which who also both then so
    although though whereas told tells add added adding with without, meanwhile however instead
    nor yet even only neither either today yesterday is was are were be been being""".split()
)


def _after_verb(before: str) -> bool:
    """Does ``before`` end with a word that makes the next noun an object ('blockade Paris')?

    A subject follows the start of the sentence, punctuation, a conjunction, 'that',
    a reporting verb or an adverb; a verb or a determiner-less lowercase word before a
    name makes it an object. Titles and adjectives are part of the mention itself.
    """
    if not before or not before[-1].isspace():
        return False
    words = before.split()
    if not words:
        return False
    last = words[-1]
    if last in ("the", "The") and len(words) > 1:
        last = words[-2]
    if not last.isalpha() or not last.islower() or last in _SUBJECT_OPENERS:
        return False
    if last.endswith("ly") or last in _PREPOSITIONS or is_title_word(last):
        return False
    return True


# Words that are prepositions or conjunctions: "as the opposition threatened" opens a clause.
_ALSO_CONJUNCTIONS = frozenset({"as", "after", "before", "since", "until"})


def _after_conjunction(before: str) -> bool:
    """Does ``before`` end with a word that may open a clause ('as', 'after'), perhaps
    followed by 'the'?"""
    words = before.lower().split()[-2:]
    if words and words[-1] == "the":
        words = words[:-1]
    return bool(words) and words[-1] in _ALSO_CONJUNCTIONS


def _after_preposition(before: str) -> bool:
    """Does ``before`` end with a preposition, perhaps followed by 'the'?

    'Leaders of the Group of Seven' is not: there 'of' joins speakers to their actor.
    """
    if before.endswith("pro-"):
        return True
    if not before or not before[-1].isspace():
        return False
    words = before.lower().split()[-3:]
    if words and words[-1] == "the":
        words = words[:-1]
    if not words or words[-1] not in _PREPOSITIONS:
        return False
    # "Leaders of the Group of Seven", "counterparts from ASEAN", "a spokesman for
    # President Duterte", "the Ministry of Foreign Affairs of Peru", "the representative
    # of France": the speakers' actor
    return not (words[-1] in ("of", "from", "for") and len(words) > 1 and (
        words[-2] in _GROUP_NOUNS_OF or words[-1] == "of" and is_title_word(words[-2])))


# _PLACE and _VICTIM read lower-cased text.
_PLACE = re.compile(
    "(?:" + "|".join(map(_word, ("in", "at", "near", "from", "visit to", "visiting", "trip to",
                                 "arriving in", "arrived in", "held in", "based in", "capital",
                                 "city of", "over", "across", "into"))) + r")\s+(?:the\s+)?$"
)
_VICTIM = re.compile(
    "(?:" + "|".join(map(_word, """attacks? assault strikes? invasion aggression violence war
    offensive raids? shelling bombing killing incursion missions? embassy consulate
    civilians""".split())) + r")\s+(?:on|against|in|of|into|at)\s+(?:the\s+)?$"
)
_GEOGRAPHIC = re.compile(
    r"^(?:'s|')\s+(?:(?:north|south|east|west)(?:ern)?\s+|[\w-]+\s+)?(?:flank|border|borders|"
    r"territory|soil|coast|region|airspace|waters|capital|province|frontier|side|sovereignty|"
    r"territorial integrity|independence)\b|"
    r"^\s+(?:territory|soil|airspace|waters|border|coast|capital|city|province)\b",
    re.IGNORECASE,
)
_INSTITUTION_OF = re.compile(
    r"^(?:'s)?\s+(?:Security Council\s+)?(?:resolutions?|charter|law|rules|norms|mandate|summit|"
    r"meeting|session|conference|talks|member|members|membership)\b", re.IGNORECASE
)
_SUBORDINATE = re.compile("|".join([
    *(_word(w) + r"\b" for w in ("after", "before", "when", "because", "since", "following", "despite",
                                 "as part of")),
    r",\s+\w+ed\s+by\b", r",\s+as\b",
    *(_word(w) + r"\s+\w+ing\b" for w in ("of", "with", "for", "by")),
    _word("to") + r"\s+(?!the\b|a\b|an\b|its\b|their\b|his\b|her\b|all\b|both\b)[a-z]+\b",
]))
_RELATIVE = re.compile(r",\s*(?:which|who|whose|where|whom|like)\b[^,;]*,")
_MODAL_SUBJECT_GAP = re.compile(r"^(?:'s\s+[\w-]+)?\s*(?:that\s+|who\s+)?(?:\w+ly\s+)?$")
_ORG_NOUN = re.compile(r"\b(?:group|bloc|alliance|league|organi[sz]ation|union|council|allies)\b")
_PARTICIPLE_AFTER = re.compile(r"^\s+(?!during\b|including\b|concerning\b|regarding\b)\w+ing\b")
# A clause describing an agreement, a plan or a policy ("the ties that Biden and Xi agreed
# on", "a resolution that aims to tighten sanctions") reports no act of its own.
_NOUN_THAT = re.compile(
    "(?:" + "|".join(map(_word, """efforts ties plans? deal agreement resolution measures? steps?
    policy policies pact treaty issue proposal law rules?""".split())) + ")"
    r"\s+(?:that|which)\s+(?:[\w'-]+\s+){0,8}$"
)
# Cues whose places are their targets: aid "to refugees in Liberia", "an embassy in Tehran"
_PLACE_TARGETS = frozenset({"support.aid", "support.relations", "support.agree"})
_STATE_ORGANS = re.compile(
    r"\bthe (?:authorities|government|regime|junta|military|generals|leadership|president)\b"
)
_SOVEREIGNTY = re.compile(r"^'s\s+(?:sovereignty|territorial|independence)")
_HELPER = re.compile(r"^(?:'s)\s+(?:help|support|assistance|backing|cooperation)\b")
_FACTION = re.compile(r"\b(?:[Ee]thnic|pro-|anti-)\s*$")
_DETERMINER_GAP = r"^\s*(?:(?:the|its|their|his|her|a|an)\s+)?"
_OBJECT_GAP = re.compile(_DETERMINER_GAP + r"(?:of\s+(?:the\s+)?)?$")
# between two cues, the second is the first one's object: "rejected an Australian ultimatum"
_CUE_OBJECT_GAP = re.compile(_DETERMINER_GAP + r"(?:[A-Z][\w.-]*\s+){0,2}(?:of\s+(?:the\s+)?)?$")
_PARTICIPLE = re.compile(r"^\w+ing\b")
_COORDINATED = re.compile(_word("and") + r"\s+(?:\w+ly\s+|also\s+|then\s+)?(?:\w+ed\s+to\s+)?$")
_AND_GAP = re.compile(r"^\s*,?\s*(?:and|or|&)\s*(?:the\s+)?$")
_CONJUNCTION_GAP = re.compile(r"^\s*(?:,|,?\s*and|&)\s*(?:the\s+)?$")
_CLAUSE_BREAK = re.compile("|".join([
    ";", *(_word(w) + r"\b" for w in ("but", "while", "whereas", "although")),
    r",\s+and\s+(?=(?:the\s+)?[A-Z])",
    _word("and") + r"\s+(?=(?:also\s+)?(?:said|says|called|urged|warned|described|added|told)\b)",
    _word("and") + r"\s+(?=[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?\s+\w+ing\b)",
]))
_REPORTING_VERBS = """said says say saying called calling calls described describing describes
    termed branded labelled labeled told tells added adding stated declared insisted warned wrote
    writing noted stressed argued asserted tweeted voiced emphasi[sz]ed maintained believes believed thinks
    considers reiterated reiterates repeated reaffirmed announced confirmed reminded reminder""".split()
# lower case, or capitalised at the start of a sentence
_REPORTING = re.compile("|".join(
    _word(form) + r"\b" for verb in _REPORTING_VERBS for form in (verb, verb[0].upper() + verb[1:])
))
_POSTPOSED = re.compile(r",?\s*(?:said|says|added|according to|wrote|told reporters)\s+$")
# reads lower-cased text
_DEESCALATION = re.compile(
    r"restraint|calm|de-?escalat|cease-?fire|cease hostilities|dialogue|negotiat|"
    + _word("talks") + r"\b|peace|" + _word("avoid") + "|" + _word("halt") + r"\b|"
    r"stop (?:the )?(?:violence|fighting)|truce|refrain|exacerbate|"
    r"worsen|escalation|common sense|differences|hostilities|bloodshed|transfer of power",
)
_ADDRESSEE_ALL = re.compile(
    r"\b(?:all|both)\b|\bparties\b|\bsides\b|\beach other\b|\beveryone\b|international community",
    re.IGNORECASE,
)
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_BACKGROUND = re.compile(
    r"\b(?:[Ee]arlier this (?:week|month|year)|[Ll]ast (?:week|month|year|spring|summer|autumn|fall|winter|"
    + "|".join(_MONTHS)
    + r")|(?:years|months|decades) ago|[Ii]n (?:19|20)\d\d\b|[Oo]n (" + "|".join(_MONTHS)
    + r") (\d{1,2})\b|[Ii]n (" + "|".join(_MONTHS) + r")\b(?! \d))"
)
# Every match of _BACKGROUND contains one of these: a cheap test that rules most sentences out.
_BACKGROUND_HINTS = ("arlier this", "ast ", " ago", "n 19", "n 20", *(f"n {m}" for m in _MONTHS))
_RECIPROCAL = frozenset({"support.agree", "support.relations", "reject.disagree", "condemn.mutual"})
_GOVERNING = frozenset({"condemn.accuse", "demand.verb"})
_IMPLICIT_TARGET = frozenset({"condemn", "demand", "threaten", "protest", "sanction", "reject", "support"})
_NEGATIVE = frozenset({"condemn", "concern", "demand", "threaten", "protest", "sanction", "reject"})


def _bare_np(text: str, m: Mention) -> bool:
    """'Palestinians blamed...', 'The Palestinians reject...': the people's leadership."""
    before = text[: m.start].rstrip()
    word = before.split()[-1] if before.split() else ""
    return word in ("", "The", "the", "and", ",") or before.endswith((",", "-"))


_ADJ_CHAIN = re.compile(r"(?:\s*(?:,|and|or)\s+[A-Z][\w-]+)+")


def _followed_by_title(text: str, m: Mention) -> bool:
    """'Iranian officials', and 'Hungarian and Romanian officials' for the first too."""
    end = m.end
    chain = _ADJ_CHAIN.match(text, end)
    if chain and not text[end : end + 2].startswith("'"):
        end = chain.end()
    return any(is_title_word(t) for t in words_after(text, m.end, 2)) or (
        end != m.end and any(is_title_word(t) for t in words_after(text, end, 1))
    )


# Patterns the reaction step reads around one cue.
_ENDS_WITH_COMMA = re.compile(r",\s*$")
_HAD = re.compile(r"\bhad\s+(?:already\s+)?$")
_THAT = re.compile(r"\s+that\s+")
_TO = re.compile(r"\bto\b")
_THAT_SOON = re.compile(r"[^,;]*?\bthat\b")
_CAPITAL = re.compile(r"[A-Z]")
_OTHER_CLAUSE = re.compile(
    r"\b(?:that|which|who|after|when|since|because|following|compared|than)\b|[;,]|\w+ing\b|\bto\s+[a-z]+"
)
_PASSIVE_VERB = re.compile(r"\b(?:was|were|been|be|being)\s+(?:\w+\s+)?\w+$|were imposed")
_BY = re.compile(r"\bby\s+(?:the\s+)?")
_LIVING_IN = re.compile(
    r"\s+(?:of|in|from|living in)\s+(?:(?:southern|northern|eastern|western|central|the)\s+)*[A-Z]"
)
_TO_BODY = re.compile(r"\b(?:to|with)\s+(?:the\s+)?$")
_OWN_PEOPLE = re.compile(
    r"\b(?:its|their|our)\s+(?:own\s+)?(?:citizens|nationals|people|population|residents|"
    r"troops|forces|soldiers|diplomats|staff|members)\b"
)
_AFTER_QUOTE_OR_COMMA = re.compile(r'[,"]\s*"?\s*(?:the\s+|a\s+|an\s+)?$')
_THEN_SAID = re.compile(r"(?:'s)?(?:\s+[\w.'-]+){0,4}?\s+(?:said|says|added|told reporters|wrote)\b")
_QUOTED = re.compile(r'"([^"]+)"')
