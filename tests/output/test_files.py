"""Atomic, deterministic writers."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from geomap import writing
from geomap.model import Event, Mention, Place, Source
from geomap.output import files as gio

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


def _event(place: Place, precision: str, fatalities: int | None) -> Event:
    return Event(
        id=f"e-{place.id}",
        type="remote_violence",
        sub_type="shelling",
        date_start=date(2012, 7, 25),
        date_end=date(2012, 7, 26),
        date_precision="days",
        place=place,
        geo_precision=precision,
        fatalities=fatalities,
        actors=("regime forces",),
        sources=(
            Source("d1", 'Shelling on <b>"Salaheddin"</b>', 10, 40, "AFP", date(2012, 7, 26)),
        ),
    )


def _mention(place: Place | None, status: str) -> Mention:
    return Mention(
        doc="d1",
        start=0,
        end=6,
        surface="Aleppo",
        sentence=0,
        role="event",
        status=status,
        place=place,
        score=0.9,
        reason="exact name",
    )


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), writing.atomic_open(target) as fh:
        fh.write("half of the new")
        raise RuntimeError("killed")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary file left


def test_geojson_is_lon_lat_and_escapes_nothing_away(tmp_path: Path) -> None:
    path = tmp_path / "events.geojson"
    gio.write_events_geojson([_event(SALAH, "point", 1)], path, None)
    text = path.read_text(encoding="utf-8")
    import json

    fc = json.loads(text)
    feature = fc["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [37.1229, 36.1814]}
    assert feature["properties"]["sources"][0]["sentence"] == 'Shelling on <b>"Salaheddin"</b>'
    assert feature["properties"]["date_start"] == "2012-07-25"


def test_area_precision_uses_the_polygon_when_there_is_one(tmp_path: Path) -> None:
    from shapely.geometry import box

    class Shapes:
        def shape(self, place_id: str) -> object:
            return box(37.12, 36.18, 37.13, 36.19) if place_id == "N0214" else None

    fc = gio.events_feature_collection(
        [_event(SALAH, "neighbourhood", None), _event(ALEPPO, "city", None)], Shapes()
    )
    assert fc["features"][0]["geometry"]["type"] == "Polygon"
    assert fc["features"][1]["geometry"]["type"] == "Point"


def test_geopackage_is_byte_identical_across_runs(tmp_path: Path) -> None:
    import geopandas as gpd

    events = [_event(SALAH, "neighbourhood", 3), _event(ALEPPO, "city", None)]
    mentions = [_mention(ALEPPO, "resolved"), _mention(None, "unresolved")]
    from shapely.geometry import box

    class Shapes:
        def shape(self, place_id: str) -> object:
            return box(37.12, 36.18, 37.13, 36.19) if place_id == "N0214" else None

    digests = []
    for name in ("a.gpkg", "b.gpkg"):
        gio.write_geopackage(tmp_path / name, events, mentions, [ALEPPO, SALAH], Shapes())
        digests.append(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    assert list(gpd.read_file(tmp_path / "a.gpkg", layer="event_areas")["id"]) == ["e-N0214"]
    frame = gpd.read_file(tmp_path / "a.gpkg", layer="events")
    assert list(frame["id"]) == ["e-N0214", "e-C1007"]
    assert frame["fatalities"].iloc[0] == 3 and frame["fatalities"].isna().iloc[1]
    assert len(gpd.read_file(tmp_path / "a.gpkg", layer="mentions")) == 2
    assert len(gpd.read_file(tmp_path / "a.gpkg", layer="places")) == 2


def test_geopackage_leaves_gdal_options_as_it_found_them(tmp_path: Path) -> None:
    """The fixed "last change" stamp holds while the GeoPackage is written, not after."""
    from pyogrio import get_gdal_config_option, set_gdal_config_options

    before = get_gdal_config_option("OGR_CURRENT_DATE")
    gio.write_geopackage(tmp_path / "a.gpkg", [], [], [], None)
    assert get_gdal_config_option("OGR_CURRENT_DATE") == before
    set_gdal_config_options({"OGR_CURRENT_DATE": "2011-03-15T00:00:00.000Z"})
    try:
        gio.write_geopackage(tmp_path / "b.gpkg", [], [], [], None)
        assert get_gdal_config_option("OGR_CURRENT_DATE") == "2011-03-15T00:00:00.000Z"
    finally:
        set_gdal_config_options({"OGR_CURRENT_DATE": before})


def test_mentions_csv_columns_and_margin(tmp_path: Path) -> None:
    path = tmp_path / "mentions.csv"
    gio.write_mentions_csv([_mention(ALEPPO, "resolved")], path)
    header, row = path.read_text(encoding="utf-8").splitlines()
    assert header.split(",") == list(gio.MENTION_COLUMNS)
    assert "C1007" in row and "36.20310" in row


@pytest.mark.parametrize("batch", [gio.GPKG_BATCH, 1])
def test_geoparquet_and_events_csv_are_byte_identical_across_runs(
    tmp_path: Path, batch: int
) -> None:
    events = [_event(SALAH, "neighbourhood", 3), _event(ALEPPO, "city", None)]
    rows = [(gio.event_properties(e), e.place.lon, e.place.lat) for e in events]
    digests = []
    for name in ("a", "b"):
        gio.write_geoparquet_rows(tmp_path / f"{name}.parquet", rows, batch=batch)
        gio.write_events_csv((r for r, _x, _y in rows), tmp_path / f"{name}.csv")
        digests.append(
            [
                hashlib.sha256((tmp_path / f"{name}.{x}").read_bytes()).digest()
                for x in ("parquet", "csv")
            ]
        )
    assert digests[0] == digests[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.csv",
        "a.parquet",
        "b.csv",
        "b.parquet",
    ]


def test_a_mention_row_keeps_the_feature_the_rules_and_the_located_point() -> None:
    south = Place(
        id="located", name="south of Aleppo", kind="region", lat=36.1, lon=37.14, precision_km=12.5
    )
    m = Mention(
        doc="d",
        start=0,
        end=13,
        surface="Khalidiya Road",
        sentence=0,
        role="event",
        status="fallback",
        place=ALEPPO,
        score=0.8,
        reason="a road in Aleppo",
        feature="Khalidiya Road",
        rules=("feature-fallback:head=road,container=C1007", "=cmd"),
        located=south,
    )
    row = gio.mention_row(m)
    assert row["feature"] == "Khalidiya Road"
    assert row["rules"] == "feature-fallback:head=road,container=C1007|=cmd"
    assert (row["located_lat"], row["located_lon"], row["located_precision_km"]) == (
        "36.10000",
        "37.14000",
        "12.5",
    )
    plain = gio.mention_row(Mention("d", 0, 6, "Aleppo", 0, "event", "resolved", ALEPPO, 1, "x"))
    assert plain["feature"] == plain["rules"] == plain["located_lat"] == ""
    assert list(row) == list(gio.MENTION_COLUMNS)
