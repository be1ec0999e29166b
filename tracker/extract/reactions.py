"""Step 5: attach each cue to its source and targets, with speaker and quote.

Sources are found by position: the nearest speaking actor before the cue in
its clause (skipping places, relative clauses and objects of prepositions),
widened to a compound subject (``The U.S. and Japan``); the agent of a passive
(``were cut by Bahrain``); or a speaker placed after the words (``..., said
Wang Wenbin``). Pronouns and group nouns (``it``, ``the bloc``) take the latest
subject; ``he``/``she`` the latest person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from tracker.extract.analyse import ARMED_GROUPS, Analyser, ArticleDoc, SentenceDoc
from tracker.extract.clauses import (
    _ADDRESSEE_ALL,
    _AFTER_QUOTE_OR_COMMA,
    _AND_GAP,
    _BACKGROUND,
    _BACKGROUND_HINTS,
    _BY,
    _CAPITAL,
    _CLAUSE_BREAK,
    _CONJUNCTION_GAP,
    _COORDINATED,
    _CUE_OBJECT_GAP,
    _DEESCALATION,
    _ENDS_WITH_COMMA,
    _FACTION,
    _GEOGRAPHIC,
    _GOVERNING,
    _HAD,
    _HELPER,
    _IMPLICIT_TARGET,
    _INSTITUTION_OF,
    _LIVING_IN,
    _MODAL_SUBJECT_GAP,
    _MONTHS,
    _NEGATIVE,
    _NOUN_THAT,
    _OBJECT_GAP,
    _ORG_NOUN,
    _OTHER_CLAUSE,
    _OWN_PEOPLE,
    _PARTICIPLE,
    _PARTICIPLE_AFTER,
    _PASSIVE_VERB,
    _PLACE,
    _PLACE_TARGETS,
    _POSTPOSED,
    _QUOTED,
    _RECIPROCAL,
    _RELATIVE,
    _REPORTING,
    _SOVEREIGNTY,
    _STATE_ORGANS,
    _SUBORDINATE,
    _THAT,
    _THAT_SOON,
    _THEN_SAID,
    _TO,
    _TO_BODY,
    _VICTIM,
    _after_conjunction,
    _after_preposition,
    _after_verb,
    _bare_np,
    _followed_by_title,
)
from tracker.extract.cues import Cue, CueMatch, _any_in, find_cues, modality
from tracker.extract.gazetteer import Mention
from tracker.extract.people import (
    NON_STATE_WORDS,
    is_title_word,
    title_chain_end,
    tokens,
    words_after,
)
from tracker.stances import STANCES
from tracker.types import Reaction


@dataclass(slots=True)
class Source:
    codes: list[str]
    via: str
    person: Mention | None = None


@dataclass(slots=True)
class Context:
    """What the reaction step remembers from one sentence to the next."""

    last_actor: list[str] = field(default_factory=list)
    last_person: Mention | None = None
    owned_titles: dict[str, str] = field(default_factory=dict)
    last_reaction: Reaction | None = None
    last_org: str = ""
    settled: dict[str, str] = field(default_factory=dict)  # person -> actor found in context
    issuer: list[str] = field(default_factory=list)  # who "we" is in a statement or briefing
    last_list: list[str] = field(default_factory=list)  # the latest 'X, Y and Z' named


# Words of a header that announces the issuer's own voice.
_ISSUING = re.compile(
    r"\b(?:[Ss]tatement|STATEMENT|[Pp]ress [Cc]onference|[Bb]riefing|BRIEFING|[Cc]ommuniqu[eé]|"
    r"[Rr]emarks|[Dd]eclaration|[Rr]eadout|[Pp]ress [Rr]elease|PRESS RELEASE|[Tt]ranscript)"
)


class ReactionFinder:
    """Turns an analysed article into reactions."""

    def __init__(self, cues: tuple[Cue, ...]):
        self.cues = cues

    # -- speakers -----------------------------------------------------------------------
    def _eligible(self, sdoc: SentenceDoc, m: Mention, persons: list[Mention]) -> bool:
        text, start = sdoc.text, m.start
        if text[m.end : m.end + 1] == "-":
            return False  # "the Saudi-led coalition": a name inside another group's name
        if m.end <= _opening_phrase_end(sdoc):
            return False  # "Speaking in Samarkand, Uzbekistan, she said": where, not who
        for c in sdoc.cue_spans:
            if c.start < start < c.end or 0 <= start - c.end <= 12 and _OBJECT_GAP.match(
                text[c.end : start]
            ):
                return False  # the object of a cue ("summoned the Iranian ambassador")
        if m.kind != "person":
            for p in persons:
                if p.start <= start and m.end <= p.end:
                    return False  # part of a person's mention ("China's foreign minister Wang")
        before = text[max(0, m.start - 60) : m.start]  # the last words are enough
        if _after_preposition(before) and not (
            before.rstrip().lower().endswith("with") and _PARTICIPLE_AFTER.match(text[m.end :])
        ) and not (_after_conjunction(before) and _cue_follows(sdoc, m)):
            # "with Qatar flying in field hospitals" is Qatar acting, and so is the
            # opposition in "as the opposition threatened"
            return False
        if m.kind != "person" and _after_verb(before):
            return False  # "would blockade Paris": the object of a verb
        if m.kind == "adj":
            return _followed_by_title(text, m) or any(
                t.lower() in NON_STATE_WORDS for t in words_after(text, m.end, 2))
        if m.kind == "demonym":
            return True
        if text[m.end : m.end + 2] in ("'s", "’s") or text[m.end : m.end + 1] == "'":
            return m.kind in ("seat",) or _followed_by_title(text, m)
        return not any(a < m.start and m.end <= b for a, b in _relative_spans(sdoc))
    def _candidates(self, sdoc: SentenceDoc, lo: int, hi: int) -> list[Mention]:
        """Mentions between ``lo`` and ``hi`` that could be the speaker of a cue."""
        if lo == 0:  # the usual case: filter the sentence's candidates, found once
            key = ("candidates", len(sdoc.cue_spans), len(sdoc.mentions))
            if key not in sdoc.eligible:
                sdoc.eligible[key] = self._find_candidates(sdoc, 0, len(sdoc.text))
            return [m for m in sdoc.eligible[key] if m.end <= hi]
        return self._find_candidates(sdoc, lo, hi)

    def _find_candidates(self, sdoc: SentenceDoc, lo: int, hi: int) -> list[Mention]:
        persons = [m for m in sdoc.mentions if m.kind == "person"]
        out: list[Mention] = []
        previous: tuple[Mention, bool] | None = None
        cache = sdoc.eligible
        for m in sdoc.mentions:
            if not (lo <= m.start and m.end <= hi):
                continue
            key = (m.start, m.end, m.kind, len(sdoc.cue_spans))
            ok = cache.get(key)
            if ok is None:
                ok = cache[key] = self._eligible(sdoc, m, persons)
            if ok and previous and not previous[1] and _AND_GAP.match(
                sdoc.text[previous[0].end : m.start]
            ):
                ok = False  # "between Moscow and Pyongyang": the second is no subject either
            previous = (m, ok)
            if ok:
                out.append(m)
        return out

    def _resolve(self, m: Mention, ctx: Context, sdoc: SentenceDoc) -> list[str]:
        if m.kind == "pronoun-self":
            return list(ctx.issuer)  # "We call on ...", outside quotation marks
        if m.kind == "pronoun-actor" and _ORG_NOUN.search(m.text):
            # "the bloc", "the alliance": the latest organisation named, even in a side clause
            # or an earlier sentence; never a state
            orgs = [c for c in sdoc.mentions if c.kind == "org" and c.end <= m.start]
            if orgs:
                return [orgs[-1].code]
            return [ctx.last_org] if ctx.last_org else []
        if m.kind.startswith("pronoun"):
            earlier = [c for c in self._candidates(sdoc, 0, m.start)
                       if (c.code and c.code != "?" and not c.kind.startswith("pronoun")
                           or c.kind == "pronoun-actor" and " " in c.text)  # "the bloc ... it"
                       and (m.kind == "pronoun-actor" or c.kind == "person")]
            if earlier and m.text.lower() == "they":
                group = [earlier[-1]]  # "Britain, France and Germany said they ...": all three
                for c in reversed(earlier[:-1]):
                    if not _CONJUNCTION_GAP.match(sdoc.text[c.end : group[0].start]):
                        break
                    group.insert(0, c)
                return list(dict.fromkeys(code for c in group for code in self._resolve(c, ctx, sdoc)))
            if earlier:
                return self._resolve(earlier[-1], ctx, sdoc)  # "French farmers ... they": none
        if m.kind == "pronoun-actor" and _ORG_NOUN.search(m.text) and ctx.last_org:
            return [ctx.last_org]
        if m.kind == "pronoun-person":
            return [ctx.last_person.code] if ctx.last_person and ctx.last_person.code else []
        if m.kind == "pronoun-actor":
            return list(ctx.last_actor)
        if m.kind == "title":
            return [m.code] if m.code else []
        if m.kind == "non-state" or not m.code:
            return []
        if m.kind in ("adj", "demonym") and _FACTION.search(sdoc.text[max(0, m.start - 12) : m.start]):
            return []  # "Ethnic Armenian forces": not the state
        if m.kind in ("adj", "demonym", "name") and any(
            t.lower() in NON_STATE_WORDS for t in words_after(sdoc.text, m.end, 2)
        ):
            return []  # "Ivory Coast rebels", "French farmers": people, not the state
        if m.kind == "demonym" and not _followed_by_title(sdoc.text, m) and not _bare_np(sdoc.text, m):
            return []  # "Ethnic Albanians", "Many Lebanese": a people, not a state
        if m.kind == "demonym" and _LIVING_IN.match(sdoc.text, m.end):
            return []  # "The Albanians of southern Serbia": a people living somewhere
        return [m.code]

    def _subject(self, sdoc: SentenceDoc, hi: int, ctx: Context) -> Source | None:
        clause_start = 0
        for brk in _CLAUSE_BREAK.finditer(sdoc.text[:hi]):
            clause_start = brk.end()
        cands = self._candidates(sdoc, 0, hi)
        if not cands:
            return None
        nearest = cands[-1]
        if _COORDINATED.search(sdoc.text[:hi]) or _PARTICIPLE.match(sdoc.text[hi : hi + 30]) and \
                _ENDS_WITH_COMMA.search(sdoc.text[:hi]):
            in_clause = [m for m in cands if m.start >= clause_start]
            nearest = in_clause[0] if in_clause else cands[0]
            cands = cands[: cands.index(nearest) + 1]
        group = [nearest]
        for m in reversed(cands[:-1]):
            if _CONJUNCTION_GAP.match(sdoc.text[m.end : group[0].start]):
                group.insert(0, m)
            else:
                break
        codes: list[str] = []
        for m in group:
            codes += [c for c in self._resolve(m, ctx, sdoc) if c not in codes]
        person = next((m for m in reversed(group) if m.kind == "person"), None)
        via = "subject" if nearest.start >= clause_start else "subject-outer"
        if nearest.kind.startswith("pronoun"):
            via = "pronoun"
        return Source(codes, via if len(group) == 1 else "compound", person)

    def _postposed(self, sdoc: SentenceDoc, lo: int, ctx: Context) -> Source | None:
        """A speaker after the words: '..., said Wang Wenbin', or '"...," the Italian
        foreign minister said'."""
        text = sdoc.text
        for m in sdoc.mentions:
            if m.start < lo:
                continue
            if _POSTPOSED.search(text[lo : m.start]) or (
                _AFTER_QUOTE_OR_COMMA.search(text[lo : m.start])
                and _THEN_SAID.match(text[m.end : m.end + 60])
            ):
                codes = self._resolve(m, ctx, sdoc)
                return Source(codes, "postposed", m if m.kind == "person" else None)
        return None

    def _passive(self, sdoc: SentenceDoc, match: CueMatch, ctx: Context) -> Source | None:
        text = sdoc.text
        if match.cue.stance == "concern":
            return None  # "was concerned by X": X is the cause, not the speaker
        window = text[max(0, match.start - 30) : match.end]
        if not _PASSIVE_VERB.search(window):
            return None
        by = _BY.search(text, match.end)
        if not by:
            return None
        lo = by.end()
        after = [m for m in sdoc.mentions if m.start >= lo]
        if not after or after[0].start - lo > 2:
            return None
        group = [after[0]]
        for m in after[1:]:
            if _CONJUNCTION_GAP.match(text[group[-1].end : m.start]):
                group.append(m)
            else:
                break
        codes = [c for m in group for c in self._resolve(m, ctx, sdoc)]
        return Source(list(dict.fromkeys(codes)), "passive")

    # -- targets ------------------------------------------------------------------------
    def _targets(self, sdoc: SentenceDoc, lo: int, hi: int, stance: str,
                 sources: list[str], aid: bool = False, cue_end: int = -1) -> list[str]:
        """Actors named between ``lo`` and ``hi`` that the reaction is aimed at. With
        ``cue_end``, a name right after the cue is its object even after a preposition
        that belongs to the cue ('lashed out at China')."""
        text, out = sdoc.text, []
        excluded_end = -1  # a place or a source of a list goes on through 'X, Y and Z'
        for m in sdoc.mentions:
            if not (lo <= m.start and m.end <= hi) or not m.code or m.code == "?":
                continue
            if m.kind.startswith("pronoun") or m.code in sources:
                continue
            before = text[max(0, m.start - 60) : m.start]
            if excluded_end >= 0 and _CONJUNCTION_GAP.match(text[excluded_end : m.start]):
                excluded_end = m.end
                continue
            if m.kind in ("capital", "name", "org") and _PLACE.search(before.lower()) and not (
                cue_end >= 0 and _OBJECT_GAP.match(text[cue_end : m.start])
            ) and not (
                stance in ("sanction", "threaten", "reject") and before.rstrip().endswith("from")
                or stance == "support" and aid and m.start > lo
            ):  # but "expelled diplomats from X" names the sanctioned, "aid to refugees in X"
                # the country helped
                excluded_end = m.end
                continue
            excluded_end = -1
            if _GEOGRAPHIC.match(text[m.end :]) and (
                stance in _NEGATIVE or not _SOVEREIGNTY.match(text[m.end :])
            ):
                continue  # "a violation of Yemen's sovereignty"; but "support for Ukraine's sovereignty"
            if stance in _NEGATIVE and _INSTITUTION_OF.match(text[m.end :]):
                continue  # "against U.N. resolutions" is no target; "backed a U.N. resolution" is
            if stance in _NEGATIVE and (_VICTIM.search(before.lower()) or _HELPER.match(text[m.end :])):
                continue  # "attacks on Israel", "with Albania's help": not whom it is against
            if m.code not in out:
                out.append(m.code)
        return out

    # -- the step -----------------------------------------------------------------------
    def find(self, doc: ArticleDoc) -> list[Reaction]:
        ctx = Context(issuer=self._issuer(doc))
        out: list[Reaction] = []
        for sdoc in doc.sentences:
            matches = find_cues(sdoc.text, self.cues)
            if matches:
                Analyser.pronouns_and_voices(sdoc)
            self._settle_people(sdoc, ctx)
            if not sdoc.mentions:
                continue  # no actor, person or pronoun: nobody to react
            sdoc.cue_spans = matches
            background = self._background_spans(sdoc.text, doc.published) if matches else []
            governed_until = -1
            relative = _relative_spans(sdoc)
            for i, match in enumerate(matches):
                hi = matches[i + 1].start if i + 1 < len(matches) else len(sdoc.text)
                if match.start < governed_until or any(a < match.start < b for a, b in relative):
                    continue
                if _NOUN_THAT.search(sdoc.text[max(0, match.start - 80) : match.start]):
                    continue  # "ties that Biden and Xi agreed on": a clause about a thing
                if i and _CUE_OBJECT_GAP.match(sdoc.text[matches[i - 1].end : match.start]):
                    continue  # "welcomed the ceasefire": the second cue is the first one's object
                if match.cue.frame == "modal" or match.cue.id in _GOVERNING or (
                    match.cue.frame == "call" and _calls_someone(sdoc.text, match)
                ):
                    brk = _CLAUSE_BREAK.search(sdoc.text, match.end)
                    governed_until = brk.start() if brk else len(sdoc.text)
                if _in_background(sdoc.text, match, background):
                    continue
                reason = modality(sdoc.text, match)
                if reason in ("conditional", "promised"):
                    match = _as_threat(match, reason)
                elif reason:
                    continue
                reaction = self._reaction(doc, sdoc, match, hi, ctx)
                out += reaction
                if reaction:
                    ctx.last_reaction = reaction[-1]
            self._remember(sdoc, ctx)
        if _armed_author(doc):
            # the act the article is about was a non-state group's: nobody to guess
            return _fill_context_targets(out, [], guess=False)
        title_lists = _lists(doc.title, len(doc.title.text)) if doc.title is not None else []
        return _fill_context_targets(out, self._title_focus(doc), title_lists)

    def _issuer(self, doc: ArticleDoc) -> list[str]:
        """The actor a text speaks for in the first person: the first actor named in a
        header that announces a statement or a briefing ('Statement by the Minister of
        Foreign Affairs of Malaysia', 'Spokesperson Hua Chunying's Regular Press
        Conference'), else the speaker of the text's first sentence
        ('The Ministry of Foreign Affairs of X strongly condemns ...')."""
        heads = [doc.title] if doc.title is not None else []
        heads += doc.sentences[:3]
        for sdoc in heads:
            if _ISSUING.search(sdoc.text):
                named = [m for m in sdoc.mentions if m.code and m.code != "?"
                         and not m.kind.startswith("pronoun") and m.kind != "non-state"]
                if named:
                    return [named[0].code]
        for sdoc in doc.sentences[:2]:
            subject = self._subject(sdoc, len(sdoc.text), Context())
            if subject and subject.codes and subject.via != "pronoun":
                return subject.codes
        return []

    def _title_focus(self, doc: ArticleDoc) -> list[str]:
        """Actors the headline and the lead are about: named there, neither speaking nor a
        place. Headline actors count twice."""
        focus: list[str] = []
        for sdoc, weight in ((doc.title, 2), (doc.sentences[0] if doc.sentences else None, 1)):
            if sdoc is None:
                continue
            if sdoc is doc.title:
                sdoc.cue_spans = find_cues(sdoc.text, self.cues)
            speakers: set[str] = set()
            for match in sdoc.cue_spans:
                source = self._source(sdoc, match, Context())
                speakers.update(source.codes if source else ())
            focus += weight * self._targets(sdoc, 0, len(sdoc.text), "condemn", sorted(speakers))
        return focus

    def _background_spans(self, text: str, published: date | None) -> list[int]:
        """Offsets of time expressions that place an act before the article's news."""
        if not _any_in(text, _BACKGROUND_HINTS):
            return []  # most sentences: no time expression at all
        masked = _RELATIVE.sub(lambda m: " " * len(m.group()), text)
        return [m.start() for m in _BACKGROUND.finditer(masked) if _is_past(m, published)]

    def _settle_people(self, sdoc: SentenceDoc, ctx: Context) -> None:
        """Give people with a title but no actor one from the text around them."""
        text = sdoc.text
        for idx, m in enumerate(sdoc.mentions):
            if m.kind == "person" and m.code == "?":
                head = m.title.lower().split()[-1] if m.title else ""
                code = ctx.settled.get(m.person, "") or ctx.owned_titles.get(head, "")
                if not code:
                    prior = [p for p in sdoc.mentions[:idx] if p.code and p.code != "?"
                             and p.kind not in ("pronoun-actor", "pronoun-person")]
                    code = prior[-1].code if prior else (ctx.last_actor[0] if ctx.last_actor else "")
                if code:
                    ctx.settled.setdefault(m.person, code)  # "Bazoum" later is the same man
                sdoc.mentions[idx] = replace(m, code=code)
        for m in sdoc.mentions:
            if m.kind in ("adj", "name", "capital") and m.code:
                heads = [t.lower() for t in words_after(text, m.end, 3) if is_title_word(t)]
                if heads:
                    ctx.owned_titles[heads[-1]] = m.code
        self._title_mentions(sdoc, ctx)

    def _title_mentions(self, sdoc: SentenceDoc, ctx: Context) -> None:
        """'The ambassador', 'the foreign ministry': an office met earlier with its actor,
        or, in 'In Beijing, the foreign ministry said', the office of the capital's state
        (a dateline-style place naming no other speaker)."""
        toks = tokens(sdoc.text)
        words = toks.words
        added = False
        capital = _opening_capital(sdoc)
        for i in _indexes(words, ("the", "The", "THE")):
            if i + 1 == len(words) or not is_title_word(words[i + 1]):
                continue
            tok = toks[i]
            end = title_chain_end(words, i + 1)
            head = toks[end - 1].lower
            start, stop = tok.start, toks[end - 1].end
            code = ctx.owned_titles.get(head, "")
            if capital is not None and start == capital.end + 2:
                code = capital.code
            if code and not any(m.start < stop and start < m.end for m in sdoc.mentions):
                sdoc.mentions.append(Mention(start, stop, code, "title", sdoc.text[start:stop]))
                added = True
        if added:
            sdoc.mentions.sort(key=lambda m: (m.start, -m.end))

    def _remember(self, sdoc: SentenceDoc, ctx: Context) -> None:
        lists = _lists(sdoc, len(sdoc.text))
        if lists:
            ctx.last_list = lists[-1]
        orgs = [m.code for m in sdoc.mentions if m.kind == "org"]
        if orgs:
            ctx.last_org = orgs[-1]
        cands = self._candidates(sdoc, 0, len(sdoc.text))
        first = next((m for m in cands if m.code and not m.kind.startswith("pronoun")), None)
        if first is not None:
            ctx.last_actor = [first.code] if first.kind != "non-state" else []
            for m in cands[cands.index(first) + 1 :]:  # "Britain, France and Germany said"
                gap = sdoc.text[first.end : m.start] if m.code else "x"
                if not _CONJUNCTION_GAP.match(gap) or first.kind == "non-state":
                    break
                ctx.last_actor.append(m.code)
                first = m
        elif cands:
            subject = self._subject(sdoc, len(sdoc.text), ctx)
            if subject and subject.codes:
                ctx.last_actor = subject.codes
        persons = [m for m in cands if m.kind == "person"]
        if persons:
            ctx.last_person = persons[-1]

    def _source(self, sdoc: SentenceDoc, match: CueMatch, ctx: Context) -> Source | None:
        if match.cue.frame in ("modal", "evaluative"):
            reporting = [r for r in _REPORTING.finditer(sdoc.text[: match.start])]
            if reporting:
                if _HAD.search(sdoc.text[: reporting[-1].start()]):
                    return None  # "had warned on Tuesday that...": background
                return self._subject(sdoc, reporting[-1].start(), ctx)
            return self._postposed(sdoc, match.end, ctx)
        return (self._passive(sdoc, match, ctx) or self._subject(sdoc, match.start, ctx)
                or self._postposed(sdoc, match.end, ctx))

    def _reaction(self, doc: ArticleDoc, sdoc: SentenceDoc, match: CueMatch, hi: int,
                  ctx: Context) -> list[Reaction]:
        source = self._source(sdoc, match, ctx)
        if source is None or not source.codes:
            return []
        cue, stance, targets = match.cue, match.cue.stance, []
        text = sdoc.text
        clause_end = hi
        brk = _CLAUSE_BREAK.search(text, match.end, hi)
        if brk:
            clause_end = brk.start()
        sub = _SUBORDINATE.search(text, match.end, clause_end)
        if sub and self._targets(sdoc, match.start, sub.start(), cue.stance, source.codes):
            clause_end = sub.start()
        if cue.frame == "call":
            brk = _CLAUSE_BREAK.search(text, match.end)
            decided = self._call(sdoc, match, brk.start() if brk else len(text), source.codes)
            if decided is None:
                return []
            stance, targets = decided
        elif cue.frame == "modal":
            # what the modal governs runs to the clause's end, over any cue inside it
            brk = _CLAUSE_BREAK.search(text, match.end)
            decided = self._modal(sdoc, match, brk.start() if brk else len(text), source.codes)
            if decided is None:
                return []
            stance, targets = decided
        elif cue.frame == "evaluative":
            reporting = list(_REPORTING.finditer(text[: match.start]))
            lo = reporting[-1].end() if reporting else 0
            targets = self._targets(sdoc, lo, match.start, stance, source.codes)
        elif cue.frame == "copy":
            if ctx.last_reaction is None:
                return []
            stance, targets = ctx.last_reaction.stance, list(ctx.last_reaction.targets)
            cue = replace(cue, stance=stance, cameo=ctx.last_reaction.cameo,
                          plover=ctx.last_reaction.plover)
        else:
            that = _THAT.match(text, match.end) if cue.id == "demand.verb" else None
            if that:  # "demanded that X withdraw": X is told to act, not what X is to act on
                lo = that.end()
                first = [m for m in sdoc.mentions if lo <= m.start <= lo + 12 and m.code][:1]
                targets = self._targets(sdoc, lo, first[0].end if first else lo, stance, source.codes)
            else:
                targets = self._targets(sdoc, match.start, clause_end, stance, source.codes,
                                        aid=cue.id in _PLACE_TARGETS, cue_end=match.end)
                addressed = _addressed_body(sdoc, match)
                if addressed in targets and len(targets) > 1:
                    targets.remove(addressed)  # "complained to the U.N. over Israeli raids"
            if source.via == "passive":
                subj = self._candidates(sdoc, 0, match.start)
                targets += [m.code for m in sdoc.mentions if m.end <= match.start and m.code
                            and m.code not in source.codes and m.code not in targets
                            and m not in subj and not m.kind.startswith("pronoun")]
        if not targets and cue.frame != "call" and _GROUP_REFERENCE.search(text, match.start, clause_end):
            # "voiced support for the actions of the three countries": the latest list named
            named = _lists(sdoc, match.start) or [ctx.last_list]
            targets = [c for c in named[-1] if c not in source.codes]
        if cue.id in _RECIPROCAL and not targets and source.via == "compound":
            return [_with_targets(r, tuple(c for c in source.codes if c != r.source))
                    for r in self._build(doc, sdoc, match, cue, stance, [], source, ctx)]
        return self._build(doc, sdoc, match, cue, stance, targets, source, ctx)

    def _build(self, doc, sdoc, match, cue, stance, targets, source, ctx) -> list[Reaction]:
        text = sdoc.text
        info = STANCES[stance]
        quote = _quote(doc, sdoc, match)
        speakers = {code: self._speaker(sdoc, source, code, ctx) for code in source.codes}
        confidence = cue.weight * {"subject": 1.0, "passive": 1.0, "compound": 0.95,
                                   "postposed": 0.95, "subject-outer": 0.85,
                                   "pronoun": 0.85}.get(source.via, 0.8)
        return [
            Reaction(
                source=code, stance=stance, targets=tuple(t for t in targets if t != code),
                speaker=speakers[code][0], speaker_title=speakers[code][1], quote=quote, sentence=text,
                char_start=sdoc.sentence.start, char_end=sdoc.sentence.end,
                cameo=cue.cameo if stance == cue.stance else info.cameo,
                plover=cue.plover if stance == cue.stance else info.plover,
                polarity=info.polarity, confidence=round(min(confidence, 0.99), 2),
                cue=match.text, rule=f"{cue.id}/{source.via}",
            )
            for code in source.codes
        ]

    def _call(self, sdoc, match, clause_end, sources):
        text = sdoc.text
        rest = text[match.end : clause_end]
        to = _TO.search(rest, 0, 90)
        addressee = rest[: to.start()] if to else ""
        complement = rest[to.end() :] if to else rest
        lo, hi = match.end, match.end + len(addressee)
        if _OWN_PEOPLE.search(addressee):
            return None  # "urged its citizens to avoid travel": advice at home, not a reaction
        codes = self._targets(sdoc, lo, hi, "demand", sources) if addressee else []
        deesc = bool(_DEESCALATION.search(complement.lower())) or bool(
            _DEESCALATION.search(rest[:40].lower()))
        if addressee and _ADDRESSEE_ALL.search(addressee) or (len(codes) >= 2 and deesc):
            return "appeal", []
        if codes:
            return "demand", codes
        if _STATE_ORGANS.search(addressee) and not deesc:
            return "demand", []  # "called on the authorities to ...": the state the article is about
        if deesc and not _CAPITAL.search(addressee):
            return "appeal", []  # "urged calm", "urged an immediate end to the fighting"
        return None

    def _modal(self, sdoc, match, clause_end, sources):
        text = sdoc.text
        reporting = list(_REPORTING.finditer(text[: match.start]))
        lo = reporting[-1].end() if reporting else 0
        cands = [m for m in self._candidates(sdoc, lo, match.start)
                 if m.code and m.code != "?" and m.code not in sources
                 and not m.kind.startswith("pronoun") and m.kind != "non-state"]
        subj = [m for m in cands if _MODAL_SUBJECT_GAP.match(text[m.end : match.start])][-1:]
        for m in reversed(cands[: cands.index(subj[0])] if subj else []):
            if not _CONJUNCTION_GAP.match(text[m.end : subj[0].start]):
                break
            subj.insert(0, m)  # "Serbia and Kosovo must ..."
        deesc = bool(_DEESCALATION.search(text[match.end : clause_end].lower()))
        if len(subj) >= 2 and deesc:
            return "appeal", []  # both sides told to calm down: an appeal, as in _call
        if subj:
            return "demand", list(dict.fromkeys(m.code for m in subj))
        if deesc:
            return "appeal", []
        return None

    def _speaker(self, sdoc: SentenceDoc, source: Source, code: str,
                 ctx: Context) -> tuple[str, str]:
        """The person speaking for ``code``: in 'Putin and China's foreign ministry said',
        Putin speaks for Russia only."""
        if source.person is not None and source.person.code == code:
            return source.person.person, source.person.title
        people = [m for m in sdoc.mentions if m.kind == "person" and m.code == code]
        if people:
            return people[0].person, people[0].title
        if source.via == "pronoun" and ctx.last_person and ctx.last_person.code == code:
            return ctx.last_person.person, ctx.last_person.title  # "He also urged..."
        return "", ""


