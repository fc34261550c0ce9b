"""A place named in an institution's name ("the X Police Command") is a context mention of
the place; a media organisation named for a place ("the X Media Center") is no mention."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.extraction.places.mentions import INSTITUTION_RULE
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document

# text, [(surface, role, whether the institution rule made it)]
CASES = [
    (
        "A source at the Latakia Police Command told the agency that the road was reopened.",
        [("Latakia", "context", True)],
    ),
    (
        "Officials of the Tartus Provincial Council met on Monday to discuss the budget.",
        [("Tartus", "context", True)],
    ),
    # the same name as an event place elsewhere in the article: an event place everywhere
    (
        "A source at Hama Police Command said rockets fell on the Bab Qebli neighborhood in Hama.",
        [("Hama", "event", True), ("Bab Qebli", "event", False), ("Hama", "event", False)],
    ),
    # near miss: a media organisation is an outlet, not an institution of the place
    ("The Hama Media Center said the road was reopened.", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_places_in_institution_names(
    gaz: Gazetteer, text: str, expected: list[tuple[str, str, bool]]
) -> None:
    mentions = process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions
    got = [
        (m.surface, m.role, any(r.startswith(INSTITUTION_RULE) for r in m.rules)) for m in mentions
    ]
    assert got == expected
