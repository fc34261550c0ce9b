"""Resolution in context: administrative districts and governorates, passive attack verbs,
the sentence before, and one sense a name a document. Sentences written for these tests."""

from __future__ import annotations

import pytest

from geomap.extraction.places.mentions import find_mentions
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document, Mention


def _by_surface(gaz: Gazetteer, text: str) -> dict[str, list[Mention]]:
    out: dict[str, list[Mention]] = {}
    for m in find_mentions(Document("t", text), gaz):
        out.setdefault(m.surface, []).append(m)
    return out


# text, surface, place id (None: no mention)
CASES = [
    # "the District of X": an administrative district, placed at its capital town, not a
    # neighbourhood of the city in context
    ("Jets bombed a bakery in the District of Qatana in Rural Damascus.", "Qatana", "C2470"),
    ("Mortars hit Damascus. Later jets bombed the District of Yabroud.", "Yabroud", "C2416"),
    # a governorate and its district of the same name: the governorate
    ("Rockets landed across Rural Damascus overnight.", "Rural Damascus", "SY03"),
    # near miss: a city's quarter cued as a district stays the quarter
    ("Shelling hit the Midan district of Damascus.", "Midan", "C10011059"),
    # "X was shelled": a village named first in its sentence, by its exact name
    ("Kadin was shelled at dawn.", "Kadin", "C3752"),
    ("Kadin said he would not return.", "Kadin", None),  # near miss: a person
    # a village spelt another way, with a generic first word and "on" before it
    ("Barrel bombs fell on Kafr Nabouda before noon.", "Kafr Nabouda", "C3209"),
    ("Barrel bombs were stored by Kafr Nabouda traders.", "Kafr Nabouda", None),  # near miss
    # of two villages of one name, the one in the governorate of the place named just before
    ("Jets hit Kafr Zita on Monday. Maarzaf was shelled later.", "Maarzaf", "C3456"),
    # "the cities of X and Y": the cue reaches over the names listed before
    ("Terrorists shelled the cities of Aleppo and al-Baath today.", "al-Baath", "C6275"),
    ("Jets struck the villages of Kafr Zita, Halfaya and Frikeh.", "Frikeh", "C3182"),
    # near miss: a party's name after a list of cities
    ("Rebels from the cities of Homs and Baath Party offices were hit.", "Baath", None),
]


@pytest.mark.parametrize(("text", "surface", "place"), CASES)
def test_resolution_in_context(gaz: Gazetteer, text: str, surface: str, place: str | None) -> None:
    found = _by_surface(gaz, text).get(surface, [])
    if place is None:
        assert [m for m in found if m.status == "resolved"] == []
    else:
        assert [(m.status, m.place.id if m.place else None) for m in found] == [("resolved", place)]


def test_a_name_keeps_the_sense_it_had_earlier_in_the_document(gaz: Gazetteer) -> None:
    text = (
        "Troops reached the town of Tel Brak on Monday. Later jets hit positions south of Tel Brak."
    )
    first, second = _by_surface(gaz, text)["Tel Brak"]
    assert first.place is not None and second.place == first.place
    assert second.rules[0] == f"same-name-earlier:at={first.start},place={first.place.id}"
    # alone, the second sentence names no such village
    alone = _by_surface(gaz, "Later jets hit positions south of Tel Brak.")["Tel Brak"][0]
    assert alone.place != first.place


@pytest.mark.parametrize(
    ("text", "surface", "place"),
    [
        # "Masaken X" (the X housing): the neighbourhood X, the generic word in the mention
        ("Barrels fell on Masaken Hanano in Aleppo overnight.", "Masaken Hanano", "N0129"),
        ("Shells fell on Hanano in Aleppo overnight.", "Hanano", "N0129"),
    ],
)
def test_a_housing_word_before_a_neighbourhood_joins_it(
    gaz: Gazetteer, text: str, surface: str, place: str
) -> None:
    found = _by_surface(gaz, text)[surface]
    assert [m.place.id for m in found if m.place] == [place]