def _addressed_body(sdoc: SentenceDoc, match: CueMatch) -> str:
    """The organisation a reaction is addressed to ('complained to the United Nations',
    'wrote to the Security Council'), or ''."""
    for m in sdoc.mentions:
        if m.start >= match.end:
            gap = (match.text[-5:] + sdoc.text[match.end : m.start]).lower()
            return m.code if m.kind == "org" and _TO_BODY.search(gap) else ""
    return ""


def _cue_follows(sdoc: SentenceDoc, m: Mention) -> bool:
    """Does a cue follow the mention at once ('the opposition threatened')?"""
    return any(0 <= c.start - m.end <= 2 for c in sdoc.cue_spans)


def _opening_phrase_end(sdoc: SentenceDoc) -> int:
    """End of an opening participial phrase ('Speaking in Samarkand, Uzbekistan,',
    'Addressing the Security Council,'), whose names are places or audiences, or 0."""
    key = ("opening",)
    if key not in sdoc.eligible:
        found = _OPENING_PHRASE.match(sdoc.text)
        sdoc.eligible[key] = found.end() if found else 0
    return sdoc.eligible[key]


_OPENING_PHRASE = re.compile(
    r"(?:Speaking|Writing|Talking|Addressing|Visiting|Arriving|Standing|Appearing|Meeting)\b"
    r"[^,;:\"]{0,80}(?:, [A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}(?=,))*,"
)


