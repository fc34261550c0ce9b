"""Write extraction results (GeoJSON, CSV, GeoPackage, GeoParquet) atomically and deterministically.

This is the one place where (lat, lon) becomes GeoJSON's [lon, lat].
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from geomap import writing
from geomap.model import Event, Mention, Place
from geomap.writing import (
    _record_write,
    atomic_path,
    spreadsheet_row,
    write_csv,
)

log = logging.getLogger(__name__)

#: Decimal places kept for coordinates (about 1 m).
COORD_DIGITS = 5
#: geo_precision values drawn as areas when the place has a polygon.
AREA_PRECISIONS = ("neighbourhood", "district", "governorate")

MENTION_COLUMNS = (
    "doc",
    "sentence",
    "start",
    "end",
    "surface",
    "role",
    "status",
    "place_id",
    "place_name",
    "kind",
    "lat",
    "lon",
    "precision_km",
    "score",
    "margin",
    "reason",
    "runners_up",
    "feature",
    "rules",
    "located_lat",
    "located_lon",
    "located_precision_km",
)


class ShapeSource(Protocol):
    def shape(self, place_id: str) -> Any: ...


def _round(x: float) -> float:
    return round(float(x), COORD_DIGITS)


def _round_coords(coords: Any) -> Any:
    if isinstance(coords, int | float):
        return _round(coords)
    return [_round_coords(c) for c in coords]


def event_geometry(event: Event, shapes: ShapeSource | None) -> dict[str, Any]:
    return geometry_of(
        event.place.id, event.geo_precision, event.place.lon, event.place.lat, shapes
    )


def geometry_of(
    place_id: str, precision: str, lon: float, lat: float, shapes: ShapeSource | None
) -> dict[str, Any]:
    """An event's GeoJSON geometry: the place's polygon for area precisions, else its point."""
    if shapes is not None and precision in AREA_PRECISIONS:
        shape = shapes.shape(place_id)
        if shape is not None and not shape.is_empty:
            from shapely.geometry import mapping

            geom = dict(mapping(shape))
            return {"type": geom["type"], "coordinates": _round_coords(geom["coordinates"])}
    return {"type": "Point", "coordinates": [_round(lon), _round(lat)]}


def event_properties(event: Event) -> dict[str, Any]:
    p = event.place
    return {
        "id": event.id,
        "type": event.type,
        "sub_type": event.sub_type,
        "date_start": event.date_start.isoformat() if event.date_start else None,
        "date_end": event.date_end.isoformat() if event.date_end else None,
        "date_precision": event.date_precision,
        "place_id": p.id,
        "place_name": p.name,
        "place_kind": p.kind,
        "geo_precision": event.geo_precision,
        "precision_km": p.precision_km,
        "lat": _round(p.lat),
        "lon": _round(p.lon),
        "fatalities": event.fatalities,
        "fatalities_total": event.fatalities_total,
        "toll_group": event.toll_group,
        "actors": list(event.actors),
        "attributed_to": list(event.attributed_to),
        "rules": list(event.rules),
        "sources": [
            {
                "doc": s.doc,
                "outlet": s.outlet,
                "published": s.published.isoformat() if s.published else None,
                "sentence": s.sentence,
                "start": s.start,
                "end": s.end,
            }
            for s in event.sources
        ],
    }


def events_feature_collection(
    events: Sequence[Event], shapes: ShapeSource | None
) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": e.id,
                "geometry": event_geometry(e, shapes),
                "properties": event_properties(e),
            }
            for e in events
        ],
    }


def dumps_json(obj: Any) -> str:
    """Stable JSON text: sorted keys, no NaN, UTF-8, newline at the end."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, allow_nan=False, indent=1) + "\n"


def write_events_geojson(events: Sequence[Event], path: Path, shapes: ShapeSource | None) -> None:
    """A FeatureCollection with one feature a line (readable, diffable, fast to write)."""
    write_features_geojson(
        (
            {
                "type": "Feature",
                "id": e.id,
                "geometry": event_geometry(e, shapes),
                "properties": event_properties(e),
            }
            for e in events
        ),
        path,
    )


def feature_line(feature: dict[str, Any]) -> str:
    """A feature as events.geojson holds it (one line, sorted keys, no newline)."""
    return json.dumps(feature, ensure_ascii=False, sort_keys=True, allow_nan=False)


def write_features_geojson(features: Iterable[dict[str, Any]], path: Path) -> None:
    """events.geojson from features as they come (one a line; nothing held in memory)."""
    write_feature_lines((feature_line(f) for f in features), path)


