"""The map at real scale, in headless Chromium: 100,000 events over 1,000 days.

The issue's targets: one step of the time panel under 100 ms, "All" under 1 s. The figures are
printed (``pytest -s``) so that they can be reported; the bounds asserted are those targets.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from geomap.model import EVENT_TYPES
from geomap.render.maps import build_map, write_map
from tests.browser import page_with_log

N_EVENTS = 100_000
N_DAYS = 1_000
STEP_MS = 100.0
ALL_MS = 1_000.0


def synthetic(n: int, n_days: int, *, seed: int = 7) -> dict[str, Any]:
    """``n`` events over ``n_days`` days and 2,000 places across Syria, a few undated."""
    rng = random.Random(seed)
    places = [(f"P{i}", 32.5 + rng.random() * 4.5, 36.0 + rng.random() * 6.0) for i in range(2000)]
    start = date(2013, 1, 1)
    feats = []
    for i in range(n):
        pid, lat, lon = places[rng.randrange(len(places))]
        day: str | None = (start + timedelta(days=i * n_days // n)).isoformat()
        if i % 1000 == 999:
            day = None
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": f"e{i}",
                    "type": EVENT_TYPES[i % len(EVENT_TYPES)],
                    "sub_type": "",
                    "date_start": day,
                    "date_end": day,
                    "date_precision": "day" if day else "unknown",
                    "place_id": pid,
                    "place_name": f"Place {pid}",
                    "place_kind": "town",
                    "geo_precision": "point",
                    "precision_km": 2.0,
                    "lat": lat,
                    "lon": lon,
                    "fatalities": (i % 7) or None,
                    "actors": [],
                    "attributed_to": [],
                    "sources": [
                        {
                            "doc": f"d{i // 3}",
                            "outlet": "AFP",
                            "published": day,
                            "sentence": f"Clashes in Place {pid}.",
                            "start": 0,
                            "end": 20,
                        }
                    ],
                },
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def test_time_panel_is_fast_at_100k_events_over_1000_days(tmp_path: Path) -> None:
    fc = synthetic(N_EVENTS, N_DAYS)
    t = time.perf_counter()
    path = tmp_path / "index.html"
    write_map(build_map(fc, title="scale"), path)
    build_s = time.perf_counter() - t
    with page_with_log() as (page, errors, _):
        page.set_viewport_size({"width": 1400, "height": 900})
        t = time.perf_counter()
        page.goto(path.as_uri(), timeout=300_000)
        page.wait_for_function("window.geomapReady === true", timeout=300_000)
        load_s = time.perf_counter() - t
        api = "window.geomapMaps['index']"
        assert page.evaluate(f"{api}.visibleCount()") == N_EVENTS
        # the buttons of the time panel, timed in the page: the canvas is redrawn synchronously
        timed_click = """(sel) => {
          const b = document.querySelector(sel);
          const t = performance.now(); b.click(); return performance.now() - t;
        }"""
        page.evaluate(f"{api}.setRange(500, 500)")
        steps = [page.evaluate(timed_click, "button[title='next day']") for _ in range(30)]
        assert 90 <= page.evaluate(f"{api}.visibleCount()") <= 110 + 100  # a day and undated
        all_ms = [page.evaluate(timed_click, "button[title='show all days']") for _ in range(3)]
        assert page.evaluate(f"{api}.visibleCount()") == N_EVENTS
        # a step while zoomed in, and the slider dragged over a year
        page.evaluate(f"{api}.setView(35.5, 38.5, 10)")
        zoomed = [page.evaluate(timed_click, "button[title='next day']") for _ in range(10)]
        slider = page.evaluate(
            """() => { const s = document.querySelector('input.geomap-to');
              const t = performance.now();
              s.value = 365; s.dispatchEvent(new Event('input')); return performance.now() - t; }"""
        )
        assert errors == []
    print(
        f"\n100,000 events over 1,000 days: build {build_s:.1f} s, "
        f"file {path.stat().st_size / 1e6:.1f} MB, load and first draw {load_s:.1f} s; "
        f"time-panel step median {statistics.median(steps):.1f} ms (max {max(steps):.1f}), "
        f"zoomed-in step median {statistics.median(zoomed):.1f} ms, "
        f"All median {statistics.median(all_ms):.0f} ms (max {max(all_ms):.0f}), "
        f"slider to a year {slider:.0f} ms"
    )
    assert statistics.median(steps) < STEP_MS
    assert statistics.median(all_ms) < ALL_MS
