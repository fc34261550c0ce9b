"""Vocabulary of conflict reporting: event triggers, actors, attribution, numbers.

General war-reporting vocabulary after the ACLED codebook (event types and sub-event types),
not phrases of any one article. The triggers are data (``geomap/extraction/data/triggers.csv``):
one row a
lemma or phrase with its ACLED type and sub-type and its frame (``verb``: a finite verb such as
"shelled", "were fighting"; ``noun``: "shelling", "clashes"), from which every inflection is
generated ("pound" -> pound, pounds, pounded, pounding; "strike" -> struck; nouns get their
plurals). A sentence's main verb decides the type of the places it governs. The actors are data
too (``geomap/extraction/data/actors.csv``).

Lemma syntax (one row): ``;`` separates alternative phrases; within a phrase, ``a/b`` is a
choice of words, ``{a/b}`` an optional choice, ``{w}`` any one optional word, and ``^word``
marks the word to inflect (default: a verb's first word, a noun's last word). ``skip`` lists
inflected words not to generate ("march": the month); ``exclude_before`` lists words that, just
before the match, make it no trigger ("hunger strike", "the besieged town"); ``object``
"place" makes a verb a trigger only when the parse shows a place as its object ("took the
village", "the village was taken"), never without the parse.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    sub_type: str
    verb: bool
    pattern: re.Pattern[str]
    id: str = ""
    #: a generic word ("attack", "attacked") that a more specific trigger of the same clause
    #: describes better ("a car bomb attack", "jets attacked")
    generic: bool = False
    exclude_before: frozenset[str] = frozenset()
    #: "place": the trigger fires only with a place as its object, read from the parse
    #: ("took the village", "X was taken"; not "took place", "took 300 hostages")
    object: str = ""


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """One row of ``triggers.csv``."""

    id: str
    lemma: str
    pos: str
    type: str
    sub_type: str
    generic: bool
    exclude_before: frozenset[str]
    skip: frozenset[str]
    example: str
    near_miss: str
    object: str = ""


#: Irregular verbs: base -> (3rd person, past, past participle, -ing).
IRREGULAR: dict[str, tuple[str, str, str, str]] = {
    "shoot": ("shoots", "shot", "shot", "shooting"),
    "take": ("takes", "took", "taken", "taking"),
    "retake": ("retakes", "retook", "retaken", "retaking"),
    "blow": ("blows", "blew", "blown", "blowing"),
    "fight": ("fights", "fought", "fought", "fighting"),
    "strike": ("strikes", "struck", "struck", "striking"),
    "hit": ("hits", "hit", "hit", "hitting"),
    "overrun": ("overruns", "overran", "overrun", "overrunning"),
    "win": ("wins", "won", "won", "winning"),
    "begin": ("begins", "began", "begun", "beginning"),
    "send": ("sends", "sent", "sent", "sending"),
    "withdraw": ("withdraws", "withdrew", "withdrawn", "withdrawing"),
    "fall": ("falls", "fell", "fallen", "falling"),
    "kidnap": ("kidnaps", "kidnapped", "kidnapped", "kidnapping"),
    "bring": ("brings", "brought", "brought", "bringing"),
    "seize": ("seizes", "seized", "seized", "seizing"),
    "down": ("downs", "downed", "downed", "downing"),
    "target": ("targets", "targeted", "targeted", "targeting"),
    "rally": ("rallies", "rallied", "rallied", "rallying"),
}
_VOWELS = "aeiou"


def verb_forms(base: str) -> tuple[str, ...]:
    """base, 3rd person, past, past participle and -ing of a verb."""
    b = base.lower()
    if b in IRREGULAR:
        return (b, *IRREGULAR[b])
    if b.endswith(("s", "x", "z", "ch", "sh")):
        third = b + "es"
    elif b.endswith("y") and b[-2:-1] not in _VOWELS:
        third = b[:-1] + "ies"
    else:
        third = b + "s"
    groups = re.findall(r"[aeiou]+", b)
    cvc = (
        len(groups) == 1
        and len(b) >= 3
        and b[-1] not in _VOWELS + "wxy"
        and b[-2] in _VOWELS
        and b[-3] not in _VOWELS
    )
    if b.endswith("e"):
        past, ing = b + "d", (b[:-2] + "ying" if b.endswith("ie") else b[:-1] + "ing")
        if b.endswith("ee"):
            ing = b + "ing"
    elif b.endswith("y") and b[-2:-1] not in _VOWELS:
        past, ing = b[:-1] + "ied", b + "ing"
    elif cvc:
        past, ing = b + b[-1] + "ed", b + b[-1] + "ing"
    else:
        past, ing = b + "ed", b + "ing"
    return (b, third, past, past, ing)


def noun_forms(noun: str) -> tuple[str, ...]:
    """Singular and plural of a noun (a word ending in -s is left as it is)."""
    n = noun.lower()
    if n.endswith("s"):
        return (n,)
    if n.endswith(("x", "z", "ch", "sh")):
        return (n, n + "es")
    if n.endswith("y") and n[-2:-1] not in _VOWELS:
        return (n, n[:-1] + "ies")
    return (n, n + "s")


_WORD = r"[\w'-]+"


def _phrase_tokens(phrase: str, pos: str) -> list[tuple[bool, list[str] | None]]:
    """(optional, words or None for any word) per token; the inflected token is expanded."""
    raw = phrase.split()
    marked = [i for i, tok in enumerate(raw) if tok.startswith("^")]
    if marked:
        target = marked[0]
    elif pos == "verb":
        target = 0
    elif pos == "noun":
        target = len(raw) - 1
    else:
        target = -1
    out: list[tuple[bool, list[str] | None]] = []
    for i, tok in enumerate(raw):
        tok = tok.lstrip("^")
        optional = tok.startswith("{") and tok.endswith("}")
        if optional:
            tok = tok[1:-1]
        if tok in ("w", "self"):
            out.append((optional, None))
            continue
        words = [w for w in tok.split("/") if w]
        if i == target:
            forms = verb_forms if pos == "verb" else noun_forms
            words = [f for w in words for f in forms(w)]
        out.append((optional, list(dict.fromkeys(words))))
    return out


def _first_words(tokens: list[tuple[bool, list[str] | None]]) -> list[str]:
    optional, words = tokens[0]
    if optional or words is None:
        raise ValueError("a trigger phrase must begin with a word")
    return words


def _phrase_regex(tokens: list[tuple[bool, list[str] | None]]) -> str:
    parts: list[str] = []
    for i, (optional, words) in enumerate(tokens):
        if words is None:
            body = _WORD
        else:
            alts = sorted(words, key=len, reverse=True)
            body = "(?:" + "|".join(re.escape(w) for w in alts) + ")"
        if i == 0:
            parts.append(body)
        elif optional:
            parts.append(rf"(?:\s+{body})?")
        else:
            parts.append(rf"\s+{body}")
    return "".join(parts)


def _split(field: str) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in field.split(";") if w.strip())


@lru_cache(maxsize=1)
def trigger_entries() -> tuple[TriggerEntry, ...]:
    """The rows of ``geomap/extraction/data/triggers.csv`` (read once)."""
    data = resources.files("geomap.extraction").joinpath("data")
    text = data.joinpath("triggers.csv").read_text(encoding="utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        out.append(
            TriggerEntry(
                id=row["id"],
                lemma=row["lemma"],
                pos=row["pos"],
                type=row["type"],
                sub_type=row["sub_type"],
                generic=row["generic"].strip() == "1",
                exclude_before=_split(row["exclude_before"]),
                skip=_split(row["skip"]),
                example=row["example"],
                near_miss=row["near_miss"],
                object=(row.get("object") or "").strip(),
            )
        )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class TriggerGroup:
    """The triggers of one (type, sub-type, frame), compiled to one pattern."""

    type: str
    sub_type: str
    verb: bool
    pattern: re.Pattern[str]
    #: the matched words (lowercase, single spaces) -> the trigger of their row
    literal: dict[str, Trigger]
    #: rows with a free slot: their own pattern decides which row a match belongs to
    slotted: tuple[Trigger, ...]

    def trigger_for(self, matched: str) -> Trigger:
        key = " ".join(matched.lower().split())
        hit = self.literal.get(key)
        if hit is not None:
            return hit
        for t in self.slotted:
            if t.pattern.fullmatch(matched):
                return t
        # a match the rows' own patterns do not reproduce exactly (never expected)
        return next(iter(self.literal.values()), None) or self.slotted[0]


def _literal_forms(tokens: list[tuple[bool, list[str] | None]]) -> list[str] | None:
    """Every surface form of a phrase without optional or free tokens, else None."""
    forms = [""]
    for optional, words in tokens:
        if optional or words is None:
            return None
        forms = [f"{f} {w}".strip() for f in forms for w in words]
    return forms


@lru_cache(maxsize=1)
def compiled_triggers() -> tuple[tuple[TriggerGroup, ...], ahocorasick.Automaton]:
    """The trigger groups and an automaton from first words to the groups they may begin."""
    entries = trigger_entries()
    parsed: list[tuple[TriggerEntry, list[list[tuple[bool, list[str] | None]]]]] = []
    noun_surfaces: set[str] = set()
    for e in entries:
        alts = []
        for phrase in (p.strip() for p in e.lemma.split(";")):
            if not phrase:
                continue
            tokens = _phrase_tokens(phrase, "verb" if e.pos == "verb" else e.pos)
            tokens = [
                (opt, None if ws is None else [w for w in ws if w.lower() not in e.skip])
                for opt, ws in tokens
            ]
            if any(ws == [] for _, ws in tokens):
                continue
            alts.append(tokens)
            if e.pos in ("noun", "noun-phrase"):
                noun_surfaces.update(_literal_forms(tokens) or ())
        parsed.append((e, alts))
    order: list[tuple[str, str, bool]] = []
    members: dict[tuple[str, str, bool], list[tuple[Trigger, list[str], list[str], bool]]] = {}
    first: dict[str, set[int]] = {}
    for e, alts in parsed:
        verb = e.pos in ("verb", "verb-phrase")
        key = (e.type, e.sub_type, verb)
        regexes: list[str] = []
        literals: list[str] = []
        slots = False
        starts: list[str] = []
        for tokens in alts:
            forms = _literal_forms(tokens)
            if verb and forms is not None and len(tokens) == 1:
                # "attacks", "shelling": the noun reading wins over the verb's
                forms = [f for f in forms if f not in noun_surfaces]
                if not forms:
                    continue
                tokens = [(False, forms)]
            regexes.append(_phrase_regex(tokens))
            if forms is None:
                slots = True
            else:
                literals.extend(forms)
            starts.extend(_first_words(tokens))
        if not regexes:
            continue
        if key not in members:
            members[key] = []
            order.append(key)
        for w in starts:
            first.setdefault(w.lower(), set()).add(order.index(key))
        pattern = re.compile(r"\b(?:" + "|".join(regexes) + r")\b", re.I)
        trig = Trigger(
            e.type, e.sub_type, verb, pattern, e.id, e.generic, e.exclude_before, e.object
        )
        members[key].append((trig, regexes, literals, slots))
    groups = []
    for key in order:
        regexes = [r for _, rs, _, _ in members[key] for r in rs]
        regexes.sort(key=len, reverse=True)
        literal: dict[str, Trigger] = {}
        for trig, _, lits, _ in members[key]:
            for f in lits:
                literal.setdefault(f, trig)
        slotted = tuple(t for t, _, _, slots in members[key] if slots)
        groups.append(
            TriggerGroup(
                key[0],
                key[1],
                key[2],
                re.compile(r"\b(?:" + "|".join(regexes) + r")\b", re.I),
                literal,
                slotted,
            )
        )
    automaton = ahocorasick.Automaton()
    for word, idx in first.items():
        automaton.add_word(word, frozenset(idx))
    automaton.make_automaton()
    return tuple(groups), automaton


#: Every trigger row, compiled (one pattern a row).
TRIGGERS: tuple[Trigger, ...] = tuple(
    dict.fromkeys(t for g in compiled_triggers()[0] for t in (*g.literal.values(), *g.slotted))
)


#: Words that kill: a sentence with only these and a place is a battle (or violence against
#: civilians when the victims are civilians and nobody fought).
KILLING = re.compile(
    r"\b(?:killed|killing|dead|died|death toll|lost their lives|shot dead|"
    r"slain|(?:were|was|been) (?:eliminated|neutrali[sz]ed))\b",
    re.I,
)
#: Words that negate a statement: the one list every negation test takes its words from (each
#: call site keeps its own window). "neither ... nor ... is based in Homs", "are not in Damascus".
NEGATION_WORDS = ("neither", "nor", "no longer", "not", "never")
#: Words that deny the happening named right after them ("no shelling", "denied shelling",
#: "without fighting"): with :data:`NEGATION_WORDS`, what negates a trigger word.
DENIAL_WORDS = ("no", "denied", "without")


#: "not" that negates no statement about what follows: "not far from X", "it was not
#: (immediately) clear what caused the blast in X", "did not know whether ... the strikes on X".
NOT_NEGATING = ("far", "immediately", "clear", "known", "know")


def negation_words(*extra: tuple[str, ...], hedges: bool = True) -> str:
    """:data:`NEGATION_WORDS` (and ``extra`` lists) as one regex alternation, in a group;
    ``hedges=False`` leaves out a "not" followed by one of :data:`NOT_NEGATING`."""
    words = NEGATION_WORDS + tuple(w for more in extra for w in more)
    hedged = r"not(?!\s+(?:" + "|".join(NOT_NEGATING) + r")\b)"
    return (
        r"\b(?:"
        + "|".join(
            hedged if w == "not" and not hedges else re.escape(w).replace(r"\ ", " ") for w in words
        )
        + r")\b"
    )


#: A trigger word negated by the few words before it ("no shelling", "were not killed").
NEGATION = re.compile(negation_words(DENIAL_WORDS) + r"[^.;,]{0,25}$", re.I)


@lru_cache(maxsize=1)
def actor_rows() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(canonical name, kind, alias patterns) of ``geomap/extraction/data/actors.csv`` (read once).

    Each alias is a regex fragment without nested quantifiers; a name's aliases are matched
    as whole words, case-insensitively.
    """
    data = resources.files("geomap.extraction").joinpath("data")
    text = data.joinpath("actors.csv").read_text(encoding="utf-8")
    return tuple(
        (row["name"], row["kind"], tuple(a for a in row["aliases"].split(";") if a))
        for row in csv.DictReader(io.StringIO(text))
    )


