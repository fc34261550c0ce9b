"""Compositional places ("12 km southeast of X", "north of X", "between X and Y"): one grammar,
table-driven, with sentences written for these tests and near misses that must not fire."""

from __future__ import annotations

import pytest

from geomap.extraction.places.compose import destination
from geomap.extraction.places.mentions import find_mentions
from geomap.gazetteer.store import Gazetteer, haversine_km
from geomap.model import Document, Mention
from geomap.render.evidence import WORDS, describe


def _anchor(gaz: Gazetteer, text: str, surface: str) -> Mention:
    return next(m for m in find_mentions(Document("t", text), gaz) if m.surface == surface)


# text, anchor surface, rule, km from the anchor's point (about), radius (about)
CASES = [
    (
        "Positions 12 km southeast of Saraqab were struck.",
        "Saraqab",
        "bearing-distance:anchor=C3916,bearing=SE,km=12",
        12.0,
        2 + 0.45 * 12,
    ),
    (
        "Jets hit a convoy 20 miles north-east of Ariha.",
        "Ariha",
        "bearing-distance:anchor=C4278,bearing=NE,km=32.2",
        32.2,
        3 + 0.45 * 32.2,
    ),
    (
        "Jets hit targets 40km west of the town of Talbiseh.",
        "Talbiseh",
        "bearing-distance:anchor=C2882,bearing=W,km=40",
        40.0,
        2 + 0.45 * 40,
    ),
    (  # a bearing with no distance: an area on that side, with a wide radius
        "Clashes north of Talbiseh went on all night.",
        "Talbiseh",
        "bearing:anchor=C2882,bearing=N",
        2 + 5.0,
        2 + 10.0,
    ),
    (
        "Rebels shelled the eastern part of Homs.",
        "Homs",
        "part-of:anchor=C2528,side=E",
        3.0,
        4.0,
    ),
    (
        "Shells fell on the southern outskirts of Ariha.",
        "Ariha",
        "outskirts:anchor=C4278",
        0.0,
        1.5 * 3 + 2,
    ),
    (  # a distance with no bearing: a ring
        "A convoy was ambushed 30 kilometres outside Salqin.",
        "Salqin",
        "distance-only:anchor=C4140,km=30",
        0.0,
        2 + 30,
    ),
    (  # the distance in other units in brackets: the first unit counts
        "The village lies more than 40 kilometres (25 miles) from the city of Idlib.",
        "Idlib",
        "distance-only:anchor=C3871,km=40",
        0.0,
        6 + 40,  # (the city's radius, 6 km)
    ),
    (
        "Jets struck a camp 12 miles (19 km) northwest of Ariha.",
        "Ariha",
        "bearing-distance:anchor=C4278,bearing=NW,km=19.3",
        19.3,
        3 + 0.45 * 19.3,
    ),
]


@pytest.mark.parametrize(("text", "surface", "rule", "km", "radius"), CASES)
def test_compositional_places(
    gaz: Gazetteer, text: str, surface: str, rule: str, km: float, radius: float
) -> None:
    m = _anchor(gaz, text, surface)
    assert m.place is not None and m.located is not None
    assert m.rules[-1] == rule
    d = haversine_km(m.place.lat, m.place.lon, m.located.lat, m.located.lon)
    assert d == pytest.approx(km, abs=0.2)
    assert m.located.precision_km == pytest.approx(radius, abs=0.1)
    assert m.located.kind == "region" and m.located.parent_id == m.place.id
    assert describe(m.rules[-1]) and m.rules[-1].partition(":")[0] in WORDS  # words at the edge
    # the anchor keeps its own place: the text names it
    assert m.status == "resolved"


def test_between_two_places_is_their_midpoint(gaz: Gazetteer) -> None:
    m = _anchor(gaz, "Fighting raged between Talbiseh and Ar-Rastan.", "Talbiseh")
    assert m.located is not None and m.rules == ("between:anchor=C2882,and=C2870",)
    a, b = gaz.get("C2882"), gaz.get("C2870")
    d = haversine_km(a.lat, a.lon, b.lat, b.lon)
    assert haversine_km(m.located.lat, m.located.lon, a.lat, a.lon) == pytest.approx(d / 2, 0.05)
    assert m.located.precision_km >= d / 2


NOT_COMPOSED = [
    ("Rockets were fired from Talbiseh at the town.", "Talbiseh"),  # no distance: an origin
    ("Clashes in the north of Syria went on.", "Syria"),  # a country is no anchor
    ("Troops advanced on Saraqab from the north.", "Saraqab"),
    ("The northern province of Idlib was calm.", "province of Idlib"),  # a governorate
    ("Talbiseh, north of the river, was quiet.", "Talbiseh"),  # the anchor is not after it
]


@pytest.mark.parametrize(("text", "surface"), NOT_COMPOSED)
def test_near_misses_locate_nothing(gaz: Gazetteer, text: str, surface: str) -> None:
    m = _anchor(gaz, text, surface)
    assert m.located is None
    assert not any(r.split(":")[0] in ("bearing", "bearing-distance") for r in m.rules)


def test_destination_goes_the_right_way() -> None:
    lat, lon = destination(35.0, 38.0, 90.0, 100.0)
    assert abs(lat - 35.0) < 0.1 and lon > 38.0
    lat, lon = destination(35.0, 38.0, 180.0, 111.2)
    assert lat == pytest.approx(34.0, abs=0.01) and lon == pytest.approx(38.0)