def write_feature_lines(lines: Iterable[str], path: Path) -> None:
    """events.geojson from its features already rendered by :func:`feature_line`."""
    with writing.atomic_open(path) as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        for i, line in enumerate(lines):
            fh.write(("," if i else "") + line + "\n")
        fh.write("]}\n")


def property_feature(
    props: dict[str, Any], lon: float, lat: float, shapes: ShapeSource | None
) -> dict[str, Any]:
    """The GeoJSON feature of an event from its :func:`event_properties`."""
    return {
        "type": "Feature",
        "id": props["id"],
        "geometry": geometry_of(props["place_id"], props["geo_precision"], lon, lat, shapes),
        "properties": props,
    }


def mention_row(m: Mention) -> dict[str, Any]:
    from geomap.extraction.places.mentions import margin

    p = m.place
    return {
        "doc": m.doc,
        "sentence": m.sentence,
        "start": m.start,
        "end": m.end,
        "surface": m.surface,
        "role": m.role,
        "status": m.status,
        "place_id": p.id if p else "",
        "place_name": p.name if p else "",
        "kind": p.kind if p else "",
        "lat": f"{p.lat:.{COORD_DIGITS}f}" if p else "",
        "lon": f"{p.lon:.{COORD_DIGITS}f}" if p else "",
        "precision_km": f"{p.precision_km:g}" if p else "",
        "score": f"{m.score:.3f}",
        "margin": f"{margin(m):.3f}",
        "reason": m.reason,
        "runners_up": "|".join(f"{c.place.id}:{c.score:.3f}" for c in m.runners_up),
        # a named feature ("Quwatli Street") and the rule ids that decided, with arguments
        "feature": m.feature,
        "rules": "|".join(m.rules),
        # where a compositional phrase ("12 km southeast of X") puts what it locates
        "located_lat": f"{m.located.lat:.{COORD_DIGITS}f}" if m.located else "",
        "located_lon": f"{m.located.lon:.{COORD_DIGITS}f}" if m.located else "",
        "located_precision_km": f"{m.located.precision_km:g}" if m.located else "",
    }


class CsvStream:
    """Write CSV rows to a temporary file, renamed into place by :meth:`commit`.

    Cells are made safe for spreadsheets (:func:`spreadsheet_cell`) unless ``spreadsheet``
    is false (files that only geomap reads back, such as the gazetteer's).
    """

    def __init__(self, path: Path, columns: Sequence[str], *, spreadsheet: bool = True) -> None:
        self._spreadsheet = spreadsheet
        self._cm = writing.atomic_open(path)
        self._fh = self._cm.__enter__()
        self._writer = csv.DictWriter(self._fh, fieldnames=list(columns), lineterminator="\n")
        self._writer.writeheader()

    def write(self, row: dict[str, Any]) -> None:
        self._writer.writerow(spreadsheet_row(row) if self._spreadsheet else row)

    def commit(self) -> None:
        self._cm.__exit__(None, None, None)

    def abort(self, exc: BaseException) -> None:
        with contextlib.suppress(BaseException):
            self._cm.__exit__(type(exc), exc, exc.__traceback__)


