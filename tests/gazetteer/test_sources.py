"""The larger gazetteer sources (Who's On First, Wikipedia's war map): merging, filters, kinds,
licences, and the places they add; plus the curated places the press names."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geomap.gazetteer import sources
from geomap.gazetteer.build import Entry
from geomap.gazetteer.sources import (
    NameFilter,
    PointIndex,
    _labels,
    _match,
    name_set,
    same_name,
    war_map_kind,
)
from geomap.gazetteer.store import Gazetteer
from tests.conftest import ROOT

CURATED = ROOT / "gazetteer" / "curated"


@pytest.fixture(scope="module")
def flt() -> NameFilter:
    return NameFilter.load(CURATED)


def _entry(pid: str, name: str, lat: float, lon: float, kind: str = "village") -> Entry:
    e = Entry(pid, name, kind, lat, lon, 1.5, "test", "test")
    e.add_name(name, "test")
    return e


def test_spellings_of_one_place_share_a_name() -> None:
    a = name_set(["Kafr Batrah", "كفر بطنا"])
    assert same_name(a, name_set(["Kafar Batra"]), short_ok=False)
    assert not same_name(name_set(["Tall Sayyid Ali"]), name_set(["Hamam"]), short_ok=True)


def test_a_locality_near_a_place_of_its_name_merges_and_a_far_one_does_not() -> None:
    index = PointIndex()
    e = _entry("C1", "Beit Kammuneh", 33.50, 36.40)
    index.add(e)
    keysets: dict[str, set[tuple[str, str]]] = {}
    kinds = ("village",)
    assert _match(index, 33.503, 36.402, ["Bayt Kammuni"], kinds, keysets) is e
    assert _match(index, 33.80, 36.70, ["Bayt Kammuni"], kinds, keysets) is None
    assert _match(index, 33.503, 36.402, ["Qushlah"], kinds, keysets) is None


@pytest.mark.parametrize(
    ("name", "usable"),
    [
        ("Tall Sayyid Ali", True),
        ("Qushlah", True),
        ("Hassan", False),  # a first name
        ("Muhammad al-Khalaf", False),  # a person's name as much as a hamlet's
        ("al-Omar oil field", True),  # a first name, but the kind word makes it a place
        ("Military Checkpoint", False),  # generic words only
        ("Hill 5", False),
        ("Grain Silos", False),
        ("Republican Guard Brigade", False),  # a unit, an actor
        ("Center", False),  # a common word
        ("Qanntâr", False),  # sounds like one ("Center")
        ("Al Qal‘", False),  # sounds like "Kill"
        ("حويزية", True),
    ],
)
def test_name_filter(flt: NameFilter, name: str, usable: bool) -> None:
    assert flt.usable(name) is usable


def test_map_labels_give_names(flt: NameFilter) -> None:
    assert _labels("Minakh (Menagh, Meng) Airbase", flt, False) == [
        "Minakh Airbase",
        "Menagh Airbase",
        "Meng Airbase",
    ]
    assert _labels("Kobanî (Ayn al-Arab)", flt, True) == ["Kobanî", "Ayn al-Arab"]
    assert _labels("4th Division (Mezzeh)", flt, False) == ["4th Division"]  # where, not what
    assert "Rmelan Airbase" in _labels("Abu Hajar Airport (Rmelan Airbase)", flt, False)
    assert _labels("Sakarkaya mountain (785m)", flt, False) == ["Sakarkaya mountain"]


@pytest.mark.parametrize(
    ("feature", "mark", "label", "kind"),
    [
        ("airbase", "m.gov_air", "Kuweires Airbase", "base"),
        ("airbase", "m.gov_air", "Damascus Int'l Airport", "airport"),
        ("base", "m.gov_base", "Al-Assad Hospital", "facility"),
        ("base", "m.gov_base", "Armenian Cemetery", "landmark"),
        ("checkpoint", "m.gov_base", "al-Soura Checkpoint", "base"),
        ("camp", "m.SDF", "Al-Hawl Refugee Camp", "camp"),
        ("camp", "m.gov_base", "Baath Vanguards Camp", "base"),
        ("oil", "m.IS_oil", "Jafra oil field", "facility"),
        ("dam", "x.svg", "Tishrin Dam", "facility"),
        ("hill", "m.gov_hill", "Tal Sawwan", "landmark"),
        ("settlement", "m.opp", "Kafr Lusin", "village"),
    ],
)
def test_war_map_kinds(feature: str, mark: str, label: str, kind: str) -> None:
    assert war_map_kind(feature, mark, label) == kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Kuweires airbase", "base"),
        ("Tiyas T-4 Airbase", "base"),
        ("Jirah airport", "base"),
        ("Al-Hawl camp", "camp"),
        ("Tabqa Dam", "facility"),
        ("al-Omar oil field", "facility"),
        ("Kafr Lusin", "village"),
        ("Mezzeh military airport", "airport"),
        ("Old City of Homs", "neighbourhood"),
        ("Old City of Damascus", "neighbourhood"),
        ("Castello Road", "landmark"),
        ("Citadel of Aleppo", "landmark"),
        ("Sheikh Najjar industrial city", "neighbourhood"),
        ("Ramouseh", "neighbourhood"),
    ],
)
def test_places_the_press_names_are_found(gaz: Gazetteer, name: str, kind: str) -> None:
    found = gaz.lookup(name, limit=1)
    assert found and found[0].place.kind == kind, (name, found[:1])


def test_merged_not_duplicated(gaz: Gazetteer) -> None:
    # the war map's Mezzeh airport and Kuweires are the places already there
    assert [c.place.id for c in gaz.lookup("Mezzeh Military Airport", limit=1)] == ["C10011070"]
    ids = {c.place.id for c in gaz.lookup("Kuweires Airbase", limit=5) if c.place.kind == "base"}
    assert ids == {"CUR-BASE-KUWEIRES"}
    # a WOF spelling of an OCHA village is an alias of it, not a second place
    assert "C2134" in {c.place.id for c in gaz.lookup("Tall ‘Abur", limit=3)}


def _rows(name: str) -> list[dict[str, str]]:
    with open(ROOT / "gazetteer" / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_row_from_the_war_map_carries_its_licence() -> None:
    places = [r for r in _rows("places.csv") if r["id"].startswith("WM-")]
    names = [r for r in _rows("names.csv") if "war map" in r["source"]]
    assert len(places) > 1000 and names
    assert all(r["source"].endswith("CC BY-SA 4.0") for r in places)
    assert all("CC BY-SA 4.0" in r["source"] for r in names)
    attribution = (ROOT / "gazetteer" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in attribution and "Who's On First" in attribution


def test_new_places_by_source_and_kind() -> None:
    places = _rows("places.csv")
    wof = [r for r in places if r["id"].startswith("WOF-")]
    wm = [r for r in places if r["id"].startswith("WM-")]
    assert 2000 <= len(wof) <= 3500 and {r["kind"] for r in wof} == {"village"}
    kinds = {r["kind"] for r in wm}
    assert {"base", "facility", "landmark", "camp", "village"} <= kinds
    assert all(r["governorate"] and r["parent_id"] for r in wof + wm)


def test_stop_names_and_generic_words_are_data(tmp_path: Path) -> None:
    (tmp_path / "stopnames.csv").write_text("name,source\nQushlah,test\n", encoding="utf-8")
    (tmp_path / "generic_words.csv").write_text("word,source\nhill,test\n", encoding="utf-8")
    f = NameFilter.load(tmp_path)
    assert not f.usable("Qushlah") and not f.usable("Hill 5") and f.usable("Tal Sawwan")


def _prominent(pid: str, name: str, lat: float, lon: float, country: str) -> Entry:
    e = Entry(pid, name, "city", lat, lon, 5.0, "test", "test", country=country)
    e.add_name(name, "test")
    return e


_SHADOWING = [
    _prominent("SY-1", "Qatana", 33.44, 36.08, "SY"),
    _prominent("DE-1", "Berlin", 52.52, 13.40, "DE"),
    _prominent("LB-1", "Zahle", 33.85, 35.90, "LB"),
]


@pytest.mark.parametrize(
    ("alias", "lat", "lon", "kept"),
    [
        ("Qattana", 35.0, 40.0, False),  # sounds like a prominent Syrian place: anywhere
        ("Barleen", 36.2, 37.8, True),  # sounds like a city far abroad: keeps its name
        ("Berlin", 36.2, 37.8, False),  # spelled as the city abroad is: shadowed
        ("Zahleh", 33.7, 36.1, False),  # sounds like a border town nearby
        ("Zahleh", 36.9, 40.5, True),  # the same sound far from the border
    ],
)
def test_shadows_of_prominent_places(alias: str, lat: float, lon: float, kept: bool) -> None:
    shadows = sources.prominent_keys(_SHADOWING)
    assert sources._unshadowed([alias], "", shadows, lat, lon) == ([alias] if kept else [])
