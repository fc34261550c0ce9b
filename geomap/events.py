"""Events: what happened, where, when, who and how many, one event a (happening, place).

For each sentence:

1. triggers (``lexicon.TRIGGERS``) give candidate happenings with an ACLED type and sub-type;
   a negated trigger ("no clashes") is dropped;
2. each event-role place mention (resolved, or a city fallback) is attached to one trigger:
   the trigger that governs it through a preposition ("clashes in X", "shelling on the X and
   Y neighbourhoods"), else the sentence's main verb ("X ... was bombarded"), else the nearest
   trigger. A sentence that only reports deaths ("19 civilians killed in Aleppo fighting" has a
   trigger; "500 civilians have been killed in X" does not) makes a battle, or violence against
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
from dataclasses import dataclass

from geomap.dates import default_window, find_time_expressions
from geomap.fatalities import find_tolls
from geomap.io import geo_precision
from geomap.lexicon import ACCORDING, ACTORS, ATTRIBUTION, KILLING, NEGATION, TRIGGERS, Trigger
from geomap.model import Document, Event, Mention, Place, Source, TimeExpr

log = logging.getLogger(__name__)

_PREP_LINK = re.compile(
    r"^[^.;:!?]{0,70}?\b(?:in|on|at|near|around|across|into|of|against|targeting|targeted|"
    r"hit|struck|throughout|inside|outside|over|from)\b[^.;:!?]{0,45}$", re.I)
_CLAUSE_BREAK = re.compile(r"[;:]|\b(?:while|but|whereas|as well as|after|before)\b", re.I)


@dataclass(frozen=True, slots=True)
class _Hit:
    trigger: Trigger
    start: int  # offsets in the sentence
    end: int


def find_triggers(sentence: str) -> list[_Hit]:
    """Trigger words of a sentence (longest first where they overlap), negated ones dropped."""
    hits: list[_Hit] = []
    for trig in TRIGGERS:
        for m in trig.pattern.finditer(sentence):
            if NEGATION.search(sentence[max(0, m.start() - 30):m.start()]):
                continue
            hits.append(_Hit(trig, m.start(), m.end()))
    hits.sort(key=lambda h: (-(h.end - h.start), h.start))
    chosen: list[_Hit] = []
    for h in hits:
        if all(h.end <= c.start or c.end <= h.start for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: h.start)


def _governing(hits: list[_Hit], sentence: str, start: int) -> _Hit | None:
    """The trigger that governs a place at ``start`` through a preposition, if any."""
    best: _Hit | None = None
    for h in hits:
        if h.end <= start:
            between = sentence[h.end:start]
            if _PREP_LINK.match(between) and not _CLAUSE_BREAK.search(between):
                best = h  # the last such trigger before the place
    return best


def _main_verb(hits: list[_Hit], start: int) -> _Hit | None:
    verbs = [h for h in hits if h.trigger.verb]
    if not verbs:
        return None
    return min(verbs, key=lambda h: (abs(h.start - start) * (1 if h.start > start else 1.5),
                                     h.start))


def _nearest(hits: list[_Hit], start: int) -> _Hit | None:
    return min(hits, key=lambda h: (abs(h.start - start), h.start)) if hits else None


def actors_in(sentence: str) -> tuple[str, ...]:
    found: list[tuple[int, str]] = []
    for name, pattern in ACTORS:
        m = pattern.search(sentence)
        if m:
            found.append((m.start(), name))
    names = [n for _, n in sorted(found)]
    if "Free Syrian Army" in names and "rebels" in names:
        names.remove("rebels")
    return tuple(names)


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


def _is_ancestor(a: Place, b: Place) -> bool:
    """Whether place ``a`` contains place ``b`` (a city and its neighbourhood, ...)."""
    if a.id == b.id:
        return False
    if a.id in (b.city_id, b.parent_id):
        return True
    if a.kind == "governorate" and b.governorate and a.name == b.governorate:
        return True
    return a.kind == "country" and a.id == f"CTRY-{b.country}"


def _date_for(times: Sequence[TimeExpr], anchor: int, doc: Document
              ) -> tuple[object, object, str]:
    dated = [t for t in times]
    if dated:
        t = min(dated, key=lambda t: (abs(t.start - anchor), t.start))
        return t.date_start, t.date_end, t.precision
    if doc.published is None:
        return None, None, "unknown"
    start, end = default_window(doc.published)
    return start, end, "days"


def extract_events(doc: Document, sentences: list[tuple[int, int]], mentions: list[Mention],
                   times: list[TimeExpr] | None = None) -> list[Event]:
    """The events of one document, in sentence order, with deterministic ids."""
    if times is None:
        times = find_time_expressions(doc.text, doc.published)
    events: list[Event] = []
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.role == "event" and m.status in ("resolved", "fallback") and m.place is not None \
                and m.place.kind != "country":
            by_sentence.setdefault(m.sentence, []).append(m)
    for si, (s0, s1) in enumerate(sentences):
        places = by_sentence.get(si)
        if not places:
            continue
        sentence = doc.text[s0:s1]
        hits = find_triggers(sentence)
        killing = KILLING.search(sentence)
        if not hits and not killing:
            continue
        s_times = [t for t in times if s0 <= t.start < s1]
        tolls = find_tolls(sentence)
        actors = actors_in(sentence)
        sources = attribution_in(sentence)
        chosen: list[tuple[Mention, Trigger, int]] = []
        for m in places:
            rel = m.start - s0
            hit = _governing(hits, sentence, rel) or _main_verb(hits, rel) or _nearest(hits, rel)
            if hit is None:
                assert killing is not None
                only_civilians = actors and all(a == "civilians" for a in actors)
                trig = Trigger("violence_against_civilians" if only_civilians else "battle",
                               "killing", True, KILLING)
                chosen.append((m, trig, killing.start()))
            else:
                chosen.append((m, hit.trigger, hit.start))
        # one event a place; drop a place that contains another place of the same happening
        seen: set[str] = set()
        kept: list[tuple[Mention, Trigger, int]] = []
        for m, trig, anchor in chosen:
            assert m.place is not None
            if m.place.id in seen:
                continue
            finer = [o for o, t2, a2 in chosen if o.place is not None and a2 == anchor
                     and o is not m and _is_ancestor(m.place, o.place)]
            if finer and m.status == "resolved":
                continue
            seen.add(m.place.id)
            kept.append((m, trig, anchor))
        for m, trig, anchor in kept:
            assert m.place is not None
            start, end, precision = _date_for(s_times, s0 + anchor, doc)
            toll = None
            if tolls:
                near = min(tolls, key=lambda t: abs(t.start - anchor))
                owner = min(((abs(a - near.start), a) for _, _, a in kept), default=(0, anchor))
                if owner[1] == anchor or len({a for _, _, a in kept}) == 1:
                    toll = near.count
            events.append(Event(
                id=f"{doc.id}-{len(events) + 1:03d}", type=trig.type, sub_type=trig.sub_type,
                date_start=start, date_end=end, date_precision=precision,  # type: ignore[arg-type]
                place=m.place, geo_precision=geo_precision(m.place,
                                                           fallback=m.status == "fallback"),
                fatalities=toll, actors=actors,
                sources=(Source(doc.id, sentence, s0, s1, doc.outlet, doc.published),),
                attributed_to=sources,
            ))
    return events
