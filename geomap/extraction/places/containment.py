"""The place a sentence says holds a name, and the candidates of the name that fit it.

A sentence often says where a small place lies: "the area of X in the Syrian capital Damascus",
"X and Y in the northern countryside of Hama province", "X east of Tabqa", "X and Y, both also
in Eastern Ghouta", "In the countryside of Idleb province, ... X". That container is named by a
prominent place (a city, a town, a region, a district or a governorate) and outweighs what a
spelling says: a namesake of X far from the container is not what the sentence means.

One small grammar, each production a rule (the ``by`` argument of the rule ids below):

    NAME [NAME-WORDS] [CUE] [LIST] [","] ("in"|"of") [the] DESCRIPTORS ANCHOR     -> by=in
    NAME [NAME-WORDS] [CUE] [LIST] [","] [DISTANCE] BEARING "of" [the] DESCRIPTORS ANCHOR
                                                                                   -> by=bearing
    NAME ... ("both"|"all"|"each") ["also"] "in" [the] DESCRIPTORS ANCHOR          -> by=list
    ^ "In" [the] DESCRIPTORS GOVERNORATE-ANCHOR ... NAME                          -> by=frame
      (a governorate said so: "In the countryside of Idleb province", "In Hama province";
      "In Homs, ..." frames nothing: the city or its governorate)

DESCRIPTORS are the few words that stand between a preposition and a place's name ("the
Syrian capital", "the northern countryside of", "the neighbouring"): data in
:data:`DESCRIPTOR_WORDS`, never any word. The anchor is a name the spotter found whose places
are one place (a city and its governorate of the same name count as one).

:func:`contain` checks a resolved mention of a small place against its container: a candidate
(the chosen one, a runner-up, or another place the name spells) that lies in the container is
taken (rule ``contained-in``); where none does, the mention falls back to the container, with
the container's precision (rule ``container-fallback``; the mention keeps its own name).

Public API: :class:`Container`, :func:`container_of`, :func:`contain`, :data:`CONTAINED_RULE`,
:data:`CONTAINER_FALLBACK_RULE`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from geomap.extraction.places.compose import locate
from geomap.gazetteer.names import SHORT_SKELETON_MIN, name_keys, normalize_name
from geomap.gazetteer.store import SMALL_KINDS, Gazetteer, haversine_km
from geomap.model import Document, Mention, Place

if TYPE_CHECKING:
    from geomap.extraction.places.spotting import Spot


class Context(Protocol):
    """What containment reads of a document's context
    (:class:`geomap.extraction.places.resolve.Context`, which imports this module)."""

    @property
    def doc(self) -> Document: ...
    @property
    def gaz(self) -> Gazetteer: ...
    @property
    def sentences(self) -> list[tuple[int, int]]: ...
    @property
    def exact(self) -> dict[int, tuple[str, ...]]: ...


#: Rule id of a candidate taken because it lies in the place the sentence says holds the name:
#: ``contained-in:container=C1001,by=in``.
CONTAINED_RULE = "contained-in"
#: Rule id of a name none of whose places lies in its container, placed at the container:
#: ``container-fallback:container=C1001,by=in``.
CONTAINER_FALLBACK_RULE = "container-fallback"

#: Rule id of a place in the container whose name has the consonants of the name written
#: (in that order, or two neighbours swapped: "Sabqa" for Saqba), where no place the name
#: spells lies there: ``contained-spelling:container=CUR-REGION-EGHOUTA,by=list``.
CONTAINED_SPELLING_RULE = "contained-spelling"
#: Containers small enough for a spelling's consonants (or a swapped pair of them) to name
#: one place in them (a governorate holds too many places).
SWAP_KINDS = frozenset({"city", "town", "region", "district"})
#: Kinds a place read by its consonants in a container may be.
SPELT_KINDS = frozenset({"village", "town", "neighbourhood", "camp"})

#: Kinds a container may be.
CONTAINER_KINDS = frozenset({"city", "town", "region", "district", "governorate"})
#: Words that may stand between "in"/"of" and the container's name.
DESCRIPTOR_WORDS = (
    "the",
    "of",
    "city",
    "town",
    "capital",
    "province",
    "governorate",
    "countryside",
    "suburbs",
    "outskirts",
    "area",
    "region",
    "district",
    "rural",
    "central",
    "besieged",
    "nearby",
    "neighbou?ring",
    "syrian",
    "syria['\u2019]?s",
    "(?:rebel|opposition|government|regime|militant|is|isis|kurdish)-(?:held|controlled)",
    "(?:north|south)(?:-?(?:east|west))?(?:ern)?",
    "(?:east|west)(?:ern)?",
)
_DESC = r"(?i:(?:(?:" + "|".join(DESCRIPTOR_WORDS) + r")\s+){0,6})"
_CUE = (
    r"(?:\s+(?:district|neighbou?rhood|quarter|area|region|village|town|suburb|camp|farm|"
    r"hamlet|hill|valley|plain|oilfield|field|base|airport)s?)?"
)
_NAME_WORD = r"(?:(?:al|el|ad|ar|as|ash|at|az|an)[-\s])?[A-Z][\w'\u2019-]*"
_LIST = rf"(?:(?:\s*,\s*|\s+and\s+|\s+&\s+)(?:the\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})*"
_GAP = rf"(?:\s+{_NAME_WORD}){{0,3}}{_CUE}(?P<list>{_LIST})(?P<cue>{_CUE})\s*,?\s*"
_BEARING = r"(?:north|south)(?:[-\s]?(?:east|west))?|east|west"
_AFTER = re.compile(
    _GAP + r"(?:"
    rf"(?P<prep>in|of)\s+(?P<desc>{_DESC})"
    rf"|(?:(?P<num>\d{{1,3}}(?:\.\d)?)\s*(?P<unit>km|kms|kilomet(?:er|re)s?|miles?)\b\.?\s+"
    r"(?:\(\s*\d{1,3}(?:\.\d)?\s*(?:km|kms|kilomet(?:er|re)s?|miles?)\s*\)\s+)?"
    rf"(?:to\s+the\s+)?)?(?P<bearing>{_BEARING})(?:ern)?\s+of\s+(?P<bdesc>{_DESC})"
    r")",
)
_DISTRIBUTIVE = re.compile(
    rf"\b(?:both|all|each)\s+(?:also\s+)?(?:located\s+)?in\s+(?P<desc>{_DESC})", re.I
)
_FRAME = re.compile(rf"\W*In\s+(?P<desc>{_DESC})")
_WORD = re.compile(r"\S+")
_GOV_AFTER = re.compile(
    r"[\w'\u2019-]+(?:\s+[\w'\u2019-]+){0,2}?['\u2019]?s?\s+(?:(?:north|south|east|west)\w*\s+)?"
    r"(?P<what>province|governorate|countryside|suburbs)\b",
    re.I,
)
_CITY_WORDS = re.compile(r"\b(?:city|capital|town)\b", re.I)
_GOV_WORDS = re.compile(r"\b(?:countryside|province|governorate|rural|suburbs)\b", re.I)
_RURAL_WORDS = re.compile(r"\b(?:countryside|rural|suburbs)\b", re.I)
#: How far (km) from a city's or a town's point a place "in" it may lie, at least.
TOWN_REACH_KM = 12.0
#: How far (km) from the capital of a governorate a place "in" it may lie in another one
#: ("in Damascus" said of a suburb in Rural Damascus).
CAPITAL_REACH_KM = 25.0
#: How many times its radius from a region's point a place "in" it may lie (a region's edge
#: is vague: Sarghaya is 45 km from the point of the Qalamoun mountains, radius 30 km).
REGION_REACH = 1.5
#: How far (km) from its anchor a place "east of X" may lie where no distance is given.
BEARING_REACH_KM = 100.0


@dataclass(frozen=True)
class Container:
    """The place a sentence says holds a name: ``place`` is what the name's candidates are
    checked against, ``fallback`` what a name with no candidate in it is placed at, ``by`` the
    production that found it ("in", "bearing", "list", "frame")."""

    place: Place
    fallback: Place
    by: str
    reach_km: float = 0.0  # for by=bearing: how far from the anchor a candidate may lie

    def holds(self, p: Place) -> bool:
        """Whether ``p`` lies in the container."""
        c = self.place
        d = haversine_km(c.lat, c.lon, p.lat, p.lon)
        if self.by == "bearing":
            return d <= self.reach_km
        if p.id == c.id or p.parent_id == c.id or p.city_id == c.id:
            return True
        if c.kind == "governorate":
            return p.governorate == c.name or d <= CAPITAL_REACH_KM
        if c.kind == "district":
            return p.district == c.name or d <= c.precision_km
        if c.kind == "region":  # a region's radius is a rough one: "the Qalamoun mountains"
            return d <= REGION_REACH * c.precision_km + 5.0
        return d <= max(2 * c.precision_km, TOWN_REACH_KM)

    def rule(self, rid: str) -> str:
        """``rid`` with the container (the anchor of a computed area) and the production."""
        named = (
            self.fallback.parent_id
            if self.fallback.kind == "region" and "@" in self.fallback.id
            else self.fallback.id
        )
        return f"{rid}:container={named},by={self.by}"


def container_of(ctx: Context, spot: Spot, sent: int) -> Container | None:
    """The container the sentence of ``spot`` names for it, or None."""
    text = ctx.doc.text
    lo, hi = ctx.sentences[sent]
    m = _AFTER.match(text, spot.end, hi)
    if m is not None and m.group("list") and m.group("cue") and not m.group("cue").endswith("s"):
        m = None  # "X and the Y neighbourhood of Homs": the container is Y's alone
    if m is not None:
        anchor = _anchor_at(ctx, sent, m)
        if anchor is not None:
            if m.group("bearing"):
                return _bearing(text, m, anchor)
            return _container(anchor, "in")
    d = _DISTRIBUTIVE.search(text, spot.end, hi)
    if d is not None:
        anchor = _anchor_at(ctx, sent, d)
        if anchor is not None:
            return _container(anchor, "list")
    f = _FRAME.match(text, lo, hi)
    if f is not None and f.end() < spot.start:
        anchor = _anchor_at(ctx, sent, f)
        if anchor is not None and anchor[0].kind == "governorate":
            return _container(anchor, "frame")
    return None


def _anchor_at(ctx: Context, sent: int, m: re.Match[str]) -> tuple[Place, Place | None] | None:
    """The place a spotted name starting at ``offset`` names, as (container, the city of
    the same name and point, if any), named right after the phrase ``m`` (or after one of
    its descriptor words); None where no name starts there or its places are several places
    apart."""
    starts = ctx.exact
    # a descriptor may be the first word of the name ("in Eastern Ghouta"): the earliest
    # word of the descriptors where a name starts
    text = ctx.doc.text
    lo = m.start("desc") if m.group("desc") is not None else m.start("bdesc")
    offset = next(
        (w.start() for w in _WORD.finditer(text, lo, m.end()) if w.start() in starts), m.end()
    )
    said = text[lo:offset]
    ids = starts.get(offset)
    if not ids:
        return None
    gaz = ctx.gaz
    places = [
        p for p in (gaz.get(i) for i in ids) if p.country == "SY" and p.kind in CONTAINER_KINDS
    ]
    if not places or any(
        haversine_km(a.lat, a.lon, b.lat, b.lon) > max(a.precision_km, b.precision_km) + 5
        for a in places
        for b in places
    ):
        return None
    cities = [p for p in places if p.kind in ("city", "town")]
    govs = [p for p in places if p.kind == "governorate"] + [
        g for g in (governorate_of_capital(gaz, c) for c in cities) if g is not None
    ]
    after = _GOV_AFTER.match(ctx.doc.text, offset)
    gov_said = bool(_GOV_WORDS.search(said)) or after is not None
    if gov_said:
        if not govs:
            return None
        rural = _RURAL_WORDS.search(said) or (
            after is not None and _RURAL_WORDS.match(after["what"])
        )
        if rural:  # "the Damascus countryside": the rural governorate around a city's own
            around = [
                p
                for p in (
                    gaz.get(i)
                    for i in gaz.name_index().get(normalize_name(f"Rural {govs[0].name}"), ())
                )
                if p.kind == "governorate"
            ]
            if around:
                return around[0], None
        return govs[0], None
    if cities and govs and not _CITY_WORDS.search(said):
        return govs[0], cities[0]  # "in Hama": the governorate, placed at its capital
    order = ("city", "town", "region", "district", "governorate")
    best = min(places, key=lambda p: (order.index(p.kind), p.id))
    return best, None


def _spelt_in(ctx: Context, spot: Spot, container: Container) -> list[Place]:
    """The place in a small ``container`` whose consonant skeleton is the name's, or the
    name's with two neighbouring consonants swapped; [] unless exactly one place so spelt lies
    there (a few lookups in the skeleton index, never a pass over the gazetteer)."""
    skel = name_keys(spot.surface)[1]
    if len(skel) < SHORT_SKELETON_MIN or not (
        container.by == "bearing" or container.place.kind in SWAP_KINDS
    ):
        return []
    keys = {skel} | {skel[:i] + skel[i + 1] + skel[i] + skel[i + 2 :] for i in range(len(skel) - 1)}
    gaz = ctx.gaz
    ids = {
        i
        for k in sorted(keys)
        for i in (*gaz.skeleton_index().get(k, ()), *gaz.short_skeleton_index().get(k, ()))
    }
    here = sorted(
        (p for p in map(gaz.get, ids) if p.kind in SPELT_KINDS and container.holds(p)),
        key=lambda p: p.id,
    )
    return here if len({p.id for p in here}) == 1 else []


def governorate_of_capital(gaz: Gazetteer, city: Place) -> Place | None:
    """The governorate whose capital ``city`` is (same name, same point within 2 km)."""
    for pid in gaz.name_index().get(normalize_name(city.governorate), ()):
        gov = gaz.get(pid)
        if gov.kind == "governorate" and haversine_km(gov.lat, gov.lon, city.lat, city.lon) < 2:
            return gov
    return None


def _container(anchor: tuple[Place, Place | None], by: str) -> Container:
    place, city = anchor
    if place.kind == "governorate" and city is not None:
        return Container(place, city, by)
    return Container(place, place, by)


def _bearing(text: str, m: re.Match[str], anchor: tuple[Place, Place | None]) -> Container | None:
    place = anchor[1] or anchor[0]
    if place.kind == "governorate":
        return None
    phrase = m.group(0)[m.group(0).find(m.group("num") or m.group("bearing")) :]
    found = locate(phrase, place)
    if found is None:
        return None
    _, _, region = found
    if m.group("num"):
        d = haversine_km(place.lat, place.lon, region.lat, region.lon)
        reach = d + region.precision_km + 5.0
        return Container(region, region, "bearing", reach)
    return Container(place, place, "bearing", BEARING_REACH_KM)


def contain(ctx: Context, spot: Spot, sent: int, m: Mention, *, placed: bool = False) -> Mention:
    """``m`` checked against the container its sentence names for it (see the module's
    docstring); unchanged where there is none, or where it names no small place. An
    ambiguous name is read again only where its words say it is a place (``placed``: a cue
    word, "the town of X", a list of places, a locative word before it): else it may be a
    person's ("a colleague of Harah in Aleppo", "her friend Mohammad Khalili in Aleppo")."""
    if m.place is None or not (m.place.kind in SMALL_KINDS or m.status == "fallback"):
        return m
    container = container_of(ctx, spot, sent)
    if container is None or m.place.id in (container.place.id, container.fallback.id):
        return m
    if m.status == "ambiguous" and not placed:
        return m
    if container.holds(m.place) and m.status != "fallback":
        if m.status != "ambiguous" or any(container.holds(c.place) for c in m.runners_up):
            return m
        return replace(  # its namesakes lie outside the container: no longer ambiguous
            m,
            status="resolved",
            reason=f"{m.reason}; the one in {container.fallback.name}, which the sentence "
            "says holds it",
            rules=(*m.rules, container.rule(CONTAINED_RULE)),
        )
    gaz = ctx.gaz
    pool: list[Place] = [c.place for c in m.runners_up]
    pool += [gaz.get(i) for i in spot.ids if spot.how in ("name", "key")]
    pool += [gaz.get(i) for i in spot.variants if spot.how in ("name", "key")]
    fits = [p for p in pool if p.kind in SMALL_KINDS and container.holds(p)]
    where = container.fallback.name
    spelt = [] if fits else _spelt_in(ctx, spot, container)
    if spelt:
        p = spelt[0]
        return replace(
            m,
            status="resolved",
            place=p,
            reason=f"{m.reason}; {p.name}, spelt with the consonants of '{m.surface}', lies in "
            f"{where}, which the sentence says holds it",
            rules=(*m.rules, container.rule(CONTAINED_SPELLING_RULE)),
        )
    if fits:
        p = fits[0]
        return replace(
            m,
            status="resolved",
            place=p,
            reason=f"{m.reason}; {p.name} lies in {where}, which the sentence says holds it",
            rules=(*m.rules, container.rule(CONTAINED_RULE)),
        )
    return replace(
        m,
        status="fallback",
        place=container.fallback,
        score=0.6,
        reason=(
            f"{m.reason}; fallback to {where} at its precision: the sentence says {where} "
            f"holds '{m.surface}', and no place so named lies there"
        ),
        rules=(*m.rules, container.rule(CONTAINER_FALLBACK_RULE)),
    )
