"""Events: what happened, where, when, who and how many, one event a (happening, place).

For each sentence:

1. triggers (``lexicon.TRIGGERS``) give candidate happenings with an ACLED type and sub-type;
   a negated trigger ("no clashes") is dropped;
2. each event-role place mention (resolved, or a city fallback) is attached to one trigger:
   the trigger that governs it through a preposition ("clashes in X", "shelling on the X and
   Y neighbourhoods"), else the sentence's main verb ("X ... was bombarded"), else the nearest
   trigger. A sentence that only reports deaths ("12 civilians killed in Hama fighting" has a
   trigger; "300 residents have been killed in X" does not) makes a battle, or violence against
   civilians when only civilians are named;
3. a place that contains another place of the same happening ("Aleppo's Salaheddin
   neighbourhood") is dropped in favour of the finer one;
4. the date is the time expression nearest the trigger in the sentence, else the default
   window of a news report (the day before and the day of publication), else unknown when the
   publication date is missing;
5. actors, the death toll and who the article attributes the report to are read off the
   sentence.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from geomap.extraction import budget, nlp
from geomap.extraction.events import syntax
from geomap.extraction.events.dates import find_time_expressions, span_precision
from geomap.extraction.events.event_dates import (
    DateSpan,
    NewsDays,
    date_for,
    is_headline,
    lead_date,
)
from geomap.extraction.events.ledger import toll_ledger
from geomap.extraction.events.tolls import Toll, find_tolls
from geomap.extraction.lexicon import (
    ACCORDING,
    ACTOR_NEEDLES,
    ACTORS,
    AIR_ACTORS,
    ATTRIBUTION,
    JIHADIST_GROUPS,
    KILLING,
    NAMED_GROUPS,
    NEGATION,
    REBEL_GROUPS,
    Trigger,
    compiled_triggers,
    negation_words,
    trigger_entries,
)
from geomap.gazetteer.store import haversine_km
from geomap.model import Document, Event, Mention, Place, Source, TimeExpr, geo_precision

log = logging.getLogger(__name__)

_PREP_LINK = re.compile(
    r"^[^.;:!?]{0,70}?\b(?:in|on|at|near|around|across|into|of|against|targeting|targeted|"
    r"hit|struck|throughout|inside|outside|over|from)\b[^.;:!?]{0,45}$",
    re.I,
)
_CLAUSE_BREAK = re.compile(
    r"[;:]|\b(?:while|but|whereas|as well as|after|before|despite|amid)\b", re.I
)
# Where one clause of a sentence ends and another begins (for dates and negation).
# "Despite the clashes, ...", "amid heavy shelling": background, not the reported event.
_BACKGROUND = re.compile(r"\b(?:despite|amid|amidst|in spite of)\s+(?:the\s+)?(?:\w+\s+)?$", re.I)
# "fired from the Jobar district": where the shells came from, not where they fell.
_ORIGIN = re.compile(
    r"(?:\b(?:fired|launched|shot)\b[^.;]{0,25}\bfrom\s+(?:the\s+)?|"
    # "gunmen positioned in the X district fired at Y": where the attackers were
    r"\b(?:positioned|stationed|based|entrenched|holed up|deployed|present)\s+"
    r"(?:in|at|inside)\s+(?:the\s+)?(?:\w+\s+){0,2})$",
    re.I,
)
# "Tal Rifaat in Aleppo countryside", "Douma, east of Damascus", "X in the Syrian capital
# Damascus": the second place locates the first; it is no place of the happening of its own
_LOCATING = re.compile(
    r"^\s*(?:,\s*)?"
    r"(?:and\s+(?-i:[A-Z])[\w'-]*(?:\s+[\w'-]+)?\s+in|"  # "X and Y in Z", Y found nowhere
    r"in|of|near|outside|east of|west of|north of|south of)?"
    r"\s*(?:the\s+)?(?:(?:syrian|capital|city|town|province|governorate|countryside|region|"
    r"northern|southern|eastern|western|central|coastal|rural|of)\s+){0,4}$",
    re.I,
)
#: Kinds broadest first, for "a place that locates another is broader than it".
_BREADTH = {
    "country": 0,
    "governorate": 1,
    "region": 1,
    "district": 2,
    "subdistrict": 3,
    "city": 4,
    "town": 5,
}
_SINCE_THEN = re.compile(r"\bsince then\b", re.I)
# "... used the town to launch attacks", "in order to storm": a purpose, not a happening
_PURPOSE = re.compile(
    r"(?<!managed )(?<!continued )(?<!continue )(?<!began )(?<!started )(?<!went on )"
    r"\bto\s+(?:\w+\s+)?$",
    re.I,
)
# "civilians fleeing heavy fighting", "displaced by the shelling": why people moved
_CAUSE_OF_FLIGHT = re.compile(
    r"\b(?:fleeing|fled|flee|flees|escaping|escaped|escape|displaced by|driven out by|"
    r"sheltering from)\s+(?:the\s+)?(?:\w+\s+){0,2}$",
    re.I,
)
# Habits and long stretches of time are background, not a happening of the news day:
# "is regularly targeted", "have been advancing in recent months", "under siege since 2012"
_HABITUAL = re.compile(
    r"\b(?:regularly|routinely|frequently|repeatedly|habitually|almost daily|every day|typically|"
    r"during the (?:ongoing |\w+-year-old |years-long )?(?:conflict|war|uprising)|"
    r"on a daily basis|in recent (?:days|weeks|months|years)|for (?:months|years|weeks)|"
    r"over the (?:past|last) (?:\w+ )?(?:weeks|months|years)|"
    r"since (?:the (?:start|beginning|outbreak)|(?:19|20)\d\d|(?:January|February|March|April|"
    r"May|June|July|August|September|October|November|December)\b))",
    re.I,
)
# "following the attack", "in the wake of the raids": a happening named before, referred to
_REFERENCE = re.compile(
    r"\b(?:following|after|in the wake of|since|as a result of|because of|due to|"
    r"in (?:retaliation|revenge|response) (?:for|against|to)|to avenge)\s+"
    r"(?:the|this|that|these|those|such)\s+(?:\w+\s+){0,2}$",
    re.I,
)
# "have been unable to complete the encirclement", "failed to capture": it did not happen
_FAILED = re.compile(
    r"\b(?:unable|failed|fail|fails|failing|impossible|attempt(?:s|ed|ing)?|tr(?:y|ies|ied|ying))"
    r"\s+to\b[^.;]{0,40}$",
    re.I,
)
# "pauses in the fighting", "an end to the shelling", "the cessation of hostilities": the
# happening's ending, no happening
_PAUSED = re.compile(
    r"\b(?:pauses?|halts?|end|lulls?|cessation|suspension|stop)\s+(?:in|of|to)\s+"
    r"(?:the\s+)?(?:\w+\s+)?$",
    re.I,
)
# "the attack", "this deadly assault": a happening named before
_DEFINITE = re.compile(r"\b(?:the|this|that|these|those)\s+(?:\w+\s+)?$", re.I)
# "the attacks on civilians must stop", "the shelling has to end": a demand, not a happening
_DEMANDED = re.compile(
    r"[^.;:!?]{0,60}?\b(?:must|should|has to|have to|needs? to|ought to)\s+(?:be\s+)?"
    r"(?:stop(?:ped)?|end(?:ed)?|cease[ds]?|halt(?:ed)?|be (?:stopped|ended|halted))\b",
    re.I,
)
# "Related News ...", "24 Related ...": the link list of a web page, after the article
RELATED = re.compile(r"(?:^|\s)Related(?: News| Articles| Stories| Posts)?\s+[A-Z0-9]")
#: An event dated in an earlier year than the report, and ending this many days or more before
#: it, is background ("last year regime forces wrested control of X"), not news of the report.
BACKGROUND_DAYS = 31
_PLACE_NEGATION = re.compile(negation_words(), re.I)


@dataclass(frozen=True, slots=True)
class _Hit:
    trigger: Trigger
    start: int  # offsets in the sentence
    end: int


_PREVIOUS_WORD = re.compile(r"([\w'-]+)\s*$")
# Where one clause of a sentence ends for "one happening": punctuation, or a conjunction that
# starts another report ("..., while", "and then").
_HAPPENING_BREAK = re.compile(
    r"[.;:!?,()]|\b(?:while|whereas|but|after|before|and|as|when|then|meanwhile|also)\b",
    re.I,
)
#: How specific a trigger's reading is: the most specific of one happening wins.
_SPECIFIC_TYPES = frozenset({"remote_violence", "violence_against_civilians"})


@dataclass(frozen=True, slots=True)
class Parse:
    """The model's parse of a document, read for one sentence: ``offset`` is the sentence's
    start in the document, ``year`` the year of the report (a clause dated earlier is
    background)."""

    analysis: nlp.Analysis
    offset: int
    year: int | None = None

    def background(self, start: int, end: int) -> str | None:
        """The rule id that makes the trigger at ``[start, end)`` (sentence offsets)
        background (:func:`geomap.extraction.events.syntax.background`), if any."""
        i = syntax.head_token(self.analysis, self.offset + start, self.offset + end)
        return None if i is None else syntax.background(self.analysis, i, self.year)

    def place_object(self, start: int, end: int) -> bool:
        """Whether the verb at ``[start, end)`` (sentence offsets) takes a place as its object
        (:func:`geomap.extraction.events.syntax.place_object`)."""
        i = syntax.head_token(self.analysis, self.offset + start, self.offset + end)
        return i is not None and syntax.place_object(self.analysis, i)


def find_triggers(sentence: str, parse: Parse | None = None) -> list[_Hit]:
    """Trigger words of a sentence (the longest where they overlap), negated ones dropped.

    Where a generic trigger ("attack", "attacked") and a specific one ("car bomb", "jets",
    "executed") of another type describe one happening (the same clause, no break between
    them), the specific one wins.

    With the ``parse``, a trigger whose clause is negated, modal, an intention, habitual or
    dated to an earlier year is dropped by its relations
    (:func:`geomap.extraction.events.syntax.background`, logged with its rule id); without
    it, by the words before it.
    """
    low = sentence.lower()
    groups, automaton = compiled_triggers()
    wanted: set[int] = set()
    for _, idx in automaton.iter(low):
        wanted |= idx
    hits: list[_Hit] = []
    for gi in sorted(wanted):
        group = groups[gi]
        for m in group.pattern.finditer(sentence):
            trig = group.trigger_for(m.group(0))
            before = sentence[max(0, m.start() - 45) : m.start()]
            word = _PREVIOUS_WORD.search(before)
            if (
                (word is not None and word.group(1).lower() in trig.exclude_before)
                or NEGATION.search(before[-30:])
                or _IRREALIS.search(before)
                or _BACKGROUND.search(before[-30:])
                or _PURPOSE.search(before[-40:])
                or _CAUSE_OF_FLIGHT.search(before[-40:])
                or _REFERENCE.search(before[-40:])
                or _FAILED.search(before)
                or _HABITUAL.search(sentence, max(0, m.start() - 60), m.end() + 60)
                or _DEMANDED.match(sentence, m.end())
                or _PAUSED.search(before[-40:])
            ):
                continue
            if trig.object == "place" and (
                parse is None or not parse.place_object(m.start(), m.end())
            ):
                continue  # "took place", "took 300 hostages": no place taken
            if parse is not None:
                why = parse.background(m.start(), m.end())
                if why is not None:
                    log.debug("trigger %r dropped: %s", m.group(0), why)
                    continue
            hits.append(_Hit(trig, m.start(), m.end()))
    hits.sort(key=lambda h: (-(h.end - h.start), h.start))
    chosen: list[_Hit] = []
    for h in hits:
        if all(h.end <= c.start or c.end <= h.start for c in chosen):
            chosen.append(h)
    chosen = [h for h in chosen if not _described_better(h, chosen, sentence)]
    return sorted(chosen, key=lambda h: h.start)


def _described_better(hit: _Hit, hits: list[_Hit], sentence: str) -> bool:
    """Whether a generic trigger's happening is named by a specific trigger of its clause."""
    if not hit.trigger.generic:
        return False
    for o in hits:
        if o is hit or o.trigger.generic or o.trigger.type not in _SPECIFIC_TYPES:
            continue
        lo, hi = (o.end, hit.start) if o.end <= hit.start else (hit.end, o.start)
        if hi - lo <= 60 and not _HAPPENING_BREAK.search(sentence, lo, hi):
            return True
    return False


