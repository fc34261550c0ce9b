"""One sense a name an article: "the X area" after X was resolved as a town is that town, not
a neighbourhood of the article's city that the gazetteer lacks (which falls back to the city)."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.extraction.places.mentions import SAME_SENSE_RULE
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document

CASES = [
    (
        "Jets struck Idlib city on Monday. Rebels said the raids also hit Binnish. In Idlib, "
        "shelling continued in the Binnish area, residents said.",
        "Binnish",
        "Bennsh",
        True,
    ),
    # near miss: a name resolved nowhere before still falls back to the city
    (
        "Jets struck Idlib city on Monday. In Idlib, shelling continued in the al-Mashtal area, "
        "residents said.",
        "al-Mashtal",
        "Idleb",
        False,
    ),
]


@pytest.mark.parametrize(("text", "surface", "place", "same"), CASES, ids=["earlier", "none"])
def test_a_name_keeps_its_sense_over_a_fallback(
    gaz: Gazetteer, text: str, surface: str, place: str, same: bool
) -> None:
    mentions = process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions
    last = [m for m in mentions if m.surface == surface][-1]
    assert last.place is not None and last.place.name == place
    assert any(r.startswith(SAME_SENSE_RULE) for r in last.rules) == same
