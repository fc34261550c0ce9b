"""A quarter's name the gazetteer spells so only for other cities is read as the quarter of
the city in context spelt so (rule quarter-here). Sentences written for these tests."""

from __future__ import annotations

import pytest

from geomap.extraction.places.mentions import find_mentions
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document

# text, the quarter's name, its place id (None: no mention), the rule it carries
CASES = [
    # "Tishreen" is Aleppo's spelling; Damascus and Hama have a "Tishrine"
    (
        "Shells fell on Damascus. Later Tishreen was shelled.",
        "Tishreen",
        "N0004",
        "quarter-here:city=C1001",
    ),
    (
        "Shells fell on Hama. Later Tishreen was shelled.",
        "Tishreen",
        "N0284",
        "quarter-here:city=C2987",
    ),
    (
        "The rebels control most of Qabun and Tishreen, in the north of Damascus.",
        "Tishreen",
        "N0004",
        "quarter-here:city=C1001",
    ),
    # near misses: the city whose spelling it is; a name in no city's context; a quarter the
    # city in context has under that very name
    ("Shells fell on Aleppo. Later Tishreen was shelled.", "Tishreen", "N0221", None),
    ("Rebels said Tishreen fell.", "Tishreen", None, None),
    ("Shells fell on Homs. Later Zahra was shelled.", "Zahra", "N0253", None),
]


@pytest.mark.parametrize(("text", "surface", "place", "rule"), CASES)
def test_a_quarter_of_the_city_in_context(
    gaz: Gazetteer, text: str, surface: str, place: str | None, rule: str | None
) -> None:
    found = {m.surface: m for m in find_mentions(Document("t", text), gaz)}
    m = found.get(surface)
    if place is None:
        assert m is None
        return
    assert m is not None and (m.status, m.place.id if m.place else None) == ("resolved", place)
    if rule is None:
        assert not any(r.startswith("quarter-here") for r in m.rules)
    else:
        assert rule in m.rules


# a name cued as a quarter: the one quarter of the city whose name has its consonants, however
# few ("Maghayir": the Arabic name of Bab al-Maqam, al-Maghayir; "Qudum": Qadam)
CUED = [
    ("Mortars hit the Maghayir district of Aleppo.", "Maghayir", "resolved", "N0207"),
    ("Mortars hit the Qudum district of Damascus.", "Qudum", "resolved", "N0094"),
    # near miss: no quarter of Homs has those consonants: the city, at city precision
    ("Mortars hit the Maghayir district of Homs.", "Maghayir", "fallback", "C2528"),
]


@pytest.mark.parametrize(("text", "surface", "status", "place"), CUED)
def test_a_cued_quarter_by_its_consonants(
    gaz: Gazetteer, text: str, surface: str, status: str, place: str
) -> None:
    found = {m.surface: m for m in find_mentions(Document("t", text), gaz)}
    m = found[surface]
    assert (m.status, m.place.id if m.place else None) == (status, place)


def test_a_quarter_answers_to_its_arabic_name_without_hay(gaz: Gazetteer) -> None:
    # Columbia CSR: "حي المغاير" ("the Maghayir quarter")
    assert "المغاير" in gaz.names_of("N0207")