def csv_lines(
    columns: Sequence[str], rows: Iterable[dict[str, Any]], *, spreadsheet: bool = True
) -> str:
    """CSV lines of ``rows`` without a header, as :class:`CsvStream` writes them (cells made
    safe for spreadsheets): pieces a file can be put together from."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    for row in rows:
        writer.writerow(spreadsheet_row(row) if spreadsheet else row)
    return buf.getvalue()


def write_csv_pieces(path: Path, columns: Sequence[str], pieces: Iterable[str]) -> None:
    """A CSV file from its header and pieces made by :func:`csv_lines`, atomically."""
    with writing.atomic_open(path) as fh:
        csv.writer(fh, lineterminator="\n").writerow(columns)
        for piece in pieces:
            fh.write(piece)


def write_mentions_csv(mentions: Iterable[Mention], path: Path) -> None:
    write_csv(path, MENTION_COLUMNS, (mention_row(m) for m in mentions))


#: Rows a GeoPackage layer or GeoParquet file is written in at once. A table of at most this
#: many rows is written in one go; a bigger one is appended batch by batch (bounded memory; the
#: same rows and tables, but the file is laid out differently than one write would). Measured
#: on 20,000 generated articles (146,000 events, 280,000 mentions): peak memory 790 MB with
#: batches of 50,000 rows, 421 MB with 5,000 (a batch of typed columns and shapely geometries,
#: and GDAL's and Arrow's buffers for it, is what the writers hold).
GPKG_BATCH = 5_000
PLACE_COLUMNS = (
    "id",
    "name",
    "kind",
    "precision_km",
    "parent_id",
    "city_id",
    "governorate",
    "country",
    "source",
)

#: The columns of an event's row in events.csv, the GeoPackage's ``events`` and
#: ``event_areas`` layers and events.parquet, and their types (``str``, ``int``, ``float`` or
#: ``date``): one row an event; ``doc``, ``outlet``, ``published`` and ``sentence`` are those of
#: its first source, ``n_sources`` the number of sources.
EVENT_TABLE: dict[str, str] = {
    "id": "str",
    "type": "str",
    "sub_type": "str",
    "date_start": "date",
    "date_end": "date",
    "date_precision": "str",
    "place_id": "str",
    "place_name": "str",
    "place_kind": "str",
    "geo_precision": "str",
    "precision_km": "float",
    "lat": "float",
    "lon": "float",
    "fatalities": "int",
    "fatalities_total": "int",
    "toll_group": "str",
    "actors": "str",
    "attributed_to": "str",
    "rules": "str",
    "n_sources": "int",
    "doc": "str",
    "outlet": "str",
    "published": "date",
    "sentence": "str",
}
#: events.csv's columns.
EVENT_CSV_COLUMNS = tuple(EVENT_TABLE)
#: The GeoPackage's and GeoParquet's event columns: :data:`EVENT_TABLE` and every source as JSON.
EVENT_LAYER: dict[str, str] = {**EVENT_TABLE, "sources": "str"}
MENTION_LAYER: dict[str, str] = {
    c: (
        "int"
        if c in ("sentence", "start", "end")
        else "float"
        if c
        in (
            "lat",
            "lon",
            "precision_km",
            "score",
            "margin",
            "located_lat",
            "located_lon",
            "located_precision_km",
        )
        else "str"
    )
    for c in MENTION_COLUMNS
}
PLACE_LAYER: dict[str, str] = {
    **{c: "float" if c == "precision_km" else "str" for c in PLACE_COLUMNS},
    "lat": "float",
    "lon": "float",
}


def event_table_row(props: dict[str, Any]) -> dict[str, Any]:
    """An event's :data:`EVENT_LAYER` row from its :func:`event_properties` (dates as ISO
    text, missing values as None)."""
    first = props["sources"][0] if props["sources"] else {}
    row = {c: props.get(c) for c in EVENT_TABLE}
    row["actors"] = "|".join(props["actors"])
    row["attributed_to"] = "|".join(props["attributed_to"])
    row["rules"] = "|".join(props.get("rules") or [])
    row["n_sources"] = len(props["sources"])
    row["doc"] = first.get("doc", "")
    row["outlet"] = first.get("outlet", "")
    row["published"] = first.get("published")
    row["sentence"] = first.get("sentence", "")
    row["sources"] = json.dumps(props["sources"], ensure_ascii=False, sort_keys=True)
    return row


def event_csv_row(props: dict[str, Any]) -> dict[str, Any]:
    """An events.csv row: coordinates with :data:`COORD_DIGITS` decimals, blanks for None."""
    row = event_table_row(props)
    row["lat"] = f"{float(row['lat']):.{COORD_DIGITS}f}"
    row["lon"] = f"{float(row['lon']):.{COORD_DIGITS}f}"
    row["precision_km"] = f"{float(row['precision_km']):g}"
    return {c: "" if row[c] is None else row[c] for c in EVENT_CSV_COLUMNS}


def write_events_csv(events: Iterable[dict[str, Any]], path: Path) -> None:
    """events.csv from events' :func:`event_properties` as they come (one row an event, cells
    made safe for spreadsheets)."""
    stream = CsvStream(path, EVENT_CSV_COLUMNS)
    try:
        for props in events:
            stream.write(event_csv_row(props))
    except BaseException as exc:
        stream.abort(exc)
        raise
    stream.commit()


def place_row(p: Place) -> dict[str, Any]:
    return {c: getattr(p, c) for c in PLACE_COLUMNS}


def _typed(value: Any, kind: str) -> Any:
    """``value`` (a Python value or the text a CSV row holds) as a ``kind`` column value."""
    if kind == "str":
        return "" if value is None else str(value)
    if value is None or value == "":
        return None
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return value if isinstance(value, date) else date.fromisoformat(str(value))


Geometric = tuple[dict[str, Any], Any]  # a row and its shapely geometry (or None)


def typed_frame(part: Sequence[Geometric], columns: dict[str, str]) -> Any:
    """A GeoDataFrame (EPSG:4326) of rows with typed columns: nullable ``string``, ``Int64``
    and ``Float64``, and Arrow ``date32`` for dates (written as DATE by GDAL and date32 by
    Parquet)."""
    import geopandas as gpd
    import pandas as pd
    import pyarrow as pa

    dtypes = {"str": "string", "int": "Int64", "float": "Float64"}
    data: dict[str, Any] = {}
    rows = [row for row, _geom in part]
    for column, kind in columns.items():
        if kind == "str":  # the common case, without a call a cell
            values: list[Any] = [
                "" if (v := row.get(column)) is None else v if type(v) is str else str(v)
                for row in rows
            ]
        else:
            values = [_typed(row.get(column), kind) for row in rows]
        dtype = pd.ArrowDtype(pa.date32()) if kind == "date" else dtypes[kind]
        data[column] = pd.array(values, dtype=dtype)
    geometry = gpd.GeoSeries(_geometries([geom for _row, geom in part]), crs=4326)
    return gpd.GeoDataFrame(data, geometry=geometry, crs=4326)


class _Lonlat(tuple[float, float]):
    """A point not made yet: :func:`typed_frame` makes a batch's points at once."""