def _opening_capital(sdoc: SentenceDoc) -> Mention | None:
    """The capital of a sentence opening 'In Beijing, ...', else None."""
    if not sdoc.text.startswith(("In ", "in ")) or not sdoc.mentions:
        return None
    first = sdoc.mentions[0]
    if first.kind == "capital" and first.start == 3 and sdoc.text[first.end : first.end + 2] == ", ":
        return first
    return None


def _indexes(words: list[str], forms: tuple[str, ...]) -> list[int]:
    """Where any of ``forms`` occurs in ``words``, in order (C-speed scans)."""
    found = []
    for form in forms:
        i = -1
        for _ in range(words.count(form)):
            i = words.index(form, i + 1)
            found.append(i)
    return sorted(found)


def _relative_spans(sdoc: SentenceDoc) -> list[tuple[int, int]]:
    """Spans of the sentence's relative clauses (", which ...,"), found once."""
    if sdoc.relative is None:
        sdoc.relative = [r.span() for r in _RELATIVE.finditer(sdoc.text)]
    return sdoc.relative


def _is_past(m: re.Match[str], published: date | None) -> bool:
    if m.group(1):
        if published is None:
            return False
        try:
            day = date(published.year, _MONTHS.index(m.group(1)) + 1, int(m.group(2)))
        except ValueError:
            return False
        return 3 < (published - day).days < 300
    if m.group(3):
        return published is not None and _MONTHS.index(m.group(3)) + 1 < published.month
    if m.group(0)[:2].lower() == "in":
        if published is None:  # undated text: only "In 2014, ..." opening a sentence
            return m.start() == 0
        return int(m.group(0)[-4:]) < published.year
    return True


