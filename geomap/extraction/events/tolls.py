"""Reported fatalities in a sentence: digits and words, sums; vague quantities are no toll.

"14 civilians and five soldiers killed" = 19; "which killed a child" = 1; "killing at least 11
people including four children" = 11 (a breakdown after "including" is not added); a vague
quantity ("dozens", "scores", "many") states no toll, as the development gold codes it (ACLED
would code 12, 20 ...: ``lexicon.VAGUE`` keeps those values for ``parse_number``), and neither does
the toll of a period ("in the last month"). The wounded
are not counted: a sentence that counts the wounded and names no dead states a toll of 0, as
does "no one was killed". Returns None when no death toll is stated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from geomap.extraction.lexicon import TENS, UNITS, VAGUE

_UNIT_WORDS = "|".join(sorted(UNITS, key=len, reverse=True))
_TEN_WORDS = "|".join(TENS)
_VAGUE_WORDS = "|".join(sorted((re.escape(v) for v in VAGUE), key=len, reverse=True))
NUM = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{_TEN_WORDS})(?:[- ](?:{_UNIT_WORDS}))?|"
    rf"(?:{_VAGUE_WORDS})|(?:{_UNIT_WORDS})(?: dozen| hundred)?)"
)
QUAL = r"(?:at least|more than|over|some|about|nearly|around|up to|almost|as many as)"
VICTIMS = (
    r"(?:people|persons|civilians|rebels?|fighters|soldiers|troops|children|child|"
    r"women|woman|men|man|members|militants|insurgents|protesters|demonstrators|"
    r"students|student|policem[ae]n|officers|officer|residents|others|individuals|"
    r"bab(?:y|ies)|combatants|gunmen|jihadists|workers|civilian|soldier|fighter|"
    r"person|boy|girl|boys|girls|family members|relatives|refugees|detainees|prisoners|"
    r"journalists?|doctors?|loyalists|militiamen|guards|villagers?|inhabitants|citizens?|"
    r"passengers|pilgrims|worshippers|patients|nurses|paramedics|rescuers|volunteers|"
    r"teachers|farmers|shepherds|servicem[ae]n|personnel|recruits|commanders|youths?|"
    r"infants|teenagers|minors|mothers|fathers|sons|daughters|brothers|sisters|"
    # armed men as the reports of each side name them
    r"terrorists?|extremists?|jihadis|mercenaries|takfiris?|militia members|hostages|"
    r"captives|pilots|crew members|policewomen|troopers|conscripts|"
    # one victim ("a militant was killed", "another journalist was shot dead")
    r"militant|insurgent|combatant|gunman|jihadist|terrorist|militiaman|commander|member|"
    r"mother|father|son|daughter|brother|sister|infant|teenager|nurse|paramedic|volunteer|"
    r"worker|teacher|farmer|shepherd|resident|pilot|conscript|hostage|detainee|prisoner|"
    r"refugee|policewoman|"
    # "four medical staff", "two medics"
    r"staff|medics|aid workers)"
)
# up to two words between a count and its victims ("12 young men"), never a number word:
# "June 14 2016 three people were killed" counts three people, not 2016
_ADJ = rf"(?:(?!(?:{_UNIT_WORDS}|{_TEN_WORDS})\b)[a-z'\u2019-]+\s+){{0,2}}?"
# a victim noun is no part of a hyphenated word ("a rebel-held region" counts no rebel)
_NOUN_END = r"(?![\w-])"
# "a number of terrorists", "a total of 70": the count is not the article's "a"
_NOT_A_COUNT = r"(?!\s+(?:number|lot|handful|couple|total|series|group)\s+of\b)"
_GROUP = (
    rf"(?:(?:another|a further)\s+)?(?:{QUAL}\s+)?(?P<n>{NUM}){_NOT_A_COUNT}\s+{_ADJ}{VICTIMS}"
    rf"{_NOUN_END}"
)
# "a mother and her child", "a man and his son": one more victim each
_KIN = (
    r"(?:child|son|daughter|wife|husband|brother|sister|mother|father|baby|infant|"
    r"grandson|granddaughter|nephew|niece|cousin)"
)
_POSSESSED = rf"\s+and\s+(?:his|her|their)\s+{_KIN}{_NOUN_END}"
# "14 civilians and five soldiers", "a father a mother and a son" (the commas stripped)
_MORE = (
    rf"(?P<more>(?:(?:\s*(?:,|and|as well as)\s+|\s+(?=an?\s))(?:{QUAL}\s+)?{NUM}\s+"
    rf"{_ADJ}{VICTIMS}{_NOUN_END}|{_POSSESSED})*)"
)
_KILLED = (
    r"(?:killed|dead|died|lost their lives|slain|shot dead|perished|executed|"
    r"massacred|beheaded|martyred|eliminated|neutrali[sz]ed|slaughtered|succumbed)"
)

# the words between a count and "killed" never hold a reporting verb: in "a rebel commander
# said five soldiers were killed" the commander speaks, the soldiers died
_SAYS = r"(?:said|says|told|tells|reported|reports|added|announced|stated|claimed|confirmed)"
# nor a partitive count ("a student who was one of those killed": one of the dead counted
# before)
_GAP_CHAR = rf"(?:(?!\b{_SAYS}\b|\b(?:one|some|many|most) of (?:the|those)\b)[^.;:])"
# a relative clause on the victims may run longer ("70 terrorists who were later identified as
# nationals of CIS states and Algeria were eliminated", "86 members of the forces and their
# allies who include ... were killed")
_GAP = (
    rf"(?:{_GAP_CHAR}{{0,70}}?|(?:\s+of\s+[^.;:,]{{0,50}}?)?\s*,?\s*(?:who|whom)\b"
    rf"{_GAP_CHAR}{{0,110}}?)"
)
# "10 Kurdish fighters were killed in the blast along with eight IS members": the dead named
# after the verb are dead too
_ALSO = (
    rf"(?:[^.;:]{{0,40}}?\b(?:along|together) with\s+(?:{QUAL}\s+)?(?P<also>{NUM})\s+"
    rf"{_ADJ}{VICTIMS}{_NOUN_END})?"
)
_BEFORE = re.compile(rf"\b{_GROUP}{_MORE}{_GAP}\b{_KILLED}\b{_ALSO}", re.I)
# "another militant was killed": one more dead, besides those counted before
_ANOTHER = re.compile(
    rf"\b(?P<n>another|a further)(?P<more>)\s+{_ADJ}{VICTIMS}\b{_GAP}\b{_KILLED}\b", re.I
)
_AFTER = re.compile(
    rf"\b(?:killing|killed|kills|kill|leaving|left|executed|executing|"
    rf"massacred|beheaded|eliminated|eliminating|"
    # "claiming the lives of three civilians", "cost the lives of 63 rebels"
    rf"(?:claim(?:ing|ed|s)?|cost(?:ing|s)?|took|taking)\s+the\s+lives\s+of|"
    # "the elimination of 34 militants", "the killing of five civilians"
    rf"(?:killing|elimination|deaths?|execution|slaying)\s+of|"
    # "the brigade lost 29 fighters": its own dead
    rf"lost|los(?:es|ing))\s+{_GROUP}{_MORE}"
    rf"(?:\s+dead)?",
    re.I,
)
# "claiming eight lives", "cost 12 lives"
_LIVES = re.compile(
    rf"\b(?:claim(?:ing|ed|s)?|cost(?:ing|s)?|took|taking)\s+(?:{QUAL}\s+)?(?P<n>{NUM})"
    rf"(?P<more>)\s+(?:more\s+)?lives\b",
    re.I,
)
# "the death toll rose to 12", "the death toll from Tuesday's rocket attacks on the same
# quarter was put at 8"
_TOLL = re.compile(
    rf"\b(?:death toll|toll)\b(?![\s-]+(?:roads?|booths?|gates?|plazas?|free)\b)"
    rf"[^.;]{{0,80}}?\b(?:to|of|at|reached|was|is)\s+"
    rf"(?:{QUAL}\s+)?(?P<n>{NUM})(?P<more>)",
    re.I,
)
# A count in digits or words, never a vague one ("killing some" is no toll of 3)
_COUNT = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{_TEN_WORDS})(?:[- ](?:{_UNIT_WORDS}))?|"
    rf"(?:{_UNIT_WORDS}))"
)
# "killing 14.", "killed 19 and wounded 22": a count with no victim noun, where the clause ends
_BARE = re.compile(
    rf"\b(?:killing|killed|kills)\s+(?:{QUAL}\s+)?(?P<n>{_COUNT})(?P<more>)"
    rf"(?=\s*(?:[,.;:)]|$|(?:and|in|on|at|near|when|while|after|including|among)\b))",
    re.I,
)
# "at least 10 of the dead came in strikes on X": the share of a toll that happened there
_PARTITIVE = re.compile(
    rf"\b(?:{QUAL}\s+)?(?P<n>{_COUNT})(?P<more>)\s+of\s+(?:the|those)\s+"
    rf"(?:dead|victims|fatalities|(?:people\s+)?killed)\b",
    re.I,
)
# "... in the last month", "over the past two weeks": the toll of a period, not of one event
_PERIOD = re.compile(
    r"[^.;]{0,40}?\b(?:in|over|during|within) the (?:last|past) (?:\w+ )?"
    r"(?:month|months|weeks|years?)\b",
    re.I,
)
# "Aamaq news agency claimed Daesh fighters killed 30 regime soldiers": a side's claim of the
# dead it made, in the clause of the count, is no report of a toll (the conservative count
# from a named source is the report's, not the claim's); "claimed responsibility for the attack
# which killed 20", "claimed the lives of" are no such claim
_CLAIMED = re.compile(
    r"\bclaim(?:ed|s|ing)\b(?!\s+(?:responsibility|credit|the\s+lives|\w+\s+lives))"
    r"(?P<agent>[^.;:,]*)$",
    re.I,
)
_LEFT = re.compile(r"(?:left|leaving)\b", re.I)
_NAME = re.compile(r"\b[A-Z]\w{2,}")  # "Daesh-affiliated Aamaq": Daesh, Aamaq
_OWN = re.compile(r"\b(?:its|their|our)\b|\bto have\b", re.I)


def _own_claim(sentence: str, start: int) -> bool:
    """Whether the count at ``start`` is a side's claim of the dead it made: "Aamaq news
    agency claimed Daesh fighters killed 30 soldiers", "the group claimed its fighters killed
    12", "claimed to have killed 40" (the claimant names the killer); not "the opposition
    claimed that Russian jets killed five" (an accusation: the count of a report)."""
    m = _CLAIMED.search(sentence, 0, start)
    if m is None:
        return False
    agent = m.group("agent")
    if _OWN.search(agent):
        return True
    claimant = sentence[max(0, m.start() - 60) : m.start()]
    names = {w.lower() for w in _NAME.findall(claimant)}
    return bool(names & {w.lower() for w in _NAME.findall(agent)})


