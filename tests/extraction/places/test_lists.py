"""A list of names whose commas were lost: "X al-Y" is two places when X is a place or itself
carries the article, a person's name ("Khaled al-Y") otherwise."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.extraction.places.spotting import LISTED_AFTER_NAME_RULE
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document

# (text, surfaces that must be mentions, surfaces that must not, the names the rule admits)
CASES = [
    (
        "Helicopters struck Inkhil al-Hrak and Dael on Monday.",
        ["Inkhil", "al-Hrak", "Dael"],
        [],
        ["al-Hrak"],
    ),
    (
        "Mortars hit the quarters of al-Midan al-Ramouseh and Salaheddine in Aleppo overnight.",
        ["al-Midan", "al-Ramouseh", "Aleppo"],
        [],
        ["al-Ramouseh"],
    ),
    # the name after a place is no person's word elsewhere in the article either
    (
        "Rockets Strike Hama Al-Baath Overnight. Later shells fell on al-Baath, wounding two.",
        ["Hama", "Al-Baath", "al-Baath"],
        [],
        [],
    ),
    # an unknown word before the article, but another articled name after "and": a list
    (
        "Gunners dug in at Qwerzy al-Hrak and al-Musayfra shelled the road for hours.",
        ["al-Hrak", "al-Musayfra"],
        [],
        ["al-Hrak"],
    ),
    # near misses: a first name before the article is a person's
    ("Commander Qwerzy al-Hrak and his deputy were killed near Homs.", ["Homs"], ["al-Hrak"], []),
    ("Activist Khaled al-Baath said shells fell on al-Baath, wounding two.", [], ["al-Baath"], []),
    ("Local commander Khaled al-Hrak said the road to Homs was open.", ["Homs"], ["al-Hrak"], []),
    ("A statement by Ahmad al-Ramouseh was read in Aleppo.", ["Aleppo"], ["al-Ramouseh"], []),
]


@pytest.mark.parametrize(
    ("text", "found", "absent", "listed"), CASES, ids=[c[0][:40] for c in CASES]
)
def test_names_listed_without_commas(
    gaz: Gazetteer, text: str, found: list[str], absent: list[str], listed: list[str]
) -> None:
    mentions = process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions
    surfaces = [m.surface for m in mentions]
    for surface in found:
        assert surface in surfaces, surfaces
    for surface in absent:
        assert surface not in surfaces, surfaces
    admitted = [
        m.surface for m in mentions if any(r.startswith(LISTED_AFTER_NAME_RULE) for r in m.rules)
    ]
    assert admitted == listed


@pytest.mark.parametrize(
    "text",
    [
        "Jets hit a market - Middle East - Daily Online\n\nSyria said on Monday that jets hit it.",
        "Army Advances Near Hama Latest\nSyria Jets Pound Rebel Areas",
    ],
)
def test_no_name_runs_over_a_line_break(gaz: Gazetteer, text: str) -> None:
    from geomap.extraction.places.spotting import spotter_for

    chosen, competing = spotter_for(gaz).lattice(text)
    assert all("\n" not in s.surface for s in chosen + competing)
