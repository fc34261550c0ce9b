"""Find every place mention of a document and resolve it in context.

The steps, each in its own module:

1. :mod:`geomap.extraction.places.spotting` finds spans that may name a gazetteer place (an
   Aho-Corasick automaton over folded names, then phonetic keys and consonant skeletons of
   capitalised words, then names cued as neighbourhoods that the gazetteer lacks, then named
   features by their head noun, :mod:`geomap.extraction.places.heads`). Longest match wins,
   and the spans it overlapped are kept beside it (a lattice): each is tried, longest first,
   where what overlaps it named no place (rule ``competing-span``).
2. :mod:`geomap.extraction.places.corrections`: analyst corrections add or override spans
   (every whole-word occurrence of a correction's surface, any case).
3. :mod:`geomap.extraction.places.resolve` scores each span's candidates in context (cue words,
   the city in context, places named in the same sentence and the one before, the document's
   focus city) and decides the status: "resolved", "fallback" (a neighbourhood the gazetteer
   lacks -> its city), "ambiguous" or "unresolved". A name keeps the sense it had earlier in
   the document where alone it would be dropped or ambiguous (rule ``same-name-earlier``).
   :mod:`geomap.extraction.places.containment` then checks a small place against the place its
   sentence says holds it ("X in the Syrian capital Damascus", "X east of Tabqa"): a namesake
   there, else the container (rules ``contained-in``, ``contained-spelling``,
   ``container-fallback``); :mod:`geomap.extraction.places.demonyms` drops "Damascan",
   "Aleppan" (whose, not where).
4. :mod:`geomap.extraction.places.features` resolves the named features once the places
   around them are known (the feature itself, or the place that holds it as a fallback).
5. :mod:`geomap.extraction.places.roles` gives each mention its role: "dateline", "event" or
   "context", and adds mentions for definite descriptions that refer back ("the city").
6. :mod:`geomap.extraction.places.compose` reads "12 km southeast of X", "north of X",
   "between X and Y" ...: the anchor mention gets ``Mention.located``, a computed point or area.

Decisions carry rule ids with their arguments in ``Mention.rules`` (the prose is in
``Mention.reason``).

Public API: :func:`find_mentions`, :func:`find_mentions_with_report` (which also says which
corrections matched), :class:`Correction`, :func:`load_corrections`, :func:`margin`.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from geomap.extraction import budget, nlp
from geomap.extraction.places.compose import compose
from geomap.extraction.places.corrections import Correction, load_corrections
from geomap.extraction.places.features import mark_named_features, resolve_feature
from geomap.extraction.places.focus import FOCUS_RULE, region_focus
from geomap.extraction.places.resolve import (
    Context,
    _cue_kinds,
    group_name_spans,
    persons_in,
    resolve,
    rival,
)
from geomap.extraction.places.roles import (
    RELATED_RULE,
    RoleDecision,
    dateline_span,
    promote_event_places,
    related_links_start,
    role_of,
    share_list_roles,
    with_anaphora,
)
from geomap.extraction.places.spotting import Spot, spotter_for
from geomap.extraction.spans import OverlappingSpans
from geomap.extraction.structure import analyse as analyse_structure
from geomap.extraction.text import sentence_index, split_sentences
from geomap.gazetteer.names import normalize_name
from geomap.gazetteer.store import Gazetteer, haversine_km
from geomap.model import Candidate, Document, Mention, Place, parse_rule

__all__ = [
    "Correction",
    "distance_km",
    "find_mentions",
    "find_mentions_with_report",
    "load_corrections",
    "margin",
]

log = logging.getLogger(__name__)


def find_mentions(
    doc: Document, gaz: Gazetteer, *, corrections: Sequence[Correction] = ()
) -> list[Mention]:
    """Every place mention of ``doc``, resolved in context, sorted by offset.

    ``text[m.start:m.end] == m.surface`` for every mention ``m``.
    """
    return find_mentions_with_report(doc, gaz, corrections=corrections)[0]


def find_mentions_with_report(
    doc: Document,
    gaz: Gazetteer,
    *,
    corrections: Sequence[Correction] = (),
    sentences: list[tuple[int, int]] | None = None,
    analysis: nlp.Analysis | None = None,
) -> tuple[list[Mention], frozenset[Correction]]:
    """The mentions of :func:`find_mentions` and the corrections that forced at least one.

    Corrections for other documents, or naming a place id the gazetteer lacks (logged as a
    warning), are never used. Over a corpus, the unused corrections are those in no
    document's set.

    ``analysis`` is the language model's entities of the document
    (:func:`geomap.extraction.nlp.analyse`),
    when the caller has them: a name the model tags PERSON or ORG with words around it that
    say so is dropped, and one kept against the model's label says why in its reason
    (:func:`geomap.extraction.nlp.judge_all`, rule ids :class:`geomap.extraction.nlp.Rule`).
    Without it, names are
    found as without the model.
    """
    text = doc.text
    spotted, competing, dateline, forced, spots = _spotted(doc, gaz, corrections)
    links = related_links_start(text)
    forced_spans = [(s.start, s.end) for s, _ in forced]
    originals = {(s.start, s.end): s for s in spotted}
    if sentences is None:  # the caller's split, when it has one, is not done again
        sentences = split_sentences(text) or [(0, len(text))]
    ctx = _context(doc, gaz, spots, sentences, dateline, competing)
    forced_at = {(s.start, s.end): c for s, c in forced}
    verdicts = _verdicts(
        text, gaz, spots + competing, analysis, dateline[0] if dateline else -1, sentences
    )
    used: set[Correction] = {c for _, c in forced if c.not_a_place}
    out: list[Mention] = []
    features: list[tuple[Spot, int]] = []  # resolved once the places around them are
    senses: dict[str, Mention] = {}  # the first resolved mention of each name
    recent: list[tuple[int, Place]] = []  # (offset, city) of the mentions resolved so far
    # ambiguous names, tried again once the article's region is known: (start, end) of the
    # mention -> its spot, sentence, note of the model's verdict, rules to add
    pending: dict[tuple[int, int], tuple[Spot, int, str, tuple[str, ...]]] = {}
    for spot in spots:
        budget.check()
        sent = sentence_index(sentences, spot.start)
        if spot.how == "feature":
            features.append((spot, sent))
            continue
        correction = forced_at.get((spot.start, spot.end)) if spot.how == "correction" else None
        if correction is not None:
            original = originals.get((spot.start, spot.end))
            m = _corrected(ctx, spot, sent, correction, original, recent)
            used.add(correction)
        else:
            verdict = verdicts.get((spot.start, spot.end))
            if verdict is not None and not verdict.place:
                log.debug(
                    "%s: %r at %d is not a place: %s",
                    doc.id,
                    spot.surface,
                    spot.start,
                    verdict.note(),
                )
                continue
            resolved = resolve(ctx, spot, sent, recent)
            earlier = senses.get(normalize_name(spot.surface))
            if earlier is not None and (
                resolved is None
                or resolved.status in ("ambiguous", "fallback")
                or (spot.how != "name" and resolved.place != earlier.place)
            ):
                resolved = _same_sense(ctx, spot, sent, earlier) or resolved
            if resolved is None:
                continue
            m = resolved
            if verdict is not None:
                m = replace(m, reason=f"{m.reason}; {verdict.note()}")
            if m.status == "ambiguous":
                note = verdict.note() if verdict is not None else ""
                pending[(m.start, m.end)] = (spot, sent, note, spot.rules)
        if spot.rules:
            m = replace(m, rules=(*m.rules, *spot.rules))
        if m.status == "resolved" and m.place is not None and spot.how != "correction":
            senses.setdefault(normalize_name(spot.surface), m)
        if m.place is not None and m.place.country == "SY" and m.status != "ambiguous":
            home = gaz.city_of(m.place) or (m.place if m.place.kind == "town" else None)
            if home is not None:
                recent.append((m.start, home))
        out.append(_with_role(text, m, dateline, links))
    # a competing span is tried where the spans it overlaps gave no mention: longest first,
    # then best matched, then in text order (the order the spotter chose in)
    # (the spans of mentions, forced corrections and features in one interval set, so that a
    # document's work stays near-linear in its length)
    occupied = OverlappingSpans(
        [(m.start, m.end) for m in out] + forced_spans + [(s.start, s.end) for s, _ in features]
    )
    for spot in sorted(competing, key=lambda s: (s.start - s.end, -s.score, s.start)):
        if occupied.overlaps(spot.start, spot.end):
            continue
        sent = sentence_index(sentences, spot.start)
        if spot.how == "feature":
            features.append((spot, sent))
            occupied.add(spot.start, spot.end)
            continue
        verdict = verdicts.get((spot.start, spot.end))
        if verdict is not None and not verdict.place:
            continue
        tried = resolve(ctx, spot, sent, recent)
        if tried is not None:
            rule = f"{COMPETING_RULE}:span={spot.how}"
            if tried.status == "ambiguous":
                pending[(tried.start, tried.end)] = (spot, sent, "", (rule,))
            tried = replace(tried, rules=(*tried.rules, rule))
            out.append(_with_role(text, tried, dateline, links))
            occupied.add(tried.start, tried.end)
    out = _by_region(ctx, out, pending, recent, dateline, links)
    placed = sorted(out, key=lambda m: (m.start, m.end))
    for spot, sent in features:
        budget.check()
        feature = resolve_feature(ctx, spot, sent, placed, recent)
        if feature is not None:
            out.append(_with_role(text, feature, dateline, links))
    out.sort(key=lambda m: (m.start, m.end))
    out = promote_event_places(
        share_list_roles(text, compose(text, mark_named_features(text, out, gaz)))
    )
    return with_anaphora(doc, sentences, out), frozenset(used)


#: Rule id of a name resolved as its earlier occurrence in the document was, where on its own
#: it would be dropped or ambiguous (one sense a name a document).
SAME_SENSE_RULE = "same-name-earlier"


def _same_sense(ctx: Context, spot: Spot, sent: int, earlier: Mention) -> Mention | None:
    assert earlier.place is not None
    if earlier.place.id not in (*spot.ids, *spot.variants):
        return None
    return Mention(
        ctx.doc.id,
        spot.start,
        spot.end,
        spot.surface,
        sent,
        "event",
        "resolved",
        earlier.place,
        earlier.score,
        f"as '{earlier.surface}' at {earlier.start}: {earlier.reason}",
        earlier.runners_up,
        rules=(f"{SAME_SENSE_RULE}:at={earlier.start},place={earlier.place.id}",),
    )


def _by_region(
    ctx: Context,
    out: list[Mention],
    pending: dict[tuple[int, int], tuple[Spot, int, str, tuple[str, ...]]],
    recent: Sequence[tuple[int, Place]],
    dateline: tuple[int, int] | None,
    links: int | None,
) -> list[Mention]:
    """The ambiguous names of ``pending`` tried again in the article's region (the
    governorate, or district, that most of the places it resolved are in:
    :mod:`geomap.extraction.places.focus`): a namesake in that region is taken where it wins
    by the region (rule ``region-focus``); the others stay as they were."""
    if not pending:
        return out
    related = f"{ROLE_RULE}:context={RELATED_RULE}"
    region = region_focus(
        [m.place]
        for m in out
        if m.status == "resolved" and m.place is not None and related not in m.rules
    )
    if not region.governorate:
        return out
    ctx = replace(ctx, region=region)
    again: list[Mention] = []
    for m in out:
        item = pending.get((m.start, m.end))
        tried = resolve(ctx, item[0], item[1], recent) if item is not None else None
        if (
            item is None
            or tried is None
            or tried.status != "resolved"
            or not any(parse_rule(r)[0] == FOCUS_RULE for r in tried.rules)
        ):
            again.append(m)
            continue
        _, _, note, rules = item
        if note:
            tried = replace(tried, reason=f"{tried.reason}; {note}")
        tried = replace(tried, rules=(*tried.rules, *rules))
        again.append(_with_role(ctx.doc.text, tried, dateline, links))
    return again


#: Rule id of a mention made from a competing span, tried because the longer span that
#: overlapped it named no place ("In Quneitra" -> "Quneitra").
COMPETING_RULE = "competing-span"


#: Rule id of a role a context rule of :mod:`geomap.extraction.places.roles` gave
#: ("role:context=source-at").
ROLE_RULE = "role"


class _Spotted(NamedTuple):
    """The names of a document before resolution (:func:`_spotted`)."""

    spotted: list[Spot]  # the spotter's chosen spans, the dateline merged into one
    competing: list[Spot]  # the spans they overlapped (the lattice)
    dateline: tuple[int, int] | None
    forced: list[tuple[Spot, Correction]]  # the spans corrections force
    spots: list[Spot]  # what is resolved: the chosen spans and the forced ones, in order


def _spotted(doc: Document, gaz: Gazetteer, corrections: Sequence[Correction]) -> _Spotted:
    text = doc.text
    spotted, competing = spotter_for(gaz).lattice(text)
    in_groups = group_name_spans(text)  # "Islamic State in Iraq and Levant": no Iraq
    if in_groups:
        groups = OverlappingSpans(in_groups)
        spotted = [s for s in spotted if not groups.overlaps(s.start, s.end)]
        competing = [s for s in competing if not groups.overlaps(s.start, s.end)]
    dateline = dateline_span(doc) or _running_dateline(text, spotted)
    if dateline is not None:
        spotted = _merge_dateline(text, spotted, dateline)
    forced = _correction_spots(doc, gaz, corrections)
    forced_spans = [(s.start, s.end) for s, _ in forced]
    # a "not a place" correction removes the names it covers and gives no mention of its own
    spots = [s for s in spotted if not any(s.start < e and b < s.end for b, e in forced_spans)] + [
        s for s, c in forced if not c.not_a_place
    ]
    spots.sort(key=lambda s: (s.start, s.end))
    return _Spotted(spotted, competing, dateline, forced, spots)


def sentences_to_recognise(
    doc: Document,
    gaz: Gazetteer,
    sentences: Sequence[tuple[int, int]],
    corrections: Sequence[Correction] = (),
) -> list[int]:
    """The indices of the sentences whose entities :func:`find_mentions_with_report` asks
    the model for (:func:`_judged_sentences`), so that a caller can have the model read
    them ahead, with other documents' (:func:`geomap.extraction.nlp.recognise_many`)."""
    found = _spotted(doc, gaz, corrections)
    dateline_start = found.dateline[0] if found.dateline else -1
    return _judged_sentences(
        doc.text, _judged(found.spots + found.competing, dateline_start), sentences
    )


