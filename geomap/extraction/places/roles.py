"""What part a place mention plays in its article: dateline, event place or context.

Rules, in order:

1. The dateline (where the report was filed: "BEIRUT -", "ALEPPO, Syria:",
   "DAMASCUS, Aug 3 (Reuters) -", "HOMS, Syria (AP) -") is found at the start of one of the
   first paragraphs of the body, upper case (or matching the manifest's ``dateline`` field);
   its mention has role "dateline", and it covers "CITY, Country" as one mention.
2. Countries and places outside Syria are "context" (named in passing), and so are places wider
   than a governorate (:data:`WIDE_KM`: a river, a desert).
3. A Syrian place is "context" where a rule of :data:`CONTEXT_RULES` fires on the words around
   it (one row a construction, with an id recorded in ``Mention.rules`` as
   "role:context=ID"): a side or a seat ("Damascus-based"), a person ("the governor of X"),
   where a reporting source sits ("a source at X province"), the ends of a route ("a road
   linking X with Y"), the government by its seat ("protested by X"), a place at risk ("a threat
   to X"), a comparison, a purpose ("to launch attacks on X"), unspecified ongoing violence,
   where people went ("evacuated to X"), a place that only locates another ("the villages near
   X"), where shooters were ("positioned in X"), who holds a place ("rebels control most of
   X"); or a negated statement ("neither ... is in Homs"). Everything from the page's list of
   other articles on ("Related News ...") is context ("related-links"), and so are the names
   listed right after a context mention ("X in the north and Y": "list").
4. Every other Syrian place is an "event" place; a context mention of a place the article names
   as an event place under the same name elsewhere is one too ("event-place-elsewhere").

Definite descriptions that refer back to a place named shortly before ("the city", "the camp")
are added as mentions of that place (:func:`with_anaphora`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from geomap.extraction.lexicon import negation_words
from geomap.extraction.text import sentence_index
from geomap.gazetteer.names import normalize_name
from geomap.model import Document, Mention, Place

_MONTH = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
    r"|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*"
)
DATELINE = re.compile(
    r"[ \t]*(?P<city>[A-Z][A-Z'\u2019 ./-]{2,40}?)"
    r"(?P<country>,\s*[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)?)?"
    rf"(?:,\s*(?:{_MONTH})(?:,?\s+\d{{4}})?)?\s*"
    r"(?:\([A-Za-z .]+\))?\s*(?:[-\u2013\u2014:]|\(\w)"
)


def dateline_span(doc: Document) -> tuple[int, int] | None:
    """Offsets of the dateline place ("BEIRUT", "ALEPPO, Syria") at the start of the body."""
    text = doc.text
    paragraphs = [m.start() for m in re.finditer(r"(?m)^(?=\S)", text)][:4]
    want = doc.dateline.split(",")[0].strip().casefold() if doc.dateline else ""
    for start in paragraphs:
        m = DATELINE.match(text, start)
        if not m:
            continue
        word = m.group("city").strip()
        if want and word.casefold() != want:
            continue
        if not want and not word.isupper():
            continue
        end = m.end("country") if m.group("country") else m.start("city") + len(word)
        return m.start("city"), end
    return None


# Rules that make a Syrian place a "context" mention: one row a construction, each with an id
# that the mention records in ``Mention.rules`` ("role:rule=source-at"). ``before`` is searched
# in the text just before the mention (anchored at its end), ``after`` matched in the text just
# after it; a rule fires when every pattern it has matches.
@dataclass(frozen=True, slots=True)
class ContextRule:
    id: str
    what: str
    before: re.Pattern[str] | None = None
    after: re.Pattern[str] | None = None
    #: searched in the text before: where it matches, the rule does not fire
    unless: re.Pattern[str] | None = None

    def fires(self, before: str, after: str) -> bool:
        return (
            (self.before is None or self.before.search(before) is not None)
            and (self.after is None or self.after.match(after) is not None)
            and (self.unless is None or self.unless.search(before) is None)
        )


_CLAUSE = (
    r"(?:(?!\b(?:said|says|told|reported|had|has|have|was|were|is|are|been|will|would)\b)"
    r"[^,.;:!?])"
)
CONTEXT_RULES: tuple[ContextRule, ...] = (
    # "Damascus-based", "pro-Damascus", "anti-Damascus": a side or a seat
    ContextRule(
        "side-or-seat",
        "names a side or a seat ('X-based', 'pro-X')",
        before=re.compile(r"\b(?:pro|anti)-$", re.I),
    ),
    ContextRule(
        "side-or-seat",
        "names a side or a seat ('X-based', 'pro-X')",
        after=re.compile(r"-(?:based|backed|led|allied|aligned|controlled)\b", re.I),
    ),
    # "the head of the militia in the Hama province, Maj. X", "a resident of the X quarter"
    ContextRule(
        "describes-person",
        "describes a person",
        before=re.compile(
            r"\b(?:commanders?|chiefs?|head|governors?|leaders?|spokes(?:man|woman)|"
            r"officials?|envoys?|ambassadors?|mayors?|representatives?|members?|"
            r"an? (?:resident|native))\b"
            rf"{_CLAUSE}{{0,40}}\b(?:of|in|for|from)\s+(?:the\s+)?$",
            re.I,
        ),
    ),
    # "a source at X province said", "according to field sources in the northern X province":
    # where whoever reports sits
    ContextRule(
        "source-at",
        "where a reporting source sits",
        before=re.compile(
            r"\b(?:sources?|reporters?|correspondents?)\s+(?:at|in|from)\s+"
            r"(?:the\s+)?(?:(?:north|south|east|west)\w*\s+)?$",
            re.I,
        ),
    ),
    # "a road linking X with Y", "X links A with B": the ends of a route, named for reference
    ContextRule(
        "route-ends",
        "an end of a route named for reference",
        before=re.compile(
            r"\b(?:link|connect)(?:s|ing|ed)?\s+(?:the\s+)?$"
            r"|\b(?:link|connect)(?:s|ing|ed)?\s+[^,.;:!?]{1,40}\b(?:with|to)\s+"
            r"(?:the\s+capital\s+)?$",
            re.I,
        ),
    ),
    ContextRule(
        "route-ends",
        "an end of a route named for reference",
        after=re.compile(r"\s+(?:links|connects)\b", re.I),
    ),
    # "cooperates with X", "protested by X", "talks with X": the government by its seat
    ContextRule(
        "seat-of-government",
        "the government by the name of its seat",
        before=re.compile(
            r"\b(?:cooperat\w*|relations?|ties|talks|negotiat\w*|deals?|agreements?|"
            r"reconcil\w*|allied|alliance|coordinat\w*)\s+with\s+(?:the\s+capital\s+)?$"
            r"|\b(?:protested|condemned|denied|rejected|accused|backed|supported|"
            r"welcomed|approved|criticised|criticized)\s+by\s+(?:the\s+capital\s+)?$",
            re.I,
        ),
    ),
    # "on their way to neighbouring X", "was evacuated to a X hospital", "fled to X": where
    # people went, not where anything happened
    ContextRule(
        "destination",
        "where people went",
        before=re.compile(
            r"\b(?:on (?:their|its|his|her) way|evacuated|transferred|taken|fled|"
            r"fleeing|displaced|relocated|bussed|moved)\s+(?:to|towards|into)\s+"
            r"(?:(?:an?|the|neighbou?ring|nearby)\s+)*$",
            re.I,
        ),
    ),
    # "posing a threat to X", "the offensive aims to shield X": a place at risk, nothing
    # happened there
    ContextRule(
        "at-risk",
        "a place at risk, where nothing happened",
        before=re.compile(
            r"\b(?:threats?|danger|menace)\s+to\s+(?:the\s+capital\s+)?$"
            r"|\b(?:shield|protect)\s+(?:the\s+capital\s+)?$",
            re.I,
        ),
    ),
    # "a tactic like the one seen in X", "in a similar move to that used in X": a comparison
    ContextRule(
        "comparison",
        "named for comparison",
        before=re.compile(
            r"\b(?:similar|like|same as)\b[^,.;:!?]{0,80}\b(?:seen|used|employed|"
            r"witnessed|carried out)\s+(?:in|at|on)\s+(?:the\s+)?$",
            re.I,
        ),
    ),
    # "to launch attacks on the cities of X": a purpose, not a happening
    ContextRule(
        "purpose",
        "the target of a purpose, not of a happening",
        before=re.compile(
            r"\bto\s+(?:launch|carry out|stage|mount|plan)\s+(?:\w+\s+){0,2}?"
            r"(?:attacks?|raids?|offensives?|assaults?|operations?)\s+(?:on|against|in)\s+"
            r"(?:the\s+)?(?:(?:cities|towns|villages|city|town|village)\s+of\s+)?$",
            re.I,
        ),
    ),
    # "people who fled the violence in X", "amid escalating violence in X": unspecified,
    # ongoing violence is background, not a happening
    ContextRule(
        "background-violence",
        "the place of unspecified ongoing violence",
        before=re.compile(
            r"\b(?:the|escalating|growing|mounting|continuing|ongoing|rising)\s+violence\s+"
            r"(?:in|across)\s+(?:(?:other\s+)?parts\s+of\s+)?(?:the\s+)?$",
            re.I,
        ),
    ),
    # "the villages near X", "Eastern Ghouta near X", "Khanaser southeast X": X only locates
    # another place named just before (a place or an area noun, mid-sentence), it is not
    # where anything happened; "clashes near X" is a happening near X (an event place)
    ContextRule(
        "locator",
        "locates another place named before it",
        before=re.compile(
            r"(?:\b(?:areas?|region|suburbs?|villages?|towns?|outskirts|countryside)"
            r"|[a-z,]\s+[A-Z][\w'-]+)\s+near\s+(?:the\s+)?(?:capital\s+)?$"
            r"|[a-z,]\s+[A-Z][\w'-]+\s+(?:north|south|east|west)(?:[\s-]?(?:east|west))?\s+$",
        ),
    ),
    # "terrorists positioned in X fired rockets": where the shooters were, not the target
    ContextRule(
        "firing-position",
        "where the shooters were",
        before=re.compile(
            r"\b(?:positioned|stationed|entrenched|holed up|deployed|based)\s+"
            r"(?:in|at)\s+(?:the\s+)?$",
            re.I,
        ),
    ),
    # "rebels control almost all of X", "are also present in X", "the stronghold of X": who
    # holds a place (a state), not a happening; "killed in the rebel stronghold of X" is
    # where something happened
    ContextRule(
        "holds-place",
        "who holds a place (a state, not a happening)",
        before=re.compile(
            r"\b(?:(?<!took )(?<!seized )(?<!gained )(?<!regained )(?<!wrested )"
            r"controls?(?=\s+(?:almost|most|much|large|parts|all|half|the bulk|swathes))"
            r"|(?:is|are) (?:also |still )?present|strongholds?|bastions?)"
            rf"{_CLAUSE}{{0,30}}\b(?:of|in)\s+(?:the\s+)?$",
            re.I,
        ),
        unless=re.compile(
            r"\b(?:in|at|on|into|near|inside|across)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}"
            r"(?:strongholds?|bastions?)\s+(?:of|in)\s+(?:the\s+)?$",
            re.I,
        ),
    ),
)
# "the village, which lies 60 km from the city of X", "a town located north of X": X only
# gives another place's position
CONTEXT_RULES = (
    *CONTEXT_RULES,
    ContextRule(
        "locator",
        "locates another place named before it",
        before=re.compile(
            r"\b(?:lies|lie|lying|located|situated|sits)\b[^,.;:!?]{0,60}"
            r"\b(?:from|of|outside|near)\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?$",
            re.I,
        ),
    ),
)
# "the sectors of Aleppo province held by the army", "parts of Idlib controlled by rebels": who
# holds a part of a place (a state, not a happening)
CONTEXT_RULES = (
    *CONTEXT_RULES,
    ContextRule(
        "holds-place",
        "who holds a place (a state, not a happening)",
        before=re.compile(
            r"\b(?:parts?|sectors?|areas?|pockets?|swathes|most|much|half)\s+of\s+(?:the\s+)?$",
            re.I,
        ),
        after=re.compile(
            r"(?:\s+(?:city|town|village|province|governorate|countryside))?"
            r"\s+(?:still\s+)?(?:held|controlled)\s+by\b",
            re.I,
        ),
        # "rebels seized parts of X held by the army": the seizure is a happening
        unless=re.compile(
            r"\b(?:seiz(?:e|ed|ing)|took|tak(?:e|en|ing)|captur(?:e|ed|ing)|retook|regain(?:ed)?|"
            r"storm(?:ed)?|enter(?:ed)?|overr?an|attack(?:ed)?|shell(?:ed)?|bomb(?:ed)?|"
            r"struck|hit|pound(?:ed)?|target(?:ed)?)\b[^.;:!?]{0,40}$",
            re.I,
        ),
    ),
)
# "neither ... nor ... is based in Homs": a place in a negated statement.
_NEGATED = re.compile(negation_words(hedges=False) + r"[^,.;:!?]{0,80}$", re.I)
NEGATED_RULE = "negated"


class RoleDecision(NamedTuple):
    role: str
    why: str
    rule: str = ""  # the id of the rule that made the role, "" for the default


#: A Syrian place less precise than this (the widest governorate, Homs, is ~120 km) is a line
#: or an expanse ("the Euphrates", "the Badia") that no event can be placed at: context.
WIDE_KM = 150.0


def role_of(
    place: Place | None, in_dateline: bool, before: str = "", after: str = ""
) -> RoleDecision:
    """The role of a mention of ``place`` and why; ``before`` and ``after`` are the text just
    before and after it."""
    if in_dateline:
        return RoleDecision("dateline", "dateline: where the report was filed")
    if place is not None and (place.kind == "country" or place.country != "SY"):
        return RoleDecision("context", "outside Syria or a country: context")
    if place is not None and place.precision_km > WIDE_KM:
        return RoleDecision("context", "wider than a governorate (a river, a desert): context")
    for rule in CONTEXT_RULES:
        if rule.fires(before, after):
            return RoleDecision("context", f"{rule.what}: context", rule.id)
    if _NEGATED.search(before):
        return RoleDecision("context", "in a negated statement: context", NEGATED_RULE)
    return RoleDecision("event", "")


# "Related News ...", "87 Related Four ...": the page's list of other articles (teaser titles).
# Everything from it on is context: nothing there is reported by this article.
RELATED_LINKS = re.compile(r"(?:^|\s)Related(?: News| Articles| Stories| Posts)?\s+[A-Z0-9]")
RELATED_RULE = "related-links"


def related_links_start(text: str) -> int | None:
    """Where the list of links to other articles begins, None without one."""
    m = RELATED_LINKS.search(text)
    return m.start() if m else None


#: "rebels are present in X in the north and Y in the south": the names of one list share the
#: context role the first one's rule gave (only list glue between them).
_LIST_GLUE = re.compile(
    r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|as well as)\s+"
    r"|\s+in\s+the\s+(?:north|south|east|west)\w*\s*(?:,\s*)?(?:and\s+|or\s+)?)"
    r"(?:the\s+)?",
    re.I,
)
LIST_RULE = "list"


def share_list_roles(text: str, mentions: list[Mention]) -> list[Mention]:
    """A Syrian event-role mention listed right after a mention a context rule made context
    is context too ("role:context=list:of=holds-place"). ``mentions`` in text order."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        rule = _context_rule(prev) if prev is not None else ""
        if (
            prev is not None
            and rule
            and m.role == "event"
            and prev.end <= m.start
            and _LIST_GLUE.fullmatch(text, prev.end, m.start) is not None
        ):
            m = replace(
                m,
                role="context",
                reason=m.reason + f"; listed with '{prev.surface}': context",
                rules=(*m.rules, f"role:context={LIST_RULE}:of={rule}"),
            )
        out.append(m)
    return out