_AMONG = re.compile(r"\bamong\s+(?:the|those)\b", re.I)
_NUM_RE = re.compile(rf"\b{NUM}\b", re.I)
# A report that nobody died is a toll of 0 (not an unknown toll): "without any casualties",
# "no one was killed", "claimed no lives", "caused no deaths"
_NO_DEATHS = re.compile(
    r"\b(?:without (?:causing |leaving )?(?:any )?(?:casualties|deaths|fatalities|victims)|"
    r"no (?:one|body) (?:was|were) (?:killed|hurt|injured)|nobody (?:was|were) (?:killed|hurt)|"
    r"no (?:casualties|deaths|fatalities) (?:were|was|have been|had been) (?:reported|recorded)|"
    r"(?:claim(?:ed|ing|s)?|caus(?:ed|ing|es)|le(?:ft|aving)) no (?:human |civilian )?"
    r"(?:lives|casualties|deaths|victims))\b",
    re.I,
)
# People hurt, counted: "two civilians were injured", "injuring three", "left five wounded",
# "another one was injured". With no death in the sentence, the toll is 0 (the dead are not
# unknown: the report counts who was hurt and names no dead), as ACLED codes it. "Seven were
# also wounded" adds the hurt to a toll given before: no toll of its own.
_HURT_WORDS = r"(?:injur(?:ed|ing|ies)|wound(?:ed|ing)|hurt)"
_HURT = re.compile(
    rf"(?:\b(?:{QUAL}\s+)?(?:{NUM}|another one|one|another|a further)\s+"
    rf"(?:{_ADJ}{VICTIMS}\s+|others?\s+)?"
    rf"(?:[^.;:]{{0,40}}?\b)?(?:were|was|have been|had been|got|are|is)\s+"
    rf"{_HURT_WORDS}\b|"
    rf"\b(?:injuring|wounding|injured|wounded|leaving|left)\s+(?:{QUAL}\s+)?(?:{NUM})\b)",
    re.I,
)
# Any word that reports or implies a death: a sentence with one is no injury-only report
_ANY_DEATH = re.compile(
    r"\b(?:kill\w*|dead|deaths?|deadly|died|dies?|dying|lives|life|martyr\w*|slain|"
    r"fatal\w*|casualt\w*|bod(?:y|ies)|massacre\w*|execut\w*|perish\w*|eliminat\w*|"
    r"toll|corpses?|behead\w*|slaughter\w*|neutrali[sz]\w*|succumb\w*)\b",
    re.I,
)
_ELLIPTIC = re.compile(
    rf"\b(?:and|while|with)\s+(?:{QUAL}\s+)?(?:another\s+)?(?P<n>\d+|{_TEN_WORDS}|{_UNIT_WORDS})"
    rf"\s+(?:more\s+|others?\s+)?(?:in|at|near)\b",
    re.I,
)
# (matched at the end of a count: no "^", which would only match at the sentence's start)
_WOUNDED_AFTER = re.compile(
    r"\s*(?:were\s+|have been\s+|had been\s+)?(?:wounded|injured|hurt|"
    r"arrested|detained|displaced)",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Toll:
    count: int
    start: int  # offsets of the phrase in the sentence
    end: int
    #: "nine other civilians", "another two", "five more": dead besides those counted before,
    #: so the toll of another happening than the one a toll before was given for
    other: bool = False
    #: "at least 10 of the dead": a part of a toll given before, at a place within its place
    part: bool = False
    #: "six children were among those killed in raids on X": some of the dead of a toll given
    #: before, by who they were, told where the toll's dead died
    among: bool = False


def parse_number(text: str) -> int | None:
    """The value of a number written in digits or words ("1,700", "twenty-two", "a dozen")."""
    t = " ".join(text.lower().split())
    if t in VAGUE:
        return VAGUE[t]
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", t):
        return int(t.replace(",", ""))
    m = re.fullmatch(rf"({_TEN_WORDS})(?:[- ]({_UNIT_WORDS}))?", t)
    if m:
        return TENS[m.group(1)] + (UNITS[m.group(2)] if m.group(2) else 0)
    m = re.fullmatch(rf"({_UNIT_WORDS})(?: (dozen|hundred))?", t)
    if m:
        return UNITS[m.group(1)] * {"dozen": 12, "hundred": 100, None: 1}[m.group(2)]
    return None


def _sum(m: re.Match[str]) -> int | None:
    first = parse_number(m.group("n"))
    if first is None:
        return None
    total = first
    more = m.group("more") or ""
    for n in _NUM_RE.finditer(more):
        value = parse_number(n.group(0))
        if value is not None and not re.match(r"\s*(?:,|and)\s*$", n.group(0)):
            total += value
    also = m.groupdict().get("also")
    if also and " ".join(also.lower().split()) not in VAGUE:
        total += parse_number(also) or 0
    return total + len(re.findall(_POSSESSED, more, re.I))


#: A count above this is a war-wide or period-wide figure ("more than 300,000 people have been
#: killed since 2011"), never the toll of one event.
MAX_EVENT_TOLL = 2000


_OTHER_BEFORE = re.compile(r"\b(?:another|a further)\s+(?:" + QUAL + r"\s+)?$", re.I)
_OTHER_AFTER = re.compile(r"\s+(?:other|more|further)\b(?!\s+than)", re.I)


def _is_other(sentence: str, n0: int, n1: int) -> bool:
    """Whether the count at ``n0:n1`` counts dead besides others ("another two", "nine other
    civilians", "five more people")."""
    return bool(
        _OTHER_BEFORE.search(sentence[max(0, n0 - 30) : n0]) or _OTHER_AFTER.match(sentence, n1)
    )


def find_tolls(sentence: str, *, exclude: Sequence[tuple[int, int]] = ()) -> list[Toll]:
    """Every death toll stated in a sentence, in order; breakdowns after "including" dropped.

    ``exclude``: spans of the sentence that are no count (dates: "June 14 2016"); a toll whose
    number lies in one is dropped. Counts above :data:`MAX_EVENT_TOLL` are dropped too.
    """
    found: list[Toll] = []
    for m in _NO_DEATHS.finditer(sentence):  # "without any casualties": a toll of 0
        found.append(Toll(0, m.start(), m.end()))
    if not _ANY_DEATH.search(sentence):  # "injuring three civilians" and no dead: a toll of 0
        for m in _HURT.finditer(sentence):
            if re.search(r"\balso\b", m.group(0), re.I):
                continue
            if not any(a < m.end() and m.start() < b for a, b in exclude):
                found.append(Toll(0, m.start(), m.end()))
    for m in _ANOTHER.finditer(sentence):
        if not any(a < m.end("n") and m.start("n") < b for a, b in exclude):
            found.append(Toll(1, m.start(), m.end(), other=True))
    for pattern in (_BEFORE, _AFTER, _TOLL, _LIVES, _BARE, _PARTITIVE):
        for m in pattern.finditer(sentence):
            if (
                pattern is _AFTER
                and _LEFT.match(m.group(0))
                and _WOUNDED_AFTER.match(sentence, m.end())
            ):
                continue  # "left three people wounded"; "killed 30 people injured 90" kills 30
            if (
                pattern is _BEFORE
                and re.search(r"\b(?:wounded|injured)\b", m.group(0), re.I)
                and not re.search(r"\b(?:killed|dead|died)\b[^,]*$", m.group(0), re.I)
            ):
                continue
            value = _sum(m)
            if not value or value > MAX_EVENT_TOLL:  # "claimed no lives" states no toll
                continue
            if " ".join(m.group("n").lower().split()) in VAGUE.keys() - {"a dozen"}:
                continue  # "dozens were killed": vague, no toll (the dev gold's convention)
            if _PERIOD.match(sentence, m.end()):
                continue  # "450 people were killed there in the last month": no one event's
            n0, n1 = m.span("n")
            if any(a < n1 and n0 < b for a, b in exclude):
                continue
            before = sentence[max(0, m.start() - 12) : m.start()]
            if re.search(r"\bincluding\s*$", before, re.I):
                continue
            if _own_claim(sentence, m.start()):
                continue  # "its news agency claimed its fighters killed 30 soldiers": a claim
            found.append(
                Toll(
                    value,
                    m.start(),
                    m.end(),
                    _is_other(sentence, n0, n1),
                    part=pattern is _PARTITIVE,
                    among=_AMONG.search(m.group(0)) is not None,
                )
            )
    if found:  # "killed 45 civilians in X and 22 in Y": the count the second place stands for
        for m in _ELLIPTIC.finditer(sentence, min(t.end for t in found)):
            value = parse_number(m.group("n"))
            if value is not None and value <= MAX_EVENT_TOLL:
                if not any(a < m.end("n") and m.start("n") < b for a, b in exclude):
                    found.append(Toll(value, m.start("n"), m.end("n")))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    out: list[Toll] = []
    for t in found:
        if out and t.start < out[-1].end:
            continue
        out.append(t)
    return out


def fatalities(sentence: str) -> int | None:
    """The largest death toll a sentence states, or None."""
    tolls = find_tolls(sentence)
    return max(t.count for t in tolls) if tolls else None