def _governing(hits: list[_Hit], sentence: str, start: int, others: list[int]) -> list[_Hit]:
    """The triggers that govern a place at ``start`` through a preposition.

    "clashes in X", "heavy bombardment by regime forces and fighting in X" (both), but not a
    trigger with another place between it and this one, nor across a clause break.
    """
    out: list[_Hit] = []
    for h in hits:
        if h.end <= start:
            between = sentence[h.end : start]
            if (
                _PREP_LINK.match(between)
                and not _CLAUSE_BREAK.search(between)
                and not any(h.end <= o < start for o in others)
            ):
                out.append(h)
    return out


# Between two items of a list of places: "in X Y and Z", "in X, Y, and Z"
_LIST_GAP = re.compile(r"^(?:\s|,|\band\b|\bor\b)*$", re.I)


def _refers_back(parse: nlp.Analysis, s0: int, anchor: int, hits: Sequence[_Hit]) -> bool:
    """Whether the trigger at ``anchor`` (sentence offset) names a happening told before ("The
    two explosions caused no casualties")."""
    hit = next((h for h in hits if h.start == anchor), None)
    return hit is not None and syntax.definite(parse, s0 + hit.start, s0 + hit.end)


#: Verbs of what a happening did to people: their clause's time is the happening's own
_VICTIM_LEMMAS = frozenset({"kill", "wound", "injure", "die", "hurt", "maim"})


_DEFINITE_START = re.compile(r"^\s*(?:The|This|That|These|Those)\b")


def _exact(trig: Trigger) -> bool:
    return not trig.generic and trig.type in _SPECIFIC_TYPES


def _told_more_exactly(
    events: list[Event],
    before: list[int],
    sentence: str,
    hits: Sequence[_Hit],
    kept: Sequence[tuple[Mention, Trigger, int]],
) -> bool:
    """Whether a sentence tells again, with a specific trigger, the happening the sentence
    before named with a generic one: it begins with a definite subject ("The position was hit
    in army air strikes"), and its places are those of the events before or contain them."""
    if not before or not _DEFINITE_START.match(sentence):
        return False
    if not any(_exact(h.trigger) for h in hits):
        return False
    prior = [events[i] for i in before]
    if any(not _generic_rule(e) for e in prior):
        return False
    return all(
        any(
            m.place is not None and (m.place.id == e.place.id or _is_ancestor(m.place, e.place))
            for e in prior
        )
        for m, _, _ in kept
    )


def _generic_rule(e: Event) -> bool:
    """Whether event ``e`` was made from a generic trigger ("destroyed", "attack")."""
    ids = {r.split("=", 1)[1] for r in e.rules if r.startswith("trigger:id=")}
    return bool(ids) and ids <= _GENERIC_IDS


_GENERIC_IDS = frozenset(e.id for e in trigger_entries() if e.generic)


def _date_of(
    times: Sequence[TimeExpr],
    parse: nlp.Analysis | None,
    anchor: int,
    doc: Document,
    lead: DateSpan | NewsDays | None,
) -> DateSpan:
    """The date of the trigger at ``anchor`` (document offset). With the parse, a time
    expression of its own clause, or of a clause it hangs on ("Scores died on Tuesday after
    the air strike dropped chemical bombs", "SANA said on Monday that jets hit X"), dates it,
    and one of a relative or descriptive clause of another happening never does
    ("re-establishing control over X last week", not the "May 3rd" of "the districts they
    entered on May 3rd"; "the raids were heavy around X", not the "earlier this month" of
    "taken by rebels earlier this month", a clause that describes
    (:func:`geomap.extraction.events.syntax.background`); but "those killed in the attack on
    Thursday" tells the attack's day); without it, the nearest of its clause by the words
    between (:func:`date_for`)."""
    if parse is None or not times:
        return date_for(times, anchor, doc, lead)
    word = parse.token_range(anchor, _word_end(parse, anchor))
    verbs = {syntax.clause_verb(parse, i) for i in word}  # "re-establishing": three tokens
    if not verbs:
        return date_for(times, anchor, doc, lead)
    own: list[TimeExpr] = []
    governing: list[TimeExpr] = []
    described: list[TimeExpr] = []
    above = {u for v in verbs for u in syntax.governing_verbs(parse, v)}
    for t in times:
        j = parse.token_at(t.start)
        tv = None if j is None else syntax.clause_verb(parse, j)
        if tv in verbs:
            own.append(t)
        elif tv in above:
            governing.append(t)
        elif (
            tv is not None
            and parse.tokens[tv].dep in ("relcl", "acl")
            and parse.tokens[tv].lemma.lower() not in _VICTIM_LEMMAS
            and (syntax.background(parse, tv) or "").startswith("background:rule=described")
        ):
            described.append(t)
    if own or governing:
        return date_for(own or governing, anchor, doc, lead, parsed=True)
    return date_for([t for t in times if t not in described], anchor, doc, lead)


def _word_end(parse: nlp.Analysis, offset: int) -> int:
    """Where the word of the parsed text that starts at ``offset`` ends: the run of tokens
    with no space between them ("re-establishing" is three tokens)."""
    i = parse.token_at(offset)
    if i is None:
        return offset
    end = parse.tokens[i].end
    k = i + 1
    while k < len(parse.tokens) and parse.tokens[k].start == end:
        end = parse.tokens[k].end
        k += 1
    return end


def _list_heads(text: str, places: Sequence[Mention], s0: int) -> dict[int, int]:
    """For each place of a sentence, the sentence offset of the first place of the list it is
    in ("targeted positions in X Y and Z": X for all three), so that the trigger that governs
    the first item governs the whole list; a place in no list is its own head."""
    out: dict[int, int] = {}
    ordered = sorted(places, key=lambda m: m.start)
    head = -1
    for k, m in enumerate(ordered):
        prev = ordered[k - 1] if k else None
        if prev is None or prev.end > m.start or not _LIST_GAP.match(text[prev.end : m.start]):
            head = m.start - s0
        out[id(m)] = head
    return out


def _main_verb(hits: list[_Hit], start: int) -> _Hit | None:
    verbs = [h for h in hits if h.trigger.verb]
    if not verbs:
        return None
    return min(
        verbs, key=lambda h: (abs(h.start - start) * (1 if h.start > start else 1.5), h.start)
    )


def _nearest(hits: list[_Hit], start: int) -> _Hit | None:
    return min(hits, key=lambda h: (abs(h.start - start), h.start)) if hits else None


# "rebel-held", "IS-controlled", "held by the government": who holds a place, not who acted
_HOLDER = re.compile(
    r"\b[\w.]+(?:\s+[\w.]+)?-(?:held|controlled|besieged|dominated|occupied|run)\b|"
    r"\b(?:held|controlled|besieged|run|occupied) by\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}?"
    r"(?:rebels?|forces|government|regime|army|militants|fighters|State|ISIS|ISIL|IS|Daesh|"
    r"Front|opposition|groups?)\b|"
    r"\bunder (?:the )?(?:control of|siege by)\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}?"
    r"(?:rebels?|forces|government|regime|army|militants|fighters|State|ISIS|ISIL|IS|Daesh|"
    r"Front|opposition|groups?)\b|"
    r"\b(?:rebel|regime|government|opposition|army|IS|ISIS|Kurdish|jihadist)\s+"
    r"(?:controlled|held|strongholds?|territory|positions? in|bastions?|enclaves?)\b",
)
# "an anti-ISIL operation", "anti-regime protesters": the side named is what is fought
_AGAINST = re.compile(r"\banti-[\w'-]+", re.I)
# "A source at the police command said", "sources in the army told": who reports, not who acted
_SOURCE = re.compile(
    r"\b(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?sources?\b(?:\s+(?:at|in|from|within|inside|"
    r"close to|of|with)\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}?[\w'-]+)?"
    r"(?=\s*,?\s+(?:who\s+)?(?:said|says|told|reported|added|confirmed|claimed)\b)",
    re.I,
)


# "killing 10 militants", "targeted gatherings of terrorists": the target of another actor
_TARGET_BEFORE = re.compile(
    r"\b(?:kill\w*|injur\w*|wound\w*|target\w*|eliminat\w*|gatherings? of|positions? of|"
    r"hideouts? of|dens? of|attacks? on|strikes? on|against|numbers of|scores of|dozens of|"
    r"strongholds? of|bases? of|headquarters of|command (?:cent(?:er|re)s?|posts?) of|"
    r"hundreds of)\s+(?:[\w-]+\s+){0,3}$",
    re.I,
)
# "killed by (the) regime air strikes": the agent of a passive verb, never its target
_BY_BEFORE = re.compile(r"\bby\s+(?:the\s+|an?\s+)?$", re.I)
# "rebel positions", "IS hideouts": a side named as what was hit, not as who acted
_TARGET_AFTER = re.compile(
    r"(?:'s)?\s+(?:positions?|targets?|strongholds?|bases?|posts?|hideouts?|areas?|territory|"
    r"supply (?:routes?|lines?)|routes?|cent(?:er|re)s?|dens|fortifications?|movements?|"
    r"districts?|neighbou?rhoods?|gatherings?|headquarters|convoys?|vehicles?|depots?|"
    r"fortifications|lines|held)\b",
    re.I,
)
# the words both sides' press use for jihadists: with a jihadist group named, that group
_JIHADIST_WORDS = re.compile(
    r"(?:terrorist|militant|extremist|jihadist)s?(?:\s+(?:groups?|organi[sz]ations?))?", re.I
)
# "rebels said", "militants told AFP": a side speaking, not acting
_SPEAKS_AFTER = re.compile(r"\s*,?\s*(?:who\s+)?(?:said|say|says|told|claimed|reported)\b", re.I)