def _judged(spots: Sequence[Spot], dateline_start: int) -> list[Spot]:
    """The spotted names the model's evidence is asked on: all but forced spans, named
    features and the dateline's."""
    return [
        s for s in spots if s.how not in ("correction", "feature") and s.start != dateline_start
    ]


def _with_role(
    text: str, m: Mention, dateline: tuple[int, int] | None, links: int | None = None
) -> Mention:
    in_dateline = dateline is not None and m.start == dateline[0]
    if links is not None and m.start >= links and m.place is not None and not in_dateline:
        decision = RoleDecision("context", "in the list of other articles: context", RELATED_RULE)
    else:
        decision = role_of(
            m.place, in_dateline, text[max(0, m.start - 120) : m.start], text[m.end : m.end + 20]
        )
    role, why, rule = decision
    if role != m.role:
        m = replace(m, role=role, reason=f"{m.reason}; {why}" if why else m.reason)
    if rule:
        m = replace(m, rules=(*m.rules, f"{ROLE_RULE}:context={rule}"))
    return m


def _verdicts(
    text: str,
    gaz: Gazetteer,
    spots: list[Spot],
    analysis: nlp.Analysis | None,
    dateline_start: int,
    sentences: Sequence[tuple[int, int]],
) -> dict[tuple[int, int], nlp.Verdict]:
    """The model's evidence on every spotted name but the dateline's (none without an
    analysis). An analysis made without its entities gets those of the sentences that can
    matter (:func:`_judged_sentences`) first."""
    if analysis is None:
        return {}
    judged = _judged(spots, dateline_start)
    if not analysis.recognised:
        wanted = _judged_sentences(text, judged, sentences)
        analysis = nlp.recognise(text, analysis, sentences, wanted)
    if not analysis.entities:
        return {}
    cued = [bool(_cue_kinds(text, s)) for s in judged]
    variant = [s.how != "name" for s in judged]
    prominent = [s.how == "name" and any(_prominent(gaz, i) for i in s.ids) for s in judged]
    spans = [(s.start, s.end) for s in judged]
    return nlp.judge_all(text, spans, analysis, cued, variant, prominent)


