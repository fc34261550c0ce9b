"""Build ``gazetteer/`` from the reference data in ``../shared/reference`` (``make gazetteer``).

Sources (see ``gazetteer/ATTRIBUTION.md``): OCHA Syria COD (governorates, districts,
communities, Damascus admin-5 quarters), OCHA city neighbourhoods 2016 (414 neighbourhoods of 12
cities) with the OCHA Aleppo polygons, Columbia CSR's Aleppo areas (polygons, spellings),
GeoNames cities500 (Syria, Lebanon), a hand-compiled list of border crossings, a few Wikipedia
points, and the hand-curated files in ``gazetteer/curated/``.

One real place is one entry: Columbia areas and Damascus quarters that match an OCHA
neighbourhood (same name key, or the OCHA point inside the polygon with a similar name) add
their polygon and spellings to it instead of making a second entry.

The output is sorted, rounded text, so that the same reference gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import math
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from geomap.gazetteer.entries import ARABIC, Entry, slug
from geomap.gazetteer.names import name_keys, normalize_name
from geomap.gazetteer.sources import Counts, NameFilter, add_war_map, add_whosonfirst, report
from geomap.writing import write_csv

log = logging.getLogger(__name__)

PLACE_COLUMNS = (
    "id",
    "name",
    "name_ar",
    "kind",
    "lat",
    "lon",
    "precision_km",
    "parent_id",
    "city_id",
    "district",
    "governorate",
    "country",
    "source",
    "precision_note",
)
NAME_COLUMNS = ("place_id", "name", "lang", "source")
SHAPE_COLUMNS = ("place_id", "wkt")
_GENERIC_TAIL = re.compile(
    r"\s+(?:(?:Indus?r?trial\s+)?(?:District|Area|Zone|Quarter|Housing)"
    r"(?:\s+[IV]+)?|[IV]+|\d+|Youth Housing)$",
    re.I,
)
_CAMP_PREFIX = re.compile(r"^(mokhayam|mukhayam|mukhayyam|mokhayyam|mkhayam)\s+", re.I)


def _f(value: str | float) -> float:
    return float(value)


def _radius_km(area_km2: float) -> float:
    return math.sqrt(max(area_km2, 0.0) / math.pi)


def _area_km2(shape: Any) -> float:
    """Approximate area of a lon/lat polygon in km2 (equirectangular at its centroid)."""
    lat = shape.centroid.y
    return float(shape.area) * 111.32 * 111.32 * math.cos(math.radians(lat))


def _point_inside(geom: Any) -> Any:
    """The centroid when it lies inside the polygon, else a point that surely does."""
    return geom.centroid if geom.contains(geom.centroid) else geom.representative_point()


class Builder:
    def __init__(self, reference: Path, curated: Path) -> None:
        self.ref = reference
        self.curated = curated
        self.entries: dict[str, Entry] = {}
        self.gov_by_pcode: dict[str, str] = {}
        self.counts = Counts.new()

    # -- helpers ---------------------------------------------------------------------------
    def add(self, entry: Entry) -> Entry:
        if entry.id in self.entries:
            raise ValueError(f"duplicate place id {entry.id}")
        entry.add_name(entry.name, entry.source)
        if entry.name_ar:
            entry.add_name(entry.name_ar, entry.source)
        self.entries[entry.id] = entry
        return entry

    def _read_csv(self, rel: str) -> list[dict[str, str]]:
        with open(self.ref / rel, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    def _read_geojson(self, rel: str) -> list[dict[str, Any]]:
        data = (self.ref / rel).read_bytes().decode("utf-8", errors="replace")
        features: list[dict[str, Any]] = json.loads(data)["features"]
        return features

    # -- sources ---------------------------------------------------------------------------
    def admin(self) -> None:
        from shapely.geometry import Point, shape

        # An administrative area's point is its capital (its polygon is in shapes.csv).
        capitals: dict[str, tuple[float, float, str]] = {}
        for r in self._read_csv("ocha_cod_syr_2015/syr_admin4_points.csv"):
            cap_level = (r["capit_lvl"] or "").strip()
            where = (_f(r["latitude"]), _f(r["longitude"]), r["name_en"])
            if cap_level in ("0", "1"):
                capitals.setdefault(r["admin1_cod"], where)
            if cap_level in ("0", "1", "2"):
                capitals.setdefault(r["admin2_cod"], where)
        for level, rel, kind in (
            (1, "ocha_cod_syr_2015/syr_admin1.geojson", "governorate"),
            (2, "ocha_cod_syr_2015/syr_admin2.geojson", "district"),
        ):
            for feat in self._read_geojson(rel):
                p = feat["properties"]
                geom = shape(feat["geometry"])
                point = _point_inside(geom)
                note = f"{kind} polygon; point inside it, radius of equal-area circle"
                cap = capitals.get(p["PCODE"])
                if cap is not None and geom.buffer(0.02).contains(Point(cap[1], cap[0])):
                    point = Point(cap[1], cap[0])
                    note = f"{kind} polygon; point at its capital {cap[2]}; equal-area radius"
                src = f"OCHA COD admin{level} {p['PCODE']}"
                e = Entry(
                    id=p["PCODE"],
                    name=p["NAME_EN"],
                    kind=kind,
                    lat=point.y,
                    lon=point.x,
                    precision_km=round(_radius_km(_area_km2(geom)), 1),
                    source=src,
                    precision_note=note,
                    name_ar=p.get("NAME_ARA", "") or "",
                    parent_id=p.get("ADMIN1_COD", "") if level == 2 else "CTRY-SY",
                    governorate=p["NAME_EN"] if level == 1 else p.get("ADMIN1_EN", ""),
                    district=p["NAME_EN"] if level == 2 else "",
                    shape=geom,
                )
                self.add(e)
                e.add_name(p.get("NAM_EN_REF", "") or "", src)
                if level == 1:
                    self.gov_by_pcode[p["PCODE"]] = p["NAME_EN"]
                    for n in list(e.names):
                        if not ARABIC.search(n):
                            for suffix in ("province", "governorate"):
                                e.add_name(f"{n} {suffix}", src + " (+ '" + suffix + "')")
                            e.add_name(f"province of {n}", src + " (+ 'province of')")

    def communities(self) -> None:
        kind_by_level = {"0": "city", "1": "city", "2": "town", "3": "town"}
        prec_by_level = {"0": 8.0, "1": 6.0, "2": 3.0, "3": 2.0}
        for r in self._read_csv("ocha_cod_syr_2015/syr_admin4_points.csv"):
            level = (r["capit_lvl"] or "").strip()
            src = f"OCHA COD populated places {r['pcode']}"
            e = Entry(
                id=r["pcode"],
                name=r["name_en"],
                kind=kind_by_level.get(level, "village"),
                lat=_f(r["latitude"]),
                lon=_f(r["longitude"]),
                precision_km=prec_by_level.get(level, 1.5),
                source=src,
                precision_note={
                    "0": "national capital: city centre point",
                    "1": "governorate capital: city centre point",
                    "2": "district capital: town centre point",
                    "3": "sub-district capital: town centre point",
                }.get(level, "village: settlement point"),
                name_ar=r["name_ara"].replace("\ufffd", ""),
                parent_id=r["admin2_cod"],
                district=r["admin2_en"],
                governorate=r["admin1_en"],
            )
            if e.id == "C1007":
                e.precision_km = 8.0
            self.add(e)
            e.add_name(r["nam_en_ref"], src)

    def neighbourhoods(self) -> None:
        from shapely import wkt

        polygons: dict[str, Any] = {}
        data = json.loads(
            (self.ref / "ocha_aleppo_neighbourhoods/aleppo_neighborhoods_v1.json").read_text(
                encoding="utf-8"
            )
        )
        for item in data["items"]:
            if item.get("boundaryWkt"):
                polygons[item["pCode"]] = wkt.loads(item["boundaryWkt"])
        for r in self._read_csv("ocha_city_neighbourhoods_2016/city_neighbourhoods.csv"):
            name = r["NAME_EN"].strip()
            camp = bool(_CAMP_PREFIX.match(name)) or "camp" in name.lower()
            src = f"OCHA city neighbourhoods 2016 {r['PCODE']}"
            geom = polygons.get(r["PCODE"])
            prec = round(max(0.4, _radius_km(_area_km2(geom))), 2) if geom is not None else 1.0
            e = Entry(
                id=r["PCODE"],
                name=name,
                kind="camp" if camp else "neighbourhood",
                lat=_f(r["LATITUDE"]),
                lon=_f(r["LONGITUDE"]),
                precision_km=prec,
                source=src,
                precision_note=(
                    "neighbourhood polygon (OCHA); radius of equal-area circle"
                    if geom is not None
                    else "neighbourhood point (OCHA); ~1 km"
                ),
                name_ar=r["NAME_AR"],
                parent_id=r["ADM4_PCODE"],
                city_id=r["ADM4_PCODE"],
                district=r["ADM2_EN"],
                governorate=r["ADM1_EN"],
                shape=geom,
            )
            self.add(e)
            for col in ("NAM_EN_REF", "NAM_AR_REF"):
                e.add_name(re.sub(r"\s*\(.*\)$", "", r[col]), src)
            # "Tashreen_ Harabesh": one unit of two quarters, each named on its own in the press;
            # "Al_Sad": an underscore for a space
            if "_ " in name:
                for part in name.split("_ "):
                    if len(part.strip()) >= 4:
                        e.add_name(part, src + " (one of the quarters it joins)")
            elif "_" in name:
                e.add_name(name.replace("_", " "), src + " (underscore read as a space)")
            if camp:
                bare = _CAMP_PREFIX.sub("", name)
                e.add_name(bare, src + " (without 'Mokhayam')")
                e.add_name(f"{bare} camp", src + " ('Mokhayam' = camp)")

    def _match_area(self, name: str, geom: Any, city_id: str, name_ar: str = "") -> Entry | None:
        """The OCHA neighbourhood of ``city_id`` that is the same place as a named polygon.

        Same place: the same name (key) or Arabic name, with the OCHA point inside the polygon
        (or no polygon); or the point inside and a similar name.
        """
        from rapidfuzz import fuzz
        from shapely.geometry import Point

        keys = set(name_keys(name)) | {normalize_name(name)}
        if name_ar:
            keys.add(normalize_name(name_ar))
        best: tuple[float, str] | None = None
        for e in self.entries.values():
            if e.city_id != city_id:
                continue
            ekeys = {k for n in e.names if not ARABIC.search(n) for k in name_keys(n)}
            ekeys |= {normalize_name(n) for n in e.names}
            same_name = bool(keys & ekeys)
            sim = max(fuzz.ratio(normalize_name(name), normalize_name(n)) for n in e.names)
            inside = geom is not None and geom.buffer(0.001).contains(Point(e.lon, e.lat))
            if same_name and (inside or geom is None):
                score = 200.0 + sim
            elif inside and sim >= 88:
                score = 100.0 + sim
            else:
                continue
            if best is None or (score, e.id) > best:
                best = (score, e.id)
        return self.entries[best[1]] if best else None

    def _named_elsewhere(self, name: str, entry: Entry) -> bool:
        key = normalize_name(name)
        return any(
            e is not entry
            and e.city_id == entry.city_id
            and any(normalize_name(n) == key for n in e.names)
            for e in self.entries.values()
            if e.city_id == entry.city_id
        )

    def core_names(self) -> None:
        """A neighbourhood named with a generic tail is also known by its core: "Ar-Ramouseh
        Industrial District" is "Ramouseh", "al-Hamdaniyeh III" is "Hamdaniyeh" (when no other
        place of the city has that name)."""
        # OCHA's own neighbourhoods first: the core name goes to the main area, not a part of it
        for e in sorted(self.entries.values(), key=lambda e: (e.id.startswith("CSR-"), e.id)):
            if e.kind not in ("neighbourhood", "camp") or not e.city_id:
                continue
            for n in sorted(e.names):
                core = _GENERIC_TAIL.sub("", n).strip()
                if (
                    core
                    and core != n
                    and len(normalize_name(core)) >= 4
                    and not self._named_elsewhere(core, e)
                ):
                    e.add_name(core, e.names[n][1] + " (without its generic tail)")

    def columbia(self) -> None:
        from shapely.geometry import shape

        alts: dict[str, list[str]] = {}
        for r in self._read_csv("csr_aleppo/aleppo_neighbourhoods_csr_centroids.csv"):
            alts.setdefault(r["csr_id"], []).extend(a for a in r["alt_names"].split("|") if a)
        by_id: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for feat in self._read_geojson("csr_aleppo/Neighborhoods.geojson"):
            by_id[str(feat["properties"]["Id"])].append(feat)
        for csr_id in sorted(by_id, key=int):
            feats = by_id[csr_id]
            p = feats[0]["properties"]
            from shapely.ops import unary_union

            geom = unary_union([shape(f["geometry"]) for f in feats])
            src = f"Columbia CSR Aleppo neighbourhoods Id {csr_id}"
            match = self._match_area(p["NAME"], geom, "C1007", p.get("NAME_A") or "")
            if match is None:
                name = p["NAME"]
                low = name.lower()
                kind = (
                    "airport"
                    if "airport" in low
                    else "landmark"
                    if any(
                        w in low
                        for w in ("citadel", "cemetery", "park", "hospital", "mosque", "street")
                    )
                    else "facility"
                    if "university" in low or "barrack" in low
                    else "neighbourhood"
                )
                c = _point_inside(geom)
                match = self.add(
                    Entry(
                        id=f"CSR-{int(csr_id):03d}",
                        name=name,
                        kind=kind,
                        lat=c.y,
                        lon=c.x,
                        precision_km=round(max(0.3, _radius_km(_area_km2(geom))), 2),
                        source=src,
                        precision_note="Columbia CSR polygon; radius of equal-area circle",
                        parent_id="C1007",
                        city_id="C1007",
                        district="Jebel Saman",
                        governorate="Aleppo",
                        shape=geom,
                    )
                )
            elif match.shape is None:
                match.shape = geom
            # A spelling another place of the city already has names that place (Columbia lists
            # e.g. the Hamdaniyeh sub-areas under Hamdaniyeh's Arabic name): one alias, one place.
            for n, why in (
                (p["NAME"], src),
                (p.get("NAME_A") or "", src),
                *((a, src + " alternative names") for a in alts.get(csr_id, [])),
            ):
                if n and not self._named_elsewhere(n, match):
                    match.add_name(n, why)
                    if n == p.get("NAME_A") and not match.name_ar:
                        match.name_ar = n
                # "حي المغاير": "hay" (quarter) and the name; the name alone is how the press
                # writes it ("the Maghayir district")
                bare = n.removeprefix("حي ").strip() if n.startswith("حي ") else ""
                if bare and not self._named_elsewhere(bare, match):
                    match.add_name(bare, why + " (without 'hay', quarter)")

    def damascus_quarters(self) -> None:
        """OCHA 2015 admin-5: Damascus quarters (Mazzeh, Barza, Midan ...) with polygons."""
        from shapely.geometry import shape

        for feat in sorted(
            self._read_geojson("ocha_cod_syr_2015/syr_admin5.geojson"),
            key=lambda f: f["properties"]["HAY_PCODE"],
        ):
            p = feat["properties"]
            name = " ".join(p["HAY_EN"].split())
            if name.lower() in ("unknown",):
                continue
            geom = shape(feat["geometry"])
            src = f"OCHA COD admin5 {p['HAY_PCODE']}"
            if name.lower() == "yarmouk":
                target = self.entries["C1002"]  # the camp is also an OCHA community
                target.kind = "camp"
                target.shape = geom
                target.precision_km = round(max(0.5, _radius_km(_area_km2(geom))), 2)
                target.precision_note = "camp polygon (OCHA admin5); radius of equal-area circle"
                target.city_id = "C1001"
                for n in ("Yarmouk", "Yarmouk camp", "Yarmuk camp", "Yarmouk refugee camp"):
                    target.add_name(n, src)
                continue
            match = self._match_area(name, geom, "C1001")
            if match is not None:
                if match.shape is None:
                    match.shape = geom
                match.add_name(name, src)
                continue
            low = name.lower()
            kind = (
                "airport"
                if "airport" in low
                else "landmark"
                if any(w in low for w in ("palace", "garden", "quasioun"))
                else "neighbourhood"
            )
            c = _point_inside(geom)
            self.add(
                Entry(
                    id=p["HAY_PCODE"],
                    name=name,
                    kind=kind,
                    lat=c.y,
                    lon=c.x,
                    precision_km=round(max(0.4, _radius_km(_area_km2(geom))), 2),
                    source=src,
                    precision_note="Damascus quarter polygon (OCHA 2015); equal-area radius",
                    parent_id="C1001",
                    city_id="C1001",
                    district="Damascus",
                    governorate="Damascus",
                    shape=geom,
                )
            )

    def crossings(self) -> None:
        for r in self._read_csv("crossings/syria_border_crossings.csv"):
            gate = r["point_kind"] == "gate"
            e = self.add(
                Entry(
                    id=f"XING-{slug(r['name'].split('–')[0])}",
                    name=r["name"],
                    kind="crossing",
                    lat=_f(r["lat"]),
                    lon=_f(r["lon"]),
                    precision_km=0.5 if gate else 5.0,
                    source=f"crossings/syria_border_crossings.csv: {r['source']}",
                    precision_note=(
                        "gate point read in a source"
                        if gate
                        else "only the Syrian-side town is known; the gate is within ~5 km"
                    ),
                    country="SY",
                )
            )
            for n in r["alt_names"].split("|"):
                e.add_name(n, e.source)
            for part in r["name"].split("–"):
                e.add_name(part, e.source)
                if not ARABIC.search(part):
                    e.add_name(f"{part} crossing", e.source + " (+ 'crossing')")
                    e.add_name(f"{part} border crossing", e.source + " (+ 'border crossing')")

    def wikipedia(self) -> None:
        for r in self._read_csv("wikipedia/wikipedia_places.csv"):
            names = [r["name"], *r["alt_names"].split("|")]
            keys = {normalize_name(n) for n in names}
            src = f"Wikipedia ({r['source_page']})"
            target = None
            for e in self.entries.values():
                if (
                    e.kind in ("crossing", "neighbourhood")
                    and keys & {normalize_name(n) for n in e.names}
                    and abs(e.lat - _f(r["lat"])) < 0.1
                    and abs(e.lon - _f(r["lon"])) < 0.1
                ):
                    target = e
                    break
            if target is None:
                if "Beirut" in r["feature_type"] or r["country"] == "LB":
                    target = self.add(
                        Entry(
                            id=f"WP-{slug(r['name'])}",
                            name=r["name"],
                            kind="neighbourhood",
                            lat=_f(r["lat"]),
                            lon=_f(r["lon"]),
                            precision_km=1.0,
                            source=src,
                            precision_note="district point (Wikipedia infobox); ~1 km",
                            country="LB",
                            parent_id="CAP-LB-BEIRUT",
                            city_id="CAP-LB-BEIRUT",
                        )
                    )
                else:
                    log.info("wikipedia row %s matched no entry; skipped", r["name"])
                    continue
            for n in names:
                target.add_name(n, src)

    def geonames(self) -> None:
        """Lebanese towns as places; alternate names of Syrian towns added to OCHA entries."""
        from rapidfuzz import fuzz

        with open(self.ref / "geonames_cities500/cities500_SY_LB.txt", encoding="utf-8") as fh:
            rows = [line.rstrip("\n").split("\t") for line in fh if line.strip()]
        towns = [e for e in self.entries.values() if e.kind in ("city", "town", "village")]
        for r in sorted(rows, key=lambda r: int(r[0])):
            gid, name, ascii_name, alt, lat, lon, cc = r[0], r[1], r[2], r[3], r[4], r[5], r[8]
            src = f"GeoNames {gid}"
            alts = [a for a in alt.split(",") if a and (ARABIC.search(a) or a.isascii())]
            if cc == "LB":
                if f"CAP-LB-{slug(name)}" in self.entries or name == "Beirut":
                    continue
                e = self.add(
                    Entry(
                        id=f"GN-{gid}",
                        name=name,
                        kind="town",
                        lat=_f(lat),
                        lon=_f(lon),
                        precision_km=3.0,
                        source=src,
                        precision_note="town point (GeoNames)",
                        country="LB",
                        parent_id="CTRY-LB",
                    )
                )
                e.add_name(ascii_name, src)
                continue
            la, lo = _f(lat), _f(lon)
            best: tuple[float, str] | None = None
            for e in towns:
                d = abs(e.lat - la) + abs(e.lon - lo)
                if d > 0.08:
                    continue
                sim = max(
                    fuzz.ratio(normalize_name(ascii_name), normalize_name(n)) for n in e.names
                )
                if sim >= 70 and (best is None or (sim - 100 * d, e.id) > best):
                    best = (sim - 100 * d, e.id)
            if best is None:
                continue
            target = self.entries[best[1]]
            for a in [name, ascii_name, *alts]:
                target.add_name(a, src + " alternate names")

    def curated_files(self) -> None:
        for rel in ("countries.csv", "places.csv"):
            path = self.curated / rel
            with open(path, encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    e = self.add(
                        Entry(
                            id=row["id"],
                            name=row["name"],
                            kind=row["kind"],
                            lat=_f(row["lat"]),
                            lon=_f(row["lon"]),
                            precision_km=_f(row["precision_km"]),
                            source=row["source"],
                            precision_note=f"curated ({rel})",
                            country=row.get("country", "SY"),
                            parent_id=row.get("parent_id", ""),
                            city_id=row.get("city_id", ""),
                            governorate=row.get("governorate", ""),
                        )
                    )
                    for n in row["names"].split("|"):
                        e.add_name(n, row["source"])
        with open(self.curated / "descriptive.csv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                self.entries[row["place_id"]].add_name(row["name"], row["source"])

    def build(self) -> None:
        self.admin()
        self.communities()
        self.neighbourhoods()
        self.columbia()
        self.damascus_quarters()
        self.crossings()
        self.wikipedia()
        self.curated_files()
        self.geonames()
        flt = NameFilter.load(self.curated)
        add_whosonfirst(self, flt, self.counts)
        add_war_map(self, flt, self.counts)
        self.core_names()
        for line in report(self.counts):
            log.info("%s", line)


def _shape_wkt(geom: Any, kind: str) -> str:
    from shapely import wkt

    tolerance = 0.003 if kind in ("governorate", "district") else 0.0001
    simple = geom.simplify(tolerance, preserve_topology=True)
    return str(wkt.dumps(simple, rounding_precision=5, trim=True))


def _fmt(x: float) -> str:
    return f"{x:.5f}"


def write_gazetteer(builder: Builder, out: Path) -> list[Path]:
    entries = sorted(builder.entries.values(), key=lambda e: e.id)
    place_rows = [
        {
            "id": e.id,
            "name": e.name,
            "name_ar": e.name_ar,
            "kind": e.kind,
            "lat": _fmt(e.lat),
            "lon": _fmt(e.lon),
            "precision_km": f"{e.precision_km:g}",
            "parent_id": e.parent_id,
            "city_id": e.city_id,
            "district": e.district,
            "governorate": e.governorate,
            "country": e.country,
            "source": e.source,
            "precision_note": e.precision_note,
        }
        for e in entries
    ]
    name_rows = [
        {"place_id": e.id, "name": n, "lang": lang, "source": src}
        for e in entries
        for n, (lang, src) in sorted(e.names.items())
    ]
    shape_rows = [
        {"place_id": e.id, "wkt": _shape_wkt(e.shape, e.kind)}
        for e in entries
        if e.shape is not None
    ]
    out.mkdir(parents=True, exist_ok=True)
    files = [out / "places.csv", out / "names.csv", out / "shapes.csv"]
    write_csv(files[0], PLACE_COLUMNS, place_rows, spreadsheet=False)
    write_csv(files[1], NAME_COLUMNS, name_rows, spreadsheet=False)
    write_csv(files[2], SHAPE_COLUMNS, shape_rows, spreadsheet=False)
    return files


def build_gazetteer(reference: Path, out: Path, curated: Path | None = None) -> list[Path]:
    """Build the gazetteer from ``reference`` into ``out``; returns the files written."""
    builder = Builder(reference, curated or out / "curated")
    builder.build()
    return write_gazetteer(builder, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=Path("../shared/reference"))
    parser.add_argument("--out", type=Path, default=Path("gazetteer"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    if not args.reference.is_dir():
        print(f"no reference data at {args.reference}", file=sys.stderr)
        return 2
    for path in build_gazetteer(args.reference, args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