def _point(lon: float | None, lat: float | None) -> Any:
    return None if lon is None or lat is None else _Lonlat((lon, lat))


def _geometries(geoms: list[Any]) -> list[Any]:
    """Shapely geometries, the points of :func:`_point` made in one vectorised call."""
    at = [i for i, g in enumerate(geoms) if type(g) is _Lonlat]
    if not at:
        return geoms
    import numpy as np
    import shapely

    made = shapely.points(np.array([geoms[i] for i in at], dtype=float))
    out = list(geoms)
    for i, point in zip(at, made, strict=True):
        out[i] = point
    return out


def area_shape(props: dict[str, Any], shapes: ShapeSource | None) -> Any:
    """The MultiPolygon an event covers (its place's polygon, coordinates rounded like the
    GeoJSON's) when its geo_precision is an area and the place has one, else None."""
    if shapes is None or props["geo_precision"] not in AREA_PRECISIONS:
        return None
    shape = shapes.shape(props["place_id"])
    if shape is None or shape.is_empty:
        return None
    from shapely import set_precision
    from shapely.geometry import MultiPolygon, Polygon

    if isinstance(shape, Polygon):
        shape = MultiPolygon([shape])
    if not isinstance(shape, MultiPolygon):
        return None
    rounded = set_precision(shape, 10**-COORD_DIGITS, mode="pointwise")
    return rounded if isinstance(rounded, MultiPolygon) else MultiPolygon([rounded])


#: The "last change" stamp written into every GeoPackage (see :func:`write_geopackage`).
GPKG_STAMP = "2000-01-01T00:00:00.000Z"


@contextlib.contextmanager
def _gdal_option(name: str, value: str) -> Iterator[None]:
    """GDAL's configuration option ``name`` set to ``value`` inside the block, and set back
    to what it was after it (GDAL's options are global to the process)."""
    from pyogrio import get_gdal_config_option, set_gdal_config_options

    before = get_gdal_config_option(name)
    set_gdal_config_options({name: value})
    try:
        yield
    finally:
        set_gdal_config_options({name: before})


def write_geopackage(
    path: Path,
    events: Sequence[Event],
    mentions: Sequence[Mention],
    places: Sequence[Place],
    shapes: ShapeSource | None = None,
) -> None:
    """A GeoPackage for QGIS (EPSG:4326, typed columns): ``events`` (a point an event),
    ``event_areas`` (the polygon of the events placed at an area that has one), ``mentions``
    and ``places``."""
    write_geopackage_rows(
        path,
        ((event_properties(e), e.place.lon, e.place.lat) for e in events),
        (
            (mention_row(m), m.place.lon if m.place else None, m.place.lat if m.place else None)
            for m in mentions
        ),
        ((place_row(p), p.lon, p.lat) for p in places),
        areas=((event_properties(e), shapes) for e in events),
    )


Located = tuple[dict[str, Any], float | None, float | None]


def _batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    yield batch


