"""What part a place mention plays in its article: dateline, event place or context.

Rules, in order:

1. The dateline (where the report was filed: "BEIRUT -", "ALEPPO, Syria:",
   "DAMASCUS, Aug 3 (Reuters) -", "HOMS, Syria (AP) -") is found at the start of one of the
   first paragraphs of the body, upper case (or matching the manifest's ``dateline`` field);
   its mention has role "dateline", and it covers "CITY, Country" as one mention.
2. Countries and places outside Syria are "context" (named in passing).
3. A Syrian place that describes a person ("the commander of rebels in Aleppo province") or
   stands in a negated statement ("neither ... is in Homs") is "context", unless the
   same place is an event place elsewhere in the article.
4. Every other Syrian place is an "event" place.

Definite descriptions that refer back to a place named shortly before ("the city", "the camp")
are added as mentions of that place (:func:`with_anaphora`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from geomap.extraction.lexicon import negation_words
from geomap.extraction.text import sentence_index
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


# "the head of the militia in the Hama province, Maj. X": the place describes a person.
_TITLE_OF = re.compile(
    r"\b(?:commanders?|chiefs?|head|governors?|leaders?|spokes(?:man|woman)|"
    r"officials?|envoys?|ambassadors?|mayors?|representatives?|members?)\b"
    r"(?:(?!\b(?:said|says|told|reported|had|has|have|was|were|is|are|"
    r"been|will|would)\b)[^,.;:!?]){0,40}\b(?:of|in|for)\s+(?:the\s+)?$",
    re.I,
)
# "neither ... nor ... is based in Homs": a place in a negated statement.
_NEGATED = re.compile(negation_words(hedges=False) + r"[^,.;:!?]{0,80}$", re.I)


# "Damascus-based", "pro-Damascus", "anti-Damascus": the place names a side or a seat, not
# where something happened
_AS_ATTRIBUTE_BEFORE = re.compile(r"\b(?:pro|anti)-$", re.I)
_AS_ATTRIBUTE_AFTER = re.compile(r"^-(?:based|backed|led|allied|aligned|controlled)\b", re.I)


def role_of(
    place: Place | None, in_dateline: bool, before: str = "", after: str = ""
) -> tuple[str, str]:
    """The role of a mention of ``place`` and why; ``before`` and ``after`` are the text just
    before and after it."""
    if in_dateline:
        return "dateline", "dateline: where the report was filed"
    if place is not None and (place.kind == "country" or place.country != "SY"):
        return "context", "outside Syria or a country: context"
    if _AS_ATTRIBUTE_BEFORE.search(before) or _AS_ATTRIBUTE_AFTER.match(after):
        return "context", "names a side or a seat ('X-based', 'pro-X'): context"
    if _TITLE_OF.search(before):
        return "context", "describes a person: context"
    if _NEGATED.search(before):
        return "context", "in a negated statement: context"
    return "event", ""


def promote_event_places(mentions: list[Mention]) -> list[Mention]:
    """A Syrian place that is an event place anywhere in the article is one everywhere."""
    events = {m.place.id for m in mentions if m.role == "event" and m.place is not None}
    return [
        replace(m, role="event", reason=m.reason + "; an event place elsewhere in the article")
        if m.role == "context"
        and m.place is not None
        and m.place.country == "SY"
        and m.place.kind != "country"
        and m.place.id in events
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
