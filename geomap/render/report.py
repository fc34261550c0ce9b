"""A situation report with the maps embedded: ``report.html``, ``report.md`` and ``report.pdf``.

``write_report`` reads an extract directory (or extracts a corpus first), keeps the events of
the period asked for, and writes into ``out_dir``:

- ``report.html``: one self-contained, print-friendly page (pictures inlined as data: URIs, the
  overview map inlined as an interactive iframe when it is small, no remote asset);
- ``report.md``: the same content with the maps as PNG pictures beside it (``maps/``,
  ``figures/``);
- ``report.pdf``: the HTML printed by headless Chromium, A4, page numbers in the footer, every
  day detailed starting on a new page, byte-identical across runs;
- ``data/``: the events of the period (GeoJSON, every event, also those the body leaves out),
  and the mentions, documents and GeoPackage of the extraction;
- ``check.html`` when the extraction has a check page.

The front page is for an editor: the period, the places, a summary in words, the method and
its caveats. The body details at most :data:`MAX_DAYS` days (the busiest), :data:`MAX_ROWS`
events a day and :data:`MAX_PLACES` places, and says what it left out: a report stays under
50 pages and 20 MB whatever the corpus.

Fatalities add up the events' ``fatalities``, a place's share of a reported toll (one toll
covering several places is split among them), so no death is counted twice. "Best" adds every
share; "low" only those of events placed to a neighbourhood or a point and dated to the day.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape

from geomap.errors import InputError
from geomap.model import EVENT_TYPES
from geomap.output.geojson_in import read_events
from geomap.render.assets import template_text
from geomap.render.figures import choropleth, timeline
from geomap.render.styles import TYPE_STYLES, type_label
from geomap.writing import atomic_copy, atomic_write, output_run, read_csv_rows

log = logging.getLogger(__name__)

PRECISE = ("point", "neighbourhood")
#: Days detailed in the body (the busiest, in date order), events listed a day, source sentences
#: an event, places in the table of places, events with no date: every event is in data/.
MAX_DAYS = 6
MAX_ROWS = 15
MAX_SOURCES = 2
MAX_SENTENCE = 280
MAX_PLACES = 15
MAX_UNDATED = 15
#: The interactive overview map is inlined in report.html up to this size (bytes); beyond, the
#: page shows its picture and names the file.
MAX_INLINE_MAP = 2_000_000
#: A data file up to this size is also embedded in report.html (a download link that works
#: once the page is e-mailed alone).
MAX_EMBED_DATA = 1_000_000
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~-])")


def md(text: Any) -> str:
    """Text that Markdown shows as written: special characters escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text if text is not None else "").split()))


@dataclass
class DayRow:
    type: str
    place: str
    precision: str
    actors: str
    fatalities: str
    dates: str
    sources: list[tuple[str, str]]  # (sentence, "outlet, doc")
    more_sources: int = 0


def _read_csv(path: Path) -> list[dict[str, str]]:
    return read_csv_rows(path) if path.is_file() else []


def _data_uri(png: bytes, kind: str = "image/png") -> str:
    return f"data:{kind};base64," + base64.b64encode(png).decode()