def _judged_sentences(
    text: str, judged: Sequence[Spot], sentences: Sequence[tuple[int, int]]
) -> list[int]:
    """The sentences whose entities can change a verdict: those holding a judged name, and
    those where a one-word judged name occurs again (a person named there, "Minister X
    said", makes X no place elsewhere: :func:`geomap.extraction.nlp.judge_all`)."""
    starts = [b for b, _e in sentences]
    wanted = {max(0, bisect.bisect_right(starts, s.start) - 1) for s in judged}
    words = sorted({s.surface.casefold() for s in judged if s.surface and " " not in s.surface})
    if words:
        again = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.I)
        for i, (b, e) in enumerate(sentences):
            if i not in wanted and again.search(text, b, e):
                wanted.add(i)
    return sorted(wanted)


def _prominent(gaz: Gazetteer, place_id: str) -> bool:
    return gaz.get(place_id).kind in ("country", "governorate", "city")


def _running_dateline(text: str, spotted: list[Spot]) -> tuple[int, int] | None:
    """A dateline run into the text ("... Jun 182016 BEIRUT At least ...", "MOSCOW
    (Sputnik)"), found by :func:`geomap.extraction.structure.analyse`, when a name the
    gazetteer knows starts there."""
    starts = {s.start for s in spotted if s.ids}
    for d in analyse_structure(text).datelines:
        if d.start in starts:
            return d.start, d.start + len(d.name)
    return None


