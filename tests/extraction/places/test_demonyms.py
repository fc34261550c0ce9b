"""A place's adjective or its people's name is not a mention of the place."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.extraction.places.demonyms import is_demonym
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document

WORDS = [
    ("Damascene", True),
    ("Aleppan", True),
    ("Idlibi", True),
    ("Hamawi", True),
    ("Tartousi", True),
    ("Lebanese", True),
    ("Jordanian", True),
    # near misses: the names themselves, and places whose names end like a demonym
    ("Damascus", False),
    ("Aleppo", False),
    ("Hama", False),
    ("Daraya", False),
    ("Harasta", False),
    ("Douma", False),
]


@pytest.mark.parametrize(("word", "expected"), WORDS, ids=[w for w, _ in WORDS])
def test_is_demonym(gaz: Gazetteer, word: str, expected: bool) -> None:
    assert is_demonym(gaz, word) is expected


SENTENCES = [
    ("Air strikes on an Aleppan suburb town killed nine on Monday.", "Aleppan", False),
    ("Shells hit a Tartousi neighbourhood on Monday.", "Tartousi", False),
    ("Air strikes on the suburbs of Aleppo killed nine on Monday.", "Aleppo", True),
]


@pytest.mark.parametrize(("text", "word", "mentioned"), SENTENCES, ids=["adj", "people", "name"])
def test_demonym_is_no_mention(gaz: Gazetteer, text: str, word: str, mentioned: bool) -> None:
    mentions = process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions
    assert any(m.surface == word for m in mentions) is mentioned
