"""Places outside Syria the press names in passing (talks, statements, exile): context."""

from __future__ import annotations

import pytest

from geomap.extraction.places.mentions import find_mentions
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document


@pytest.mark.parametrize(
    ("text", "surface", "country"),
    [
        ("The envoys met in Vienna on Tuesday to discuss a truce.", "Vienna", "AT"),
        ("Talks resumed in Lausanne after a week.", "Lausanne", "CH"),
        ("The monitor, based in London, gave the toll.", "London", "GB"),
        ("Fighters returned from Afghanistan in 2013.", "Afghanistan", "AF"),
        ("Refugees reached Europe by sea.", "Europe", ""),
    ],
)
def test_places_abroad_are_context(gaz: Gazetteer, text: str, surface: str, country: str) -> None:
    m = next(m for m in find_mentions(Document("t", text), gaz) if m.surface == surface)
    assert m.place is not None and m.place.country == country
    assert m.role == "context"


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        (
            "Clashes near the border\n\nUpdated 3 March 2015 AMMAN (Reuters) Officials said on "
            "Tuesday that the crossing stayed shut.",
            "AMMAN",
        ),
        (
            "Shelling resumes\n\nLast updated Apr 42016 BEIRUT Rebels shelled the town of Ariha "
            "on Sunday, a monitor said.",
            "BEIRUT",
        ),
    ],
)
def test_a_dateline_run_into_the_text_is_the_dateline(
    gaz: Gazetteer, text: str, surface: str
) -> None:
    m = next(m for m in find_mentions(Document("t", text), gaz) if m.surface == surface)
    assert m.role == "dateline"


def test_a_spelling_variant_names_no_city_abroad(gaz: Gazetteer) -> None:
    # "Lamia" sounds like Lima: a person here, and a city abroad is named by its own spelling
    ms = find_mentions(Document("t", "Lamia, a nurse, said the clinic in Ariha was hit."), gaz)
    assert [m.surface for m in ms if m.place is not None and m.place.country == "PE"] == []
