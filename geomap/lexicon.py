"""Vocabulary of conflict reporting: event triggers, actors, attribution, numbers.

General war-reporting vocabulary after the ACLED codebook (event types and sub-event types),
not phrases of any one article. Each trigger is a regex over a sentence; ``verb`` says whether
the trigger is a finite verb ("shelled", "were fighting") rather than a noun ("shelling",
"clashes"): a sentence's main verb decides the type of the places it governs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    sub_type: str
    verb: bool
    pattern: re.Pattern[str]


def _t(type_: str, sub: str, verb: bool, pattern: str) -> Trigger:
    return Trigger(type_, sub, verb, re.compile(rf"\b(?:{pattern})\b", re.I))


TRIGGERS: tuple[Trigger, ...] = (
    # remote violence: the attacker is not on the ground where the harm is done
    _t("remote_violence", "shelling", True, r"shelled|shells|(?:were|was|being) shelled"),
    _t(
        "remote_violence",
        "shelling",
        False,
        r"shelling|artillery(?: fire| barrages?)?|"
        r"mortar (?:fire|rounds?|bombs?|shells?|attacks?)|mortars?|rocket (?:fire|attacks?)|"
        r"rockets?|tank fire|missiles?",
    ),
    _t("remote_violence", "bombardment", True, r"bombarded|bombed|pounded|blitzed"),
    _t(
        "remote_violence",
        "bombardment",
        False,
        r"bombardments?|bombing|bombings|"
        r"barrel bombs?|cluster bombs?|bombs",
    ),
    _t(
        "remote_violence",
        "air strike",
        True,
        r"(?:air|war)?(?:planes|jets|helicopters)"
        r"(?: \w+)? (?:struck|hit|attacked|targeted|dropped|raided|bombed)|struck|strafed",
    ),
    _t(
        "remote_violence",
        "air strike",
        False,
        r"air ?strikes?|airstrikes?|air raids?|"
        r"aerial (?:bombardment|attacks?|strikes?)|raids? by (?:war)?planes",
    ),
    _t("remote_violence", "explosion", True, r"exploded|detonated|blew up"),
    _t(
        "remote_violence",
        "explosion",
        False,
        r"explosions?|blasts?|car bombs?|suicide "
        r"(?:bomb(?:ing|er)?s?|attacks?)|IEDs?|improvised explosive devices?|landmines?",
    ),
    # battles: armed groups fighting each other
    _t(
        "battle",
        "clashes",
        True,
        r"clashed|clash(?:ing)? with|fought|(?:were|was|are|is|been)"
        r" (?:fighting|battling)|battled|skirmished|exchanged fire|engaged",
    ),
    _t(
        "battle",
        "clashes",
        False,
        r"clash(?:es)?|fighting|fights?|battles?|gun ?battles?|"
        r"firefights?|skirmish(?:es)?|combat|street battles?|hostilities|gunfire|gunshots|"
        r"heavy machine ?gun fire|exchanges? of fire",
    ),
    _t(
        "battle",
        "attack",
        True,
        r"attacked|assaulted|ambushed|stormed|raided|launched "
        r"(?:an? )?(?:\w+ )?(?:assault|attack|offensive)|advanced|pushed into|besieged|"
        r"destroyed|shot down|downed",
    ),
    _t(
        "battle",
        "attack",
        False,
        r"assaults?|attacks?|ambush(?:es)?|counter-?offensive|"
        r"incursion|advances?|anti-tank (?:missiles?|rockets?|weapons?)",
    ),
    _t(
        "battle",
        "capture",
        True,
        r"seized|captured|(?:took|taken|take|taking|regained|gained|"
        r"seize|seizing|won|wrested) (?:back )?control|overran|overrunning|overrun|recaptured|"
        r"retook|retaken|took over|taken over|fell to|stormed and took|liberated|"
        r"captur(?:e|ing)|recaptur(?:e|ing)|regained",
    ),
    # violence against civilians
    _t(
        "violence_against_civilians",
        "execution",
        True,
        r"executed|massacred|summarily "
        r"killed|tortured(?: to death)?|beheaded|slaughtered",
    ),
    _t(
        "violence_against_civilians",
        "execution",
        False,
        r"executions?|massacres?|"
        r"mass killings?|field executions?",
    ),
    _t(
        "violence_against_civilians",
        "abduction",
        True,
        r"abducted|kidnapped|detained|"
        r"arrested|rounded up",
    ),
    _t(
        "violence_against_civilians",
        "abduction",
        False,
        r"abductions?|kidnappings?|"
        r"arrests?|detentions?",
    ),
    # protests
    _t(
        "protest",
        "demonstration",
        True,
        r"demonstrated|protested|rallied|marched|"
        r"took to the streets",
    ),
    _t(
        "protest",
        "demonstration",
        False,
        r"demonstrations?|protests?|rall(?:y|ies)|"
        r"sit-ins?|marches",
    ),
    # strategic developments
    _t(
        "strategic",
        "deployment",
        True,
        # a sending verb with what is sent: "sent in fresh troops", "is sending more jets"
        r"deployed|massed|massing|dispatched|"
        r"(?:sent|sending|sends|send|rushed|rushing|rushes|dispatching|deploying|moved|moving)"
        r"(?: in)? (?:more |additional |fresh |new |extra )?(?:troops|reinforcements|tanks|"
        r"warplanes|jets|aircraft|fighters|forces|units)",
    ),
    _t("strategic", "deployment", False, r"deployments?|reinforcements|build-?up"),
    _t("strategic", "defection", True, r"defected|deserted"),
    _t("strategic", "defection", False, r"defections?|defectors?"),
    _t(
        "strategic",
        "withdrawal",
        True,
        r"withdrew|pulled (?:back|out)|retreated|"
        r"evacuated",
    ),
    _t("strategic", "withdrawal", False, r"withdrawals?|retreat"),
    # an offensive announced or begun, with no fighting reported in the sentence
    _t(
        "strategic",
        "offensive",
        True,
        r"(?:start(?:s|ed|ing)?|begin(?:s|ning)?|began|begun|announc(?:e|es|ed|ing)|"
        r"launch(?:es|ing)?) (?:an? |its |the |their )?(?:[\w-]+ ){0,2}(?:offensive|campaign)",
    ),
    _t(
        "strategic",
        "agreement",
        False,
        r"ceasefire|cease-fire|truce",
    ),
)

#: Words that kill: a sentence with only these and a place is a battle (or violence against
#: civilians when the victims are civilians and nobody fought).
KILLING = re.compile(
    r"\b(?:killed|killing|dead|died|death toll|lost their lives|shot dead|"
    r"slain)\b",
    re.I,
)
NEGATION = re.compile(r"\b(?:no|not|denied|without|never|nor)\b[^.;,]{0,25}$", re.I)

ACTORS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rf"\b(?:{p})\b", re.I))
    for name, p in (
        ("Free Syrian Army", r"Free Syrian Army|FSA"),
        (
            "rebels",
            r"rebels?|insurgents?|opposition fighters|armed opposition|rebel "
            r"(?:units|fighters|forces|brigades)|revolutionaries|militants",
        ),
        (
            "regime forces",
            r"regime(?: forces| troops)?|government (?:forces|troops|soldiers)|"
            r"Syrian army|(?<!Turkish )(?<!US )(?<!U\.S\. )(?<!American )(?<!Russian )"
            r"(?<!Iraqi )(?<!Israeli )(?<!Kurdish )(?:army|troops|soldiers)|security forces|"
            r"loyalists|"
            r"pro-Assad|Assad(?:'s|\u2019s)? forces|shabiha|special forces|"
            r"tanks|helicopters|government loyalists",
        ),
        ("Russia", r"Russian?(?: warplanes| jets| forces| air strikes| military)?|Kremlin"),
        ("Islamic State", r"Islamic State|ISIS|ISIL|Daesh"),
        ("Nusra Front", r"Nusra(?: Front)?|al-Nusra|Jabhat al-Nusra"),
        ("Kurdish forces", r"Kurdish (?:fighters|forces|militia)|YPG|SDF|PYD"),
        ("Hezbollah", r"Hezbollah|Hizbollah"),
        ("protesters", r"protesters|demonstrators|protestors"),
        ("police", r"police(?:men)?"),
        ("students", r"students"),
        ("diplomats", r"diplomats?|ambassadors?|envoys?"),
        ("civilians", r"civilians|residents"),
        ("Turkey", r"Turkish (?:forces|army|troops|military)"),
        ("US-led coalition", r"US-led coalition|coalition (?:warplanes|air ?strikes|forces)"),
    )
)

ATTRIBUTION = re.compile(
    r"\b(?P<who>(?:the\s+)?(?:Britain-based\s+|British-based\s+|UK-based\s+)?(?:Syrian\s+)?"
    r"Observatory(?:\s+for\s+Human\s+Rights)?|(?:the\s+)?(?:monitoring\s+group|watchdog)|"
    r"activists?|residents?|witnesses|state (?:media|television|TV|news agency)|SANA|"
    r"(?:the\s+)?(?:army|military|government|ministry)|(?:a\s+)?(?:rebel|opposition)\s+"
    r"(?:commander|spokesman|source)|(?:a\s+)?security source|Reuters|AFP|Al Jazeera)"
    r"(?:\s*,[^,]{0,60},)?\s+(?:said|says|reported|reports|told|added|confirmed|claimed)",
    re.I,
)
ACCORDING = re.compile(r"\baccording to (?P<who>(?:the\s+)?[\w -]{2,50}?)(?=[,.;]|$)", re.I)

UNITS = {
    "zero": 0,
    "no": 0,
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
#: Vague quantities, coded conservatively as ACLED does.
VAGUE = {
    "a dozen": 12,
    "dozens": 12,
    "dozens of": 12,
    "scores": 20,
    "scores of": 20,
    "hundreds": 100,
    "hundreds of": 100,
    "thousands": 1000,
    "thousands of": 1000,
    "several": 3,
    "a few": 3,
    "few": 3,
    "many": 10,
    "some": 3,
}


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex ("a|b(c|d)" -> ["a", "b(c|d)"])."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def _prefixes(trig: Trigger) -> tuple[str, ...]:
    """Literal beginnings of a trigger's alternatives: a cheap test before the regex runs.

    Empty when some alternative starts with regex syntax (then the regex always runs).
    """
    inner = trig.pattern.pattern[len(r"\b(?:") : -len(r")\b")]
    out = []
    for alt in _alternatives(inner):
        m = re.match(r"[a-z -]+", alt, re.I)
        literal = m.group(0) if m else ""
        if len(literal.strip()) < 3:
            return ()
        out.append(literal.strip().lower()[:5])
    return tuple(sorted(set(out)))


#: Each trigger with the literal beginnings that must occur for it to match.
TRIGGER_PREFIXES: tuple[tuple[Trigger, tuple[str, ...]], ...] = tuple(
    (t, _prefixes(t)) for t in TRIGGERS
)
