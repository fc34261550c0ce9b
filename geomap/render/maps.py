"""Layered, offline, deterministic HTML maps of events (Folium + Leaflet).

``build_map`` composes a folium Map: an offline basemap (Natural Earth countries, Syria's
governorates, Aleppo and Damascus outlines) as the default base layer, online tiles as
switchable base layers, and one overlay a day drawn from a compact JSON blob by a small canvas
layer (``templates/events_layer.js``): a symbol a type (shape and colour), sized by fatalities,
with the neighbourhood polygon or a dashed uncertainty circle when only an area is known, a
popup with every source sentence, a legend with type switches, and a time panel (a range of
days, step, play, all). ``write_map`` renders it with Leaflet inlined and stable element ids,
so a map is one self-contained file that opens from a USB stick with the network off, and the
same events give the same bytes.

An event belongs to the day layer of its ``date_end`` (the last day it may have happened,
usually the day reported); events with no date are in an "undated" layer.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

import folium
from branca.element import Figure, MacroElement
from jinja2 import Template

from geomap.model import EVENT_TYPES
from geomap.output.files import AREA_PRECISIONS, COORD_DIGITS, keep_output
from geomap.output.geojson_in import read_events
from geomap.render.assets import (
    basemap_geojson,
    json_for_html,
    leaflet_head_html,
    script_safe,
    template_text,
)
from geomap.render.evidence import describe_all
from geomap.render.styles import styles_json
from geomap.writing import atomic_write, output_run

log = logging.getLogger(__name__)

UNDATED = "undated"
#: Up to this many days the layer control has a switch a day; beyond, a switch a month.
MAX_DAY_SWITCHES = 45
#: Up to this many days a build writes a map a day by default; beyond, none unless asked.
MAX_DAY_FILES = 60
PERIODS = ("day", "week", "month")
#: Sources of the places and the basemap, shown in every map's attribution.
DATA_ATTRIBUTION = (
    "Places: OCHA, GeoNames, Who's On First, Wikipedia war map (CC BY-SA), Columbia CSR "
    "\u00b7 Basemap: Natural Earth"
)
ONLINE_TILES = (
    (
        "OpenStreetMap (online)",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
    ),
    (
        "OpenTopoMap (online)",
        "https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors, SRTM; style &copy; OpenTopoMap (CC-BY-SA)",
    ),
)


def day_of(props: dict[str, Any]) -> str:
    return str(props.get("date_end") or UNDATED)


def _round(x: float, digits: int = COORD_DIGITS) -> float:
    return round(float(x), digits)


def _round_coords(coords: Any, digits: int = COORD_DIGITS) -> Any:
    if isinstance(coords, int | float):
        return _round(coords, digits)
    return [_round_coords(c, digits) for c in coords]


def compact_data(fc: dict[str, Any], *, title: str) -> dict[str, Any]:
    """The events of a FeatureCollection as the compact arrays the map's script reads."""
    features = sorted(
        fc.get("features", []), key=lambda f: (day_of(f["properties"]), str(f["properties"]["id"]))
    )
    days = sorted({day_of(f["properties"]) for f in features} - {UNDATED})
    if any(day_of(f["properties"]) == UNDATED for f in features):
        days.append(UNDATED)
    day_index = {d: i for i, d in enumerate(days)}
    places: list[list[Any]] = []
    place_index: dict[str, int] = {}
    polygons: list[dict[str, Any]] = []
    sources: list[list[Any]] = []
    source_index: dict[tuple[str, int, str], int] = {}
    events: list[list[Any]] = []
    evidence: list[str] = []  # each rendered set of rules once
    evidence_index: dict[str, int] = {}
    names = {str(f["properties"]["place_id"]): str(f["properties"]["place_name"]) for f in features}
    for f in features:
        p = f["properties"]
        why = describe_all(p.get("rules") or [], names)
        if why not in evidence_index:
            evidence_index[why] = len(evidence)
            evidence.append(why)
        pid = str(p["place_id"])
        if pid not in place_index:
            poly = -1
            geom = f.get("geometry") or {}
            if (
                geom.get("type") in ("Polygon", "MultiPolygon")
                and p.get("geo_precision") in AREA_PRECISIONS
            ):
                polygons.append(
                    {"type": geom["type"], "coordinates": _round_coords(geom["coordinates"], 4)}
                )
                poly = len(polygons) - 1
            place_index[pid] = len(places)
            places.append(
                [
                    str(p["place_name"]),
                    str(p.get("place_kind", "")),
                    str(p.get("geo_precision", "point")),
                    _round(p.get("precision_km") or 0, 2),
                    _round(p["lat"]),
                    _round(p["lon"]),
                    poly,
                ]
            )
        idxs = []
        for s in p.get("sources", []):
            key = (str(s["doc"]), int(s.get("start", 0)), str(s.get("sentence", "")))
            if key not in source_index:
                source_index[key] = len(sources)
                sources.append(
                    [
                        str(s["doc"]),
                        str(s.get("outlet") or ""),
                        str(s.get("published") or ""),
                        str(s.get("sentence", "")),
                    ]
                )
            idxs.append(source_index[key])
        events.append(
            [
                day_index[day_of(p)],
                EVENT_TYPES.index(p["type"]),
                str(p.get("sub_type") or ""),
                p.get("date_start") or "",
                p.get("date_end") or "",
                p.get("date_precision", ""),
                place_index[pid],
                p.get("fatalities"),
                ", ".join(p.get("actors") or []),
                ", ".join(p.get("attributed_to") or []),
                idxs,
                evidence_index[why],
            ]
        )
    dated = [d for d in days if d != UNDATED]
    outlets = sorted({s[1] for s in sources if s[1]})
    return {
        "title": title,
        "types": list(EVENT_TYPES),
        "styles": styles_json(),
        "days": days,
        # the layer control lists days up to MAX_DAY_SWITCHES, months beyond
        "groupBy": "day" if len(dated) <= MAX_DAY_SWITCHES else "month",
        "places": places,
        "polygons": polygons,
        "sources": sources,
        "events": events,
        "evidence": evidence,
        "outlets": outlets,
        "bounds": _bounds(places),
        "labels": [],
    }


