"""A situation report with the maps embedded: ``report.html``, ``report.md`` and ``report.pdf``.

``write_report`` reads an extract directory (or extracts a corpus first), keeps the events of
the period asked for, and writes into ``out_dir``:

- ``report.html``: one self-contained, print-friendly page (pictures inlined as data: URIs, the
  overview map inlined as an interactive iframe, no remote asset);
- ``report.md``: the same content with the maps as PNG pictures beside it (``maps/``,
  ``figures/``);
- ``report.pdf``: the HTML printed by headless Chromium, A4, page numbers in the footer, every
  day starting on a new page;
- ``data/``: the events of the period (GeoJSON), and the mentions, documents and GeoPackage of
  the extraction, linked from the appendix so that the report carries its data;
- ``check.html`` when the extraction has a check page.

Fatalities: "best" adds up every event's reported toll; "low" counts only the events placed to
a neighbourhood or a point and dated to the day, the reports an analyst can tie to one place and
one day.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape

from geomap.assets import template_text
from geomap.geojson_in import read_events
from geomap.io import atomic_copy, atomic_write, output_run, read_csv_rows
from geomap.report_figures import TYPE_LABELS, choropleth, timeline

log = logging.getLogger(__name__)

PRECISE = ("point", "neighbourhood")
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


def _read_csv(path: Path) -> list[dict[str, str]]:
    return read_csv_rows(path) if path.is_file() else []


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def _rows(features: list[dict[str, Any]]) -> list[DayRow]:
    rows = []
    for f in sorted(
        features,
        key=lambda f: (
            f["properties"]["type"],
            f["properties"]["place_name"],
            f["properties"]["id"],
        ),
    ):
        p = f["properties"]
        when = (
            p["date_start"]
            if p["date_start"] == p["date_end"]
            else f"{p['date_start']} \u2013 {p['date_end']}"
        )
        rows.append(
            DayRow(
                type=TYPE_LABELS.get(p["type"], p["type"])
                + (f" ({p['sub_type']})" if p.get("sub_type") else ""),
                place=p["place_name"],
                precision=p["geo_precision"]
                + ("" if p["geo_precision"] == "point" else f", \u00b1{p['precision_km']} km"),
                actors=", ".join(p.get("actors") or []) or "not stated",
                fatalities="" if p.get("fatalities") is None else str(p["fatalities"]),
                dates=f"{when} ({p['date_precision']})",
                sources=[
                    (s["sentence"], f"{s.get('outlet') or 'unknown outlet'}, {s['doc']}")
                    for s in p.get("sources", [])
                ],
            )
        )
    return rows


def _choropleth(
    features: list[dict[str, Any]], gazetteer_dir: Path | None
) -> tuple[str, bytes] | None:
    import geopandas as gpd

    from geomap.gazetteer import DISTRICT_KINDS, Gazetteer, cities_with_districts

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


def _write_report(
    source: Path,
    out_dir: Path,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    title: str | None = None,
    png: bool = True,
    gazetteer_dir: Path | None = None,
) -> list[Path]:
    """Write the report files into ``out_dir``; ``source`` is an extract dir or a corpus."""
    extract_dir = source
    if not (source / "events.geojson").is_file():
        from geomap.extract import run_extract

        extract_dir = out_dir / "extract"
        run_extract(source, extract_dir, gazetteer_dir=gazetteer_dir)
    # the file may come from anywhere: features that do not fit geomap's schema are left out
    events, problems = read_events(extract_dir / "events.geojson")
    for problem in problems:
        log.warning("%s", problem)
    fc: dict[str, Any] = {"type": "FeatureCollection", "features": events}

    def inside(f: dict[str, Any]) -> bool:
        d = f["properties"].get("date_end")
        if d is None:
            return date_from is None and date_to is None
        day = date.fromisoformat(d)
        return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)

    features = [f for f in fc["features"] if inside(f)]
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
    for name in ("mentions.csv", "documents.csv", "geomap.gpkg"):
        if (extract_dir / name).is_file():
            atomic_copy(extract_dir / name, data_dir / name)
            data_files.append(name)
    check = extract_dir / "check" / "check.html"
    if check.is_file():
        atomic_copy(check, out_dir / "check.html")

    from geomap.maps import write_maps

    report_title = title or "Situation report"
    maps = write_maps(
        data_dir, out_dir / "maps", png=png, title=report_title, gazetteer_dir=gazetteer_dir
    )
    days = maps.days
    docs = {s["doc"] for f in features for s in f["properties"]["sources"]}
    documents = [d for d in _read_csv(extract_dir / "documents.csv") if d["doc"] in docs]
    outlets = sorted({d["outlet"] or "unknown outlet" for d in documents})
    mentions = [m for m in _read_csv(extract_dir / "mentions.csv") if m["doc"] in docs]
    by_type = Counter(f["properties"]["type"] for f in features)
    best = sum(f["properties"].get("fatalities") or 0 for f in features)
    low = sum(
        f["properties"].get("fatalities") or 0
        for f in features
        if f["properties"]["geo_precision"] in PRECISE
        and f["properties"]["date_precision"] == "day"
    )

    figures = out_dir / "figures"
    figures.mkdir(exist_ok=True)
    tl_svg, tl_png = timeline(features, days)
    atomic_write(figures / "timeline.png", tl_png)
    chor = _choropleth(features, gazetteer_dir)
    if chor is not None:
        atomic_write(figures / "choropleth.png", chor[1])
    pngs: dict[str, str] = {}
    if png:
        pngs["index"] = _data_uri((out_dir / "maps" / "index.png").read_bytes())
        for d in days:
            pngs[d] = _data_uri((out_dir / "maps" / "dates" / f"{d}.png").read_bytes())
    by_day: dict[str, list[dict[str, Any]]] = {}
    for f in features:
        by_day.setdefault(f["properties"].get("date_end") or "undated", []).append(f)
    period = f"{days[0]} to {days[-1]}" if days else "no dated events"
    context = {
        "title": report_title,
        "period": period,
        "outlets": outlets,
        "n_articles": len(documents),
        "n_events": len(features),
        "by_type": [(TYPE_LABELS[t], by_type[t]) for t in TYPE_LABELS if by_type[t]],
        "fatalities_best": best,
        "fatalities_low": low,
        "places": len({f["properties"]["place_id"] for f in features}),
        "days": [(d, _rows(by_day.get(d, []))) for d in days],
        "undated": _rows(by_day.get("undated", [])),
        "timeline_svg": tl_svg,
        "choropleth_svg": chor[0] if chor else "",
        "map_html": (out_dir / "maps" / "index.html").read_text(encoding="utf-8"),
        "pngs": pngs,
        "resolution": Counter(m["status"] for m in mentions),
        "has_check": check.is_file(),
        "data_files": sorted(data_files),  # written now: a stale file is removed at the end
    }
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    html = env.from_string(template_text("report.html.j2")).render(**context)
    atomic_write(out_dir / "report.html", html)
    md_env = Environment(autoescape=False)
    md_env.filters["md"] = md
    markdown = md_env.from_string(template_text("report.md.j2")).render(
        **context, has_choropleth=chor is not None
    )
    atomic_write(out_dir / "report.md", markdown)
    files = [out_dir / "report.html", out_dir / "report.md"]
    if png:
        from geomap.browser import print_pdf

        # the PDF's dates: the last day of the report (or $SOURCE_DATE_EPOCH), never the clock
        last = max((d for d in days if d != "undated"), default=None)
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
) -> list[Path]:
    """See :func:`_write_report`; the files are written as one :func:`geomap.io.output_run`
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
        )
