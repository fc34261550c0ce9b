"""A list of places after one trigger ("targeted positions in X Y and Z", commas and all
stripped as in wire copy): one event at each item; a town right after another place is the
next item, not where the first lies. Invented sentences, each with a near miss."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document


def _events(gaz: Gazetteer, text: str) -> list[tuple[str, str]]:
    events = process_document(Document("t", text, date(2015, 4, 2), outlet="test"), gaz).events
    return sorted((e.place.name, e.type) for e in events)


# text, the expected (fragment of the place name, type) of each event
CASES = [
    (
        "Gunners targeted militant positions in Saraqeb Binnish and Sarmin on Wednesday.",
        [
            ("Bennsh", "remote_violence"),
            ("Saraq", "remote_violence"),
            ("Sarmin", "remote_violence"),
        ],
    ),
    (
        "The air force hit hideouts of the militants in Saraqeb Binnish on Wednesday.",
        [("Bennsh", "remote_violence"), ("Saraq", "remote_violence")],
    ),
    (
        "Warplanes flew dozens of sorties over Binnish and Sarmin on Wednesday.",
        [("Bennsh", "remote_violence"), ("Sarmin", "remote_violence")],
    ),
    # near misses: no happening; a governorate right after a town locates it
    ("The campaign targeted voters in Saraqeb Binnish and Sarmin on Wednesday.", []),
    ("The air force held a parade in Saraqeb on Wednesday.", []),
    (
        "Gunners targeted militant positions in Binnish Idlib province on Wednesday.",
        [("Bennsh", "remote_violence")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_one_event_a_listed_place(
    gaz: Gazetteer, text: str, expected: list[tuple[str, str]]
) -> None:
    got = _events(gaz, text)
    assert len(got) == len(expected), got
    for (fragment, type_), (name, got_type) in zip(sorted(expected), got, strict=True):
        assert fragment.lower() in name.lower() and type_ == got_type, got