def _context_rule(m: Mention) -> str:
    """The id of the context rule that made ``m`` context ("" if none did)."""
    if m.role != "context":
        return ""
    for r in reversed(m.rules):
        if r.startswith("role:context="):
            return r.removeprefix("role:context=").removeprefix(f"{LIST_RULE}:of=")
    return ""


PROMOTED_RULE = "event-place-elsewhere"


def promote_event_places(mentions: list[Mention]) -> list[Mention]:
    """A Syrian place named as an event place anywhere in the article is one wherever the
    article uses that name for it ("Deir Ezzor" promotes "Deir Ezzor", not "Deir Ezzor city"
    in "IS controls most of Deir Ezzor city": another name, chosen for the state it tells)."""
    events = {
        (m.place.id, normalize_name(m.surface))
        for m in mentions
        if m.role == "event" and m.place is not None
    }
    return [
        replace(
            m,
            role="event",
            reason=m.reason + "; an event place elsewhere in the article",
            rules=(*m.rules, f"role:event={PROMOTED_RULE}"),
        )
        if m.role == "context"
        and m.place is not None
        and m.place.country == "SY"
        and m.place.kind != "country"
        and (m.place.id, normalize_name(m.surface)) in events
        else m
        for m in mentions
    ]


# "the city", "the besieged town", "the camp": a place named before, by its kind.
_ANAPHOR = re.compile(
    r"\b(?:the|this)\s+(?:[a-z-]+\s+){0,2}?(?P<noun>city|town|camp|"
    r"district|neighbou?rhood|university|airport|crossing)\b"
    r"(?!\s+(?:of|centre|center|council|hall)\b)",
    re.I,
)
_ANAPHOR_KINDS = {
    "city": ("city",),
    "town": ("town", "city"),
    "camp": ("camp",),
    "district": ("neighbourhood",),
    "neighbourhood": ("neighbourhood",),
    "neighborhood": ("neighbourhood",),
    "university": ("facility",),
    "airport": ("airport", "base"),
    "crossing": ("crossing",),
}


