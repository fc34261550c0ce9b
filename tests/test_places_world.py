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