def _bounds(places: Sequence[Sequence[Any]]) -> list[list[float]]:
    """The events' extent with room around, so that a single place shows its surroundings."""
    if not places:
        return [[32.3, 35.7], [37.3, 42.4]]  # Syria
    lats = [float(p[4]) for p in places]
    lons = [float(p[5]) for p in places]
    pad = max(0.12, 0.08 * max(max(lats) - min(lats), max(lons) - min(lons)))
    return [
        [_round(min(lats) - pad, 4), _round(min(lons) - pad, 4)],
        [_round(max(lats) + pad, 4), _round(max(lons) + pad, 4)],
    ]


class _Assets(MacroElement):
    """Inline Leaflet and the map's stylesheet into the page header."""

    _template = Template("{% macro header(this, kwargs) %}{{ this.html }}{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = "GeomapAssets"
        self.html = leaflet_head_html() + f"<style>{script_safe(template_text('map.css'))}</style>"


class EventsLayer(MacroElement):
    """The events of a map, as a JSON blob and the canvas layer script that draws them."""

    _template = Template(
        '{% macro html(this, kwargs) %}<script type="application/json" id="{{ this.data_id }}'
        '">{{ this.data_json }}</script>{% endmacro %}'
        "{% macro script(this, kwargs) %}{{ this.js }}{% endmacro %}"
    )

    def __init__(self, data: dict[str, Any], control: folium.LayerControl, map_name: str) -> None:
        super().__init__()
        self._name = "GeomapEvents"
        self.data = data
        self.control = control
        self.map_name = map_name
        self.data_id = ""
        self.data_json = json_for_html(data)
        self.js = ""

    def render(self, **kwargs: Any) -> Any:
        assert self._parent is not None
        self.data_id = f"{self.get_name()}_data"
        self.js = (
            template_text("events_layer.js")
            .replace("__MAP__", self._parent.get_name())
            .replace("__CONTROL__", self.control.get_name())
            .replace("__DATA_ID__", self.data_id)
            .replace("__MAP_NAME__", json_for_html(self.map_name))
            .replace("__ATTRIBUTION__", json_for_html(DATA_ATTRIBUTION))
        )
        return super().render(**kwargs)


class _Title(MacroElement):
    _template = Template(
        "{% macro script(this, kwargs) %}(function(){var c=L.control({position:'topleft'});"
        "c.onAdd=function(){var b=document.createElement('div');b.className='geomap-title';"
        "var h=document.createElement('h1');h.textContent={{ this.title }};b.appendChild(h);"
        "var p=document.createElement('p');p.textContent={{ this.subtitle }};b.appendChild(p);"
        "return b;};c.addTo({{ this._parent.get_name() }});})();{% endmacro %}"
    )

    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self._name = "GeomapTitle"
        self.title = json_for_html(title)
        self.subtitle = json_for_html(subtitle)


@dataclass(frozen=True)
class Basemap:
    countries: dict[str, Any]
    governorates: dict[str, Any]
    cities: dict[str, Any]


@lru_cache(maxsize=2)
def _basemap(gazetteer_dir: str | None) -> Basemap:
    from shapely.geometry import mapping
    from shapely.ops import unary_union

    from geomap.gazetteer.store import DISTRICT_KINDS, Gazetteer, cities_with_districts

    govs: list[dict[str, Any]] = []
    cities: list[dict[str, Any]] = []
    try:
        gaz = Gazetteer.load(Path(gazetteer_dir) if gazetteer_dir else None)
    except Exception as exc:  # the basemap degrades to countries only
        log.warning("no gazetteer polygons for the basemap: %s", exc)
        gaz = None
    if gaz is not None:
        for p in gaz.places:
            if p.kind == "governorate":
                shape = gaz.shape(p.id)
                if shape is not None:
                    geom = mapping(shape.simplify(0.01))
                    govs.append(
                        {
                            "type": "Feature",
                            "properties": {"name": p.name},
                            "geometry": {
                                "type": geom["type"],
                                "coordinates": _round_coords(geom["coordinates"], 3),
                            },
                        }
                    )
        for city_id in cities_with_districts(gaz):
            parts = [
                gaz.shape(p.id)
                for p in gaz.places
                if p.city_id == city_id and p.kind in DISTRICT_KINDS
            ]
            parts = [s.buffer(0.0005) for s in parts if s is not None]
            if parts and city_id in gaz:
                outline = mapping(unary_union(parts).buffer(-0.0004).simplify(0.001))
                cities.append(
                    {
                        "type": "Feature",
                        "properties": {"name": gaz.get(city_id).name},
                        "geometry": {
                            "type": outline["type"],
                            "coordinates": _round_coords(outline["coordinates"], 4),
                        },
                    }
                )
    return Basemap(
        basemap_geojson(),
        {"type": "FeatureCollection", "features": govs},
        {"type": "FeatureCollection", "features": cities},
    )


def _style(fill: str, color: str, weight: float, opacity: float) -> Any:
    def style(_: Any) -> dict[str, Any]:
        return {"fillColor": fill, "color": color, "weight": weight, "fillOpacity": opacity}

    return style


def build_map(
    fc: dict[str, Any],
    *,
    title: str,
    name: str = "index",
    gazetteer_dir: Path | None = None,
    with_labels: bool = True,
) -> folium.Map:
    """A folium Map of the events of a FeatureCollection (see the module docstring)."""
    data = compact_data(fc, title=title)
    m = folium.Map(
        location=[35.0, 38.0], zoom_start=7, tiles=None, prefer_canvas=True, control_scale=True
    )
    m.default_js = []  # no CDN: Leaflet is inlined by _Assets
    m.default_css = []
    m.add_child(_Assets())
    base = _basemap(str(gazetteer_dir) if gazetteer_dir else None)
    offline = folium.FeatureGroup(name="Offline basemap", overlay=False, control=True)
    layers = (
        ("countries", base.countries, _style("#f4f1ea", "#8a8a8a", 0.8, 1.0)),
        ("governorates", base.governorates, _style("#f4f1ea", "#b0a48a", 0.6, 0.0)),
        ("cities", base.cities, _style("#e3ddd0", "#9c8f74", 0.8, 0.8)),
    )
    for layer_name, layer_data, style in layers:
        if layer_data["features"]:
            folium.GeoJson(
                layer_data, name=layer_name, control=False, interactive=False, style_function=style
            ).add_to(offline)
    offline.add_to(m)
    for label, url, attribution in ONLINE_TILES:
        folium.TileLayer(
            url, name=label, attr=attribution, overlay=False, control=True, show=False
        ).add_to(m)
    control = folium.LayerControl(collapsed=True, position="topright")
    m.add_child(control)  # its script must run before the events layer adds day overlays
    if with_labels:
        from geomap.render.labels import labels_for

        data["labels"] = labels_for(
            ((p[4], p[5]) for p in data["places"]), gazetteer_dir=gazetteer_dir
        )
    n = len(data["events"])
    dated = [d for d in data["days"] if d != UNDATED]
    span = f"{dated[0]} to {dated[-1]}" if dated else "no dated events"
    n_undated = sum(1 for e in data["events"] if data["days"][e[0]] == UNDATED)
    undated = f" ({n_undated} undated)" if n_undated else ""
    # the title first: the events layer fits its first view and its labels clear of it
    m.add_child(_Title(title, f"{n} events{undated}, {span}"))
    m.add_child(EventsLayer(data, control, name))
    # the first view is fitted by the script, once it knows the size of its panels
    (south, west), (north, east) = data["bounds"]
    m.location = [_round((south + north) / 2, 4), _round((west + east) / 2, 4)]
    root = m.get_root()
    if isinstance(root, Figure):  # the page's <title> (branca writes it unescaped)
        root.title = escape(title)
    return m


def _stable_ids(root: Any) -> None:
    """Replace folium's random element ids by a counter, so renders are byte-identical."""
    counter = itertools.count()

    def walk(el: Any) -> None:
        el._id = f"{next(counter):05d}"
        for child in list(getattr(el, "_children", {}).values()):
            walk(child)

    walk(root)


def render_map(m: folium.Map) -> str:
    fig = m.get_root()
    _stable_ids(fig)
    html: str = fig.render()
    return html


def write_map(m: folium.Map, path: Path) -> None:
    """Write a map as one self-contained HTML file, atomically."""
    atomic_write(path, render_map(m))


@dataclass
class MapsResult:
    files: list[Path] = field(default_factory=list)
    #: the days that have a map of their own (``dates/YYYY-MM-DD.html``)
    days: list[str] = field(default_factory=list)
    #: the weeks (``YYYY-Www``) or months (``YYYY-MM``) that have one, with ``by`` week|month
    periods: list[str] = field(default_factory=list)
    #: every dated day of the events, with a map of its own or not
    all_days: list[str] = field(default_factory=list)


def period_of(day: str, by: str) -> str:
    """The file key of a day: itself, its ISO week (``2016-W38``) or its month (``2016-09``)."""
    from datetime import date

    d = date.fromisoformat(day)
    if by == "week":
        year, week, _ = d.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return d.isoformat()[:7]
    return d.isoformat()


def _embed_page(keys: Sequence[str]) -> str:
    from html import escape

    if keys:
        items = "\n".join(
            f'<li><a href="dates/{escape(d)}.html">{escape(d)}</a> '
            f'(<a href="dates/{escape(d)}.png">PNG</a>)</li>'
            for d in keys
        )
    else:
        items = (
            "<li>No map a day was written for these events (more than "
            f"{MAX_DAY_FILES} days): ask for some with <code>--days</code> or "
            "<code>--by week|month</code>; the time panel of <code>index.html</code> steps "
            "through every day.</li>"
        )
    return template_text("embed.html").replace("__DAYS__", items)


def _valid_days(by_day: dict[str, list[dict[str, Any]]]) -> list[str]:
    from datetime import date

    out = []
    for day in sorted(d for d in by_day if d != UNDATED):
        # a day is a validated ISO date: it cannot name a path outside out_dir
        try:
            out.append(date.fromisoformat(day).isoformat())
        except ValueError:
            log.warning(
                "%d events with date_end %r, not a date YYYY-MM-DD: in the overview map only",
                len(by_day[day]),
                day,
            )
    return out


def _write_maps(
    extract_dir: Path,
    out_dir: Path,
    *,
    png: bool = True,
    title: str | None = None,
    gazetteer_dir: Path | None = None,
    days: Sequence[str] | None = None,
    by: str | None = None,
) -> MapsResult:
    """index.html, the maps of some days, weeks or months (``dates/``), embed.html (and PNGs)
    from an extract directory.

    ``days`` (ISO dates) writes a map for each of those days only; ``by`` day|week|month a map
    for each day, week or month; neither: a map a day when the events span at most
    ``MAX_DAY_FILES`` days, none beyond (the log says so; the time panel of the overview map
    steps through every day).
    """
    # the file may come from anywhere: features that do not fit geomap's schema are left out
    features, problems = read_events(extract_dir / "events.geojson")
    for problem in problems:
        log.warning("%s", problem)
    fc: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    out_dir.mkdir(parents=True, exist_ok=True)
    result = MapsResult()
    title = title or "geomap: events"
    index = out_dir / "index.html"
    write_map(build_map(fc, title=title, name="index", gazetteer_dir=gazetteer_dir), index)
    result.files.append(index)
    by_day: dict[str, list[dict[str, Any]]] = {}
    for f in fc["features"]:
        by_day.setdefault(day_of(f["properties"]), []).append(f)
    valid = _valid_days(by_day)
    result.all_days = valid
    if by is not None and by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}, not {by!r}")
    groups: dict[str, list[str]] = {}
    if days is not None:
        from datetime import date

        wanted = sorted({date.fromisoformat(d.strip()).isoformat() for d in days if d.strip()})
        for d in wanted:
            if d in by_day:
                groups[d] = [d]
            else:
                log.warning("no events on %s: no map written for it", d)
    elif by is not None:
        for d in valid:
            groups.setdefault(period_of(d, by), []).append(d)
    elif len(valid) <= MAX_DAY_FILES:
        groups = {d: [d] for d in valid}
    else:
        log.warning(
            "%d days of events: no map a day written (more than %d); the overview map's time "
            "panel steps through them; ask for days with --days or for --by week|month",
            len(valid),
            MAX_DAY_FILES,
        )
    if groups:
        (out_dir / "dates").mkdir(exist_ok=True)
    recorded = _read_map_digests(out_dir)
    digests: dict[str, list[Any]] = {}
    kept: set[Path] = set()
    base = _render_version(gazetteer_dir)
    for key, members in groups.items():
        path = out_dir / "dates" / f"{key}.html"
        period_fc = {
            "type": "FeatureCollection",
            "features": [f for d in members for f in by_day[d]],
        }
        digest = _map_digest(base, f"{title}: {key}", key, period_fc)
        if recorded.get(key) == [digest, _stamp(path)]:  # the same data, drawn the same way
            keep_output(path)
            kept.add(path)
        else:
            write_map(
                build_map(
                    period_fc, title=f"{title}: {key}", name=key, gazetteer_dir=gazetteer_dir
                ),
                path,
            )
        digests[key] = [digest, _stamp(path)]
        result.files.append(path)
        if len(members) == 1 and members[0] == key:
            result.days.append(key)
        else:
            result.periods.append(key)
    if groups:
        log.info("wrote %d maps of %s into %s", len(groups), by or "day", out_dir / "dates")
    embed = out_dir / "embed.html"
    atomic_write(embed, _embed_page(list(groups)))
    result.files.append(embed)
    if png:
        from geomap.render.browser import screenshot_maps

        pictures = [p.with_suffix(".png") for p in kept]
        for picture in pictures:
            if picture.is_file():  # the picture of a map that was kept is kept too
                keep_output(picture)
        redo = [
            p
            for p in result.files
            if p.name != "embed.html" and not (p in kept and p.with_suffix(".png").is_file())
        ]
        shot = set(screenshot_maps(redo))
        result.files += [
            p.with_suffix(".png")
            for p in list(result.files)
            if p.name != "embed.html" and (p.with_suffix(".png") in shot or p in kept)
        ]
    _write_map_digests(out_dir, digests)
    return result