def _in_background(text: str, match: CueMatch, markers: list[int]) -> bool:
    """A cue is background when a past-time marker precedes it in the sentence, or
    follows it in the same clause ("imposed ... on March 17"), not in a clause
    about something else ("a helicopter that was captured last week")."""
    for at in markers:
        if at < match.start:
            return True
        between = text[match.end : at]
        if not _OTHER_CLAUSE.search(between):
            return True
    return False


def _calls_someone(text: str, match: CueMatch) -> bool:
    """'urged X to ...', 'called for ...': a call. 'told X that ...' only reports."""
    rest = text[match.end : match.end + 90]
    return bool(_TO.search(rest)) and not _THAT_SOON.match(rest, 0, 40)


def _as_threat(match: CueMatch, reason: str) -> CueMatch:
    """A penalty promised, on a condition or for later, is a threat of it (CAMEO 13)."""
    threat = STANCES["threaten"]
    cue = replace(match.cue, id=f"{match.cue.id}+{reason}", stance="threaten",
                  cameo=threat.cameo, plover=threat.plover)
    return replace(match, cue=cue)


# A group named by what its members are: "the three countries", "these governments".
_GROUP_REFERENCE = re.compile(
    r"\b(?:the|these|those|both|all)\s+(?:(?:two|three|four|five|six|seven|eight|nine|ten)\s+)?"
    r"(?:countries|governments|states|nations|capitals|powers|allies)\b"
)


