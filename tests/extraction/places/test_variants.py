"""Villages spelt another way: taken with a cue word after them ("X town") or in a list of
places near them; never a person's two names, nor a word of a title set in capitals.
Sentences written for these tests."""

from __future__ import annotations

import pytest

from geomap.extraction.places.mentions import find_mentions
from geomap.gazetteer.store import Gazetteer, haversine_km
from geomap.model import Document


def _found(gaz: Gazetteer, text: str) -> dict[str, str]:
    return {
        m.surface: m.place.id
        for m in find_mentions(Document("t", text), gaz)
        if m.place is not None and m.status == "resolved"
    }


def test_a_village_variant_in_a_list_near_the_others(gaz: Gazetteer) -> None:
    got = _found(gaz, "Jets pounded Kadin, Salma, Dourin and Tirtyah in the hills of Latakia.")
    assert {"Kadin", "Salma", "Dourin", "Tirtyah"} <= set(got)
    kadin = gaz.get(got["Kadin"])
    for name in ("Dourin", "Tirtyah"):
        p = gaz.get(got[name])
        assert p.kind == "village"
        assert haversine_km(p.lat, p.lon, kadin.lat, kadin.lon) < 25


@pytest.mark.parametrize(
    "text",
    [
        "Troops entered Ain Daqneh town at dawn.",
        "Shelling hit Ain Daqneh village overnight.",
    ],
)
def test_a_village_variant_with_a_cue_word_after_it(gaz: Gazetteer, text: str) -> None:
    assert gaz.get(_found(gaz, text)["Ain Daqneh"]).kind == "village"


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Dourin said the talks had failed.", "Dourin"),  # alone, no list, no cue
        ("Rebels Shell Dourin And Salma Overnight", "Dourin"),  # a title in capitals
        ("The Ain Daqneh council met at dawn.", "Ain Daqneh"),  # a variant, no cue nor verb
        ("The envoy Lamia Dourin resigned in protest.", "Dourin"),  # a person's two names
    ],
)
def test_near_misses(gaz: Gazetteer, text: str, surface: str) -> None:
    assert surface not in _found(gaz, text)