#: Words (lower-cased) one of which a sentence must hold for each masking pattern of
#: :func:`actors_in` to match in it, read off the patterns' obligatory words: a sentence with
#: none of them is not searched with it (the same matches, in a third of the time).
_MASK_NEEDLES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        ATTRIBUTION,
        ("said", "says", "reported", "reports", "told", "added", "confirmed", "claimed"),
    ),
    (ACCORDING, ("according to", "citing", "quoting")),
    (_SOURCE, ("source",)),
    (
        _HOLDER,
        (
            "held",
            "controlled",
            "besieged",
            "dominated",
            "occupied",
            "run",
            "under",
            "stronghold",
            "territory",
            "position",
            "bastion",
            "enclave",
        ),
    ),
    (_AGAINST, ("anti-",)),
)


def _may_match(low: str, needles: Sequence[str] | None) -> bool:
    """Whether a pattern whose obligatory words are ``needles`` (None: none known) may match
    in a sentence whose lower-case form is ``low``."""
    return needles is None or any(n in low for n in needles)


def _masking(low: str) -> frozenset[re.Pattern[str]]:
    """The masking patterns that may match in a sentence whose lower-case form is ``low``."""
    return frozenset(p for p, needles in _MASK_NEEDLES if _may_match(low, needles))


def _blank(text: str, start: int, end: int) -> str:
    """``text`` with ``start:end`` masked by a filler that is neither a word nor a space, so that
    what stands either side of it is not read as adjacent ("government air strikes [on
    opposition-held] neighbourhoods" is no "strikes neighbourhoods" target)."""
    return text[:start] + "#" * (end - start) + text[end:]


def actors_in(sentence: str, *, targets: bool = False) -> tuple[str, ...]:
    """Who acted in a sentence: its armed groups, not the sources it cites ("the Observatory
    said", "a source at the police command said"), nor the holder of a place ("rebel-held",
    "IS-controlled"), nor civilians. A generic word right after a named group ("IS
    militants", "Jaish al-Islam rebels") is that group, and so is the press's word for
    jihadists ("terrorists", "militants") in a sentence that names a jihadist group.
    ``targets``: keep a side named as the target of another ("the army killed 11
    terrorists"): a battle's other side. (The event stage asks of a sentence several times:
    the answers of the last sentences asked are kept.)"""
    return _actors_in(sentence, targets)


@lru_cache(maxsize=1024)
def _actors_in(sentence: str, targets: bool) -> tuple[str, ...]:
    masked = sentence
    may = _masking(sentence.lower())
    for pattern in (ATTRIBUTION, ACCORDING):
        if pattern in may:
            for m in pattern.finditer(sentence):
                masked = _blank(masked, m.start("who"), m.end("who"))
    for pattern in (_SOURCE, _HOLDER, _AGAINST):
        if pattern in may:
            for m in pattern.finditer(masked):
                masked = _blank(masked, m.start(), m.end())
    found: list[tuple[int, str]] = []
    named_ends: list[int] = []
    matches: dict[str, list[re.Match[str]]] = {}
    low = masked.lower()
    for name, pattern in ACTORS:
        if not _may_match(low, ACTOR_NEEDLES[name]):
            continue
        ms = list(pattern.finditer(masked))
        if ms:
            matches[name] = ms
            if name in NAMED_GROUPS:
                named_ends.extend(m.end() for m in ms)
    for name, ms in matches.items():
        ms = [
            m
            for m in ms
            if not _SPEAKS_AFTER.match(masked, m.end()) and not _TARGET_AFTER.match(masked, m.end())
        ]
        if not targets:
            # "the army killed 11 terrorists", "a stronghold of IS": a target, not an actor
            ms = [
                m
                for m in ms
                if not _TARGET_BEFORE.search(masked[max(0, m.start() - 60) : m.start()])
                or _BY_BEFORE.search(masked, 0, m.start())  # "killed by regime air strikes"
            ]
        if name == "rebels":
            # "IS militants": the named group's fighters, not a second actor
            ms = [
                m
                for m in ms
                if not any(
                    0 <= m.start() - e <= 3 and not masked[e : m.start()].strip()
                    for e in named_ends
                )
            ]
        if name == "rebels" and any(n in JIHADIST_GROUPS | REBEL_GROUPS for n in matches):
            # "ISIL terrorists", "Jaish al-Fatah coalition of terrorist groups": the group named
            ms = [m for m in ms if not _JIHADIST_WORDS.fullmatch(m.group(0))]
        if ms:
            found.append((ms[0].start(), name))
    names = [n for _, n in sorted(found)]
    if "rebels" in names and "Free Syrian Army" in names:
        names.remove("rebels")
    return tuple(names)


def _parsed(analysis: nlp.Analysis | None, s1: int) -> bool:
    """Whether the model parsed the sentence that ends at ``s1``."""
    return analysis is not None and bool(analysis.tokens) and s1 <= analysis.upto


def _agent_actors(
    text: str, parse: nlp.Analysis | None, s0: int, hit: _Hit, back: int | None = None
) -> tuple[tuple[str, ...], str] | None:
    """The actors the agent of a trigger names ("rebels shelled", "shelled by rebels",
    "Russian air strikes") with the rule that found them, or None when the parse names none.
    An agent that names a group again ("it", "the group") is the last armed group named from
    ``back`` (a document offset) on (rule ``actor:rel=...,ref=back``)."""
    if parse is None:
        return None
    i = syntax.head_token(parse, s0 + hit.start, s0 + hit.end)
    if i is None:
        return None
    found = syntax.agent(parse, i, (s0 + hit.start, s0 + hit.end))
    if found is None and not hit.trigger.verb:
        found = syntax.prenominal(parse, s0 + hit.start)
        if found is not None:  # the words before, with the trigger noun they name
            found = syntax.Agent(found.start, s0 + hit.end, found.rel)
    if found is None:
        return None
    names = actors_in(text[found.start : found.end])
    if not names and found.rel == "modifier":
        # "such barrages", "heavy shelling": words that name no one; the verb's subject may
        again = syntax.agent(parse, i, (s0 + hit.start, s0 + hit.end), modifiers=False)
        if again is not None:
            found, names = again, actors_in(text[again.start : again.end])
    said = syntax.speaker(parse, found) if not names else None
    if said is not None:  # "the faction said it had begun an offensive": the faction
        names = actors_in(text[said[0] : said[1]])
        if names:
            return names, f"{found.rule()},ref=speaker"
    if not names and back is not None and syntax.refers_back(parse, found):
        last = _last_named_group(text, back, found.start)
        if last:
            return (last,), f"{found.rule()},ref=back"
    return (names, found.rule()) if names else None


def _last_named_group(text: str, lo: int, hi: int) -> str | None:
    """The named armed group (not a generic word) named last in ``text[lo:hi]``."""
    best: tuple[int, str] | None = None
    for name, pattern in ACTORS:
        if name not in NAMED_GROUPS:
            continue
        for m in pattern.finditer(text, lo, hi):
            if best is None or m.start() > best[0]:
                best = (m.start(), name)
    return best[1] if best else None


#: The key of :func:`extract_events`' carried agents under which the last armed agent of any
#: kind of happening is kept ("the army clashed with ... Artillery fire hit X": the army).
_ANY_FIGHT = "*"


