"""A name that is a governorate's and its capital's ("Hama", "Quneitra") is the city, even in
an article about somewhere else where a village bears the same name near by; a cue word
("the village of") still makes it the village."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document

# (text, the surface, the kind of place expected)
CASES = [
    (
        "Residents of Damascus said on Tuesday that jets had pounded Hama for hours.",
        "Hama",
        "city",
    ),
    (
        "Idleb activists reported that gunfire was heard in Quneitra late on Friday.",
        "Quneitra",
        "city",
    ),
    # near misses: a cue word names the village
    (
        "Residents of Damascus said on Tuesday that jets had pounded the village of Hama.",
        "Hama",
        "village",
    ),
]


@pytest.mark.parametrize(("text", "surface", "kind"), CASES, ids=["hama", "quneitra", "cued"])
def test_a_capital_name_is_the_city(gaz: Gazetteer, text: str, surface: str, kind: str) -> None:
    mentions = process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions
    found = [m for m in mentions if m.surface == surface]
    assert len(found) == 1, [(m.surface, m.place and m.place.id) for m in mentions]
    assert found[0].place is not None and found[0].place.kind == kind, found[0]


# a governorate and its district of the same name: the governorate, unless "district" is said
GOVERNORATE_CASES = [
    ("Mortars fell on several towns in Rural Damascus, the governor of Homs said.", "governorate"),
    ("In Damascus, officials said the fires in Rural Damascus were put out.", "governorate"),
    # near miss: the district is named as one
    ("In Damascus, officials said the fires in the Rural Damascus district were out.", "district"),
]


@pytest.mark.parametrize(("text", "kind"), GOVERNORATE_CASES, ids=["plain", "city", "cued"])
def test_a_governorate_name_is_the_governorate(gaz: Gazetteer, text: str, kind: str) -> None:
    mentions = process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions
    found = [m for m in mentions if m.surface.startswith("Rural Damascus")]
    assert len(found) == 1, [(m.surface, m.place and m.place.id) for m in mentions]
    assert found[0].place is not None and found[0].place.kind == kind, found[0]
