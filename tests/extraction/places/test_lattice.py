"""Competing spans (a lattice): the spans a longer one overlapped are kept and tried when the
longer one names no place. Sentences written for these tests."""

from __future__ import annotations

import pytest

from geomap.extraction.places.mentions import find_mentions
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document


def _found(gaz: Gazetteer, text: str) -> list[tuple[str, str, str | None, tuple[str, ...]]]:
    return [
        (m.surface, m.status, m.place.id if m.place else None, m.rules)
        for m in find_mentions(Document("t", text), gaz)
    ]


# text, [(surface, status, place id, rules)]
CASES = [
    (  # "Alam Deir" (a spelling variant across two names) took the words of both names and
        # names no place: the exact names it overlapped are tried and found
        "Jets struck the villages of Tal Alam Deir Qaq at dawn.",
        [
            ("Tal Alam", "resolved", "C2133", ("competing-span:span=name",)),
            ("Deir Qaq", "resolved", "C1221", ("competing-span:span=name",)),
        ],
    ),
    (  # a spelling variant never starts with an English preposition: the exact name wins
        "In Quneitra, the army shelled rebel positions.",
        [("Quneitra", "resolved", "C6268", ())],
    ),
    (  # a look-alike village took the cued name and was dropped: the cue's fallback to the
        # city named with it is tried
        "Shelling hit the al-Sayyed Ali neighborhood of Homs.",
        [
            ("al-Sayyed Ali", "fallback", "C2528", ("competing-span:span=cue",)),
            ("Homs", "resolved", "C2528", ()),
        ],
    ),
    (  # the longer name resolves: "Homs" inside it is not tried
        "Rockets fell on the Old City of Homs.",
        [("Old City of Homs", "resolved", "CUR-HOMS-OLDCITY", ())],
    ),
    (
        "Rockets fell on New Aleppo overnight.",
        [("New Aleppo", "resolved", "N0184", ())],
    ),
]


@pytest.mark.parametrize(("text", "want"), CASES)
def test_competing_spans(gaz: Gazetteer, text: str, want: list[object]) -> None:
    assert _found(gaz, text) == want


@pytest.mark.parametrize(
    ("text", "surface", "place"),
    [
        # a spelling variant that starts with the article is a whole name ...
        ("Fighters entered Al Tabqah city on Friday.", "Al Tabqah", "C5929"),
        # ... and a region spelt another way is still the region
        ("Troops pushed into Eastern Gouta at dawn.", "Eastern Gouta", "CUR-REGION-EGHOUTA"),
    ],
)
def test_variants_with_the_article_and_of_regions(
    gaz: Gazetteer, text: str, surface: str, place: str
) -> None:
    assert [(s, p) for s, _, p, _ in _found(gaz, text)] == [(surface, place)]


def test_an_article_after_a_name_word_is_part_of_the_longer_name(gaz: Gazetteer) -> None:
    # near miss: "al Harir" alone is not a spelling of anything; the whole name is
    got = _found(gaz, "Fighters reached Busra al Harir on Friday.")
    assert [s for s, _, _, _ in got] == ["Busra al Harir"]


def test_the_article_and_an_exact_name_far_from_the_focus_is_that_name(gaz: Gazetteer) -> None:
    # "Al Tabqah" is "Tabqah" with its article: not a mere spelling variant, so being far
    # from the city in focus does not make it ambiguous
    got = _found(gaz, "Fighting raged in Al Tabqah. The Aleppo governor called for calm.")
    assert got[0][:3] == ("Al Tabqah", "resolved", "C5929")
