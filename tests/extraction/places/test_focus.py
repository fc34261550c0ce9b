"""The article's region decides between namesakes (rule region-focus): villages of one name in
two governorates, or in two districts of one governorate. Sentences written for these tests;
the names are other namesake pairs of the gazetteer than the cases' Maarzaf."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.extraction.places.focus import RegionFocus, region_focus
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document, Mention
from geomap.pipeline.documents import process_document


def _mentions(gaz: Gazetteer, text: str) -> list[Mention]:
    return process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions


# text, the namesake, its place id (None: left ambiguous), the region rule it carries
CASES = [
    # the article's other places, named after it, are in Idleb: the Idleb Frikeh
    (
        "Frikeh was shelled at dawn, a monitor said. Residents fled. "
        "Jets later struck Jisr al-Shughour and Darkush.",
        "Frikeh",
        "C4219",
        "region-focus:level=governorate,name=Idleb,named=2",
    ),
    # the same name, the other places in Hama: the Hama Frikeh
    (
        "Frikeh was shelled at dawn, a monitor said. Residents fled. "
        "Jets later struck Suqaylabiyah and Kafr Zita.",
        "Frikeh",
        "C3182",
        "region-focus:level=governorate,name=Hama,named=2",
    ),
    # Helleh in Rural Damascus or in Idleb: Harem and Salqin are in Idleb
    (
        "Helleh was shelled on Monday. Rebels in Harem said the army also hit Salqin.",
        "Helleh",
        "C4155",
        "region-focus:level=governorate,name=Idleb,named=2",
    ),
    # Deir Mama in Hama or in Lattakia, either way round
    (
        "Deir Mama came under fire on Monday. The army said it had also shelled Masyaf and "
        "Wadi al-Oyoun.",
        "Deir Mama",
        "C3336",
        "region-focus:level=governorate,name=Hama,named=2",
    ),
    (
        "Deir Mama came under fire on Monday. Later the army shelled Kadin and Salma.",
        "Deir Mama",
        "C3755",
        "region-focus:level=governorate,name=Lattakia,named=2",
    ),
    # two Latmanas in Hama, in two districts: the district of the other places decides
    (
        "Latmana was shelled at dawn, a monitor said. Residents fled. "
        "Jets later struck Kafr Zita and Halfaya.",
        "Latmana",
        "C3458",
        "region-focus:level=district,name=Muhradah,named=2",
    ),
    (
        "Latmana was shelled at dawn, a monitor said. Residents fled. "
        "Jets later struck Ziyara and Qarqur.",
        "Latmana",
        "C3138",
        "region-focus:level=district,name=As-Suqaylabiyah,named=2",
    ),
    # near misses: no other place, one place only, the places split between the two
    # governorates, and a family named like a village (no place, so no region)
    ("Frikeh was shelled at dawn.", "Frikeh", None, None),
    ("Frikeh was shelled at dawn. Later jets struck Darkush.", "Frikeh", None, None),
    (
        "Frikeh was shelled at dawn. Jets struck Kafr Zita, and rebels shelled Jisr al-Shughour.",
        "Frikeh",
        None,
        None,
    ),
    (
        "Deir Mama came under fire on Monday. The Kadin family and the Kadin clan fled.",
        "Deir Mama",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("text", "surface", "place", "rule"), CASES)
def test_the_article_region_decides_between_namesakes(
    gaz: Gazetteer, text: str, surface: str, place: str | None, rule: str | None
) -> None:
    [m] = [m for m in _mentions(gaz, text) if m.surface == surface]
    if place is None:
        assert m.status == "ambiguous"
        assert not any(r.startswith("region-focus") for r in m.rules)
    else:
        assert (m.status, m.place.id if m.place else None) == ("resolved", place)
        assert rule in m.rules


def test_the_sentence_before_outweighs_the_region(gaz: Gazetteer) -> None:
    # Kafr Zita (Hama) just before; the article's later places are in Idleb
    text = (
        "Jets hit Kafr Zita on Monday. Maarzaf was shelled later. Residents fled. "
        "Rebels shelled Jisr al-Shughour and Darkush."
    )
    [m] = [m for m in _mentions(gaz, text) if m.surface == "Maarzaf"]
    assert (m.status, m.place.id if m.place else None) == ("resolved", "C3456")
    assert not any(r.startswith("region-focus") for r in m.rules)


# places of the article (by id), the focus they make
FOCUS = [
    (["C4081", "C4068"], ("Idleb", 2, "Al Ma'ra", 2)),  # Tamanaah, Kafr Nabl
    (["C4081", "C4068", "C3029"], ("Idleb", 2, "Al Ma'ra", 2)),  # and one Hama village
    (["C4081", "C4068", "C3029", "C3463"], ("", 0, "", 0)),  # two and two: none
    (["C4081"], ("", 0, "", 0)),  # one place is no focus
    (["SY07", "C4081"], ("Idleb", 2, "", 0)),  # the governorate named counts for itself
    (["C4199", "C4081"], ("Idleb", 2, "", 0)),  # two districts once each: no district
    (["C3458", "C3463", "C3138"], ("Hama", 3, "Muhradah", 2)),
]


@pytest.mark.parametrize(("ids", "expected"), FOCUS)
def test_region_focus(gaz: Gazetteer, ids: list[str], expected: tuple[str, int, str, int]) -> None:
    assert region_focus([gaz.get(i)] for i in ids) == RegionFocus(*expected)


def test_a_name_whose_namesakes_span_governorates_speaks_for_none(gaz: Gazetteer) -> None:
    maarzaf = [gaz.get("C3456"), gaz.get("C4279")]
    assert region_focus([maarzaf, maarzaf, [gaz.get("C4081")]]) == RegionFocus()
    # a crossing beside a town's name has no governorate and does not spoil it
    darkush = [gaz.get("C4252"), gaz.get("XING-DARKUSH")]
    assert region_focus([darkush, [gaz.get("C4081")]]).governorate == "Idleb"
