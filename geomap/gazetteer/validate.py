"""``geomap gazetteer stats`` and ``geomap gazetteer validate``.

Validation reads the files row by row, so that every problem names its file and line: a
malformed row, a coordinate out of range or outside the stated country, an id used twice, a
name or shape pointing at no place, an entry without a source, an alias that points at two
places of the same city, a curated row without a source, a correction pointing at no place.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from geomap.errors import line_of, safe
from geomap.gazetteer.names import normalize_name
from geomap.gazetteer.store import csv_records, default_gazetteer_dir
from geomap.model import PLACE_KINDS

#: Rough bounding boxes (lat_min, lat_max, lon_min, lon_max) of the countries with many entries.
COUNTRY_BOXES = {
    "SY": (32.2, 37.4, 35.6, 42.5),
    "LB": (33.0, 34.75, 35.0, 36.7),
}


def stats(directory: Path | None = None) -> dict[str, Any]:
    directory = directory or default_gazetteer_dir()
    rows = [row for _, row in csv_records(directory / "places.csv")]
    ids = {r["id"]: r for r in rows}
    by_kind = Counter(r["kind"] for r in rows)
    by_city = Counter(
        ids[r["city_id"]]["name"] if r["city_id"] in ids else r["city_id"]
        for r in rows
        if r["kind"] in ("neighbourhood", "camp") and r["city_id"]
    )
    names = [row for _, row in csv_records(directory / "names.csv")]
    csv.field_size_limit(1 << 26)
    shapes = Counter(
        ids[r["place_id"]]["kind"]
        for _, r in csv_records(directory / "shapes.csv")
        if r.get("place_id") in ids
    )
    ocha_neigh = sum(
        1
        for r in rows
        if r["id"].startswith("N0") or r["id"].startswith("N1") or r["id"].startswith("N0")
    )
    return {
        "places": len(rows),
        "names": len(names),
        "arabic_names": sum(1 for n in names if n["lang"] == "ar"),
        "by_kind": dict(sorted(by_kind.items())),
        "neighbourhoods_by_city": dict(sorted(by_city.items(), key=lambda kv: (-kv[1], kv[0]))),
        "polygons_by_kind": dict(sorted(shapes.items())),
        "ocha_city_neighbourhoods": ocha_neigh,
        "ocha_communities": sum(1 for r in rows if r["source"].startswith("OCHA COD populated")),
    }


def stats_text(s: dict[str, Any]) -> str:
    lines = [
        f"places: {s['places']}  names: {s['names']} ({s['arabic_names']} Arabic)",
        f"OCHA city neighbourhoods: {s['ocha_city_neighbourhoods']}  "
        f"OCHA communities: {s['ocha_communities']}",
        "",
        "by kind:",
    ]
    lines += [f"  {k:<14} {v:>6}" for k, v in s["by_kind"].items()]
    lines += ["", "neighbourhoods and camps by city:"]
    lines += [f"  {k:<20} {v:>4}" for k, v in s["neighbourhoods_by_city"].items()]
    lines += ["", "polygons by kind:"]
    lines += [f"  {k:<14} {v:>6}" for k, v in s["polygons_by_kind"].items()]
    return "\n".join(lines)


def _rows(path: Path, problems: list[str] | None = None) -> list[tuple[int, dict[str, str]]]:
    """The (line, row) pairs of a CSV file. With ``problems``, invalid UTF-8 and a malformed
    row are appended there as ``file:line: message`` (the rows before a malformed one, and the
    bytes around invalid UTF-8, are still checked); without, they raise GazetteerError."""
    if problems is None:
        return list(csv_records(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(f"{safe(path)}: cannot be read ({exc.strerror or exc})")
        return []
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(
            f"{safe(path)}:{line_of(data, exc.start)}: invalid UTF-8 at byte offset {exc.start} "
            f"(byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        )
        data = data.decode("utf-8", errors="replace").encode("utf-8")
    return _rows_of(data, path, problems)


def _rows_of(data: bytes, path: Path, problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    import io

    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    out: list[tuple[int, dict[str, str]]] = []
    while True:
        last = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return out
        except csv.Error as exc:
            problems.append(f"{safe(path)}:{last + 1}: malformed CSV ({exc}); the rest is unread")
            return out
        out.append((reader.line_num, row))


def validate(directory: Path | None = None) -> list[str]:
    """Problems, each ``file:line: message``; an empty list when the gazetteer is sound."""
    directory = directory or default_gazetteer_dir()
    problems: list[str] = []
    places_path = directory / "places.csv"
    places: dict[str, dict[str, str]] = {}
    syria_points: list[tuple[str, str, float, float]] = []
    for line, row in _rows(places_path, problems):
        where = f"{places_path}:{line}"
        pid = row.get("id") or ""
        if not pid:
            problems.append(f"{where}: row has no id")
            continue
        if pid in places:
            problems.append(f"{where}: id {pid} is used twice")
        places[pid] = row
        if row.get("kind") not in PLACE_KINDS:
            problems.append(
                f"{where}: kind {row.get('kind')!r} is not one of {', '.join(PLACE_KINDS)}"
            )
        if not (row.get("source") or "").strip():
            problems.append(f"{where}: {pid} has no source")
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
            prec = float(row["precision_km"])
        except (KeyError, TypeError, ValueError):
            problems.append(f"{where}: {pid} has a malformed lat/lon/precision_km")
            continue
        if not (
            math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180
        ):
            problems.append(f"{where}: {pid} coordinate out of range ({lat}, {lon})")
            continue
        if not (math.isfinite(prec) and prec >= 0):
            problems.append(f"{where}: {pid} precision_km {prec} is not >= 0")
        box = COUNTRY_BOXES.get(row.get("country", ""))
        if (
            box
            and row.get("kind") != "country"
            and not (box[0] <= lat <= box[1] and box[2] <= lon <= box[3])
        ):
            problems.append(
                f"{where}: {pid} ({row.get('name')}) at ({lat}, {lon}) is outside "
                f"its country {row.get('country')}"
            )
        elif row.get("country") == "SY" and row.get("kind") != "crossing":
            syria_points.append((where, pid, lat, lon))
    problems += _outside_syria(directory, syria_points)
    for pid, row in places.items():
        for col in ("parent_id", "city_id"):
            if row.get(col) and row[col] not in places:
                problems.append(f"{places_path}: {pid} {col} {row[col]!r} is no place")
    names_path = directory / "names.csv"
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    first_line: dict[tuple[str, str], int] = {}
    for line, row in _rows(names_path, problems):
        pid = row.get("place_id", "")
        if pid not in places:
            problems.append(
                f"{names_path}:{line}: name {row.get('name')!r} points at no place {pid!r}"
            )
            continue
        if not (row.get("source") or "").strip():
            problems.append(f"{names_path}:{line}: name {row.get('name')!r} has no source")
        city = places[pid].get("city_id", "")
        if city and places[pid]["kind"] in ("neighbourhood", "camp"):
            key = (city, normalize_name(row.get("name", "")))
            owners[key].add(pid)
            first_line.setdefault(key, line)
    for (city, name), pids in sorted(owners.items()):
        if len(pids) > 1 and name:
            problems.append(
                f"{names_path}:{first_line[(city, name)]}: alias {name!r} points "
                f"at {len(pids)} places in the same city {city}: "
                f"{', '.join(sorted(pids))}"
            )
    shapes_path = directory / "shapes.csv"
    if shapes_path.is_file():
        csv.field_size_limit(1 << 26)
        from shapely import wkt

        for line, row in _rows(shapes_path, problems):
            if row.get("place_id") not in places:
                problems.append(f"{shapes_path}:{line}: shape of no place {row.get('place_id')!r}")
            try:
                wkt.loads(row.get("wkt") or "")
            except Exception as exc:  # shapely's GEOSException
                problems.append(
                    f"{shapes_path}:{line}: the shape of {row.get('place_id')!r} is not valid "
                    f"WKT ({safe(exc)})"
                )
    curated = directory / "curated"
    if curated.is_dir():
        for path in sorted(curated.glob("*.csv")):
            for line, row in _rows(path, problems):
                if not (row.get("source") or "").strip():
                    problems.append(f"{path}:{line}: curated row without a source")
                ref = row.get("place_id")
                if ref is not None and ref not in places:
                    problems.append(f"{path}:{line}: place_id {ref!r} is no place")
    corrections = directory / "corrections.csv"
    if corrections.is_file():
        for line, row in _rows(corrections, problems):
            if row.get("place_id") not in places:
                problems.append(
                    f"{corrections}:{line}: correction of {row.get('surface')!r} "
                    f"points at no place {row.get('place_id')!r}"
                )
            if not (row.get("surface") or "").strip():
                problems.append(f"{corrections}:{line}: correction without a surface")
    return problems


def _outside_syria(directory: Path, points: list[tuple[str, str, float, float]]) -> list[str]:
    """Syrian places whose point is not inside Syria's boundary (its governorates' polygons,
    with about 5 km of slack: border villages, and polygons simplified to ~300 m)."""
    shapes = directory / "shapes.csv"
    if not shapes.is_file() or not points:
        return []
    import shapely
    from shapely import wkt
    from shapely.ops import unary_union

    csv.field_size_limit(1 << 26)
    govs = []
    for _, r in _rows(shapes, []):  # its problems are reported by validate's own pass
        if re.fullmatch(r"SY\d\d", r.get("place_id") or ""):
            try:
                govs.append(wkt.loads(r.get("wkt") or ""))
            except Exception:  # bad WKT, reported with its line
                continue
    if not govs:
        return []
    syria = unary_union(govs).buffer(0.045)
    inside = shapely.contains_xy(syria, [p[3] for p in points], [p[2] for p in points])
    return [
        f"{where}: {pid} at ({lat}, {lon}) is outside Syria's boundary"
        for (where, pid, lat, lon), ok in zip(points, inside, strict=True)
        if not ok
    ]
