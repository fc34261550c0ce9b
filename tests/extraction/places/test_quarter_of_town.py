"""A name cued as a quarter that no city in context has falls back to the town named just
before, where a town was named after the city ("They seized the X district" in a report on a
town's siege), else to the city in context."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document

CITY = "Jets struck Aleppo on Monday, the monitor said. "
CASES = [
    (
        CITY + "Government forces advanced on Qusayr on Tuesday. "
        "They seized the Qantarji district after heavy shelling.",
        "Qantarji",
        "Al-Qusayr",
        "fallback",
    ),
    # near miss: no town named since the city
    (
        CITY + "They seized the Qantarji district after heavy shelling.",
        "Qantarji",
        "Aleppo",
        "fallback",
    ),
    # near miss: a quarter the city has stays the city's
    (
        CITY + "Government forces advanced on Qusayr on Tuesday. "
        "Rebels shelled the Salaheddin district after that.",
        "Salaheddin",
        "Salah Ad-Deen",
        "resolved",
    ),
]


@pytest.mark.parametrize(
    ("text", "surface", "name", "status"), CASES, ids=["town", "city", "city-quarter"]
)
def test_quarter_falls_back_to_the_town_just_named(
    gaz: Gazetteer, text: str, surface: str, name: str, status: str
) -> None:
    mentions = process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions
    m = next(m for m in mentions if m.surface == surface)
    assert m.place is not None
    assert (m.place.name, m.status) == (name, status)
