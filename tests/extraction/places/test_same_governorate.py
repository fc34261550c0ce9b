"""A small place in the governorate the same sentence names wins over its namesakes elsewhere
(rule same-governorate); where the sentence names the other's governorate, the other wins."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document

CASES = [
    ("Jets struck the town of al Tabaqa in Raqqa province on Monday.", "Al-Thawrah"),
    ("Jets struck the town of al Tabaqa in Hasakeh province on Monday.", "Tabaqa"),
]


@pytest.mark.parametrize(("text", "place"), CASES, ids=["raqqa", "hasakeh"])
def test_the_governorate_named_decides(gaz: Gazetteer, text: str, place: str) -> None:
    mentions = process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions
    first = mentions[0]
    assert first.surface == "al Tabaqa"
    assert first.place is not None and first.place.name == place
