"""A name spelt as one place's alias but, by its phonetic key, also a village's: the village is
kept in the running where the sentence names another place near it (a list of villages), and
wins there over a namesake far off; alone, the alias's own place stays."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document

# (sentence, the surface, the place expected: its id)
CASES = [
    # near Big Sarja and Barhalin (Al Bab district): Suran of Al Bab, not the Hama town
    ("Helicopters dropped barrel bombs on Barhalin Souran and Big Sarja overnight.", "C1197"),
    # near Albil and Tlaline (A'zaz district): Suran of A'zaz
    ("Fighting spread to Tlaline, Souran and Albil after midnight.", "C1664"),
    # near miss: no other place in the sentence, the alias's own town
    ("Fighting spread to Souran after midnight.", "C3026"),
]


@pytest.mark.parametrize(("text", "place_id"), CASES, ids=["al-bab", "azaz", "alone"])
def test_a_village_variant_near_a_listed_place(gaz: Gazetteer, text: str, place_id: str) -> None:
    mentions = process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions
    found = [m for m in mentions if m.surface == "Souran"]
    assert len(found) == 1, [(m.surface, m.place and m.place.id) for m in mentions]
    assert found[0].place is not None and found[0].place.id == place_id, found[0]
