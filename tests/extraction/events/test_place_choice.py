"""Which of a sentence's places an event is placed at: the anchor of a relative phrase
("20 km east of M") locates the place named before it and is not a place of its own."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document

# text, the event places expected (fragments of their names)
CASES = [
    (
        "Army helicopters dropped barrel bombs on the village of Tal Mardikh 10 km east of "
        "Saraqeb on Friday.",
        ["Mardikh"],
    ),
    ("Warplanes struck Kafranbel, 12 km west of Maarat al-Numan, killing five people.", ["Kafr"]),
    ("Rebels shelled the town of Mhardeh, about 20 km northwest of Hama, on Monday.", ["Muhra"]),
    # near misses: the anchor alone places the happening; a place of another clause stays
    ("Rebels clashed with troops north of Hama on Sunday.", ["Hama"]),
    (
        "Jets bombed Ariha and rebels clashed with troops north of Idlib on Sunday.",
        ["Ariha", "Idleb"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_anchor_of_a_relative_phrase(gaz: Gazetteer, text: str, expected: list[str]) -> None:
    events = process_document(Document("t", text, date(2014, 3, 5), outlet="test"), gaz).events
    names = sorted(e.place.name for e in events)
    assert len(names) == len(expected), names
    for fragment, name in zip(sorted(expected), names, strict=True):
        assert fragment.lower() in name.lower(), (fragment, name)