def _event_actors(
    kind: str,
    agent: tuple[tuple[str, ...], str] | None,
    opponents: tuple[str, ...],
    sentence_actors: tuple[str, ...],
    carried: dict[str, tuple[str, ...]],
    *,
    aerial: bool = False,
    sides_before: tuple[str, ...] = (),
    ground: tuple[str, ...] = (),
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An event's actors and the rules that gave them: the trigger's agent, else the armed
    groups of its sentence that are not what it hit, else (no agent of its own) those the
    article last named for its kind of happening; a battle adds the side it fought.
    ``aerial``: an air strike, whose actor, when not its agent, is one of the sides named
    that fly aircraft ("clashes between the army and rebels ... Air strikes hit X": the army).
    ``sides_before``: the sentence speaks of both sides and these are the groups the sentence
    before named ("Rebels took X. The army hit back, sparking fighting that left dozens dead on
    both sides"): a battle with one side named adds them. ``ground``: a fight over ground ("the
    army took full control of X, leaving dozens of terrorists dead"), whose agent's sentence
    names the other side as well: the groups named in the rest of its clause."""
    names, rule = agent or (_flying(sentence_actors, aerial), "actor:rel=sentence")
    rules = (rule,) if names else ()
    if aerial and not agent and names != sentence_actors:
        rules = (*rules, "actor-air:from=sentence")
    if kind == "battle":
        other = tuple(a for a in opponents if a not in names)
        if other:
            names, rules = names + other, (*rules, "actor:rel=opponent")
        if ground and agent and len(names) == 1:
            other = tuple(a for a in ground if a not in names)
            if other:
                names, rules = names + other, (*rules, "actor:rel=ground")
        if len(names) == 1:
            other = tuple(a for a in sides_before if a not in names)
            if other:
                names, rules = names + other, (*rules, "actor:rel=both-sides")
        if len(names) == 1 and not agent:
            # "10 IS militants were killed during fights": the side named is the one that lost;
            # the other is who the article last said fought
            before = carried.get(kind, ()) + carried.get(_ANY_FIGHT, ())
            other = tuple(dict.fromkeys(a for a in before if a not in names))[:1]
            if other:
                names, rules = names + other, (*rules, "actor:rel=carried-side")
    if not names:
        last = [carried.get(kind, ())]
        if kind not in _UNARMED_TYPES:
            last.append(carried.get(_ANY_FIGHT, ()))
        found = next((n for n in last if _flying(n, aerial)), ())
        names = _flying(found, aerial)
        rules = ("actor:rel=carried",) if names else ()
        if names and names != found:
            rules = (*rules, "actor-air:from=carried")
    if not names and kind == "protest":
        # ACLED's actor of a protest with no group named: its protesters
        names, rules = ("protesters",), ("actor:rel=protest",)
    return names, rules


def _ground_actors(text: str, parse: nlp.Analysis | None, s0: int, hit: _Hit) -> tuple[str, ...]:
    """The armed groups the rest of a verb trigger's clause names among its losses
    (:func:`syntax.clause_rest`): in a fight over ground ("took full control of X, leaving
    dozens of terrorists dead"), the side that lost it."""
    if parse is None:
        return ()
    i = syntax.head_token(parse, s0 + hit.start, s0 + hit.end)
    if i is None or parse.tokens[i].pos not in ("VERB", "AUX"):
        return ()
    spans = syntax.clause_rest(parse, i)
    if not any(
        parse.tokens[k].lemma.lower() in _LOSS_WORDS
        for a, b in spans
        for k in parse.token_range(a, b)
    ):
        return ()
    out: list[str] = []
    for a, b in spans:
        out.extend(n for n in actors_in(text[a:b], targets=True) if n not in out)
    return tuple(out)


#: Words of a side's losses: a fight over ground that names them names the side that lost
#: ("leaving dozens of terrorists dead"; not "driving out the rebels", coded as one side's)
_LOSS_WORDS = frozenset({"dead", "kill", "killing", "casualty", "loss", "wound", "injure"})


def _with_allies(events: list[Event], fought_alongside: dict[str, str]) -> list[Event]:
    """The battles of a group the article says fights beside another ("the rebels are
    fighting alongside the Nusra Front") with that ally as a side too (rule actor:rel=ally)."""
    out = []
    for e in events:
        add = [
            fought_alongside[a]
            for a in e.actors
            if a in fought_alongside and fought_alongside[a] not in e.actors
        ]
        if e.type == "battle" and add:
            e = replace(
                e, actors=(*e.actors, *dict.fromkeys(add)), rules=(*e.rules, "actor:rel=ally")
            )
        out.append(e)
    return out


#: The named armed groups' patterns (not the generic words'), for what an article names.
_GROUP_PATTERNS = tuple((n, p) for n, p in ACTORS if n in JIHADIST_GROUPS | REBEL_GROUPS)


def _generic_only(sentence: str) -> bool:
    """Whether the sentence names the opposition only by the press's words for jihadists
    ("terrorists", "militants"), not as rebels or the opposition."""
    found = [m.group(0) for name, p in ACTORS if name == "rebels" for m in p.finditer(sentence)]
    return bool(found) and all(_JIHADIST_WORDS.fullmatch(w) for w in found)


def _flying(names: tuple[str, ...], aerial: bool) -> tuple[str, ...]:
    """``names`` less, for an air strike (``aerial``), the sides that fly no aircraft."""
    return tuple(n for n in names if n in AIR_ACTORS) if aerial else names


def _opponent_actors(text: str, parse: nlp.Analysis | None, s0: int, hit: _Hit) -> tuple[str, ...]:
    """The armed groups a battle trigger fought ("clashed with X", "clashes between A and B")."""
    if parse is None:
        return ()
    i = syntax.head_token(parse, s0 + hit.start, s0 + hit.end)
    if i is None:
        return ()
    out: list[str] = []
    for a, b in syntax.opponents(parse, i):
        out.extend(n for n in actors_in(text[a:b], targets=True) if n not in out)
    return tuple(out)


def _sentence_actors(
    text: str,
    parse: nlp.Analysis | None,
    s0: int,
    sentence: str,
    hits: Sequence[_Hit],
    *,
    victims: bool = True,
    targets: bool = False,
) -> tuple[str, ...]:
    """The armed groups a sentence names, less (with the parse) what its triggers hit
    ("attacked an army checkpoint": the army was the target) and the victims of its killing
    verbs ("ten fighters were killed in air strikes"; not with ``victims=False``, for a
    battle, whose victims are one of its sides)."""
    if parse is None:
        return actors_in(sentence, targets=targets)
    spans = syntax.victim_spans(parse, s0, s0 + len(sentence)) if victims else []
    # both sides of a battle (``targets``): what any trigger of the sentence hit is the other
    # side ("clashes raged as the army targeted positions of insurgents"), so none is masked
    for h in hits if victims or not targets else ():
        i = syntax.head_token(parse, s0 + h.start, s0 + h.end)
        if i is not None:
            spans.extend(syntax.hit_spans(parse, i) if victims else syntax.patients(parse, i))
    masked = sentence
    for a, b in spans:
        masked = _blank(masked, max(0, a - s0), min(len(sentence), b - s0))
    return actors_in(masked, targets=targets)


def attribution_in(sentence: str) -> tuple[str, ...]:
    found: list[tuple[int, str]] = []
    for pattern in (ATTRIBUTION, ACCORDING):
        for m in pattern.finditer(sentence):
            who = " ".join(m.group("who").split())
            who = re.sub(r"^(?i:the)\s+", "", who)
            found.append((m.start(), who))
    out: list[str] = []
    for _, who in sorted(found):
        if who.casefold() not in (o.casefold() for o in out):
            out.append(who)
    return tuple(out)


#: Kinds of place that are areas: one contains the places that lie within its radius.
AREA_KINDS = frozenset({"region", "governorate", "district", "subdistrict"})


def _is_ancestor(a: Place, b: Place) -> bool:
    """Whether place ``a`` contains place ``b`` (a city and its neighbourhood, a region and a
    town within it: "Douma, the largest town of the Eastern Ghouta")."""
    if a.id == b.id:
        return False
    if a.id in (b.city_id, b.parent_id):
        return True
    if a.kind == "governorate" and b.governorate and a.name == b.governorate:
        return True
    if (
        a.kind in AREA_KINDS
        and b.kind not in AREA_KINDS
        and haversine_km(a.lat, a.lon, b.lat, b.lon) <= a.precision_km
    ):
        return True
    return a.kind == "country" and a.id == f"CTRY-{b.country}"


_IRREALIS = re.compile(
    r"\b(?:will|would|could|might|may|plans? to|planned to|warn(?:ed|s|ing)?|"
    r"looming|prepar(?:ed|ing|es)"
    r" to|threaten(?:ed|s)? to|expected to|vow(?:ed|s)? to|aim(?:ed|s)? to|"
    r"going to|ready to|about to|intend(?:ed|s)? to|fear(?:ed|s)?)\b[^.;,]{0,40}$",
    re.I,
)
_CIVILIAN_VICTIMS = re.compile(
    r"\b(?:civilians?|children|child|women|students?|residents|"
    r"protesters|demonstrators|young (?:people|men)|men|families|"
    r"worshippers|patients|refugees|detainees|prisoners|babies|girls?|boys?|woman|she|"
    r"infants?|journalists?|medics|doctors|nurses|farmers|shepherds|villagers|pedestrians)\b",
    re.I,
)


def extract_events(
    doc: Document,
    sentences: list[tuple[int, int]],
    mentions: list[Mention],
    times: list[TimeExpr] | None = None,
    *,
    restated: Sequence[tuple[int, int]] = (),
    analysis: nlp.Analysis | None = None,
) -> list[Event]:
    """The events of one document, in sentence order, with deterministic ids.

    ``analysis``: the language model's parse of the document
    (:func:`geomap.extraction.nlp.analyse`); with it, a trigger's actors are its agent
    (:mod:`geomap.extraction.events.syntax`), without it (``GEOMAP_NLP=off``) the armed groups
    its sentence names.

    ``restated``: spans that repeat what the article reports elsewhere (the title run into the
    top of the body): no trigger or place in them makes an event of its own.
    """
    if times is None:
        times = find_time_expressions(doc.text, doc.published)
    events: list[Event] = []
    lead = lead_date(doc, sentences, times)
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        if (
            m.role == "event"
            and m.status in ("resolved", "fallback")
            and m.place is not None
            and m.place.kind != "country"
            and not any(a <= m.start < b for a, b in restated)
        ):
            by_sentence.setdefault(m.sentence, []).append(m)
    named = {m.sentence for m in mentions}
    previous: _Hit | None = None  # the main trigger of the sentence before
    # the last specific happening named (sentence index, trigger): "the attacks" two sentences
    # on still refers to it
    specific: tuple[int, _Hit] | None = None
    # the toll of a sentence that named a happening but no place ("Thirty civilians were killed
    # in air strikes on a suburb"), for the next sentence that places it
    orphan: tuple[str, int] | None = None
    # who the article last said did each kind of happening ("The coalition said its jets ...
    # The strikes killed ..."): a sentence with no agent of its own carries them over
    agents: dict[str, tuple[str, ...]] = {}
    # the events each sentence made (index in ``events``), for the toll a sentence after gives
    made: dict[int, list[int]] = {}
    # events whose toll counts dead besides those of a toll before ("nine other civilians")
    others: set[str] = set()
    # events whose toll is a part of a toll given before ("10 of the dead came in X")
    parts: set[str] = set()
    # sentences whose toll was given at a place containing the one hit ("on a village")
    pending: list[int] = []
    dropped: set[str] = set()  # the ids of events told again at a finer place
    # "the rebels are fighting alongside the Nusra Front": a group -> the ally it fights beside
    fought_alongside: dict[str, str] = {}
    # the named armed groups (not generic words) the article has named so far
    groups_named: list[str] = []
    carried_ids: set[str] = set()  # events placed where the sentence before happened
    among: set[str] = set()  # events whose toll is "among those killed" (a total's dead)
    for si, (s0, s1) in enumerate(sentences):
        budget.check()
        sentence = doc.text[s0:s1]
        known_groups = tuple(groups_named)
        groups_named.extend(
            n for n, p in _GROUP_PATTERNS if n not in groups_named and p.search(sentence)
        )
        if is_headline(doc.text, s0, s1):
            previous = None
            continue
        related = RELATED.search(sentence)
        if related is not None:
            break  # the rest of the page lists other articles
        places = by_sentence.get(si)
        parse = analysis if _parsed(analysis, s1) else None
        if parse is not None:
            for (a, b), (c, d) in syntax.allies(parse, s0, s1):
                for fighter in actors_in(doc.text[a:b]):
                    for ally in actors_in(doc.text[c:d]):
                        if ally != fighter:
                            fought_alongside.setdefault(fighter, ally)
        hits = [
            h
            for h in find_triggers(
                sentence,
                Parse(parse, s0, doc.published.year if doc.published else None) if parse else None,
            )
            if not any(a <= s0 + h.start < b for a, b in restated)
        ]
        headline = _headline_run_in(sentence)
        if headline:
            # "Army Pounds Militant Hideouts in Three Provinces The army said ...":
            # a headline run into the body restates it; its words report nothing of their own
            hits = [h for h in hits if h.start >= headline]
        killing = KILLING.search(sentence)
        if killing is not None and parse is not None:
            # "Hundreds have been killed since the talks broke off": deaths over a stretch
            why = Parse(parse, s0, doc.published.year if doc.published else None).background(
                killing.start(), killing.end()
            )
            if why is not None:
                log.debug("deaths %r dropped: %s", killing.group(0), why)
                killing = None
        before = previous  # wire copy puts a sentence a paragraph: no paragraph test here
        previous = (_main_verb(hits, 0) or hits[0]) if hits else None
        antecedent = (
            before
            if before is not None and not before.trigger.generic
            else (specific[1] if specific is not None and si - specific[0] <= 2 else None)
        )
        if previous is not None and not previous.trigger.generic:
            if previous.trigger.type in _SPECIFIC_TYPES:
                specific = (si, previous)
        if not hits and not killing:
            continue
        if si and "\n" in doc.text[sentences[si - 1][1] : s0]:
            agents = {}  # a new paragraph: the agents named before are another report's
        actors = _sentence_actors(doc.text, parse, s0, sentence, hits)
        # a battle's sides: its victims are one side ("killed ten fighters")
        battle_actors = _sentence_actors(doc.text, parse, s0, sentence, hits, victims=False)
        # a fight over ground: the side "left dead" is the other side too
        both_sides = _sentence_actors(
            doc.text, parse, s0, sentence, hits, victims=False, targets=True
        )
        back = sentences[max(0, si - 2)][0]  # "it", "the group": one named up to 2 sentences before
        by_hit = {h.start: _agent_actors(doc.text, parse, s0, h, back) for h in hits}
        sides = {h.start: _opponent_actors(doc.text, parse, s0, h) for h in hits}
        grounds = {h.start: _ground_actors(doc.text, parse, s0, h) for h in hits}
        carried_agents = dict(agents)
        unnamed = syntax.unnamed_agent(parse, s0, s1) if parse is not None else None
        sides_before: tuple[str, ...] = ()
        if si and parse is not None and syntax.both_sides(parse, s0, s1):
            sides_before = actors_in(doc.text[sentences[si - 1][0] : sentences[si - 1][1]])
        if unnamed is not None:
            carried_agents = {}  # "killed by a sniper": an agent of its own, of no side named
        if hits and previous is not None:
            own = by_hit.get(previous.start) or (actors, "")
            if own[0]:
                agents[previous.trigger.type] = own[0]
                if previous.trigger.type == "battle":  # a battle carries both its sides
                    fought = sides.get(previous.start, ())
                    agents["battle"] = own[0] + tuple(a for a in fought if a not in own[0])
                if previous.trigger.type not in _UNARMED_TYPES:
                    agents[_ANY_FIGHT] = own[0]  # the last who fought, of whatever kind
        if places:
            places = _after_label(doc.text, places)
        if places and parse is not None and hits:
            places = [*places, *_there(doc, parse, sentences, si, by_sentence)]
        carried = False
        if not places and si not in named:
            places = _carried(doc, sentences, si, by_sentence, hits)
            carried = bool(places)
        s_tolls = find_tolls(sentence, exclude=_date_spans(times, s0, s1))
        if (carried or not places) and _adds_toll(
            events, made, si, hits, sentence, s_tolls, doc, s0, s1, actors
        ):
            continue
        source = Source(doc.id, sentence, s0, s1, doc.outlet, doc.published)
        if (
            (carried or not places)
            and s_tolls
            and _conservative_toll(events, made, si, s_tolls[0], source)
        ):
            orphan = None
            continue  # another source's count of the happening told before
        if carried and si - 1 not in made and _REFERS_BACK.search(sentence):
            continue  # "7 were killed in the airstrikes": told of a happening placed nowhere
        if not places:
            if hits:
                orphan = (previous.trigger.type, s_tolls[0].count) if s_tolls and previous else None
                _actors_told_after(events, made, si, sentence, hits, by_hit)
            elif s_tolls and before is not None and killing is not None:
                # "... drove the rebels out of a base. At least 29 fighters were killed along
                # with six militants. Fighting had broken out for Base 46": the dead of the
                # happening the sentence before named, for the sentence that places it
                orphan = (before.trigger.type, s_tolls[0].count)
            else:
                orphan = None
            continue
        waiting, orphan = orphan, None
        s_times = [t for t in times if s0 <= t.start < s1]
        # "Since then, ...": from the last date the article gave, to publication
        sentence_lead = lead
        if _SINCE_THEN.search(sentence) and doc.published is not None:
            earlier = [t for t in times if t.start < s0 and t.date_start is not None]
            if earlier and earlier[-1].date_start and earlier[-1].date_start <= doc.published:
                since = earlier[-1].date_start
                sentence_lead = (since, doc.published, span_precision(since, doc.published))
        tolls = find_tolls(sentence, exclude=_date_spans(times, s0, s1))
        sources = attribution_in(sentence)
        chosen: list[tuple[Mention, Trigger, int]] = []
        inherited: _Hit | None = None  # the sentence before's happening, named again here
        starts = [m.start - s0 for m in places]
        heads = _list_heads(doc.text, places, s0)
        for m in places:
            rel = m.start - s0
            head = heads[id(m)]
            governing = _governing(
                hits, sentence, head, [o for o in starts if o != rel and o != head]
            )
            if len({h.trigger.type for h in governing}) > 1:
                for h in governing:
                    chosen.append((m, _refine(h.trigger, sentence, tolls), h.start))
                continue
            hit = (
                (governing[-1] if governing else None)
                or _main_verb(hits, rel)
                or _nearest(hits, rel)
            )
            if hit is None and before is not None and before.trigger.type != "strategic":
                # "... pounded the suburbs. Most of the dead were in Douma": the deaths of the
                # happening the sentence before reported
                chosen.append((m, before.trigger, killing.start() if killing else 0))
                continue
            if hit is None:
                assert killing is not None
                # deaths and no happening named: civilians killed with no armed side fighting
                # back is violence against civilians, else a battle
                only_civilians = _one_sided(sentence, tolls)
                trig = Trigger(
                    "violence_against_civilians" if only_civilians else "battle",
                    "killing",
                    True,
                    KILLING,
                )
                chosen.append((m, trig, killing.start()))
            elif (
                hit.trigger.generic
                and antecedent is not None
                and antecedent.trigger.type in _SPECIFIC_TYPES
                and not hit.trigger.verb  # ("groups that attacked": a relative pronoun)
                and (
                    _DEFINITE.search(sentence, max(0, hit.start - 30), hit.start)
                    or _bare_plural(sentence, hit)
                )
            ):
                # "A car bomb killed 26 ... The attack on a checkpoint ...", "Airstrikes hit
                # X ... where raids killed 16": the happening the sentence before named,
                # referred to again
                chosen.append((m, antecedent.trigger, hit.start))
                inherited = antecedent
            elif (
                hit.trigger.generic
                and not hit.trigger.verb
                and _DEFINITE.search(sentence, max(0, hit.start - 30), hit.start)
                and m.place is not None
                and any(e.place.id == m.place.id for e in events)
            ):
                # "... were wounded in the attack near X": the attack the
                # article placed there before, told again
                continue
            else:
                chosen.append((m, _refine(hit.trigger, sentence, tolls), hit.start))
        if inherited is not None and previous is not None and previous.trigger.generic:
            previous = inherited  # what the next sentence refers back to
        # one event a place and type; drop a place that contains another place of the same
        # happening
        seen: set[tuple[str, str, object]] = set()
        kept: list[tuple[Mention, Trigger, int]] = []
        for m, trig, anchor in chosen:
            assert m.place is not None
            when = _date_of(s_times, parse, s0 + anchor, doc, sentence_lead)
            if (m.place.id, trig.type, when) in seen:
                continue
            finer = [
                o
                for o, t2, a2 in chosen
                if o.place is not None
                and t2.type == trig.type
                and o is not m
                and (
                    _is_ancestor(m.place, o.place)
                    or _locates(doc.text, m, o)
                    or _anchors(doc.text, m, o)
                )
            ]
            # the anchor of "in X village 50 km east of M" is no place of any happening
            finer += [o for o, _, _ in chosen if o is not m and _anchors(doc.text, m, o)]
            if _is_anchor(m):
                # "took two villages north of X ... Y and Z": the
                # anchor of what the sentence then names is no place of the happening
                finer += [
                    o
                    for o, t2, _ in chosen
                    if o.start > m.end and t2.type == trig.type and not _is_anchor(o)
                ]
            if finer and m.status == "resolved":
                continue
            seen.add((m.place.id, trig.type, when))
            kept.append((m, trig, anchor))
        if kept and _told_more_exactly(events, made.get(si - 1, []), sentence, hits, kept):
            # "A key position was destroyed in X. The position was hit in air strikes ...":
            # the happening before, now named exactly; no event of its own
            exact = next(h for h in hits if _exact(h.trigger))
            trig = exact.trigger
            source = Source(doc.id, sentence, s0, s1, doc.outlet, doc.published)
            # who did it, as this sentence names them ("hit in army airstrikes")
            agent = (by_hit.get(exact.start) or ((), ""))[0] or actors
            for i in made[si - 1]:
                e = events[i]
                events[i] = replace(
                    e,
                    type=trig.type,
                    sub_type=trig.sub_type,
                    sources=(*e.sources, source),
                    actors=e.actors or agent,
                    rules=(*e.rules, f"retold:trigger={trig.id}"),
                )
            kept = []
        found: list[tuple[Mention, Trigger, date | None, date | None, str, int | None]] = []
        anchors: list[int] = []  # the trigger offset of each of ``found``
        place_starts = [o.start - s0 for o, _, _ in kept]
        hit_starts = [h.start for h in hits]
        direct: dict[int, int | None] = {}
        for m, trig, _ in kept:
            direct[id(m)] = _toll_before(sentence, tolls, m.start - s0, place_starts)
            if direct[id(m)] is None and trig.type not in ("strategic", "protest"):
                direct[id(m)] = _toll_after(sentence, tolls, m.end - s0, hit_starts)
        claimed = {i for i in direct.values() if i is not None}
        free = [i for i in range(len(tolls)) if i not in claimed]
        for m, trig, anchor in kept:
            assert m.place is not None
            lo, hi = sorted((anchor, m.start - s0))
            if _PLACE_NEGATION.search(sentence, lo, hi) and hi - lo < 150:
                continue  # "neither ... nor ... is based in Homs"
            if len(kept) > 1 and _ORIGIN.search(sentence[max(0, m.start - s0 - 60) : m.start - s0]):
                continue  # "mortars fired from the Jobar district landed near X": X was hit
            start, end, precision = _date_of(s_times, parse, s0 + anchor, doc, sentence_lead)
            if (
                carried
                and not s_times
                and si - 1 in made
                and not (parse is not None and _refers_back(parse, s0, anchor, hits))
            ):
                # "... took X on Friday. The militants used 300 villagers as human
                # shields": the place and the day of the sentence before
                e_prev = events[made[si - 1][-1]]
                start, end, precision = e_prev.date_start, e_prev.date_end, e_prev.date_precision
            if (
                doc.published is not None
                and end is not None
                and end.year < doc.published.year
                and (doc.published - end).days >= BACKGROUND_DAYS
            ):
                continue  # "last year regime forces took X": background with its own year
            toll_index = direct[id(m)]
            if toll_index is None and free:
                near = min(free, key=lambda i: abs(tolls[i].start - anchor))
                owner = min(
                    ((abs(a - tolls[near].start), a) for _, _, a in kept), default=(0, anchor)
                )
                if owner[1] == anchor or len({a for _, _, a in kept}) == 1:
                    toll_index = near
            found.append((m, trig, start, end, precision, toll_index))
            anchors.append(anchor)
        if (
            waiting is not None
            and found
            and all(item[5] is None or tolls[item[5]].count == 0 for item in found)
        ):
            # the toll the sentence before gave this happening, split over its places here
            # ("Seven more were wounded in X": the hurt of this happening, not a toll of 0)
            of_type = [i for i, item in enumerate(found) if item[1].type == waiting[0]]
            if of_type:
                tolls = [*tolls, Toll(waiting[1], 0, 0)]
                for i in of_type:
                    m_, t_, a_, b_, p_, _ = found[i]
                    found[i] = (m_, t_, a_, b_, p_, len(tolls) - 1)
        shares = _split_tolls(found, tolls, f"{doc.id}-s{si}")
        for (m, trig, start, end, precision, t_index), (toll, total, group), anchor in zip(
            found, shares, anchors, strict=True
        ):
            assert m.place is not None
            e_actors, actor_rules = _event_actors(
                trig.type,
                by_hit.get(anchor),
                sides.get(anchor, ()),
                (
                    actors
                    if trig.type != "battle"
                    else battle_actors
                    if syntax.one_sided(trig.id)
                    else both_sides
                ),
                carried_agents,
                aerial=trig.id in _AIR_TRIGGERS,
                sides_before=sides_before,
                ground=grounds.get(anchor, ()) if trig.sub_type in _GROUND_SUB_TYPES else (),
            )
            if (
                trig.type == "battle"
                and len(known_groups) == 1
                and "rebels" in e_actors
                and _generic_only(sentence)
            ):
                # "Jaish al-Fatah lost 100 militants ... clashes between the army and terrorists":
                # the press's word for the one group the article names is the side fought (not
                # who fired a rocket elsewhere: the press's word covers every group)
                group = known_groups[0]
                e_actors = tuple(dict.fromkeys(group if a == "rebels" else a for a in e_actors))
                actor_rules = (*actor_rules, f"actor-named:group={group}")
            made.setdefault(si, []).append(len(events))
            if t_index is not None and tolls[t_index].other:
                others.add(f"{doc.id}-{len(events) + 1:03d}")
            if t_index is not None and tolls[t_index].part:
                parts.add(f"{doc.id}-{len(events) + 1:03d}")
            if carried or m.surface[:1].islower():  # "the town": a place named before
                carried_ids.add(f"{doc.id}-{len(events) + 1:03d}")
            if t_index is not None and tolls[t_index].among:
                among.add(f"{doc.id}-{len(events) + 1:03d}")
            events.append(
                Event(
                    id=f"{doc.id}-{len(events) + 1:03d}",
                    type=trig.type,
                    sub_type=trig.sub_type,
                    date_start=start,
                    date_end=end,
                    date_precision=precision,
                    place=m.place,
                    geo_precision=geo_precision(m.place, fallback=m.status == "fallback"),
                    fatalities=toll,
                    actors=e_actors,
                    sources=(Source(doc.id, sentence, s0, s1, doc.outlet, doc.published),),
                    attributed_to=sources,
                    fatalities_total=total,
                    toll_group=group,
                    rules=(
                        f"trigger:id={trig.id}",
                        f"place:status={m.status}",
                        *m.rules,
                        *actor_rules,
                    ),
                )
            )
        _place_pending_toll(events, made, si, pending, dropped)
        if si in made and _INDEFINITE_TARGET.search(sentence):
            pending.append(si)
    events = [e for e in events if e.id not in dropped]
    events = _with_allies(events, fought_alongside)
    events = _tolls_told_again(events)
    events = toll_ledger(
        events,
        contains=_is_ancestor,
        others=others,
        parts=parts,
        carried=carried_ids,
        among=among,
        weapons=lambda s: {h.trigger.sub_type for h in find_triggers(s)},
        refers_back=lambda s: _THE_HAPPENING.search(s) is not None,
    )
    return _summaries_folded(_parts_taken_out(_one_per_happening(events, others), parts), others)


def _tolls_told_again(events: list[Event]) -> list[Event]:
    """A sentence that gives again, split over several places, the toll an earlier sentence
    gave one of them for a happening of the same type and days ("22 civilians were killed in
    air strikes on X ... air strikes on the region near X and Y killed 22 civilians") tells that
    happening again: its shares are no dead of their own (every death counted once). Split
    over places inside the first one's place, the toll is told at finer places: kept (the first
    is then a summary, :func:`_summaries_folded`)."""
    groups: dict[str, list[int]] = {}
    for i, e in enumerate(events):
        if e.toll_group:
            groups.setdefault(e.toll_group, []).append(i)
    out = list(events)
    for group, members in groups.items():
        first = events[members[0]]
        places = {events[i].place.id for i in members}
        if any(
            b.toll_group != group
            and b.sources[0].end <= first.sources[0].start
            and b.type == first.type
            and b.place.id in places
            and _reported_toll(b) == first.fatalities_total
            and _dates_overlap(b, first)
            and not all(
                events[i].place.id == b.place.id or _is_ancestor(b.place, events[i].place)
                for i in members
            )
            for b in events
        ):
            for i in members:
                e = out[i]
                out[i] = replace(
                    e,
                    fatalities=None,
                    fatalities_total=None,
                    toll_group="",
                    rules=(*e.rules, "toll:rule=told-again"),
                )
    return out


def _parts_taken_out(events: list[Event], parts: AbstractSet[str]) -> list[Event]:
    """ "15 civilians were killed in X ... at least 10 of the dead came in strikes on the Y
    neighbourhood": Y has 10, so X keeps the 5 no finer place accounts for (the dead are counted
    once). The part is taken from the nearest event before it, of its type, at a place that
    contains Y, whose toll is at least the part."""
    out = list(events)
    for e in events:
        if e.id not in parts or not e.fatalities:
            continue
        start = e.sources[0].start
        before = [
            i
            for i, b in enumerate(out)
            if b.sources[0].start < start
            and b.type == e.type
            and b.fatalities is not None
            and b.fatalities >= e.fatalities
            and b.fatalities_total is None
            and _is_ancestor(b.place, e.place)
            and _dates_overlap(b, e)
        ]
        if before:
            i = max(before, key=lambda j: out[j].sources[0].start)
            b = out[i]
            assert b.fatalities is not None
            out[i] = replace(
                b, fatalities=b.fatalities - e.fatalities, fatalities_total=b.fatalities
            )
            continue
        # "six were killed in X ... a student who was one of those killed in X": one of the dead
        # already counted at the same place (whatever day the later sentence dates it to), no
        # death of its own
        same = any(
            b.sources[0].start < start
            and b.type == e.type
            and b.place.id == e.place.id
            and (b.fatalities or 0) >= e.fatalities
            for b in out
        )
        if same and e in out:
            out[out.index(e)] = replace(
                e, fatalities=None, rules=(*e.rules, "toll:rule=part-of-a-toll-told-before")
            )
    return out


# "air raids on a jihadist-held village", "shelling of a neighbourhood of the city of X":
# the place the sentence names contains the one that was hit, which a sentence after names
_INDEFINITE_TARGET = re.compile(
    r"\b(?:on|in|at|of|hit|struck|targeted|targeting)\s+an?\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:village|town|neighbou?rhood|district|suburb|quarter|hamlet|camp|market(?:place)?|"
    r"hospital|school|mosque|area|air ?base|(?:military )?base|airport|checkpoint|barracks|"
    r"prison)\b",
    re.I,
)


# "in the airstrikes", "during the attack": a happening the article named before
_REFERS_BACK = re.compile(
    r"\b(?:in|by|during|from|after) the (?:[\w-]+ )?(?:air ?strikes|air raids?|raids?|attacks?|"
    r"shelling|bombardment|bombings?|clashes|fighting|strikes?|explosions?|blasts?|assault)\b",
    re.I,
)
# "the two air raids on the town", "these attacks": a happening told before
_THE_HAPPENING = re.compile(
    r"\b(?:the|these|those)\s+(?:[\w-]+\s+){0,2}?(?:air ?strikes|air raids?|raids?|attacks?|"
    r"shelling|bombardment|bombings?|strikes?|blasts?|explosions?|assault)\b",
    re.I,
)
# "since the conflict erupted in March 2011", "during the country's war": a toll over a period
_WAR_TOLL = re.compile(
    r"\bsince\b[^.;]{0,60}?\b(?:19|20)\d\d\b|"
    r"\b(?:since|during|throughout) the (?:[\w']+ ){0,2}"
    r"(?:conflict|war|uprising|revolution|crisis)\b",
    re.I,
)


def _locates_target(broad: Place, fine: Place) -> bool:
    """Whether a place named to locate "a village" may be where the village lies: it contains
    it, or it is a city of the village's governorate (a city named for its province: "a village
    in Aleppo province")."""
    return _is_ancestor(broad, fine) or (
        broad.kind == "city"
        and fine.kind not in AREA_KINDS
        and fine.kind != "city"
        and bool(fine.governorate)
        and fine.governorate == broad.governorate
    )


def _place_pending_toll(
    events: list[Event],
    made: dict[int, list[int]],
    si: int,
    pending: list[int],
    dropped: set[str],
) -> None:
    """The toll a sentence gave at a broad place for a happening "on a village" goes to the
    village a sentence after names, within two sentences ("At least 12 civilians were killed in
    raids on a village in Aleppo province. ... dropped barrel bombs on the village of X"): X
    has the toll, and the broad place's event is that event told before."""
    new = made.get(si, [])
    for p in list(pending):
        if si - p > 2:
            pending.remove(p)
            continue
        if p == si:
            continue
        for bi in made.get(p, []):
            b = events[bi]
            if b.fatalities == 0 or b.fatalities_total is not None:
                continue
            finer = [
                i
                for i in new
                if events[i].type == b.type
                and events[i].fatalities is None
                and _locates_target(b.place, events[i].place)
                and _dates_overlap(b, events[i])
            ]
            if not finer:
                continue
            # "on a village" is one place: of several, the first the sentence names ("the
            # attack on the X area ... a district next to the Y road": X was hit, Y locates it)
            e = events[finer[0]]
            events[finer[0]] = replace(
                e,
                fatalities=b.fatalities,
                sources=b.sources + e.sources,
                actors=e.actors or b.actors,
                attributed_to=e.attributed_to
                + tuple(a for a in b.attributed_to if a not in e.attributed_to),
            )
            dropped.add(b.id)
            pending.remove(p)
            break


def _adds_toll(
    events: list[Event],
    made: dict[int, list[int]],
    si: int,
    hits: Sequence[_Hit],
    sentence: str,
    tolls: Sequence[Toll],
    doc: Document,
    s0: int,
    s1: int,
    actors: tuple[str, ...],
) -> bool:
    """The toll of a sentence that names no place, given to the happening the sentence before
    placed: "Jets struck the town of X on Monday. The attack killed at least 18 people." (or
    "... Medics said 18 people were killed.") is one
    event at X with 18 dead, not a second event at the province X lies in. Only when the
    sentence before made events of the kind this one names (or this one only names deaths or a
    generic attack) and gave them no toll; the toll is split over their places. Changes
    ``events`` in place and returns whether it did."""
    # the sentence before, or the last of the two before it when the sentences between placed
    # nothing ("... over control of X. Activists called for ... In 24 hours of fighting 38
    # fighters were killed")
    earlier = [p for p in made if 0 < si - p <= 3]
    before = made.get(max(earlier)) if earlier else None
    if not before or not tolls or _HABITUAL.search(sentence) or _WAR_TOLL.search(sentence):
        return False  # "23 journalists have been killed since 2011": a war's toll
    kinds = {h.trigger.type for h in hits if not h.trigger.generic}
    # a toll of 0 (the hurt counted, no dead named: "shots were fired ... leaving five
    # injured") gives way to the dead a sentence after counts
    targets = [
        i
        for i in before
        if (events[i].fatalities is None or (events[i].fatalities == 0 and tolls[0].count))
        and (not kinds or events[i].type in kinds)
    ]
    if not targets or len(targets) != len(before):
        return False
    count = tolls[0].count
    shares = split_evenly(count, len(targets))
    group = f"{doc.id}-s{si}-t0" if len(targets) > 1 else ""
    source = Source(doc.id, sentence, s0, s1, doc.outlet, doc.published)
    for i, share in zip(targets, shares, strict=True):
        e = events[i]
        events[i] = replace(
            e,
            fatalities=share,
            fatalities_total=count if len(targets) > 1 else None,
            toll_group=group,
            sources=e.sources + (source,),
            actors=e.actors or actors,
        )
    return True


# "X said", "according to X", "X put the toll at": a source of its own gives the count
_REPORTED = re.compile(r"\b(?:said|says|reported|reports|told|according to|put)\b", re.I)


def _actors_told_after(
    events: list[Event],
    made: dict[int, list[int]],
    si: int,
    sentence: str,
    hits: Sequence[_Hit],
    by_hit: dict[int, tuple[tuple[str, ...], str] | None],
) -> None:
    """ "Air strikes near a hospital in X killed ten civilians. ... The monitor said the raids
    were carried out by Russian or regime warplanes": a sentence that names no place and
    names, as the agent of a happening it refers back to ("the raids"), who did it gives them
    to the events of the last sentence (of the three before) that placed one and named no actor
    (rule actor:rel=told-after). Changes ``events`` in place."""
    names: tuple[str, ...] = ()
    for h in hits:
        found = by_hit.get(h.start)
        if found and _THE_BEFORE.search(sentence, 0, h.start):
            names = found[0]
            break
    earlier = [p for p in made if 0 < si - p <= 3]
    if not names or not earlier:
        return
    for i in made[max(earlier)]:
        e = events[i]
        if not e.actors:
            events[i] = replace(e, actors=names, rules=(*e.rules, "actor:rel=told-after"))


# "the raids", "the air strikes": a happening named before
_THE_BEFORE = re.compile(r"\b(?:the|these|those)\s+(?:[\w-]+\s+)?$", re.I)


def _conservative_toll(
    events: list[Event], made: dict[int, list[int]], si: int, toll: Toll, source: Source
) -> bool:
    """ "Air strikes near a hospital killed at least 10 civilians, the Observatory said. ...
    A media centre said the hospital was hit in the raid and that at least six people had been
    killed": a sentence that names no place, refers back to the happening an earlier sentence
    (of the last three) placed and gave one toll, and reports a smaller count of its own from a
    source, near enough to be the same dead (at most twice as few), gives the most
    conservative count, as the sources differ. Never a breakdown ("six children were among the
    dead"). Changes ``events`` in place and returns whether it did."""
    sentence = source.sentence
    if (
        not toll.count
        or toll.other
        or toll.part
        or not _REFERS_BACK.search(sentence)
        or not _REPORTED.search(sentence)
        or re.search(r"\bamong\b", sentence, re.I)
    ):
        return False
    earlier = [p for p in made if 0 < si - p <= 3]
    if not earlier:
        return False
    told = [
        i
        for i in made[max(earlier)]
        if events[i].fatalities is not None and events[i].fatalities_total is None
    ]
    if len(told) != 1:
        return False
    e = events[told[0]]
    assert e.fatalities is not None
    if not toll.count < e.fatalities <= max(2 * toll.count, toll.count + 2):
        return False
    events[told[0]] = replace(
        e,
        fatalities=toll.count,
        sources=e.sources + (source,),
        rules=(*e.rules, "toll:rule=conservative-source"),
    )
    return True


def _locates(text: str, m: Mention, o: Mention) -> bool:
    """Whether mention ``m`` only locates mention ``o`` just before it: "O in M", "O, M"."""
    if m.place is None or o.place is None or not o.end <= m.start <= o.end + 30:
        return False
    broader = _BREADTH.get(m.place.kind, 9) < _BREADTH.get(o.place.kind, 9)
    gap = text[o.end : m.start]
    if not gap.strip(" ,") and m.place.kind not in AREA_KINDS and m.place.kind != "city":
        # "in X Y and Z" (commas stripped): a town or village right after
        # another place is the next of a list, not where the first lies
        return False
    return broader and _LOCATING.match(gap) is not None


#: Rules of :mod:`geomap.extraction.places.compose` whose anchor locates what is named before
#: it ("the village of O, 12 km southeast of M"; "O east of M"; "O, 30 km outside M").
_RELATIVE_RULES = ("bearing:", "bearing-distance:", "distance-only:")
_TO_ANCHOR = re.compile(
    r"^\s*,?\s*(?:(?:village|town|area|region|district|neighbou?rhood|city|camp|base|"
    r"airport|hill|crossing|farms?)\s+)?,?\s*[^.;:!?,]{0,30}?\b(?:of|outside|from)\s+"
    r"(?:the\s+(?:city|town|village)\s+of\s+)?$",
    re.I,
)


def _anchors(text: str, m: Mention, o: Mention) -> bool:
    """Whether mention ``m`` is only the anchor of a relative phrase that locates ``o``, named
    just before it: "strikes on the village of O 20 km east of M" happened at O, not at M."""
    if m.place is None or o.place is None or not o.end <= m.start <= o.end + 50:
        return False
    anchor = f"anchor={m.place.id}"
    if not any(r.startswith(_RELATIVE_RULES) and anchor in r for r in m.rules):
        return False
    gap = text[o.end : m.start]
    if _AND.search(gap):
        return False  # "X city and army posts south of Y": Y locates the posts
    return _TO_ANCHOR.match(gap) is not None


_AND = re.compile(r"\band\b", re.I)


def _is_anchor(m: Mention) -> bool:
    """Whether mention ``m`` is the anchor of a relative phrase ("south of Aleppo")."""
    if m.place is None:
        return False
    anchor = f"anchor={m.place.id}"
    return any(r.startswith(_RELATIVE_RULES) and anchor in r for r in m.rules)


#: Words between a count and the place it happened at: "killed 45 civilians in X", "and 22 in Y".
_COUNT_TO_PLACE = re.compile(
    r"^[^.;]{0,40}?\b(?:in|at|on|near|across|around|inside|in and around)\s+(?:the\s+)?"
    r"(?:(?:\w+\s+){0,3}(?:of|in)\s+(?:the\s+)?)?$",
    re.I,
)


def _toll_before(
    sentence: str, tolls: Sequence[Toll], place: int, places: Sequence[int]
) -> int | None:
    """The toll stated right before a place ("killed 45 civilians in X and 22 in Y"), when no
    other place stands between them."""
    best = None
    for i, t in enumerate(tolls):
        if t.end <= place and not any(t.end <= o < place for o in places if o != place):
            between = sentence[t.end : place]
            if _COUNT_TO_PLACE.match(between) and not _CLAUSE_BREAK.search(between):
                best = i
    return best


def _toll_after(
    sentence: str, tolls: Sequence[Toll], place_end: int, hit_starts: Sequence[int]
) -> int | None:
    """The first toll stated after a place in its clause ("air strikes on X and Y killed 17
    civilians while shelling on Z killed another two": X and Y share the 17, Z has the 2): no
    clause break and no other happening named between them."""
    for i, t in enumerate(tolls):
        if t.start < place_end or t.count == 0:
            continue
        between = sentence[place_end : t.start]
        if (
            len(between) <= 80
            and not _CLAUSE_BREAK.search(between)
            and not re.search(r"[,.;:!?()]", between)
            and not any(place_end <= h < t.start for h in hit_starts)
        ):
            return i
        return None
    return None


def _date_spans(times: Sequence[TimeExpr], s0: int, s1: int) -> list[tuple[int, int]]:
    """The dates of a sentence, in its own offsets (no count is read inside them)."""
    return [(t.start - s0, t.end - s0) for t in times if s0 <= t.start < s1]


def split_evenly(total: int, n: int) -> list[int]:
    """``total`` deaths over ``n`` places, as ACLED splits a shared toll: rounded down, the
    remainder to the first places (44 over three: 15, 15, 14), so that no death counts twice."""
    base, rest = divmod(total, n)
    return [base + (1 if i < rest else 0) for i in range(n)]


def _split_tolls(
    found: Sequence[tuple[Mention, Trigger, object, object, str, int | None]],
    tolls: Sequence[Toll],
    group_prefix: str,
) -> list[tuple[int | None, int | None, str]]:
    """(share, reported total, group id) for each event of a sentence: a toll that several
    places of one happening share is split across them, in the order the text names them."""
    by_toll: dict[int, list[int]] = {}
    for i, item in enumerate(found):
        if item[5] is not None:
            by_toll.setdefault(item[5], []).append(i)
    out: list[tuple[int | None, int | None, str]] = [(None, None, "")] * len(found)
    for t, members in sorted(by_toll.items()):
        count = tolls[t].count
        if len(members) == 1:
            out[members[0]] = (count, None, "")
            continue
        members.sort(key=lambda i: found[i][0].start)
        for i, share in zip(members, split_evenly(count, len(members)), strict=True):
            out[i] = (share, count, f"{group_prefix}-t{t}")
    return out


def _one_per_happening(events: list[Event], others: AbstractSet[str] = frozenset()) -> list[Event]:
    """Sentences of one article that report the same happening (same place, type and dates)
    make one event with all their sentences as sources. An event in ``others`` (its toll counts
    dead besides those of a toll before: "nine other civilians were killed in X") is another
    happening, never joined to an earlier one; nor is an event of another sub-type with a toll
    of its own that differs ("seven died in rebel shelling of X ... three died in barrel bombs
    dropped on X": two weapons, two counts, two happenings)."""
    out: list[Event] = []
    index: dict[tuple[str, str, object, object], int] = {}
    for e in events:
        key = (e.place.id, e.type, e.date_start, e.date_end)
        if key in index and (e.id in others or _told_apart(out[index[key]], e)):
            out.append(e)
            continue
        if key not in index:
            index[key] = len(out)
            out.append(e)
            continue
        first = out[index[key]]
        counted = [x for x in (first, e) if x.fatalities is not None]
        toll = max(counted, key=lambda x: x.fatalities or 0) if counted else first
        out[index[key]] = replace(
            first,
            sources=first.sources + e.sources,
            fatalities=toll.fatalities,
            fatalities_total=toll.fatalities_total,
            toll_group=toll.toll_group,
            actors=_told_again_actors(first.actors, e.actors),
            attributed_to=first.attributed_to
            + tuple(a for a in e.attributed_to if a not in first.attributed_to),
        )
    return out


def _told_again_actors(first: tuple[str, ...], then: tuple[str, ...]) -> tuple[str, ...]:
    """The actors of a happening two sentences tell: both sentences' groups, less the generic
    "rebels" where one names the group ("Jaish al-Islam terrorists fired ... the terrorists
    fired two shells": the group, told again by the generic word)."""
    names = first + tuple(a for a in then if a not in first)
    if "rebels" in names and any(a in NAMED_GROUPS for a in names) and names != first:
        names = tuple(a for a in names if a != "rebels" or a in first and a in then)
    return names


def _told_apart(a: Event, b: Event) -> bool:
    """Two events of one place and type that the report tells apart: each its own weapon
    (sub-type) and its own, different count of dead."""
    return (
        a.sub_type != b.sub_type
        and bool(a.fatalities)
        and bool(b.fatalities)
        and a.fatalities != b.fatalities
    )


def _reported_toll(e: Event) -> int | None:
    """The toll the report gave for the whole happening (the total of a split toll)."""
    return e.fatalities_total if e.fatalities_total is not None else e.fatalities


def _dates_overlap(a: Event, b: Event) -> bool:
    if None in (a.date_start, a.date_end, b.date_start, b.date_end):
        return a.date_start == b.date_start and a.date_end == b.date_end
    assert a.date_start and a.date_end and b.date_start and b.date_end
    return a.date_start <= b.date_end and b.date_start <= a.date_end


def _summaries_folded(events: list[Event], others: AbstractSet[str] = frozenset()) -> list[Event]:
    """A lede's event at a broad place whose toll a later sentence gives again at places inside
    it ("20 dead in air raids in Latakia province ... The toll in air strikes on the town of
    Salma rose to 20") is the same happening told twice: its sources go to the finer event and
    it is no event of its own, so that its dead are not counted twice."""
    out = list(events)
    for b in events:
        toll = _reported_toll(b)
        if not toll:
            continue
        finer = [
            i
            for i, e in enumerate(out)
            if e is not b
            and e.type == b.type
            and _reported_toll(e) == toll
            and not (b.toll_group and b.toll_group == e.toll_group)
            and _is_ancestor(b.place, e.place)
            and _dates_overlap(b, e)
        ]
        if b not in out:
            continue
        if not finer:
            i_rest = _remainder_of_summary(out, b, others)
            if i_rest is not None:
                out[i_rest] = replace(
                    b,
                    fatalities=toll - _finer_dead(out, b, others),
                    rules=(*b.rules, "toll:rule=summary-remainder"),
                )
            continue
        i = finer[0]
        e = out[i]
        out[i] = replace(
            e,
            sources=e.sources + tuple(s for s in b.sources if s not in e.sources),
            actors=e.actors or b.actors,
            attributed_to=e.attributed_to
            + tuple(a for a in b.attributed_to if a not in e.attributed_to),
        )
        out.remove(b)
    return out


_UNARMED_TYPES = frozenset({"strategic", "protest"})
#: Sub-types of a fight over ground: its sentence names both sides ("took X, leaving dozens of
#: terrorists dead")
_GROUND_SUB_TYPES = frozenset(
    {"non-state actor overtakes territory", "government regains territory"}
)
#: Triggers whose words name the air (an air strike, a sortie, warplanes hit): the actor flies
#: aircraft (:data:`AIR_ACTORS`); so do "strikes" (the press's short word for air strikes).
#: Not the verbs "strike", "bomb" or the noun "bombing" ("a gas tank hit a bus", "insurgents
#: bombed a bakery").
_AIR_TRIGGERS = frozenset(
    {
        "airstrike-n",
        "strike-n",
        "drone-strike-n",
        "barrel-bomb-n",
        "planes-v",
        "planes-continue-v",
        "air-force-v",
        "sortie-n",
        "strafe-v",
    }
)


def _finer_parts(events: list[Event], b: Event, others: AbstractSet[str]) -> list[Event]:
    """The events with dead at places inside ``b``'s place, on its days, that are not shares
    of ``b``'s own toll group, nor counted "besides" another toll ("nine other civilians"), nor
    struck with another weapon."""
    return [
        e
        for e in events
        if e is not b
        and e.type not in _UNARMED_TYPES
        and e.fatalities
        and e.id not in others
        and not _other_weapon(b, e)
        and not (b.toll_group and b.toll_group == e.toll_group)
        and _is_ancestor(b.place, e.place)
        and _dates_overlap(b, e)
    ]


def _other_weapon(a: Event, b: Event) -> bool:
    """Air raids and shelling, fighting and shelling: happenings of different kinds, whose dead
    are not among each other's; only a toll that names no happening ("45 killed in X")
    sums the dead of any kind."""
    if a.sub_type == "killing":
        return False
    return (a.type, a.sub_type) != (b.type, b.sub_type)


def _finer_dead(events: list[Event], b: Event, others: AbstractSet[str]) -> int:
    return sum(e.fatalities or 0 for e in _finer_parts(events, b, others))


def _remainder_of_summary(events: list[Event], b: Event, others: AbstractSet[str]) -> int | None:
    """ "45 killed in X ... 12 in the X district of Y ... 15 in the Z neighbourhood": the broad
    place's toll sums the dead the article then gives at places inside it, so it keeps only
    the dead no finer place accounts for (45 - 12 - 15 = 18; every death counted once). The
    index of ``b`` in ``events`` when its toll (not a share) exceeds the finer dead."""
    if b.type in _UNARMED_TYPES or b.fatalities_total is not None or not b.fatalities:
        return None
    dead = _finer_dead(events, b, others)
    if not dead or dead >= b.fatalities:
        return None
    return events.index(b)


def _refine(trig: Trigger, sentence: str, tolls: Sequence[object]) -> Trigger:
    """An attack on civilians only is violence against civilians, not a battle."""
    if (
        trig.type == "battle"
        and trig.sub_type in ("attack", "armed clash")
        and _one_sided(sentence, tolls)
    ):
        return Trigger("violence_against_civilians", "attack on civilians", True, trig.pattern)
    return trig


def _one_sided(sentence: str, tolls: Sequence[object]) -> bool:
    """An "attack" whose only victims named are civilians, with no armed side fighting back."""
    if not _CIVILIAN_VICTIMS.search(sentence):
        return False
    armed = re.search(
        r"\b(?:rebels?|fighters|insurgents|militants|clash\w*|battles?|"
        r"fighting|fought|soldiers)\b",
        sentence,
        re.I,
    )
    return armed is None and (
        bool(tolls)
        or bool(re.search(r"\b(?:stormed|raided|attacked|shot|executed)\b", sentence, re.I))
    )


# A determiner that makes a noun a new happening, not one named before
_NEW_HAPPENING = re.compile(r"\b(?:a|an|another|new|fresh|further|more|other)\s+(?:\w+\s+)?$", re.I)


def _bare_plural(sentence: str, hit: _Hit) -> bool:
    """A generic trigger noun in the plural with no determiner of a new happening ("where
    raids killed 16"): the happenings just named, told again."""
    word = sentence[hit.start : hit.end]
    return (
        not hit.trigger.verb
        and word.lower().endswith("s")
        and not _NEW_HAPPENING.search(sentence, max(0, hit.start - 30), hit.start)
    )


# A run of capitalised words (and the small words of a title) at the start of a sentence
_TITLE_WORD = re.compile(
    r"(?:[A-Z0-9][\w'-]*|of|in|on|at|for|and|the|to|a|an|across|over|near|by|from|with|as)\s+"
)
_BODY_START = re.compile(r"(?:The|A|An)\s")
#: Capitalised words a headline run into the body has before it (fewer: a name, a label)
HEADLINE_WORDS = 5


def _headline_run_in(sentence: str) -> int:
    """Where the body begins when a title-case headline runs into it ("Syrian Army Strikes
    Hideouts in Three Provinces The army said ..."): the offset of the
    body's "The"/"A", after at least :data:`HEADLINE_WORDS` words of the headline with most of
    them capitalised; 0 when there is none."""
    pos = 0
    words = capital = 0
    while True:
        m = _TITLE_WORD.match(sentence, pos)
        if m is None:
            return 0
        if (
            words >= HEADLINE_WORDS
            and capital * 3 >= words * 2
            and _BODY_START.match(sentence, pos)
            and _lower_follows(sentence, m.end())
        ):
            return pos
        words += 1
        capital += sentence[pos].isupper()
        pos = m.end()


def _lower_follows(sentence: str, pos: int) -> bool:
    """Whether a lower-case word comes within two words of ``pos`` ("The Syrian army")."""
    rest = sentence[pos:].split()[:3]
    return any(w[:1].islower() for w in rest)


# A capitalised article right after a place name, inside a sentence: a label or a headline
# run into the body ("Homs The air force hit ...", "... Gains in Idlib Hama The army")
_LABEL_END = re.compile(r"\s+(?:The|A|An)\s+[A-Za-z]")


def _after_label(text: str, places: list[Mention]) -> list[Mention]:
    """The places of a sentence after the label or headline run into its start ("Homs The
    air force hit positions in X": X, not Homs); all of them when there is none, or
    when no place follows it."""
    for m in sorted(places, key=lambda m: m.start):
        if _LABEL_END.match(text, m.end):
            after = [o for o in places if o.start > m.end]
            return after or places
    return places


def _there(
    doc: Document,
    parse: nlp.Analysis,
    sentences: list[tuple[int, int]],
    si: int,
    by_sentence: dict[int, list[Mention]],
) -> list[Mention]:
    """The place a "there" of the sentence points back to ("Biggest destruction is in the
    northern X district. Gunmen took a depot there"): the finest place
    of the nearest of the two sentences before that names one, as a mention at "there"."""
    s0, s1 = sentences[si]
    spans = syntax.there_of(parse, s0, s1)
    if not spans:
        return []
    for back in (si - 1, si - 2):
        prev = [m for m in by_sentence.get(back, []) if m.place is not None]
        if back < 0 or not prev:
            continue
        best = max(
            prev,
            key=lambda m: (_BREADTH.get(m.place.kind if m.place else "", 9), -m.start),
        )
        assert best.place is not None
        return [
            replace(
                best,
                start=a,
                end=b,
                surface=doc.text[a:b],
                sentence=si,
                rules=(*best.rules, f"there:surface={best.surface}"),
            )
            for a, b in spans
        ]
    return []


def _carried(
    doc: Document,
    sentences: list[tuple[int, int]],
    si: int,
    by_sentence: dict[int, list[Mention]],
    hits: list[_Hit],
) -> list[Mention]:
    """A place carried over from the previous sentence of the same paragraph.

    Only for violent happenings ("Five men were shot dead by the militia" after "In Homs,
    ..."), and only the city the previous sentence was about: the
    broadest Syrian place it names.
    """
    if si == 0 or not any(
        h.trigger.type != "strategic" and h.trigger.type != "protest" for h in hits
    ):
        return []
    prev = by_sentence.get(si - 1)
    p0, p1 = sentences[si - 1]
    if not prev or "\n" in doc.text[p1 : sentences[si][0]]:
        return []
    rank = {"governorate": 0, "city": 1, "region": 1, "town": 2, "district": 2}
    best = min(prev, key=lambda m: (rank.get(m.place.kind if m.place else "", 9), m.start))
    if best.place is None or best.place.kind not in rank:
        return []
    return [
        Mention(
            best.doc,
            sentences[si][0],
            sentences[si][0],
            "",
            si,
            "event",
            best.status,
            best.place,
            best.score,
            f"carried over from the previous sentence ('{best.surface}')",
        )
    ]
