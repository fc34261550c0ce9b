"""Names in real reporting: country acronyms, news agencies and outlets, English articles.
Invented sentences, each with a near miss."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.extraction.places.mentions import find_mentions
from geomap.extraction.places.resolve import not_places
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document


def _found(gaz: Gazetteer, text: str) -> list[tuple[str, str | None]]:
    mentions = find_mentions(Document("t", text, date(2016, 5, 2)), gaz)
    return [(m.surface, m.place.id if m.place else None) for m in mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The US said its jets struck Raqqa.", [("US", "CTRY-US"), ("Raqqa", None)]),
        ("UK officials condemned the raid.", [("UK", "CTRY-GB")]),
        ("US-backed fighters entered the town.", [("US", "CTRY-US")]),
        ("Let us hope the truce holds, he said.", []),  # near miss: the pronoun
        ("They told us nothing.", []),
    ],
)
def test_country_acronyms_as_written(
    gaz: Gazetteer, text: str, expected: list[tuple[str, str | None]]
) -> None:
    got = _found(gaz, text)
    assert [s for s, _ in got] == [s for s, _ in expected]
    for (_, pid), (_, want) in zip(got, expected, strict=True):
        if want is not None:
            assert pid == want


@pytest.mark.parametrize(
    "text",
    [
        "The official SANA news agency reported the attack.",
        "SANA said the shells caused damage.",
        "AFP reported heavy fighting, Reuters said.",
        "Sputnik quoted a ministry source.",
    ],
)
def test_news_agencies_are_no_places(gaz: Gazetteer, text: str) -> None:
    assert _found(gaz, text) == []


def test_a_place_after_an_agency_is_still_found(gaz: Gazetteer) -> None:
    assert [s for s, _ in _found(gaz, "SANA said shells hit Homs.")] == ["Homs"]


def test_not_places_is_data() -> None:
    names = not_places()
    assert {"sana", "hamas", "reuters"} <= names
    assert all(n == n.lower() for n in names)


@pytest.mark.parametrize(
    ("text", "surface", "place"),
    [
        ("Fighting raged in the Damascus countryside on Monday.", "Damascus countryside", "SY03"),
        ("Shells fell on the Damascus suburbs.", "Damascus suburbs", "SY03"),
        ("Raids hit Idlib southern countryside.", "Idlib southern countryside", "SY07"),
        ("Clashes broke out in rural Hama.", "Hama", "SY05"),
        ("Shelling hit the western countryside of Aleppo.", "Aleppo", "SY02"),
        # near misses: the city itself
        ("Troops entered Aleppo city.", "Aleppo", "C1007"),
        ("Shells fell on Damascus.", "Damascus", "C1001"),
    ],
)
def test_countryside_names_the_governorate_around(
    gaz: Gazetteer, text: str, surface: str, place: str
) -> None:
    assert (surface, place) in _found(gaz, text)


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Rockets hit al-Ramouseh in Aleppo.", "al-Ramouseh"),
        ("Shells fell on el-Sheikh Maqsoud in Aleppo.", "el-Sheikh Maqsoud"),
        ("Raids hit the province of Idlib.", "province of Idlib"),
        ("Clashes erupted in Tell al-Abyad.", "Tell al-Abyad"),  # the article inside stays
        ("The regime bombed Idlib.", "Idlib"),  # near miss: no article
    ],
)
def test_the_article_before_a_name_is_part_of_it(gaz: Gazetteer, text: str, surface: str) -> None:
    assert surface in [s for s, _ in _found(gaz, text)]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Raids on eastern Ghouta killed nine people.", "eastern Ghouta"),
        ("The siege of Eastern Ghouta went on.", "Eastern Ghouta"),
    ],
)
def test_a_direction_in_lower_case_begins_the_name(
    gaz: Gazetteer, text: str, surface: str
) -> None:
    assert surface in [s for s, _ in _found(gaz, text)]


def test_a_lower_case_word_alone_is_no_name(gaz: Gazetteer) -> None:
    assert _found(gaz, "they moved east then south") == []


@pytest.mark.parametrize(
    ("text", "surface", "place"),
    [
        ("Air strikes hit al-Bab on Monday.", "al-Bab", "C1202"),
        ("The Al-Bab area was shelled.", "Al-Bab", "C1202"),
        ("Troops entered al-Tal north of the capital.", "al-Tal", "C2395"),
    ],
)
def test_a_town_named_by_the_article_and_a_generic_word(
    gaz: Gazetteer, text: str, surface: str, place: str
) -> None:
    assert (surface, place) in _found(gaz, text)


@pytest.mark.parametrize("text", ["He knocked at the bab of the house.", "al-bab was closed."])
def test_a_generic_word_in_lower_case_is_no_town(gaz: Gazetteer, text: str) -> None:
    assert _found(gaz, text) == []


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("A Homs-based monitor reported the clashes.", "context"),
        ("Pro-Hama militias were deployed.", "context"),
        ("Shells hit Homs on Monday.", "event"),  # near miss
    ],
)
def test_a_place_naming_a_side_or_a_seat_is_context(
    gaz: Gazetteer, text: str, role: str
) -> None:
    (m,) = find_mentions(Document("t", text, date(2016, 5, 2)), gaz)
    assert m.role == role


def test_a_name_in_a_run_is_not_crowded_out_by_the_next_ones_article(gaz: Gazetteer) -> None:
    text = "Troops shelled gatherings in Bosra al-Sham Atman al-Yadouda and Tafas."
    surfaces = [s for s, _ in _found(gaz, text)]
    assert "Atman" in surfaces and "Bosra al-Sham" in surfaces
