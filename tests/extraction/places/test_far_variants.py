"""One capitalised word that only sounds like a small place far from the article's city, with
no preposition or attack verb before it, is a person's name or a word, not a place; with one,
it stays (ambiguous); an exact name stays too."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document

# (text, the surface, whether it is a mention)
CASES = [
    ("Aleppo residents said Hashim had left the city before the siege.", "Hashim", False),
    ("In Aleppo, negotiators said the Deal would hold until Friday.", "Deal", False),
    # near misses: an attack verb before the variant, or the exact name
    ("In Aleppo, the army said jets struck Khashem overnight.", "Khashem", True),
    ("In Aleppo, the army said jets struck Khasham overnight.", "Khasham", True),
]


@pytest.mark.parametrize(("text", "surface", "kept"), CASES, ids=[c[1] for c in CASES])
def test_a_far_sounding_word_is_no_place(
    gaz: Gazetteer, text: str, surface: str, kept: bool
) -> None:
    mentions = process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions
    assert any(m.surface == surface for m in mentions) == kept, [
        (m.surface, m.place and m.place.id) for m in mentions
    ]
