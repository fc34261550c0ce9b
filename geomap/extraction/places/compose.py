"""Compositional places: "12 km southeast of X", "north of X", "the eastern part of X", "on the
outskirts of X", "30 km outside X", "between X and Y".

One small grammar, read right to left from a place mention (the anchor):

    RELATION ANCHOR          RELATION := [DISTANCE] BEARING "of"        -> bearing(-distance)
                                       | "the" SIDE ("part"|"side") "of"  -> part-of
                                       | ["the" [SIDE]] "outskirts of"    -> outskirts
                                       | DISTANCE ("outside"|"from")      -> distance-only
                                       | "between"   (ANCHOR "and" PLACE) -> between
    DISTANCE := NUMBER ("km"|"kilometres"|"miles" ...) ["(" NUMBER UNIT ")"]
    BEARING  := north | north-east | northeast | north east | ... (eight points)

Each production is a rule with an id; what it computes is a point with an honest uncertainty
radius, put on the anchor mention as ``Mention.located`` (a :class:`Place` of kind "region"
whose id, name and source say how it was made), and the rule with its arguments in
``Mention.rules`` ("bearing-distance:anchor=C2987,bearing=NE,km=50"). The anchor mention keeps
its own place: the anchor is what the text names.

Uncertainty: a bearing in words is one of eight (±22.5°), a distance in news is rounded (±20%):
the point ``km`` away along the bearing has radius ``anchor radius + 0.45 km``. A bearing with no
distance says only "that side, nearby": the point :data:`NEAR_KM` out, radius ``anchor radius +
NEAR_KM``. The outskirts are the anchor's edge: radius ``1.5 x anchor radius + 2``. A distance
with no bearing is a ring: the anchor's point, radius ``anchor radius + km``. "Between X and Y" is
the midpoint, radius half the distance plus the larger radius.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from geomap.gazetteer.store import haversine_km
from geomap.model import Mention, Place

#: Rule ids.
BEARING_DISTANCE = "bearing-distance"
BEARING = "bearing"
PART_OF = "part-of"
OUTSKIRTS = "outskirts"
DISTANCE_ONLY = "distance-only"
BETWEEN = "between"

#: Bearings in words -> degrees clockwise from north.
BEARINGS = {
    "north": 0.0,
    "northeast": 45.0,
    "east": 90.0,
    "southeast": 135.0,
    "south": 180.0,
    "southwest": 225.0,
    "west": 270.0,
    "northwest": 315.0,
}
_ABBREV = {
    "north": "N",
    "northeast": "NE",
    "east": "E",
    "southeast": "SE",
    "south": "S",
    "southwest": "SW",
    "west": "W",
    "northwest": "NW",
}
#: Units -> km.
UNITS = {"km": 1.0, "kms": 1.0, "kilometer": 1.0, "kilometre": 1.0, "mile": 1.609, "mi": 1.609}
#: How far "north of X" is taken to be when no distance is given (km), and the radius it adds.
NEAR_KM = 10.0
#: Sector half-width and distance rounding combined (a share of the distance).
SPREAD = 0.45
#: Distances beyond this are not read as a place's offset (km).
MAX_KM = 300.0

_B = r"(?:north|south)(?:[-\s]?(?:east|west))?|east|west"
_RELATION = re.compile(
    r"(?:(?P<num>\d{1,3}(?:\.\d)?)\s*(?P<unit>km|kms|kilomet(?:er|re)s?|miles?|mi)\b\.?\s+"
    # the same distance in other units, in brackets: "60 kilometres (35 miles) from X"
    r"(?:\(\s*\d{1,3}(?:\.\d)?\s*(?:km|kms|kilomet(?:er|re)s?|miles?|mi)\b\.?\s*\)\s+)?"
    r"(?:to\s+the\s+)?)?"
    r"(?:"
    rf"(?<![\w-])(?<!the\s)(?P<bearing>{_B})(?:ern)?\s+of"
    rf"|\bthe\s+(?P<side>{_B})(?:ern)?\s+(?:(?:part|side|sector|edge)s?\s+)?of"
    rf"|(?P<outskirts>(?:\bthe\s+)?(?:(?:{_B})(?:ern)?\s+)?outskirts\s+of)"
    r"|(?P<outside>outside|from)"
    r"|(?P<between>\bbetween)"
    r")\s+(?:the\s+)?(?:(?:city|town|village|district|neighbou?rhood)\s+of\s+)?$",
    re.I,
)
_AND = re.compile(r"\s+(?:and|&)\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?", re.I)
#: Kinds an anchor may have (a country or a governorate is too large to measure from).
ANCHOR_KINDS = frozenset(
    {
        "city",
        "town",
        "village",
        "neighbourhood",
        "camp",
        "crossing",
        "airport",
        "base",
        "facility",
        "landmark",
    }
)


def _norm_bearing(word: str) -> str:
    return re.sub(r"[-\s]", "", word.lower())


def destination(lat: float, lon: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) along ``bearing_deg`` (great circle, R = 6371 km)."""
    r = km / 6371.0
    b = math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(r) + math.cos(p1) * math.sin(r) * math.cos(b))
    l2 = l1 + math.atan2(
        math.sin(b) * math.sin(r) * math.cos(p1), math.cos(r) - math.sin(p1) * math.sin(p2)
    )
    return round(math.degrees(p2), 5), round((math.degrees(l2) + 540) % 360 - 180, 5)


