"""A spelling variant of a town far from the city in context is read as that town where the
sentence names at least two other places of its governorate ("in Bosra al-Sham, Atman and
al-Yadouda"); with fewer it stays ambiguous."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document

BEFORE = "Jets struck Lattakia on Monday. "
CASES = [
    (
        BEFORE + "On Tuesday shells fell on Bosra al-Sham, Da'el and Tafas, the army said.",
        "resolved",
    ),
    # near misses: one other place of Daraa, or none
    (BEFORE + "On Tuesday shells fell on Bosra al-Sham and Tafas, the army said.", "ambiguous"),
    (BEFORE + "On Tuesday shells fell on Bosra al-Sham, the army said.", "ambiguous"),
]


@pytest.mark.parametrize(("text", "status"), CASES, ids=["two-others", "one-other", "alone"])
def test_a_list_of_one_governorate(gaz: Gazetteer, text: str, status: str) -> None:
    mentions = process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions
    m = next(m for m in mentions if m.surface == "Bosra al-Sham")
    assert m.place is not None and m.place.governorate == "Dar'a"
    assert m.status == status