def with_anaphora(
    doc: Document, sentences: Sequence[tuple[int, int]], mentions: list[Mention]
) -> list[Mention]:
    """Add mentions for definite descriptions that refer back to a place named before.

    The antecedent is the latest event mention of a fitting kind in the five sentences before.
    """
    text = doc.text
    spans = [(m.start, m.end) for m in mentions]
    extra: list[Mention] = []
    for a in _ANAPHOR.finditer(text):
        if any(s < a.end() and a.start() < e for s, e in spans):
            continue
        noun = a.group("noun").lower()
        kinds = _ANAPHOR_KINDS[noun]
        sent = sentence_index(sentences, a.start())
        lo = sentences[max(0, sent - 5)][0] if sentences else 0
        target = None
        for m in reversed(mentions):
            if m.start >= a.start() or m.start < lo or m.place is None or m.role != "event":
                continue
            place = m.place if m.status == "resolved" else None
            if m.status == "fallback" and "city" in kinds:
                place = m.place
            if place is not None and (place.kind in kinds or noun in place.name.lower()):
                target = (m, place)
                break
        if target is None:
            continue
        m, place = target
        extra.append(
            Mention(
                doc.id,
                a.start(),
                a.end(),
                a.group(0),
                sent,
                "event",
                "resolved",
                place,
                0.7,
                f"refers back to {place.name} ('{m.surface}' at {m.start})",
            )
        )
    return sorted(mentions + extra, key=lambda m: (m.start, m.end))
