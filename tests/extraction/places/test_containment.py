"""A small place's candidates must lie in the place its sentence says holds it (rule
contained-in), else the mention falls back to that container (rule container-fallback).

Invented sentences, other places and other wordings than the development articles; each
construction has a near miss where the container points to the real namesake far away."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.extraction.places.containment import CONTAINED_RULE, CONTAINER_FALLBACK_RULE
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document, Mention, parse_rule
from geomap.pipeline.documents import process_document


def _mention(gaz: Gazetteer, text: str, surface: str) -> Mention:
    mentions = process_document(Document("t", text, date(2016, 2, 3)), gaz).mentions
    found = [m for m in mentions if m.surface == surface]
    assert found, [m.surface for m in mentions]
    return found[0]


# (sentence, surface, place name, its governorate, status)
CASES = [
    # by=bearing: "X east of TOWN"
    (
        "Government jets struck Abu Omar east of Tamanaah on Monday.",
        "Abu Omar",
        "Abu Omar",
        "Idleb",
        "resolved",
    ),
    # by=in, a governorate
    (
        "Rebels shelled the village of Bab Elkheir in Raqqa province on Monday.",
        "Bab Elkheir",
        "Bab Elkheir",
        "Ar-Raqqa",
        "resolved",
    ),
    (
        "Rebels shelled the village of Bab Elkheir in Hasakeh province on Monday.",
        "Bab Elkheir",
        "Bab Elkheir",
        "Al-Hasakeh",
        "resolved",
    ),
    # by=frame: a sentence that opens with its governorate
    (
        "In the countryside of Hasakeh province, jets hit positions in Alsayed Ali on Monday.",
        "Alsayed Ali",
        "Alsayed Ali",
        "Al-Hasakeh",
        "resolved",
    ),
    (
        "In the countryside of Aleppo province, jets hit positions in Alsayed Ali on Monday.",
        "Alsayed Ali",
        "Alsayed Ali",
        "Aleppo",
        "resolved",
    ),
    # no namesake in the container: the container, at its precision
    (
        "A mortar fell on the area of Abu Hamam in the Syrian capital Damascus on Monday.",
        "Abu Hamam",
        "Damascus",
        "Damascus",
        "fallback",
    ),
    (
        "Two were killed in the town of Bab Elhawa and one in Harasta, both also in Eastern "
        "Ghouta, the monitor said.",
        "Bab Elhawa",
        "Eastern Ghouta",
        "Rural Damascus",
        "fallback",
    ),
    # a bearing with no distance reaches far, but not to a namesake 170 km off
    (
        "Troops advanced on Al Maleh north of Aleppo on Monday.",
        "Al Maleh",
        "Aleppo",
        "Aleppo",
        "fallback",
    ),
    # an ambiguous name that "the region of" calls a place, in the bearing's reach
    (
        "Air raids on the region of Al-Quriyah southeast of Deir ez-Zor city killed 58 civilians.",
        "Al-Quriyah",
        "Quriyeh",
        "Deir-ez-Zor",
        "resolved",
    ),
]


@pytest.mark.parametrize(
    ("text", "surface", "name", "governorate", "status"),
    CASES,
    ids=[
        "bearing",
        "in-province",
        "in-other-province",
        "frame",
        "frame-other",
        "fallback-capital",
        "fallback-distributive",
        "fallback-bearing",
        "ambiguous-bearing",
    ],
)
def test_container_decides(
    gaz: Gazetteer, text: str, surface: str, name: str, governorate: str, status: str
) -> None:
    m = _mention(gaz, text, surface)
    assert m.place is not None
    assert (m.place.name, m.place.governorate, m.status) == (name, governorate, status)
    if status == "fallback":
        assert CONTAINER_FALLBACK_RULE in {parse_rule(r)[0] for r in m.rules}
    assert m.surface == surface  # the mention keeps its own name


# Near misses: no container, or a container the place already lies in: nothing changes.
UNCHANGED = [
    # "near" is no container
    ("Government jets struck Abu Omar near Tamanaah on Monday.", "Abu Omar"),
    # a city is not re-read by a container
    ("Rebels shelled Aleppo in northern Syria on Monday.", "Aleppo"),
    # a town the sentence puts in its own governorate
    ("Jets struck Maarat al-Numan in Idlib on Monday.", "Maarat al-Numan"),
    # the container of the last name of a list with a singular cue is that name's alone
    ("Jets struck Darayya and the al-Waer neighbourhood of Homs on Monday.", "Darayya"),
    # a person's name: an ambiguous name with a first name before it is not re-read
    ("Rebels detained the activist and her friend Mohammad Khalili in Aleppo.", "Khalili"),
]


@pytest.mark.parametrize(
    ("text", "surface"),
    UNCHANGED,
    ids=["near", "city", "same-governorate", "singular-cue", "person"],
)
def test_no_container_rule(gaz: Gazetteer, text: str, surface: str) -> None:
    m = _mention(gaz, text, surface)
    ids = {parse_rule(r)[0] for r in m.rules}
    assert not ids & {CONTAINED_RULE, CONTAINER_FALLBACK_RULE}
    assert m.status != "fallback"


# A place in a small container spelt with the name's consonants, two of them swapped, where no
# place the name spells lies there (rule contained-spelling); the near miss: a container that
# holds the namesake the name spells.
SPELLINGS = [
    (
        "Three civilians were killed in the town of Mersaba and one in Douma, both in Eastern "
        "Ghouta, the monitor said.",
        "Mersaba",
        "Misraba",
        "contained-spelling",
    ),
    (
        "Three civilians were killed in the town of Sabqa in Raqqa province, the monitor said.",
        "Sabqa",
        "Sabka",
        "",
    ),
]


@pytest.mark.parametrize(
    ("text", "surface", "name", "rule"), SPELLINGS, ids=["swapped", "namesake-in-container"]
)
def test_spelt_in_the_container(
    gaz: Gazetteer, text: str, surface: str, name: str, rule: str
) -> None:
    m = _mention(gaz, text, surface)
    assert m.place is not None and m.place.name == name
    assert (rule in {parse_rule(r)[0] for r in m.rules}) is bool(rule)