def _lists(sdoc: SentenceDoc, hi: int) -> list[list[str]]:
    """The lists of two or more actors ('the U.S., Britain and France') named before ``hi``."""
    runs: list[list[str]] = []
    run: list[str] = []
    prev: Mention | None = None
    for m in sdoc.mentions:
        if m.end > hi:
            break
        if not m.code or m.code == "?" or m.kind.startswith("pronoun") or m.kind in ("person", "non-state"):
            continue
        if prev is not None and _CONJUNCTION_GAP.match(sdoc.text[prev.end : m.start]):
            if m.code not in run:
                run.append(m.code)
        else:
            if len(run) >= 2:
                runs.append(run)
            run = [m.code]
        prev = m
    if len(run) >= 2:
        runs.append(run)
    return runs


def _with_targets(r: Reaction, targets: tuple[str, ...]) -> Reaction:
    return replace(r, targets=targets, rule=r.rule + "+reciprocal")


def _quote(doc: ArticleDoc, sdoc: SentenceDoc, match: CueMatch) -> str:
    text = sdoc.text
    if '"' not in text:
        return ""
    spans = [(q.start(1), q.end(1)) for q in _QUOTED.finditer(text)]
    inside = [s for s in spans if s[0] <= match.start < s[1]]
    after = [s for s in spans if s[0] >= match.start]
    before = [s for s in spans if s[1] <= match.start]
    chosen = (inside or after or before[-1:] or [None])[0]
    if chosen is not None:
        return text[chosen[0] : chosen[1]].strip()
    if text.count('"') % 2 == 1:
        open_at = text.rfind('"')
        start = sdoc.sentence.start + open_at + 1
        close = doc.text.find('"', start)
        if close != -1 and close - start < 800:
            return doc.text[start:close].strip()
    return ""