def _merge_dateline(text: str, spots: list[Spot], dateline: tuple[int, int]) -> list[Spot]:
    """The dateline is one mention: "ALEPPO, Syria" names the city the report was filed in."""
    inside = [s for s in spots if dateline[0] <= s.start < dateline[1]]
    if not inside:
        return spots
    first = inside[0]
    end = max(dateline[1], first.end)
    merged = Spot(first.start, end, text[first.start : end], first.ids, first.score, first.how)
    return sorted([s for s in spots if s not in inside] + [merged], key=lambda s: s.start)


def _correction_spots(
    doc: Document, gaz: Gazetteer, corrections: Sequence[Correction]
) -> list[tuple[Spot, Correction]]:
    """Spans the corrections for ``doc`` force, longest first, never overlapping."""
    found: list[tuple[Spot, Correction]] = []
    for c in corrections:
        if not c.applies_to(doc.id):
            continue
        if not c.not_a_place and c.place_id not in gaz:
            log.warning("%s: correction names unknown place id %r; ignored", c.where, c.place_id)
            continue
        for start, end in c.occurrences(doc.text):
            spot = Spot(start, end, doc.text[start:end], (c.place_id,), 1.0, "correction")
            found.append((spot, c))
    chosen: list[tuple[Spot, Correction]] = []
    for spot, c in sorted(found, key=lambda t: (t[0].start - t[0].end, t[0].start, t[1].line)):
        if not any(spot.start < s.end and s.start < spot.end for s, _ in chosen):
            chosen.append((spot, c))
    return sorted(chosen, key=lambda t: t[0].start)


