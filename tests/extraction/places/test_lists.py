"""A list of names whose commas were lost: "X al-Y" is two places when X is a place or itself
carries the article, a person's name ("Khaled al-Y") otherwise."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.extraction.places.spotting import LISTED_AFTER_NAME_RULE
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document

CASES = [
    # (text, surfaces expected as mentions, surfaces that must not be mentions)
    (
        "Helicopters struck Inkhil al-Hrak and Dael on Monday.",
        ["Inkhil", "al-Hrak", "Dael"],
        [],
    ),
    (
        "Mortars hit the quarters of al-Midan al-Ramouseh and Salaheddine in Aleppo overnight.",
        ["al-Midan", "al-Ramouseh", "Aleppo"],
        [],
    ),
    # near misses: a first name before the article is a person's
    ("Local commander Khaled al-Hrak said the road to Homs was open.", ["Homs"], ["al-Hrak"]),
    ("A statement by Ahmad al-Ramouseh was read in Aleppo.", ["Aleppo"], ["al-Ramouseh"]),
]


@pytest.mark.parametrize(("text", "found", "absent"), CASES, ids=[c[0][:40] for c in CASES])
def test_names_listed_without_commas(
    gaz: Gazetteer, text: str, found: list[str], absent: list[str]
) -> None:
    mentions = process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions
    surfaces = [m.surface for m in mentions]
    for surface in found:
        assert surface in surfaces, surfaces
    for surface in absent:
        assert surface not in surfaces, surfaces
    listed = [
        m.surface for m in mentions if any(r.startswith(LISTED_AFTER_NAME_RULE) for r in m.rules)
    ]
    # the name after the first of a list is the one the rule admits, and it says so
    assert listed == ([found[1]] if not absent else [])
