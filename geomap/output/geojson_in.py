"""Read an ``events.geojson`` that may come from anywhere (``geomap maps``/``report`` on a file a
user was sent): every feature is checked against the schema geomap writes, and a feature that
does not fit is reported (file and feature number) and left out, never passed on to the maps,
the report or a browser.

Checked: the geometry (a Point, Polygon or MultiPolygon with finite coordinates in range), and
each property geomap draws or prints: ``type`` one of the event types, ``date_start`` and
``date_end`` ISO dates (or null, the end not before the start), ``fatalities`` and
``fatalities_total`` non-negative integers (or null), numbers where numbers are expected, strings
where strings are, lists of strings for actors, and sources as objects of strings and offsets.
Strings are kept exactly (escaping them is the renderer's job).
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

from geomap.errors import InputError
from geomap.model import DATE_PRECISIONS, EVENT_TYPES

#: An events.geojson larger than this is refused (geomap writes about 1 KB an event).
MAX_BYTES = 2 * 1024**3

_STRINGS = ("id", "sub_type", "place_id", "place_name", "place_kind", "geo_precision")
_OPTIONAL_STRINGS = ("toll_group",)
_NUMBERS = ("precision_km", "lat", "lon")
_COUNTS = ("fatalities", "fatalities_total")
_SOURCE_STRINGS = ("doc", "outlet", "sentence")


class BadFeature(ValueError):
    """One feature does not fit the schema (the message says which property)."""


def read_events(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The valid features of ``path`` and one message a feature left out.

    Raises :class:`InputError` (file named) when the file is not a GeoJSON FeatureCollection.
    """
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"larger than {MAX_BYTES} bytes", path=str(path))
        fc = json.loads(path.read_bytes().decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, BadFeature) as exc:
        raise InputError(f"not a GeoJSON file: {exc}", path=str(path)) from None
    if not isinstance(fc, dict) or fc.get("type") != "FeatureCollection":
        raise InputError("not a GeoJSON FeatureCollection", path=str(path))
    features = fc.get("features")
    if not isinstance(features, list):
        raise InputError("a FeatureCollection without a list of features", path=str(path))
    good: list[dict[str, Any]] = []
    problems: list[str] = []
    for n, feature in enumerate(features, 1):
        try:
            check_feature(feature)
        except BadFeature as exc:
            problems.append(f"{path}: feature {n}: {exc}; left out")
            continue
        good.append(feature)
    return good, problems


def _no_constant(name: str) -> Any:
    raise BadFeature(f"{name} is not a number")


def check_feature(feature: Any) -> None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise BadFeature("not a Feature")
    _check_geometry(feature.get("geometry"))
    p = feature.get("properties")
    if not isinstance(p, dict):
        raise BadFeature("no properties")
    if p.get("type") not in EVENT_TYPES:
        raise BadFeature(f"type {p.get('type')!r} is not one of {', '.join(EVENT_TYPES)}")
    if p.get("date_precision") not in DATE_PRECISIONS:
        raise BadFeature(f"date_precision {p.get('date_precision')!r} is not valid")
    start, end = _date(p, "date_start"), _date(p, "date_end")
    if start and end and end < start:
        raise BadFeature("date_end before date_start")
    for key in _STRINGS:
        if not isinstance(p.get(key), str):
            raise BadFeature(f"{key} is not a string")
    for key in _OPTIONAL_STRINGS:
        if key in p and not isinstance(p[key], str):
            raise BadFeature(f"{key} is not a string")
    for key in _NUMBERS:
        value = p.get(key)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise BadFeature(f"{key} is not a number")
    for key in _COUNTS:
        value = p.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            raise BadFeature(f"{key} is not a count")
    for key in ("actors", "attributed_to", "rules"):
        value = p.get(key, [])
        if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
            raise BadFeature(f"{key} is not a list of strings")
    sources = p.get("sources")
    if not isinstance(sources, list):
        raise BadFeature("sources is not a list")
    for s in sources:
        if not isinstance(s, dict):
            raise BadFeature("a source is not an object")
        for key in _SOURCE_STRINGS:
            if not isinstance(s.get(key, ""), str):
                raise BadFeature(f"a source's {key} is not a string")
        if s.get("published") is not None:
            _date(s, "published")
        for key in ("start", "end"):
            value = s.get(key, 0)
            if not _integer(value):
                raise BadFeature(f"a source's {key} is not an offset")


def _date(props: dict[str, Any], key: str) -> date | None:
    value = props.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise BadFeature(f"{key} {value!r} is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadFeature(f"{key} {value!r} is not a date (YYYY-MM-DD)") from None


def _check_geometry(geometry: Any) -> None:
    if not isinstance(geometry, dict):
        raise BadFeature("no geometry")
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        _position(coords)
    elif kind == "Polygon":
        _rings(coords)
    elif kind == "MultiPolygon":
        if not isinstance(coords, list) or not coords:
            raise BadFeature("a MultiPolygon without polygons")
        for polygon in coords:
            _rings(polygon)
    else:
        raise BadFeature(f"geometry type {kind!r} is not Point, Polygon or MultiPolygon")


def _rings(rings: Any) -> None:
    if not isinstance(rings, list) or not rings:
        raise BadFeature("a Polygon without rings")
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise BadFeature("a ring of fewer than 4 positions")
        for position in ring:
            _position(position)


def _position(position: Any) -> None:
    if not isinstance(position, list) or len(position) < 2:
        raise BadFeature("a position is not [lon, lat]")
    lon, lat = position[0], position[1]
    for value in (lon, lat):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise BadFeature("a coordinate is not a finite number")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise BadFeature(f"position [{lon}, {lat}] out of range")


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