def _article_spaced(alias: str) -> str:
    """An alias whose Arabic article may stand apart ("Faylaq al-Sham", "Faylaq Al Sham")."""
    return re.sub(r"\b(al|ash)-", r"\1[- ]", alias, flags=re.I)


#: Named groups before generic ones; "civilians" is never an actor. A name may carry a
#: possessive, its apostrophe lost in many copies ("the armys air force": the army's).
ACTORS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (
        name,
        re.compile(
            rf"\b(?:{'|'.join(_article_spaced(a) for a in aliases)})(?:['\u2019]?s)?\b", re.I
        ),
    )
    for name, _, aliases in actor_rows()
)


def _needle(pattern: str) -> str:
    """The literal words an alias pattern starts with, lower-cased ("rebels?" -> "rebel",
    "Jaish al[- ]Islam" -> "jaish al"): text without them holds no match of it. "" when the
    pattern starts with no literal letter."""
    out: list[str] = []
    for ch in pattern:
        if ch in "?*{":  # the character before is optional
            return "".join(out[:-1]).lower()
        if not (ch.isalnum() or ch in " '-"):
            break
        out.append(ch)
    return "".join(out).lower()


#: For each actor of :data:`ACTORS`, the literal starts of its aliases; None when one alias
#: has none (the actor's pattern is always tried). A sentence that, lower-cased, contains
#: none of them holds no match of the actor's pattern (a cheap test before the regex).
ACTOR_NEEDLES: dict[str, tuple[str, ...] | None] = {
    name: (
        None
        if any(not _needle(_article_spaced(a)) for a in aliases)
        else tuple(sorted({_needle(_article_spaced(a)) for a in aliases}))
    )
    for name, _, aliases in actor_rows()
}
#: Actors that fly aircraft: an air strike's actor is one of them (kinds regime and state).
AIR_ACTORS: frozenset[str] = frozenset(
    name for name, kind, _ in actor_rows() if kind in ("regime", "state")
)
#: Actor names that are one armed opposition group ("rebels" is then redundant).
REBEL_GROUPS: frozenset[str] = frozenset(
    name for name, kind, _ in actor_rows() if kind == "rebels" and name != "rebels"
)
#: Jihadist groups: "terrorists", "militants" in a sentence that names one stand for it.
JIHADIST_GROUPS: frozenset[str] = frozenset(
    name for name, kind, _ in actor_rows() if kind == "jihadists"
)
#: Named groups that "militants", "fighters" after their name stand for.
NAMED_GROUPS: frozenset[str] = frozenset(
    name for name, kind, _ in actor_rows() if kind in ("rebels", "jihadists", "kurds", "militia")
) - {"rebels"}

ATTRIBUTION = re.compile(
    r"\b(?P<who>(?:the\s+)?(?:Britain-based\s+|British-based\s+|UK-based\s+)?(?:Syrian\s+)?"
    r"Observatory(?:\s+for\s+Human\s+Rights)?|(?:the\s+)?(?:monitoring\s+group|watchdog)|"
    r"activists?|residents?|witnesses|state (?:media|television|TV|news agency)|SANA|"
    r"(?:the\s+)?(?:army|military|government|ministry)|(?:a\s+)?(?:rebel|opposition)\s+"
    r"(?:commander|spokesman|source)|(?:a\s+)?security source|Reuters|AFP|Al Jazeera)"
    r"(?:\s*,[^,]{0,60},)?\s+(?:said|says|reported|reports|told|added|confirmed|claimed)",
    re.I,
)
ACCORDING = re.compile(
    r"\b(?:according to|citing|quoting) (?P<who>(?:the\s+)?[\w -]{2,50}?)(?=[,.;]|$)", re.I
)

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
