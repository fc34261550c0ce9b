"""Named features no list has ("X Street", "the Faculty of X", "Base 46"): sentences written for
these tests, with other places and other wording, and near misses that must not fire."""

from __future__ import annotations

import pytest

from geomap.extraction.places.heads import parse_heads
from geomap.extraction.places.mentions import find_mentions
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document, Mention
from geomap.render.evidence import describe


def _mentions(gaz: Gazetteer, text: str) -> list[Mention]:
    return find_mentions(Document("t", text), gaz)


def _rule(m: Mention) -> str:
    return m.rules[0] if m.rules else ""


# text, feature surface, status, place id, rule prefix
FEATURES = [
    (
        "Shells landed on Zunbuqi Street in Saraqab on Friday.",
        "Zunbuqi Street",
        "fallback",
        "C3916",
        "feature-fallback:head=street,container=C3916,by=after",
    ),
    (
        "Jets struck the Faculty of Pharmacology in Homs, activists said.",
        "Faculty of Pharmacology",
        "fallback",
        "C2528",
        "feature-fallback:head=faculty,container=C2528,by=after",
    ),
    (
        "Troops shelled Talbiseh and the Marwadi farms on Sunday.",
        "Marwadi farms",
        "fallback",
        "C2882",
        "feature-fallback:head=farms,container=C2882,by=sentence",
    ),
    (
        "Fighting raged in Ariha on Monday. Later the rebels seized the Qutaybi checkpoint.",
        "Qutaybi checkpoint",
        "fallback",
        "C4278",
        "feature-fallback:head=checkpoint,container=C4278,by=before",
    ),
    (
        "Homs was calm on Sunday. Aid arrived by truck. Shops opened. Then rebels seized the "
        "Qutaybi checkpoint.",
        "Qutaybi checkpoint",
        "fallback",
        "C2528",
        "feature-fallback:head=checkpoint,container=C2528,by=focus",
    ),
    (  # no base with that number near the place in context: the place holds it
        "Shelling hit Brigade 137 in Daraa overnight.",
        "Brigade 137",
        "fallback",
        "C5993",
        "feature-fallback:head=brigade,container=C5993,by=after",
    ),
]


@pytest.mark.parametrize(("text", "surface", "status", "place", "rule"), FEATURES)
def test_a_named_feature_is_a_place_mention(
    gaz: Gazetteer, text: str, surface: str, status: str, place: str, rule: str
) -> None:
    found = [m for m in _mentions(gaz, text) if m.surface == surface]
    assert len(found) == 1, [(m.surface, m.rules) for m in _mentions(gaz, text)]
    m = found[0]
    assert (m.status, m.place.id if m.place else None) == (status, place)
    assert _rule(m) == rule
    assert m.feature == surface
    assert describe(_rule(m))  # rendered to words at the edge


def test_a_numbered_base_is_found_under_its_other_name(gaz: Gazetteer) -> None:
    ms = _mentions(gaz, "Shelling hit Brigade 137 west of Deir ez-Zor overnight.")
    m = next(m for m in ms if m.feature == "Brigade 137")
    assert m.status == "resolved" and m.place is not None
    assert "137th" in m.place.name and m.place.kind == "base"
    assert _rule(m) == f"feature-named:head=brigade,place={m.place.id}"


def test_a_fallback_feature_has_its_holders_precision(gaz: Gazetteer) -> None:
    m = next(m for m in _mentions(gaz, FEATURES[0][0]) if m.feature)
    assert m.place is not None and m.place.precision_km == gaz.get("C3916").precision_km
    assert "fallback" in m.reason


def test_a_road_named_after_a_known_town_stays_that_towns_mention(gaz: Gazetteer) -> None:
    ms = _mentions(gaz, "Troops cut the Saraqab road on Tuesday.")
    assert [(m.surface, m.place.id if m.place else None) for m in ms] == [("Saraqab", "C3916")]
    assert ms[0].feature == "Saraqab road"
    assert ms[0].rules == ("feature-of-place:head=road,place=C3916",)