#: The digests of the maps of days, weeks or months last written (in the output folder).
MAP_DIGESTS = ".geomap-maps.json"


def _stamp(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


@lru_cache(maxsize=4)
def _render_version(gazetteer_dir: Path | None) -> str:
    """A digest of what a map is drawn with besides its events: the code and rules, the
    templates and assets, and the gazetteer."""
    import hashlib

    from geomap.gazetteer.store import _version, default_gazetteer_dir
    from geomap.pipeline.documents import code_version

    h = hashlib.sha256(code_version().encode())
    here = Path(__file__).parent
    for folder in (here / "templates", here / "assets"):
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                h.update(f.name.encode() + b"\0" + f.read_bytes())
    h.update(_version(Path(gazetteer_dir) if gazetteer_dir else default_gazetteer_dir()).encode())
    return h.hexdigest()


def _map_digest(base: str, title: str, key: str, fc: dict[str, Any]) -> str:
    import hashlib
    import json

    h = hashlib.sha256(f"{base}\0{title}\0{key}\0".encode())
    h.update(json.dumps(fc, sort_keys=True, ensure_ascii=True, default=str).encode())
    return h.hexdigest()


def _read_map_digests(out_dir: Path) -> dict[str, Any]:
    """The digests recorded when the maps were last written; anything unexpected: none (every
    map is drawn again)."""
    import json

    try:
        data = json.loads((out_dir / MAP_DIGESTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_map_digests(out_dir: Path, digests: dict[str, list[Any]]) -> None:
    import json

    try:
        atomic_write(out_dir / MAP_DIGESTS, json.dumps(digests, sort_keys=True) + "\n")
    except OSError as exc:  # only the next run is slower
        log.warning("cannot record the maps' digests: %s", exc)


def write_maps(
    extract_dir: Path,
    out_dir: Path,
    *,
    png: bool = True,
    title: str | None = None,
    gazetteer_dir: Path | None = None,
    days: Sequence[str] | None = None,
    by: str | None = None,
) -> MapsResult:
    """See :func:`_write_maps`; the files are written as one :func:`geomap.output.files.output_run`
    (temporary files of a killed run removed first, stale files of the last run after)."""
    with output_run(out_dir, "maps"):
        return _write_maps(
            extract_dir,
            out_dir,
            png=png,
            title=title,
            gazetteer_dir=gazetteer_dir,
            days=days,
            by=by,
        )