def _region(
    anchor: Place, rule: str, args: str, name: str, lat: float, lon: float, km: float
) -> Place:
    return Place(
        id=f"{anchor.id}@{rule}:{args}",
        name=name,
        kind="region",
        lat=lat,
        lon=lon,
        precision_km=round(km, 1),
        country=anchor.country,
        governorate=anchor.governorate,
        district=anchor.district,
        parent_id=anchor.id,
        source=f"computed by rule {rule} ({args}) from {anchor.name} ({anchor.id})",
        precision_note=f"{rule}: radius from the anchor's radius and the phrase's vagueness",
    )


def locate(before: str, anchor: Place, other: Place | None = None) -> tuple[str, str, Place] | None:
    """The rule, its arguments and the located place of the phrase ending ``before`` an anchor
    (``other``: the place after "and" for "between"); None when no production matches."""
    m = _RELATION.search(before[-90:])
    if m is None or anchor.kind not in ANCHOR_KINDS:
        return None
    num = float(m.group("num")) if m.group("num") else None
    unit = (m.group("unit") or "").lower().rstrip("s")
    km = round(num * UNITS.get(unit, UNITS.get(unit[:2], 1.0)), 1) if num is not None else None
    if km is not None and not 0 < km <= MAX_KM:
        return None
    r0 = anchor.precision_km
    if m.group("bearing"):
        word = _norm_bearing(m.group("bearing"))
        deg = BEARINGS[word]
        if km is not None:
            rule, args = BEARING_DISTANCE, f"anchor={anchor.id},bearing={_ABBREV[word]},km={km:g}"
            lat, lon = destination(anchor.lat, anchor.lon, deg, km)
            name = f"{km:g} km {word} of {anchor.name}"
            radius = r0 + SPREAD * km
        else:
            rule, args = BEARING, f"anchor={anchor.id},bearing={_ABBREV[word]}"
            lat, lon = destination(anchor.lat, anchor.lon, deg, r0 + NEAR_KM / 2)
            name = f"{word} of {anchor.name}"
            radius = r0 + NEAR_KM
        return rule, args, _region(anchor, rule, args, name, lat, lon, radius)
    if m.group("side") and km is None:
        word = _norm_bearing(m.group("side"))
        args = f"anchor={anchor.id},side={_ABBREV[word]}"
        lat, lon = destination(anchor.lat, anchor.lon, BEARINGS[word], r0 / 2)
        name = f"the {word}{'' if word.endswith('ern') else 'ern'} part of {anchor.name}"
        return PART_OF, args, _region(anchor, PART_OF, args, name, lat, lon, r0 / 2 + 1)
    if m.group("outskirts") and km is None:
        args = f"anchor={anchor.id}"
        name = f"the outskirts of {anchor.name}"
        return (
            OUTSKIRTS,
            args,
            _region(anchor, OUTSKIRTS, args, name, anchor.lat, anchor.lon, 1.5 * r0 + 2),
        )
    if m.group("outside") and km is not None:
        args = f"anchor={anchor.id},km={km:g}"
        name = f"{km:g} km from {anchor.name}"
        return (
            DISTANCE_ONLY,
            args,
            _region(anchor, DISTANCE_ONLY, args, name, anchor.lat, anchor.lon, r0 + km),
        )
    if m.group("between") and km is None and other is not None:
        d = haversine_km(anchor.lat, anchor.lon, other.lat, other.lon)
        if d > MAX_KM:
            return None
        args = f"anchor={anchor.id},and={other.id}"
        lat = round((anchor.lat + other.lat) / 2, 5)
        lon = round((anchor.lon + other.lon) / 2, 5)
        name = f"between {anchor.name} and {other.name}"
        radius = d / 2 + max(r0, other.precision_km)
        return BETWEEN, args, _region(anchor, BETWEEN, args, name, lat, lon, radius)
    return None


def compose(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions, each anchor of a compositional phrase with ``located`` and its rule."""
    out: list[Mention] = []
    for i, m in enumerate(mentions):
        if m.place is None or m.status not in ("resolved", "fallback") or m.located is not None:
            out.append(m)
            continue
        before = text[max(0, m.start - 90) : m.start]
        other = None
        if i + 1 < len(mentions) and mentions[i + 1].place is not None:
            gap = text[m.end : mentions[i + 1].start]
            if _AND.fullmatch(gap):
                other = mentions[i + 1].place
        found = locate(before, m.place, other)
        if found is None:
            out.append(m)
            continue
        rule, args, place = found
        out.append(replace(m, located=place, rules=(*m.rules, f"{rule}:{args}")))
    return out