def _corrected(
    ctx: Context,
    spot: Spot,
    sent: int,
    c: Correction,
    original: Spot | None,
    recent: Sequence[tuple[int, Place]],
) -> Mention:
    """The mention a correction forces; what the resolver would have said becomes a runner-up."""
    runners: tuple[Candidate, ...] = ()
    if original is not None:
        would = resolve(ctx, original, sent, recent)
        if would is not None:
            runners = would.runners_up
            if would.place is not None and would.place.id != c.place_id:
                runners = (Candidate(would.place, would.score, would.reason), *runners)
    return Mention(
        ctx.doc.id,
        spot.start,
        spot.end,
        spot.surface,
        sent,
        "event",
        "resolved",
        ctx.gaz.get(c.place_id),
        1.0,
        c.reason(),
        runners[:5],
    )


def _context(
    doc: Document,
    gaz: Gazetteer,
    spots: list[Spot],
    sentences: list[tuple[int, int]],
    dateline: tuple[int, int] | None,
    competing: Sequence[Spot] = (),
) -> Context:
    """The document's focus cities (most named; a Syrian dateline city counts twice more)."""
    city_mentions: list[tuple[int, Place]] = []
    counts: Counter[str] = Counter()
    for s in spots:
        cities = [gaz.get(i) for i in s.ids if gaz.get(i).kind == "city"]
        if len(cities) == 1 and cities[0].country == "SY":
            city_mentions.append((s.start, cities[0]))
            counts[cities[0].id] += 1
        if dateline is not None and s.start == dateline[0]:
            for city in cities:
                if city.country == "SY":
                    counts[city.id] += 2
    focus = [gaz.get(i) for i, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    anchors = [
        (sentence_index(sentences, s.start), s.start, gaz.get(s.ids[0]))
        for s in spots
        if len(s.ids) == 1 and not s.variants
    ]
    spotted = [(sentence_index(sentences, s.start), s.start, s.ids) for s in spots]
    exact: dict[int, tuple[str, ...]] = {}
    for s in (*spots, *competing):  # a spotted span first, then a competing one
        if s.how == "name" and s.ids:
            exact.setdefault(s.start, s.ids)
    return Context(
        doc,
        gaz,
        sentences,
        focus,
        city_mentions,
        persons_in(doc.text, [(s.start, s.end) for s in spots]),
        anchors,
        spotted,
        exact=exact,
    )


def distance_km(a: Place, b: Place) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon) if not math.isnan(a.lat) else math.inf


def margin(m: Mention) -> float:
    """How far the chosen place scores above its best real rival.

    Runners-up that are the same place at another level (Aleppo the city and Aleppo the
    governorate, whose point is the city) are no rivals.
    """
    if m.place is None:
        return 0.0
    rivals = [c.score for c in m.runners_up if rival(m.place, c.place)]
    return round(m.score - max(rivals, default=0.0), 3)