def _props(f: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = f["properties"]
    return props


def share(f: dict[str, Any]) -> int:
    """The event's share of its reported toll (``fatalities``), 0 when none is reported."""
    return int(_props(f).get("fatalities") or 0)


def _toll(p: dict[str, Any]) -> str:
    if p.get("fatalities") is None:
        return ""
    total = p.get("fatalities_total")
    if total is not None and total != p["fatalities"]:
        return f"{p['fatalities']} (share of {total} reported for several places)"
    return str(p["fatalities"])


def _clip(text: str, n: int = MAX_SENTENCE) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


#: Outlet values that name no outlet.
NO_OUTLET = frozenset({"", "unknown", "unknown outlet", "none", "n/a", "na", "-", "?"})


def outlet_name(value: Any) -> str:
    """The outlet's name, or "" when the value names none ("unknown" and the like)."""
    text = " ".join(str(value or "").split())
    return "" if text.casefold() in NO_OUTLET else text


def _who(s: dict[str, Any]) -> str:
    outlet = outlet_name(s.get("outlet"))
    return f"{outlet}, {s['doc']}" if outlet else str(s["doc"])


def _rows(features: list[dict[str, Any]], limit: int | None = None) -> list[DayRow]:
    """Table rows, the deadliest and then by type and place; at most ``limit``."""
    rows = []
    ordered = sorted(
        features,
        key=lambda f: (
            -share(f),
            _props(f)["type"],
            _props(f)["place_name"],
            _props(f)["id"],
        ),
    )
    for f in ordered[:limit]:
        p = f["properties"]
        when = (
            p["date_start"]
            if p["date_start"] == p["date_end"]
            else f"{p['date_start']} \u2013 {p['date_end']}"
        )
        sources = p.get("sources", [])
        rows.append(
            DayRow(
                type=type_label(p["type"]) + (f" ({p['sub_type']})" if p.get("sub_type") else ""),
                place=p["place_name"],
                precision=p["geo_precision"]
                + ("" if p["geo_precision"] == "point" else f", \u00b1{p['precision_km']} km"),
                actors=", ".join(p.get("actors") or []) or "not stated",
                fatalities=_toll(p),
                dates=f"{when} ({p['date_precision']})",
                sources=[(_clip(s["sentence"]), _who(s)) for s in sources[:MAX_SOURCES]],
                more_sources=max(0, len(sources) - MAX_SOURCES),
            )
        )
    return rows


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def summary_words(
    features: list[dict[str, Any]],
    *,
    period: str,
    n_articles: int,
    outlets: list[str],
    unnamed_outlets: int,
    top_places: list[tuple[str, int, int]],
    areas: list[tuple[str, int]],
) -> list[str]:
    """The front page's summary: a few plain sentences an editor can reuse."""
    by_type = Counter(_props(f)["type"] for f in features)
    kinds = [
        _plural(by_type[t], TYPE_STYLES[t].one, TYPE_STYLES[t].many)
        for t in EVENT_TYPES
        if by_type[t]
    ]
    where = len({_props(f)["place_id"] for f in features})
    out = [
        f"From {period}, geomap found {_plural(len(features), 'event')} in "
        f"{_plural(where, 'place')}: {_names(kinds)}."
    ]
    if areas:
        first, n = areas[0]
        rest = [f"{a} ({m})" for a, m in areas[1:3]]
        out.append(
            f"Most happened in {first} ({_plural(n, 'event')})"
            + (f", then {_names(rest)}." if rest else ".")
        )
    if top_places:
        out.append(
            "The places named most: "
            + _names([f"{name} ({_plural(n, 'event')})" for name, n, _ in top_places[:3]])
            + "."
        )
    deadly = [f for f in features if _props(f).get("fatalities_total") or share(f)]
    if deadly:
        d = max(
            deadly,
            key=lambda f: (
                int(_props(f).get("fatalities_total") or share(f)),
                str(_props(f).get("date_end") or ""),
                _props(f)["id"],
            ),
        )
        p = _props(d)
        toll = int(p.get("fatalities_total") or share(d))
        when = f" on {p['date_end']}" if p.get("date_end") else ""
        label = TYPE_STYLES[p["type"]].one if p["type"] in TYPE_STYLES else str(p["type"])
        out.append(
            f"The deadliest report: {_plural(toll, 'death')} in {label.split(' (')[0]} at "
            f"{p['place_name']}{when}."
        )
    else:
        out.append("No report gives a toll.")
    outlet_text = f" from {_plural(len(outlets), 'outlet')} ({_names(outlets)})" if outlets else ""
    if unnamed_outlets:
        outlet_text += f"; {_plural(unnamed_outlets, 'article')} name no outlet"
    out.append(f"Sources: {_plural(n_articles, 'article')}{outlet_text}.")
    return out


def _choropleth(
    features: list[dict[str, Any]], gazetteer_dir: Path | None
) -> tuple[str, bytes] | None:
    import geopandas as gpd

    from geomap.gazetteer.store import DISTRICT_KINDS, Gazetteer, cities_with_districts

    try:
        gaz = Gazetteer.load(gazetteer_dir)
    except Exception as exc:  # a report without the choropleth beats no report
        log.warning("no choropleth: %s", exc)
        return None
    counts = Counter(f["properties"]["place_id"] for f in features)
    cities = []
    for city_id in cities_with_districts(gaz):
        rows = [
            (p.id, p.name, gaz.shape(p.id))
            for p in gaz.places
            if p.city_id == city_id and p.kind in DISTRICT_KINDS
        ]
        rows = [r for r in rows if r[2] is not None]
        if not rows:
            continue
        frame = gpd.GeoDataFrame(
            {
                "id": [r[0] for r in rows],
                "name": [r[1] for r in rows],
                "count": [counts.get(r[0], 0) for r in rows],
            },
            geometry=[r[2] for r in rows],
            crs=4326,
        )
        cities.append((gaz.get(city_id).name, frame))
    return choropleth(cities) if cities else None


def _embed(path: Path, name: str) -> str:
    """A data: URI of a small data file (empty when the file is too big to embed)."""
    if not path.is_file() or path.stat().st_size > MAX_EMBED_DATA:
        return ""
    kind = {"geojson": "application/geo+json", "csv": "text/csv"}.get(
        name.rsplit(".", 1)[-1], "application/octet-stream"
    )
    return _data_uri(path.read_bytes(), kind)


def _areas(features: list[dict[str, Any]], gaz: Any) -> list[tuple[str, int]]:
    """Events by city (or governorate when no city holds the place), most first."""
    counts: Counter[str] = Counter()
    for f in features:
        p = _props(f)
        name = p["place_name"]
        if gaz is not None and p["place_id"] in gaz:
            place = gaz.get(p["place_id"])
            city = gaz.city_of(place)
            if city is not None:
                name = city.name
            elif place.kind not in ("country", "governorate") and place.governorate:
                name = f"{place.governorate} governorate"
        counts[name] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _reuse_maps(drawn: Path, maps_dir: Path, days: Sequence[str]) -> bool:
    """Copy the overview, its embeddable page and the day maps ``days`` from ``drawn`` (where
    ``geomap build`` drew the maps of the same events) into ``maps_dir``, as one output run of
    its maps (stale maps of an earlier run removed). False, and nothing copied, when one is
    missing there (a day beyond the maps a day it drew, or maps by week or month)."""
    names = ["index.html", "embed.html", *(f"dates/{d}.html" for d in days)]
    if not all((drawn / name).is_file() for name in names):
        return False
    with output_run(maps_dir, "maps"):
        for name in names:
            (maps_dir / name).parent.mkdir(parents=True, exist_ok=True)
            atomic_copy(drawn / name, maps_dir / name)
    return True


def _load_gazetteer(gazetteer_dir: Path | None) -> Any:
    from geomap.gazetteer.store import Gazetteer

    try:
        return Gazetteer.load(gazetteer_dir)
    except Exception as exc:  # a report without the gazetteer's help beats no report
        log.warning("report without the gazetteer: %s", exc)
        return None


def _write_report(
    source: Path,
    out_dir: Path,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    title: str | None = None,
    png: bool = True,
    gazetteer_dir: Path | None = None,
    drawn: Path | None = None,
) -> list[Path]:
    """Write the report files into ``out_dir`` from the extract folder ``source`` (what
    ``geomap extract`` wrote); the report never extracts."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InputError(f"--from {date_from} is after --to {date_to}: the period is empty")
    extract_dir = source
    if not (source / "events.geojson").is_file():
        raise InputError(
            "not an extract folder (no events.geojson): run geomap extract first", path=str(source)
        )
    all_documents = _read_csv(extract_dir / "documents.csv")
    if not all_documents:
        raise InputError("no article to report on: the corpus is empty", path=str(source))
    # the file may come from anywhere: features that do not fit geomap's schema are left out
    events, problems = read_events(extract_dir / "events.geojson")
    for problem in problems:
        log.warning("%s", problem)

    def inside(f: dict[str, Any]) -> bool:
        d = f["properties"].get("date_end")
        if d is None:
            return date_from is None and date_to is None
        day = date.fromisoformat(d)
        return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)

    features = [f for f in events if inside(f)]
    if not features:
        dated = sorted(
            f["properties"]["date_end"] for f in events if f["properties"].get("date_end")
        )
        span = f" (the events run from {dated[0]} to {dated[-1]})" if dated else ""
        asked = f"{date_from or 'the start'} to {date_to or 'the end'}"
        raise InputError(
            f"no event to report on{' from ' + asked if date_from or date_to else ''}"
            f" in {len(all_documents)} articles{span}",
            path=str(source),
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    data_dir = out_dir / "data"
    data_dir.mkdir(exist_ok=True)
    atomic_write(
        data_dir / "events.geojson",
        json.dumps(
            {"type": "FeatureCollection", "features": features},
            ensure_ascii=False,
            sort_keys=True,
            indent=1,
        )
        + "\n",
    )
    data_files = ["events.geojson"]
    # every copy goes through a temporary file: a killed run leaves the previous file whole
    for name in ("events.csv", "events.parquet", "mentions.csv", "documents.csv", "geomap.gpkg"):
        if (extract_dir / name).is_file():
            atomic_copy(extract_dir / name, data_dir / name)
            data_files.append(name)
    check = extract_dir / "check" / "check.html"
    if check.is_file():
        atomic_copy(check, out_dir / "check.html")

    by_day: dict[str, list[dict[str, Any]]] = {}
    for f in features:
        by_day.setdefault(f["properties"].get("date_end") or "undated", []).append(f)
    all_days = sorted(d for d in by_day if d != "undated")
    # the busiest days (events, then toll), shown in date order
    busiest = sorted(all_days, key=lambda d: (-len(by_day[d]), -sum(map(share, by_day[d])), d))
    days = sorted(busiest[:MAX_DAYS])

    from geomap.render.maps import write_maps

    report_title = title or "Situation report"
    maps_dir = out_dir / "maps"
    # maps `geomap build` already drew from the same events are copied, not drawn again; a
    # period that leaves events out needs maps of its own
    whole = len(features) == len(events)
    if not (whole and drawn is not None and _reuse_maps(drawn, maps_dir, days)):
        write_maps(
            data_dir,
            maps_dir,
            png=False,
            title=report_title,
            gazetteer_dir=gazetteer_dir,
            days=days,
        )
    docs = {s["doc"] for f in features for s in f["properties"]["sources"]}
    documents = [d for d in all_documents if d["doc"] in docs]
    outlets = sorted({outlet_name(d.get("outlet")) for d in documents} - {""})
    unnamed = sum(1 for d in documents if not outlet_name(d.get("outlet")))
    mentions = [m for m in _read_csv(extract_dir / "mentions.csv") if m["doc"] in docs]
    by_type = Counter(f["properties"]["type"] for f in features)
    best = sum(map(share, features))
    low = sum(
        share(f)
        for f in features
        if f["properties"]["geo_precision"] in PRECISE
        and f["properties"]["date_precision"] == "day"
    )
    gaz = _load_gazetteer(gazetteer_dir)
    place_events: dict[str, list[dict[str, Any]]] = {}
    for f in features:
        place_events.setdefault(f["properties"]["place_id"], []).append(f)
    top_places = sorted(
        (
            (fs[0]["properties"]["place_name"], len(fs), sum(map(share, fs)))
            for fs in place_events.values()
        ),
        key=lambda t: (-t[1], -t[2], t[0]),
    )
    areas = _areas(features, gaz)

    figures = out_dir / "figures"
    figures.mkdir(exist_ok=True)
    tl_svg, tl_png = timeline(features)
    atomic_write(figures / "timeline.png", tl_png)
    chor = _choropleth(features, gazetteer_dir)
    if chor is not None:
        atomic_write(figures / "choropleth.png", chor[1])
    pngs: dict[str, str] = {}
    if png:
        from geomap.render.browser import screenshot_print_maps

        pairs = [(maps_dir / "index.html", maps_dir / "index.png")]
        pairs += [(maps_dir / "dates" / f"{d}.html", maps_dir / "dates" / f"{d}.png") for d in days]
        pairs = [(h, q) for h, q in pairs if h.is_file()]
        screenshot_print_maps(pairs[:1], width=1200, height=820)
        screenshot_print_maps(pairs[1:], width=1200, height=700)
        for html_path, png_path in pairs:
            key = "index" if html_path.name == "index.html" else html_path.stem
            pngs[key] = _data_uri(png_path.read_bytes())
    period = f"{all_days[0]} to {all_days[-1]}" if all_days else "no dated events"
    map_html = (maps_dir / "index.html").read_text(encoding="utf-8")
    undated = by_day.get("undated", [])
    left_out_days = len(all_days) - len(days)
    context = {
        "title": report_title,
        "period": period,
        "outlets": outlets,
        "unnamed_outlets": unnamed,
        "n_articles": len(documents),
        "n_events": len(features),
        "by_type": [(TYPE_STYLES[t].short, by_type[t]) for t in EVENT_TYPES if by_type[t]],
        "fatalities_best": best,
        "fatalities_low": low,
        "places": len(place_events),
        "top_places": top_places[:MAX_PLACES],
        "more_places": max(0, len(top_places) - MAX_PLACES),
        "area_names": [a for a, _ in areas[:5]],
        "summary": summary_words(
            features,
            period=period,
            n_articles=len(documents),
            outlets=outlets,
            unnamed_outlets=unnamed,
            top_places=top_places,
            areas=areas,
        ),
        "days": [
            (d, _rows(by_day[d], MAX_ROWS), max(0, len(by_day[d]) - MAX_ROWS), len(by_day[d]))
            for d in days
        ],
        "n_days": len(all_days),
        "left_out_days": left_out_days,
        "left_out_events": sum(len(by_day[d]) for d in all_days if d not in days),
        "undated": _rows(undated, MAX_UNDATED),
        "more_undated": max(0, len(undated) - MAX_UNDATED),
        "max_rows": MAX_ROWS,
        "timeline_svg": tl_svg,
        "choropleth_svg": chor[0] if chor else "",
        "map_html": map_html if len(map_html.encode()) <= MAX_INLINE_MAP else "",
        "pngs": pngs,
        "resolution": Counter(m["status"] for m in mentions),
        "has_check": check.is_file(),
        "data_files": sorted(data_files),  # written now: a stale file is removed at the end
        "embedded": {
            name: _embed(data_dir / name, name) for name in ("events.geojson", "documents.csv")
        },
    }
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    html = env.from_string(template_text("report.html.j2")).render(**context)
    atomic_write(out_dir / "report.html", html)
    md_env = Environment(autoescape=False)
    md_env.filters["md"] = md
    markdown = md_env.from_string(template_text("report.md.j2")).render(
        **context, has_choropleth=chor is not None, has_pictures=png
    )
    atomic_write(out_dir / "report.md", markdown)
    files = [out_dir / "report.html", out_dir / "report.md"]
    if png:
        from geomap.render.browser import print_pdf

        # the PDF's dates: the last day of the report (or $SOURCE_DATE_EPOCH), never the clock
        last = all_days[-1] if all_days else None
        when = datetime.combine(date.fromisoformat(last), time(), UTC) if last else None
        print_pdf(out_dir / "report.html", out_dir / "report.pdf", title=report_title, when=when)
        files.append(out_dir / "report.pdf")
    return files


def write_report(
    source: Path,
    out_dir: Path,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    title: str | None = None,
    png: bool = True,
    gazetteer_dir: Path | None = None,
    drawn: Path | None = None,
) -> list[Path]:
    """See :func:`_write_report`; the files are written as one
    :func:`geomap.output.files.output_run`
    (temporary files of a killed run removed first, stale files of the last run after)."""
    with output_run(out_dir, "report"):
        return _write_report(
            source,
            out_dir,
            date_from=date_from,
            date_to=date_to,
            title=title,
            png=png,
            gazetteer_dir=gazetteer_dir,
            drawn=drawn,
        )