def _armed_author(doc: ArticleDoc) -> bool:
    """Does the headline, or the lead, open on a non-state armed group as the author of
    its news ('Hamas fighters attacked ...', 'Houthi missile hits tanker')?"""
    for sdoc in (doc.title, doc.sentences[0] if doc.sentences else None):
        if sdoc is None:
            continue
        group = ARMED_GROUPS.search(sdoc.text)
        if group is None:
            continue
        states = [m for m in sdoc.mentions if m.code and m.code != "?" and m.kind != "non-state"
                  and not m.kind.startswith("pronoun")]
        return not states or group.start() < states[0].start
    return False


def _fill_context_targets(reactions: list[Reaction], title_focus: list[str],
                          title_lists: list[list[str]] = (), guess: bool = True) -> list[Reaction]:
    """A negative reaction whose sentence names no target ('condemned the attack',
    'threatened to respond') is about the article's main target: the actor most often
    named as a target of its other negative reactions and in its headline. Support
    for an unnamed act ('welcomed the move') goes to the same actor, whose act the
    article is about. Condemning or rejecting unnamed measures ('called the
    expulsions unjustified') is aimed at those who sanctioned the speaker. The rule
    is recorded and the confidence lowered."""
    counts: dict[str, float] = {}
    for code in title_focus:
        counts[code] = counts.get(code, 0) + 0.75
    for r in reactions:
        if r.stance in _NEGATIVE:
            for t in r.targets:
                counts[t] = counts.get(t, 0) + 1
    ranked = sorted(counts, key=lambda c: -counts[c])  # stable: ties keep the first named
    sanctioned_by: dict[str, list[str]] = {}  # target -> who sanctioned it, in order
    for r in reactions:
        if r.stance == "sanction":
            for t in r.targets:
                if r.source not in sanctioned_by.setdefault(t, []):
                    sanctioned_by[t].append(r.source)
    out = []
    for r in reactions:
        if not r.targets and r.stance in _IMPLICIT_TARGET:
            answered = [c for c in sanctioned_by.get(r.source, ()) if c != r.source]
            best = answered if r.stance in ("condemn", "reject") and answered else [
                c for c in ranked if c != r.source and guess][:1]
            for group in title_lists:  # "strikes by the US, UK and France": all of them
                if best and best[0] in group and r.source not in group:
                    best = group
                    break
            if best:
                r = replace(r, targets=tuple(best), rule=r.rule + "+context-target",
                            confidence=round(r.confidence * 0.9, 2))
        out.append(r)
    return out
