"""A place inside a group's name ("Islamic State in Iraq and Levant", "al-Qaeda in Iraq") is
no mention of the place; the place named outside such a name still is. Sentences written for
these tests."""

from __future__ import annotations

import pytest

from geomap.extraction.places.mentions import find_mentions
from geomap.extraction.places.resolve import group_name_spans
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document

CASES = [
    ("Fighters of the Islamic State in Iraq and Levant attacked Raqqa.", ["Raqqa"]),
    ("The Islamic State of Iraq and al-Sham (ISIS) shelled Hasakeh.", ["Hasakeh"]),
    ("Al-Qaeda in Iraq was once led from Baghdad.", ["Baghdad"]),
    # near misses: the country named on its own, and a name only partly written
    ("The Islamic State of Iraq and Syria left Iraq for Syria.", ["Iraq", "Syria"]),
    ("The Islamic State fought in Iraq and Syria.", ["Iraq", "Syria"]),
]


@pytest.mark.parametrize(("text", "surfaces"), CASES)
def test_places_inside_group_names(gaz: Gazetteer, text: str, surfaces: list[str]) -> None:
    assert [m.surface for m in find_mentions(Document("t", text), gaz)] == surfaces


def test_group_name_spans_cover_the_whole_name() -> None:
    text = "ISIL (so-called Islamic State in Iraq and Levant) fired"
    [(a, b)] = group_name_spans(text)
    assert text[a:b] == "Islamic State in Iraq and Levant"
    assert group_name_spans("Rebels in Iraq and the Levant") == []