def write_geopackage_rows(
    path: Path,
    events: Iterable[Located],
    mentions: Iterable[Located],
    places: Iterable[Located],
    *,
    areas: Iterable[tuple[dict[str, Any], ShapeSource | None]] = (),
    batch: int = GPKG_BATCH,
) -> None:
    """The GeoPackage from rows as they come, :data:`GPKG_BATCH` at a time: events as
    ``(event_properties, lon, lat)``, :func:`mention_row` rows and :func:`place_row` rows as
    ``(row, lon, lat)``, and ``areas`` as ``(event_properties, shapes)`` (the events again, for
    the ``event_areas`` layer: those :func:`area_shape` finds a polygon for).

    Layers and column types are fixed (:data:`EVENT_LAYER`, :data:`MENTION_LAYER`,
    :data:`PLACE_LAYER`): dates are DATE, numbers REAL or INTEGER, text TEXT, also in an empty
    layer. The file is byte-identical for the same rows (GDAL's "last change" stamp is fixed).
    """

    def located(rows: Iterable[Located], convert: Any) -> Iterator[Geometric]:
        for row, lon, lat in rows:
            yield convert(row, lon, lat), _point(lon, lat)

    def area_rows() -> Iterator[Geometric]:
        for props, shapes in areas:
            shape = area_shape(props, shapes)
            if shape is not None:
                yield event_table_row(props), shape

    layers: tuple[tuple[str, dict[str, str], str, Iterable[Geometric]], ...] = (
        ("events", EVENT_LAYER, "Point", located(events, lambda r, _x, _y: event_table_row(r))),
        ("event_areas", EVENT_LAYER, "MultiPolygon", area_rows()),
        ("mentions", MENTION_LAYER, "Point", located(mentions, lambda r, _x, _y: r)),
        (
            "places",
            PLACE_LAYER,
            "Point",
            located(places, lambda r, x, y: {**r, "lat": y, "lon": x}),
        ),
    )
    # a temporary file in the same folder, renamed over the GeoPackage once complete; GPKG
    # stores a "last change" timestamp, fixed while this file is written (and only then) so
    # that the same input gives the same bytes
    with _gdal_option("OGR_CURRENT_DATE", GPKG_STAMP), atomic_path(path) as tmp:
        tmp.unlink()
        for name, columns, geometry_type, rows in layers:
            for i, part in enumerate(_batches(rows, batch)):
                if i and not part:
                    break
                typed_frame(part, columns).to_file(
                    tmp,
                    layer=name,
                    driver="GPKG",
                    engine="pyogrio",
                    use_arrow=True,
                    geometry_type=geometry_type,
                    mode="a" if i else "w",
                )
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())


def write_geoparquet_rows(
    path: Path, events: Iterable[Located], *, batch: int = GPKG_BATCH
) -> None:
    """events.parquet (GeoParquet, EPSG:4326, :data:`EVENT_LAYER` columns typed: dates as
    date32, numbers as double and int64) from ``(event_properties, lon, lat)`` as they come.

    At most :data:`GPKG_BATCH` events are written by geopandas' ``to_parquet``; more are
    written batch by batch (a row group a batch) with geopandas' own GeoParquet conversion, the
    file's ``geo`` metadata made from the first batch without its bounding box (optional in
    GeoParquet; the whole file's is not known when the schema is written). The file holds no
    time stamp: the same events give the same bytes.
    """
    import pyarrow.parquet as pq
    from geopandas.io.arrow import _geopandas_to_arrow

    parts = _batches(((event_table_row(r), _point(x, y)) for r, x, y in events), batch)
    first = next(parts)
    with atomic_path(path) as tmp:
        second = next(parts, [])
        if not second:
            typed_frame(first, EVENT_LAYER).to_parquet(tmp, index=False, compression="snappy")
            return
        writer: Any = None
        held = [first, second]
        del first, second
        try:
            # the first two batches are let go once written, as every later one is
            for part in itertools.chain(_drain(held), parts):
                if not part:
                    break
                table = _geopandas_to_arrow(typed_frame(part, EVENT_LAYER), index=False)
                if writer is None:
                    meta = dict(table.schema.metadata or {})
                    geo = json.loads(meta[b"geo"])
                    column = geo["columns"][geo["primary_column"]]
                    column.pop("bbox", None)
                    column["geometry_types"] = ["Point"]
                    meta[b"geo"] = json.dumps(geo).encode()
                    schema = table.schema.with_metadata(meta)
                    writer = pq.ParquetWriter(tmp, schema, compression="snappy")
                writer.write_table(table.replace_schema_metadata(schema.metadata))
                del table, part  # not held while the next batch is read and made
        finally:
            if writer is not None:
                writer.close()


def _drain(items: list[Any]) -> Iterator[Any]:
    """The items of ``items``, each removed from it as it is given."""
    while items:
        yield items.pop(0)


def keep_output(path: Path) -> None:
    """Record ``path`` as written by the current :func:`output_run` without touching it (a
    rerun that knows the file is already what it would write)."""
    _record_write(path)
