"""Maps for real readers, in headless Chromium: stacked events reachable, place labels, panels
that fold and keep clear of the events, undated events apart, areas drawn once a place, day
files on request, a title and the data attribution on every page."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from geomap.pipeline.run import ExtractResult
from geomap.render.maps import MAX_DAY_FILES, build_map, render_map, write_maps
from tests.browser import page_with_log

API = "window.geomapMaps['index']"


def event(
    i: int,
    day: str | None,
    *,
    lat: float = 36.2,
    lon: float = 37.15,
    place: str = "P0",
    name: str = "Salaheddin",
    n_sources: int = 1,
    fatalities: int | None = None,
    type_: str = "battle",
    geo: str = "point",
    polygon: list[list[float]] | None = None,
    outlet: str = "AFP",
) -> dict[str, Any]:
    geometry: dict[str, Any] = {"type": "Point", "coordinates": [lon, lat]}
    if polygon is not None:
        geometry = {"type": "Polygon", "coordinates": [polygon]}
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "id": f"e{i:05d}",
            "type": type_,
            "sub_type": "clashes",
            "date_start": day,
            "date_end": day,
            "date_precision": "day" if day else "unknown",
            "place_id": place,
            "place_name": name,
            "place_kind": "neighbourhood",
            "geo_precision": geo,
            "precision_km": 1.0,
            "lat": lat,
            "lon": lon,
            "fatalities": fatalities,
            "actors": ["rebels"],
            "attributed_to": [],
            "sources": [
                {
                    "doc": f"d{i}-{k}",
                    "outlet": outlet,
                    "published": day,
                    "sentence": f"Sentence {k} of event number {i}.",
                    "start": 0,
                    "end": 30,
                }
                for k in range(n_sources)
            ],
        },
    }


def write(tmp: Path, features: list[dict[str, Any]], **kw: Any) -> Path:
    src = tmp / "extract"
    src.mkdir(parents=True, exist_ok=True)
    fc = {"type": "FeatureCollection", "features": features}
    (src / "events.geojson").write_text(json.dumps(fc), encoding="utf-8")
    write_maps(src, tmp / "maps", png=False, **kw)
    return tmp / "maps"


@pytest.fixture
def page() -> Iterator[Any]:
    with page_with_log() as (p, errors, requests):
        yield p
        assert errors == []
        assert all(u.startswith(("file:", "data:", "about:", "blob:")) for u in requests)


def open_map(page: Any, path: Path, width: int = 1400, height: int = 900) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(path.as_uri())
    page.wait_for_function("window.geomapReady === true")


# -- 1. stacked events ---------------------------------------------------------------------------


def test_fifteen_events_at_one_point_are_all_reachable_and_most_sourced_on_top(
    tmp_path: Path, page: Any
) -> None:
    feats = [event(i, "2016-09-23", fatalities=50 - i) for i in range(14)]
    feats.append(event(14, "2016-09-23", n_sources=6, fatalities=1))  # fewest dead, most sources
    out = write(tmp_path, feats)
    open_map(page, out / "index.html")
    groups = page.evaluate(f"{API}.groups()")
    assert len(groups) == 1 and groups[0]["count"] == 15
    top = groups[0]["top"]
    assert "Sentence 5 of event number 14" in page.evaluate(f"{API}.openPopup({top}).innerText")
    page.keyboard.press("Escape")
    page.evaluate("document.querySelector('.leaflet-popup-close-button')?.click()")
    page.wait_for_timeout(500)  # the map panned to make room for the popup: let it settle
    g = page.evaluate(f"{API}.groups()")[0]
    # hover: a tooltip says how many events are there
    page.mouse.move(g["x"], g["y"])
    tip = page.locator(".geomap-tooltip")
    tip.wait_for()
    assert "15 events at Salaheddin" in tip.inner_text()
    # click: a list of all 15, the six-source event first
    page.mouse.click(g["x"], g["y"])
    items = page.locator(".geomap-list-item")
    assert items.count() == 15
    assert "6 source(s)" in items.first.inner_text()
    seen = set()
    for k in range(15):
        page.locator(".leaflet-popup").last.locator(".geomap-list-item").nth(k).click()
        text = page.locator(".leaflet-popup-content").last.inner_text()
        seen.update(re.findall(r"Sentence 0 of event number (\d+)\.", text))
        page.locator(".geomap-back").last.click()
    assert seen == {str(i) for i in range(15)}


def test_every_marker_has_a_hover_tooltip(tmp_path: Path, page: Any) -> None:
    out = write(tmp_path, [event(1, "2016-09-23", fatalities=4, name="Bustan al-Qasr")])
    open_map(page, out / "index.html")
    g = page.evaluate(f"{API}.groups()")[0]
    page.mouse.move(g["x"], g["y"])
    tip = page.locator(".geomap-tooltip")
    tip.wait_for()
    text = tip.inner_text()
    for part in ("Battle", "Bustan al-Qasr", "2016-09-23", "4 killed"):
        assert part in text
    page.mouse.click(g["x"], g["y"])
    assert (
        "Sentence 0 of event number 1" in page.locator(".leaflet-popup-content").last.inner_text()
    )


def test_nearby_places_group_when_zoomed_out_and_part_when_zoomed_in(
    tmp_path: Path, page: Any
) -> None:
    feats = [
        event(1, "2016-09-23", place="A", name="A", lon=37.15),
        event(2, "2016-09-23", place="B", name="B", lon=37.16),
    ]
    out = write(tmp_path, feats)
    open_map(page, out / "index.html")
    page.evaluate(f"{API}.setView(36.2, 37.155, 8)")
    assert [g["count"] for g in page.evaluate(f"{API}.groups()")] == [2]
    page.evaluate(f"{API}.setView(36.2, 37.155, 15)")
    assert sorted(g["count"] for g in page.evaluate(f"{API}.groups()")) == [1, 1]


# -- 2. labels -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_maps_nopng(
    seeds_extract: tuple[Path, ExtractResult], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out, _ = seeds_extract
    target = tmp_path_factory.mktemp("maps_readers")
    write_maps(out, target, png=False)
    return target


def visible_labels(page: Any, width: int, height: int) -> dict[str, dict[str, Any]]:
    labels = page.evaluate(f"{API}.labels()")
    return {
        lab["name"]: lab for lab in labels if 0 <= lab["x"] <= width and 0 <= lab["y"] <= height
    }


def test_first_view_labels_aleppo_and_damascus_and_zoom_shows_neighbourhoods(
    seeds_maps_nopng: Path, page: Any
) -> None:
    open_map(page, seeds_maps_nopng / "index.html")
    labels = visible_labels(page, 1400, 900)
    assert "Aleppo" in labels and "Damascus" in labels
    assert labels["Aleppo"]["rank"] == 0
    page.evaluate(f"{API}.setView(36.2, 37.16, 14)")
    labels = visible_labels(page, 1400, 900)
    assert any(lab["rank"] == 4 for lab in labels.values()), labels


# -- 3. panels -----------------------------------------------------------------------------------

CLEAR_OF_PANELS = """() => {
  const api = window.geomapMaps['index'];
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  const rects = [...document.querySelectorAll('.leaflet-control')]
    .filter(c => !c.classList.contains('leaflet-control-attribution'))
    .map(c => c.getBoundingClientRect()).filter(r => r.width > 0);
  const bad = [];
  for (const g of api.groups()) {
    const x = g.x + box.left, y = g.y + box.top;
    if (x < box.left || y < box.top || x > box.right || y > box.bottom) {
      bad.push(['outside', g]);
    }
    for (const r of rects) {
      if (x + g.r > r.left && x - g.r < r.right && y + g.r > r.top && y - g.r < r.bottom) {
        bad.push(['under a panel', g.places, r.left, r.top, r.width, r.height]);
      }
    }
  }
  return bad;
}"""


@pytest.mark.parametrize("size", [(1400, 900), (800, 600)])
def test_panels_keep_clear_of_the_events(
    seeds_maps_nopng: Path, page: Any, size: tuple[int, int]
) -> None:
    open_map(page, seeds_maps_nopng / "index.html", *size)
    folded = page.locator(".geomap-folded").count()
    assert folded == (2 if size == (800, 600) else 0)  # folded by default on small screens
    assert page.evaluate(CLEAR_OF_PANELS) == []
    # a folded panel opens and shows the time controls
    if folded:
        page.locator(".geomap-panel .geomap-fold").click()
        assert page.locator("input.geomap-to").is_visible()


POPUP_UNDER_PANELS = """() => {
  const pop = document.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();
  return [...document.querySelectorAll('.leaflet-control')].filter((c) => {
    const r = c.getBoundingClientRect();
    return r.width && r.height && r.left < pop.right && pop.left < r.right
      && r.top < pop.bottom && pop.top < r.bottom;
  }).map((c) => c.className);
}"""


@pytest.mark.parametrize("size", [(1400, 900), (800, 600)])
def test_a_popup_opens_clear_of_the_panels(
    seeds_maps_nopng: Path, page: Any, size: tuple[int, int]
) -> None:
    open_map(page, seeds_maps_nopng / "index.html", *size)
    n = page.evaluate(f"{API}.visibleCount()")
    for i in range(min(n, 6)):
        page.evaluate(f"{API}.openPopup({i})")
        page.wait_for_timeout(400)  # the map pans to make room
        assert page.evaluate(POPUP_UNDER_PANELS) == [], i


def test_map_in_a_560_pixel_iframe_keeps_panels_clear(seeds_maps_nopng: Path, page: Any) -> None:
    page.set_viewport_size({"width": 900, "height": 800})
    page.goto((seeds_maps_nopng / "embed.html").as_uri())
    frame = page.frame_locator("iframe").first
    frame.locator(".geomap-legend").wait_for(timeout=30_000)
    inner = next(f for f in page.frames if f.url.endswith("index.html"))
    inner.wait_for_function("window.geomapReady === true")
    assert inner.evaluate("document.querySelector('.leaflet-container').clientHeight") == 560
    assert inner.locator(".geomap-folded").count() == 2
    assert inner.evaluate(CLEAR_OF_PANELS) == []


def test_many_days_are_switched_by_month_and_stepped_by_the_time_panel(
    tmp_path: Path, page: Any
) -> None:
    start = date(2016, 1, 1)
    feats = [
        event(i, (start + timedelta(days=i)).isoformat(), place=f"P{i % 5}", lon=37 + i % 5 * 0.1)
        for i in range(120)
    ]
    out = write(tmp_path, feats)
    open_map(page, out / "index.html")
    page.click(".leaflet-control-layers")
    page.hover(".leaflet-control-layers")
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert [x.strip() for x in labels] == [
        "2016-01 (31)",
        "2016-02 (29)",
        "2016-03 (31)",
        "2016-04 (29)",
    ]
    page.locator(".leaflet-control-layers-overlays label", has_text="2016-02").locator(
        "input"
    ).click()
    assert page.evaluate(f"{API}.visibleCount()") == 120 - 29
    page.mouse.move(700, 450)
    page.click("button[title='next day']")
    assert page.evaluate(f"{API}.visibleCount()") == 1
    page.click("text=All")
    assert page.evaluate(f"{API}.visibleCount()") == 120


# -- 5. day files --------------------------------------------------------------------------------


def test_day_files_only_when_asked_beyond_sixty_days(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    start = date(2015, 1, 1)
    feats = [event(i, (start + timedelta(days=i)).isoformat()) for i in range(MAX_DAY_FILES + 5)]
    with caplog.at_level(logging.WARNING):
        out = write(tmp_path / "a", feats)
    assert not list(out.glob("dates/*.html"))
    assert "no map a day written" in caplog.text
    assert "--days" in (out / "embed.html").read_text(encoding="utf-8")
    out = write(tmp_path / "b", feats, days=["2015-01-02", "2015-01-03"])
    assert sorted(p.name for p in out.glob("dates/*.html")) == [
        "2015-01-02.html",
        "2015-01-03.html",
    ]
    out = write(tmp_path / "c", feats, by="month")
    months = sorted(p.name for p in out.glob("dates/*.html"))
    assert months == ["2015-01.html", "2015-02.html", "2015-03.html"]
    out = write(tmp_path / "d", feats, by="week")
    assert "2015-W02.html" in {p.name for p in out.glob("dates/*.html")}


def test_cli_days_option(tmp_path: Path) -> None:
    from geomap.cli import main

    write(tmp_path, [event(1, "2016-09-23"), event(2, "2016-09-24"), event(3, "2016-09-25")])
    src = tmp_path / "extract"
    assert main(["maps", str(src), "--out", str(tmp_path / "m"), "--no-png", "--days",
                 "2016-09-23,2016-09-24"]) == 0  # fmt: skip
    assert sorted(p.name for p in (tmp_path / "m").glob("dates/*.html")) == [
        "2016-09-23.html",
        "2016-09-24.html",
    ]


# -- 6. undated ----------------------------------------------------------------------------------


def test_undated_events_are_their_own_switch_never_a_day(tmp_path: Path, page: Any) -> None:
    feats = [event(1, "2016-09-23"), event(2, "2016-09-24"), event(3, None), event(4, None)]
    out = write(tmp_path, feats)
    assert sorted(p.name for p in out.glob("dates/*.html")) == [
        "2016-09-23.html",
        "2016-09-24.html",
    ]
    open_map(page, out / "index.html")
    assert page.evaluate(f"{API}.countByDay()")["undated"] == 2
    assert "2 undated" in page.locator(".geomap-title").inner_text()
    page.evaluate(f"{API}.setRange(0, 0)")
    assert page.evaluate(f"{API}.visibleCount()") == 3  # day 1 and the undated
    assert "(2 undated)" in page.locator(".geomap-range-label").inner_text()
    page.click("input.geomap-undated-toggle")
    assert page.evaluate(f"{API}.visibleCount()") == 1
    page.click("input.geomap-undated-toggle")
    assert page.evaluate(f"{API}.visibleCount()") == 3
    assert "undated" in page.evaluate(f"{API}.openPopup(2).innerText")


# -- 7. areas ------------------------------------------------------------------------------------


def test_a_busy_neighbourhood_polygon_stays_see_through(tmp_path: Path, page: Any) -> None:
    square = [[37.10, 36.17], [37.20, 36.17], [37.20, 36.23], [37.10, 36.23], [37.10, 36.17]]
    feats = [
        event(i, "2016-09-23", geo="neighbourhood", polygon=square, lat=36.2, lon=37.15)
        for i in range(40)
    ]
    out = write(tmp_path, feats)
    open_map(page, out / "index.html")
    page.evaluate(f"{API}.setView(36.2, 37.15, 12)")
    g = page.evaluate(f"{API}.groups()")[0]
    alpha = page.evaluate(
        """([x, y]) => {
          const c = document.querySelector('canvas.geomap-canvas');
          const k = c.width / c.clientWidth;
          const px = c.getContext('2d').getImageData(Math.round(x * k), Math.round(y * k), 1, 1);
          return px.data[3];
        }""",
        [g["x"] - 80, g["y"] + 40],
    )
    assert 0 < alpha < 60, alpha  # one light fill, not 40 stacked ones


# -- 8. title and attribution --------------------------------------------------------------------


def test_every_page_has_a_title_and_the_data_attribution(tmp_path: Path, page: Any) -> None:
    html = render_map(build_map({"type": "FeatureCollection", "features": []}, title="<T>"))
    assert "<title>&lt;T&gt;</title>" in html
    out = write(tmp_path, [event(1, "2016-09-23", outlet="Reuters")])
    for path in (out / "index.html", out / "dates" / "2016-09-23.html"):
        assert "<title>" in path.read_text(encoding="utf-8")
        open_map(page, path)
        text = page.locator(".leaflet-control-attribution").inner_text()
        for part in (
            "Reuters",
            "OCHA",
            "GeoNames",
            "Who's On First",
            "Wikipedia",
            "CC BY-SA",
            "Natural Earth",
        ):
            assert part in text, (part, text)
