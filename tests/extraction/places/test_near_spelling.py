"""Short spellings no source lists, read as the place near another one the sentence names
whose name has the same consonants (rule near-spelling), and villages named with "areas".
Sentences written for these tests, with other villages than the dev articles'."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.gazetteer.store import Gazetteer
from geomap.model import Document, Mention
from geomap.pipeline.documents import process_document


def _mentions(gaz: Gazetteer, text: str) -> dict[str, Mention]:
    found = process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions
    return {m.surface: m for m in found}


# text, the spelling, its place id (None: no mention), the rule it carries
CASES = [
    # Kabta (Idleb) spelt "Kobta" beside Ghafar; Jalma (Hama) beside Beij; Thaqif (Hasakeh)
    ("Rebels shelled Ghafar and Kobta on Tuesday.", "Kobta", "C4185", "near-spelling:near=C4175"),
    (
        "Government troops entered Beij and Jolma at dawn.",
        "Jolma",
        "C3468",
        "near-spelling:near=C3121",
    ),
    ("Jets bombed Tameriyeh and Thoqif overnight.", "Thoqif", "C4964", "near-spelling:near=C4954"),
    # a list without commas, after a name of two words
    (
        "Government shells hit Biret Armanaz Kobta and Ghafar overnight.",
        "Kobta",
        "C4185",
        "near-spelling:near=C4175",  # (the nearest of the places named: Ghafar)
    ),
    # with "areas" after the list: still the village, not a quarter of the city in context
    (
        "Jets struck the Ghafar and Kobta areas in the countryside of Idlib.",
        "Kobta",
        "C4185",
        "near-spelling:near=C4175",
    ),
    # near misses: no other place; a person named like the village; a word of a group's name;
    # the other place far from the village
    ("Kobta was shelled on Tuesday.", "Kobta", None, None),
    (
        "Rebels shelled Ghafar, and Ahmad Kobta, a local commander, said the village held.",
        "Kobta",
        None,
        None,
    ),
    ("Rebels shelled Ghafar and the Kobta Brigade said it held the line.", "Kobta", None, None),
    ("Rebels shelled Aleppo and Kobta on Tuesday.", "Kobta", None, None),
    # a group's name is not a village's spelling, whatever is near
    ("The brigade operates in Jayrud alongside Nusra fighters.", "Nusra", None, None),
]


@pytest.mark.parametrize(("text", "surface", "place", "rule"), CASES)
def test_a_short_spelling_near_a_named_place(
    gaz: Gazetteer, text: str, surface: str, place: str | None, rule: str | None
) -> None:
    m = _mentions(gaz, text).get(surface)
    if place is None:
        assert m is None or m.status != "resolved"
    else:
        assert m is not None
        assert (m.status, m.place.id if m.place else None) == ("resolved", place)
        assert rule in m.rules


# a name cued by "areas": the village near a place of the list, or the city's quarter
AREAS = [
    ("Jets struck the Ghafar and Kabta areas in the countryside of Idlib.", "Kabta", "C4185"),
    ("Shelling hit the Qadam and Midan areas in Damascus.", "Midan", "C10011059"),
    ("Mortars fell on the Midan area of Damascus.", "Midan", "C10011059"),
]


@pytest.mark.parametrize(("text", "surface", "place"), AREAS)
def test_areas(gaz: Gazetteer, text: str, surface: str, place: str) -> None:
    m = _mentions(gaz, text)[surface]
    assert (m.status, m.place.id if m.place else None) == ("resolved", place)


def test_short_skeletons_are_indexed_apart(gaz: Gazetteer) -> None:
    # "mdr" (Modira) is too short for the skeleton index, kept in the short one
    assert "C2343" in gaz.short_skeleton_index()["mdr"]
    assert "mdr" not in gaz.skeleton_index()
