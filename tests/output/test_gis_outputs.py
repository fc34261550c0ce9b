"""GIS and spreadsheet outputs: typed GeoPackage layers, events.csv, events.parquet; the same
bytes for the same corpus."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import pytest

from geomap.model import Event, Mention, Place, Source
from geomap.output import files as gio
from geomap.writing import read_csv_rows

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "corpus" / "seeds"

ALEPPO = Place(id="C1007", name="Aleppo", kind="city", lat=36.2031, lon=37.1408, precision_km=8)
SALAH = Place(
    id="N0214",
    name="Salah Ad-Deen",
    kind="neighbourhood",
    lat=36.1814,
    lon=37.1229,
    precision_km=1,
    city_id="C1007",
)


class Shapes:
    def shape(self, place_id: str) -> object:
        from shapely.geometry import box

        return box(37.12, 36.18, 37.130004, 36.19) if place_id == "N0214" else None


def _event(place: Place, precision: str, fatalities: int | None, n: int = 0) -> Event:
    return Event(
        id=f"e-{place.id}-{n}",
        type="remote_violence",
        sub_type="shelling",
        date_start=date(2012, 7, 25),
        date_end=date(2012, 7, 26),
        date_precision="days",
        place=place,
        geo_precision=precision,
        fatalities=fatalities,
        actors=("regime forces", "=HYPERLINK(1)"),
        sources=(
            Source("d1", '=cmd|" /C calc"!A0 shelling', 10, 40, "AFP", date(2012, 7, 26)),
            Source("d2", "Shelling again", 0, 14, "Reuters", None),
        ),
    )


EVENTS = [_event(SALAH, "neighbourhood", 3), _event(ALEPPO, "city", None)]
MENTIONS = [
    Mention(
        doc="d1",
        start=0,
        end=6,
        surface="Aleppo",
        sentence=2,
        role="event",
        status="resolved",
        place=ALEPPO,
        score=0.9,
        reason="exact name",
    ),
    Mention(
        doc="d1",
        start=8,
        end=12,
        surface="Nowhere",
        sentence=2,
        role="event",
        status="unresolved",
        place=None,
        score=0.0,
        reason="",
    ),
]

TEXT = "object"
TYPES = {
    "events": {
        "date_start": "datetime64[D]",
        "date_end": "datetime64[D]",
        "published": "datetime64[D]",
        "lat": "float64",
        "lon": "float64",
        "precision_km": "float64",
        "fatalities": "int64",
        "fatalities_total": "int64",
        "n_sources": "int64",
        "id": TEXT,
        "type": TEXT,
        "actors": TEXT,
        "sources": TEXT,
    },
    "mentions": {
        "sentence": "int64",
        "start": "int64",
        "end": "int64",
        "lat": "float64",
        "lon": "float64",
        "precision_km": "float64",
        "score": "float64",
        "margin": "float64",
        "surface": TEXT,
        "runners_up": TEXT,
    },
    "places": {"precision_km": "float64", "lat": "float64", "lon": "float64", "id": TEXT},
}
TYPES["event_areas"] = TYPES["events"]
GEOMETRY = {
    "events": "Point",
    "event_areas": "MultiPolygon",
    "mentions": "Point",
    "places": "Point",
}
SQL_TYPES = {
    "events": {"date_start": "DATE", "published": "DATE", "lat": "REAL", "fatalities": "INTEGER"},
    "mentions": {"score": "REAL", "margin": "REAL", "lat": "REAL", "sentence": "INTEGER"},
    "places": {"precision_km": "REAL"},
}


def _check_gpkg_types(path: Path) -> None:
    import sqlite3

    import pyogrio

    assert [name for name, _geom in pyogrio.list_layers(path)] == list(GEOMETRY)
    for layer, expected in TYPES.items():
        info = pyogrio.read_info(path, layer=layer)
        dtypes = dict(zip(info["fields"], info["dtypes"], strict=True))
        assert {c: dtypes[c] for c in expected} == expected, layer
        assert info["geometry_type"] == GEOMETRY[layer]
        assert info["crs"] == "EPSG:4326"
    con = sqlite3.connect(path)
    try:
        for layer, expected in SQL_TYPES.items():
            declared = {row[1]: row[2] for row in con.execute(f'PRAGMA table_info("{layer}")')}
            assert {c: declared[c] for c in expected} == expected, layer
    finally:
        con.close()


def test_geopackage_layers_are_typed_for_qgis(tmp_path: Path) -> None:
    import pyogrio

    path = tmp_path / "geomap.gpkg"
    gio.write_geopackage(path, EVENTS, MENTIONS, [ALEPPO, SALAH], Shapes())
    _check_gpkg_types(path)
    events = pyogrio.read_dataframe(path, layer="events")
    assert list(events["id"]) == ["e-N0214-0", "e-C1007-0"]
    assert str(events["date_start"].iloc[0].date()) == "2012-07-25"
    assert str(events["published"].iloc[0].date()) == "2012-07-26"
    assert events["fatalities"].iloc[0] == 3 and events["fatalities"].isna().iloc[1]
    assert events["n_sources"].iloc[0] == 2 and events["outlet"].iloc[0] == "AFP"
    areas = pyogrio.read_dataframe(path, layer="event_areas")
    assert list(areas["id"]) == ["e-N0214-0"]  # the city event stays a point only
    assert areas.geometry.iloc[0].geom_type == "MultiPolygon"
    assert areas.geometry.iloc[0].bounds == pytest.approx((37.12, 36.18, 37.13, 36.19))
    mentions = pyogrio.read_dataframe(path, layer="mentions")
    assert mentions["lat"].iloc[0] == pytest.approx(36.2031)
    assert mentions["lat"].isna().iloc[1] and mentions.geometry.isna().iloc[1]
    places = pyogrio.read_dataframe(path, layer="places")
    assert places["lon"].tolist() == pytest.approx([37.1408, 37.1229])


def test_geopackage_empty_layers_keep_their_types(tmp_path: Path) -> None:
    path = tmp_path / "geomap.gpkg"
    gio.write_geopackage(path, [], [], [], None)
    _check_gpkg_types(path)


def test_geopackage_in_batches_has_the_same_rows(tmp_path: Path) -> None:
    import pyogrio

    events = [_event(SALAH, "neighbourhood", n, n) for n in range(5)]
    rows = [(gio.event_properties(e), e.place.lon, e.place.lat) for e in events]
    for name, batch in (("one.gpkg", 100), ("many.gpkg", 2)):
        gio.write_geopackage_rows(
            tmp_path / name,
            rows,
            [],
            [],
            areas=[(props, Shapes()) for props, _x, _y in rows],
            batch=batch,
        )
        _check_gpkg_types(tmp_path / name)
    for layer in ("events", "event_areas"):
        one = pyogrio.read_dataframe(tmp_path / "one.gpkg", layer=layer)
        many = pyogrio.read_dataframe(tmp_path / "many.gpkg", layer=layer)
        assert one.equals(many) and len(one) == 5


def test_events_csv_is_one_row_an_event_safe_for_spreadsheets(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    gio.write_events_csv((gio.event_properties(e) for e in EVENTS), path)
    with open(path, encoding="utf-8", newline="") as fh:
        raw = list(csv.DictReader(fh))
    assert list(raw[0]) == list(gio.EVENT_CSV_COLUMNS)
    assert raw[0]["actors"] == "regime forces|=HYPERLINK(1)"  # starts with r: left alone
    assert raw[0]["sentence"].startswith("'=cmd")  # the first source's sentence, neutralised
    rows = read_csv_rows(path)
    assert rows[0]["sentence"] == '=cmd|" /C calc"!A0 shelling'
    assert rows[0]["lat"] == "36.18140" and rows[0]["lon"] == "37.12290"
    assert rows[0]["n_sources"] == "2" and rows[0]["doc"] == "d1"
    assert rows[0]["published"] == "2012-07-26" and rows[0]["date_start"] == "2012-07-25"
    assert rows[1]["fatalities"] == "" and rows[1]["fatalities_total"] == ""
    assert rows[0]["fatalities"] == "3"


def _parquet_rows(events: list[Event]) -> list[gio.Located]:
    return [(gio.event_properties(e), e.place.lon, e.place.lat) for e in events]


def test_geoparquet_is_typed_and_reads_back(tmp_path: Path) -> None:
    import geopandas as gpd
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "events.parquet"
    gio.write_geoparquet_rows(path, _parquet_rows(EVENTS))
    schema = pq.read_schema(path)
    assert schema.field("date_start").type == pa.date32()
    assert schema.field("published").type == pa.date32()
    assert schema.field("lat").type == pa.float64()
    assert schema.field("fatalities").type == pa.int64()
    frame = gpd.read_parquet(path)
    assert frame.crs.to_epsg() == 4326
    assert list(frame["id"]) == ["e-N0214-0", "e-C1007-0"]
    assert frame["date_start"].iloc[0] == date(2012, 7, 25)
    assert frame["fatalities"].iloc[0] == 3 and frame["fatalities"].isna().iloc[1]
    assert frame.geometry.iloc[0].coords[0] == (37.1229, 36.1814)


def test_geoparquet_in_batches_reads_back_the_same(tmp_path: Path) -> None:
    import geopandas as gpd
    import pyarrow.parquet as pq

    events = [_event(SALAH if n % 2 else ALEPPO, "city", n, n) for n in range(7)]
    gio.write_geoparquet_rows(tmp_path / "one.parquet", _parquet_rows(events))
    gio.write_geoparquet_rows(tmp_path / "many.parquet", _parquet_rows(events), batch=3)
    assert pq.ParquetFile(tmp_path / "many.parquet").num_row_groups == 3
    one = gpd.read_parquet(tmp_path / "one.parquet")
    many = gpd.read_parquet(tmp_path / "many.parquet")
    assert one.equals(many) and len(many) == 7
    import json

    geo = json.loads(pq.read_schema(tmp_path / "many.parquet").metadata[b"geo"])
    column = geo["columns"]["geometry"]
    assert column["geometry_types"] == ["Point"] and "bbox" not in column
    assert column["crs"]["id"] == {"authority": "EPSG", "code": 4326}


def test_geoparquet_with_no_event(tmp_path: Path) -> None:
    import geopandas as gpd

    gio.write_geoparquet_rows(tmp_path / "events.parquet", [])
    frame = gpd.read_parquet(tmp_path / "events.parquet")
    assert len(frame) == 0 and list(frame.columns) == [*gio.EVENT_LAYER, "geometry"]


def _digests(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".geomap-cache" not in p.parts
    }


def test_extracting_twice_gives_byte_identical_files(tmp_path: Path) -> None:
    """Every output, GeoPackage and GeoParquet included, holds no time stamp or random id."""
    from geomap.pipeline.run import OUTPUT_NAMES, run_extract

    for name in ("a", "b"):
        run_extract(SEEDS, tmp_path / name)
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert set(OUTPUT_NAMES) <= set(a)
    assert a == b
    _check_gpkg_types(tmp_path / "a" / "geomap.gpkg")
    import geopandas as gpd
    import pyogrio

    parquet = gpd.read_parquet(tmp_path / "a" / "events.parquet")
    layer = pyogrio.read_dataframe(tmp_path / "a" / "geomap.gpkg", layer="events")
    rows = read_csv_rows(tmp_path / "a" / "events.csv")
    assert list(parquet["id"]) == list(layer["id"]) == [r["id"] for r in rows]
    assert len(rows) > 0
