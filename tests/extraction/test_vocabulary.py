"""One copy of each vocabulary: the negation words, the Arabic article, the victims."""

from __future__ import annotations

import re

import pytest

from geomap.extraction import lexicon
from geomap.extraction.places.roles import role_of
from geomap.model import Place

TOWN = Place("T1", "Zzyzx", "town", 35.0, 37.0, 2.0)


@pytest.mark.parametrize(
    ("before", "role"),
    [
        ("Rebels said government troops are not in ", "context"),  # the bug: "not" was missing
        ("Neither the army nor the militias are based in ", "context"),
        ("Government forces are no longer in ", "context"),
        ("The clashes took place not far from ", "event"),  # "not far": no negation
        ("It was not immediately clear what caused the blast in ", "event"),
        ("It did not know whether warplanes carried out the strikes on ", "event"),
        ("Warplanes struck ", "event"),
    ],
)
def test_negated_place_role(before: str, role: str) -> None:
    assert role_of(TOWN, False, before)[0] == role


def test_negation_words_are_shared() -> None:
    """Every negation test takes its words from ``lexicon.NEGATION_WORDS``."""
    from geomap.extraction.events import extract as events
    from geomap.extraction.places import roles

    for word in lexicon.NEGATION_WORDS:
        assert re.search(word, lexicon.NEGATION.pattern)
        assert re.search(word, events._PLACE_NEGATION.pattern)
        assert re.search(word, roles._NEGATED.pattern)


def test_one_arabic_article() -> None:
    """The article lists of text folding, name folding, the spotter and the resolver are one."""
    from geomap.extraction.places import resolve, spotting
    from geomap.extraction.text import fold_text
    from geomap.gazetteer.names import ARABIC_ARTICLES, SPACED_ARTICLES, normalize_name

    assert SPACED_ARTICLES <= set(ARABIC_ARTICLES)
    assert set(spotting._RUN_ARTICLES) <= set(ARABIC_ARTICLES)
    assert set(ARABIC_ARTICLES) <= resolve._PARTICLES
    for article in ARABIC_ARTICLES:
        name = f"Tall {article}-Zzyzx"
        assert fold_text(name).text.split() == normalize_name(name).split(), article
        assert spotting._PREFIX.search(f"in {article.capitalize()}-")