def test_a_list_of_features_gives_one_mention_each(gaz: Gazetteer) -> None:
    text = "Mortars hit the Zunbuqi Street and the Marwadi farms in Talbiseh."
    feats = sorted(m.feature for m in _mentions(gaz, text) if m.feature)
    assert feats == ["Marwadi farms", "Zunbuqi Street"]


# near misses: no feature mention
NOT_FEATURES = [
    "The Nusra Front claimed the attack in Ariha on Friday.",  # a group, head capitalised
    "A Russian base and an ISIS checkpoint were reported near Salqin.",  # adjective, acronym
    "The base 46 km north of Homs was hit twice.",  # a distance, not a numbered base
    "Street fighting continued in Talbiseh overnight.",  # no name before the head
    "Airstrikes Hit MSF Hospital In Ariha",  # a headline in title case with an acronym
    "On Monday Street vendors returned to Saraqab.",  # a weekday is no name
]


@pytest.mark.parametrize("text", NOT_FEATURES)
def test_near_misses_make_no_feature(gaz: Gazetteer, text: str) -> None:
    assert [m.surface for m in _mentions(gaz, text) if m.feature] == []


def test_head_rows_are_checked() -> None:
    good = "id,head,plural,forms,kinds,case,note\nroad,road,roads,name-head,landmark,any,\n"
    assert parse_heads(good)[0].words == ("road", "roads")
    with pytest.raises(ValueError, match=":2: forms"):
        parse_heads("id,head,plural,forms,kinds,case,note\nx,x,,sideways,landmark,any,\n")
    with pytest.raises(ValueError, match=":3: missing or repeated id"):
        parse_heads(good + "road,lane,lanes,name-head,landmark,any,\n")
    with pytest.raises(ValueError, match="case"):
        parse_heads("id,head,plural,forms,kinds,case,note\nx,x,,name-head,landmark,upper,\n")


def test_a_feature_of_a_known_place_found_under_another_head_of_its_family(
    gaz: Gazetteer,
) -> None:
    # "X airbase" where the gazetteer knows "X airport": the mention names the airport
    ms = _mentions(gaz, "Troops edged closer to the Deir ez-Zor airbase on Monday.")
    m = next(m for m in ms if m.feature)
    assert (m.surface, m.place.id if m.place else None) == (
        "Deir ez-Zor airbase",
        "CUR-AIRPORT-DEIR",
    )
    assert m.rules[-1] == "feature-named:head=airbase,place=CUR-AIRPORT-DEIR"


def test_a_singular_head_after_two_names_is_one_feature(gaz: Gazetteer) -> None:
    # "the X and Y street" names one street by Y; "the X and Y streets" lists two
    one = _mentions(gaz, "Mortars hit the Zunbuqi and Marwadi street in Saraqab.")
    two = _mentions(gaz, "Mortars hit the Zunbuqi and Marwadi streets in Saraqab.")
    assert [m.surface for m in one if m.feature] == ["Marwadi street"]
    assert [m.surface for m in two if m.feature] == ["Zunbuqi", "Marwadi streets"]


@pytest.mark.parametrize(
    ("text", "surface", "place"),
    [
        ("Jets pounded villages in the province of Idlib.", "province of Idlib", "SY07"),
        ("Jets pounded villages in the province of Homs.", "province of Homs", "SY04"),
        ("Jets pounded the city of Idlib.", "Idlib", "C3871"),  # near miss: the city
    ],
)
def test_province_of_a_capitals_name_is_the_governorate(
    gaz: Gazetteer, text: str, surface: str, place: str
) -> None:
    m = next(m for m in _mentions(gaz, text) if m.surface == surface)
    assert m.place is not None and m.place.id == place


def test_feature_work_grows_linearly_with_the_text(gaz: Gazetteer) -> None:
    import time

    def cpu(n: int) -> float:
        text = "Mortars hit the Zunbuqi Street and the Marwadi farms near Talbiseh. " * n
        t0 = time.process_time()
        find_mentions(Document("t", text), gaz)
        return time.process_time() - t0

    cpu(20)
    small, large = cpu(300), cpu(1200)
    assert max(large, 0.2) / max(small, 0.2) <= 4 * 2.5, (small, large)
