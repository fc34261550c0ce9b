"""Maps: data, determinism, offline assets, escaping; and the maps in a real browser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from geomap.pipeline.run import ExtractResult
from geomap.render.maps import UNDATED, build_map, compact_data, render_map, write_maps
from tests.browser import page_with_log

XSS = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> "quoted" \u2028'


def feature(
    i: int,
    day: str | None,
    type_: str = "battle",
    *,
    sentence: str = "Clashes.",
    geo: str = "point",
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": f"e{i}",
        "geometry": {"type": "Point", "coordinates": [37.1 + i * 0.01, 36.2]},
        "properties": {
            "id": f"e{i}",
            "type": type_,
            "sub_type": "clashes",
            "date_start": day,
            "date_end": day,
            "date_precision": "day" if day else "unknown",
            "place_id": f"P{i % 3}",
            "place_name": f"Place {i % 3}",
            "place_kind": "neighbourhood",
            "geo_precision": geo,
            "precision_km": 1.0,
            "lat": 36.2,
            "lon": 37.1 + (i % 3) * 0.01,
            "fatalities": i if i % 2 else None,
            "actors": ["rebels"],
            "attributed_to": [],
            "sources": [
                {
                    "doc": f"d{i}",
                    "outlet": "AFP",
                    "published": day,
                    "sentence": sentence,
                    "start": 0,
                    "end": len(sentence),
                }
            ],
        },
    }


def collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def test_days_are_in_date_order_with_undated_last() -> None:
    fc = collection([feature(1, "2012-07-26"), feature(2, None), feature(3, "2012-07-20")])
    data = compact_data(fc, title="t")
    assert data["days"] == ["2012-07-20", "2012-07-26", UNDATED]
    assert [e[0] for e in data["events"]] == [0, 1, 2]


def test_same_events_give_byte_identical_maps() -> None:
    fc = collection([feature(i, f"2012-07-{20 + i % 5}") for i in range(20)])
    assert render_map(build_map(fc, title="t")) == render_map(build_map(fc, title="t"))


def test_each_event_carries_its_rules_in_words_once_a_set() -> None:
    feats = [feature(i, "2012-07-26") for i in range(3)]
    feats[0]["properties"]["rules"] = ["trigger:id=raid-v", "outskirts:anchor=P0"]
    feats[1]["properties"]["rules"] = ["trigger:id=raid-v", "outskirts:anchor=P0"]
    feats[2]["properties"]["rules"] = ["trigger:id=storm-v"]
    data = compact_data(collection(feats), title="t")
    said = [data["evidence"][e[11]] for e in data["events"]]
    assert (
        said[0]
        == said[1]
        == "trigger raid-v of the event lexicon; on the outskirts of Place 0 (P0)"
    )
    assert said[2] == "trigger storm-v of the event lexicon"
    assert len(data["evidence"]) == 2


def test_map_needs_no_network_and_escapes_article_text() -> None:
    hostile = feature(1, "2012-07-26", sentence=XSS)
    hostile["properties"]["rules"] = [f"trigger:id={XSS}"]
    html = render_map(build_map(collection([hostile]), title=XSS))
    assert "<script>window.pwned" not in html
    assert "<img src=x" not in html
    assert "cdn." not in html and "unpkg" not in html
    for tag in ("<script src=", '<link rel="stylesheet" href="http'):
        assert tag not in html


def test_write_maps_writes_index_days_and_embed(
    seeds_extract: tuple[Path, ExtractResult], tmp_path: Path
) -> None:
    out, result = seeds_extract
    maps = write_maps(out, tmp_path, png=False)
    days = sorted({e.date_end.isoformat() for e in result.events if e.date_end})
    assert maps.days == days
    for day in days:
        assert (tmp_path / "dates" / f"{day}.html").is_file()
    embed = (tmp_path / "embed.html").read_text(encoding="utf-8")
    assert '<iframe src="index.html"' in embed


@pytest.fixture(scope="module")
def seeds_maps(
    seeds_extract: tuple[Path, ExtractResult], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out, _ = seeds_extract
    target = tmp_path_factory.mktemp("maps")
    write_maps(out, target, png=True)
    return target


def test_map_renders_offline_in_chromium(
    seeds_maps: Path, seeds_extract: tuple[Path, ExtractResult]
) -> None:
    _, result = seeds_extract
    expected: dict[str, int] = {}
    for e in result.events:
        key = e.date_end.isoformat() if e.date_end else UNDATED
        expected[key] = expected.get(key, 0) + 1
    with page_with_log() as (page, errors, requests):
        page.goto((seeds_maps / "index.html").as_uri())
        page.wait_for_function("window.geomapReady === true")
        api = "window.geomapMaps['index']"
        assert page.evaluate(f"{api}.countByDay()") == expected
        total = len(result.events)
        assert page.evaluate(f"{api}.visibleCount()") == total
        # hiding a date in the layer control hides its events
        first = sorted(expected)[0]
        page.click(".leaflet-control-layers")
        page.hover(".leaflet-control-layers")
        label = page.locator(".leaflet-control-layers-overlays label", has_text=first)
        label.locator("input").click()
        assert page.evaluate(f"{api}.visibleCount()") == total - expected[first]
        label.locator("input").click()
        assert page.evaluate(f"{api}.visibleCount()") == total
        # the time slider shows one day
        page.evaluate(f"{api}.setRange(0, 0)")
        assert page.evaluate(f"{api}.visibleCount()") == expected[first]
        page.fill("input.geomap-to", "1")
        page.dispatch_event("input.geomap-to", "input")
        second = sorted(expected)[1]
        assert page.evaluate(f"{api}.visibleCount()") == expected[first] + expected[second]
        page.click("text=All")
        assert page.evaluate(f"{api}.visibleCount()") == total
        # a type switch hides that type
        n_battle = sum(1 for e in result.events if e.type == "battle")
        page.click("input.geomap-type-toggle[value=battle]")
        assert page.evaluate(f"{api}.visibleCount()") == total - n_battle
        page.click("input.geomap-type-toggle[value=battle]")
        # a popup shows the sentence
        html = page.evaluate(f"{api}.openPopup(0).innerText")
        first_event = sorted(
            result.events, key=lambda e: (e.date_end.isoformat() if e.date_end else UNDATED, e.id)
        )[0]
        assert first_event.sources[0].sentence[:40] in html
        assert "Evidence" in html and "trigger" in html  # its rules, in words
        assert errors == []
        assert all(u.startswith(("file:", "data:", "about:", "blob:")) for u in requests), [
            u for u in requests if not u.startswith(("file:", "data:"))
        ][:5]


def test_map_picture_is_not_blank(seeds_maps: Path) -> None:
    import matplotlib.image as mpimg

    img = mpimg.imread(seeds_maps / "index.png")
    assert img.shape[0] > 500 and img.shape[1] > 800
    assert float(img[..., :3].std()) > 0.05  # a blank page has no variation


def test_article_text_with_script_runs_nothing(tmp_path: Path) -> None:
    fc = collection([feature(1, "2012-07-26", sentence=XSS)])
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "events.geojson").write_text(json.dumps(fc), encoding="utf-8")
    write_maps(tmp_path / "x", tmp_path / "m", png=False)
    with page_with_log() as (page, errors, _):
        page.goto((tmp_path / "m" / "index.html").as_uri())
        page.wait_for_function("window.geomapReady === true")
        text = page.evaluate("window.geomapMaps['index'].openPopup(0).innerText")
        page.wait_for_timeout(200)
        assert "<script>window.pwned=1</script>" in text
        assert page.evaluate("window.pwned") is None
        assert page.locator(".leaflet-popup img").count() == 0
        assert errors == []


def test_embed_page_shows_the_map_in_an_iframe(seeds_maps: Path) -> None:
    with page_with_log() as (page, errors, requests):
        page.goto((seeds_maps / "embed.html").as_uri())
        frame = page.frame_locator("iframe").first
        frame.locator(".geomap-legend").wait_for(timeout=30_000)
        assert "Event types" in frame.locator(".geomap-legend").inner_text()
        assert errors == []
        assert all(u.startswith(("file:", "data:", "about:", "blob:")) for u in requests)


def test_the_embed_snippet_works_in_a_page_in_another_folder(
    seeds_maps: Path, tmp_path: Path
) -> None:
    """The copy step and the snippet embed.html states, followed as a user would."""
    import html
    import re
    import shutil

    embed = (seeds_maps / "embed.html").read_text(encoding="utf-8")
    found = re.search(r"<pre>(&lt;iframe.*?)</pre>", embed, re.S)
    assert found is not None
    snippet = html.unescape(found.group(1))
    assert "Open the map full screen" in snippet
    report = tmp_path / "elsewhere" / "report"
    report.mkdir(parents=True)
    shutil.copyfile(seeds_maps / "index.html", report / "events-map.html")
    (report / "page.html").write_text(f"<!DOCTYPE html><title>r</title>{snippet}", "utf-8")
    with page_with_log() as (page, errors, requests):
        page.goto((report / "page.html").as_uri())
        frame = page.frame_locator("iframe").first
        frame.locator(".geomap-legend").wait_for(timeout=30_000)
        assert "Event types" in frame.locator(".geomap-legend").inner_text()
        assert page.locator("a", has_text="full screen").get_attribute("href") == (
            "events-map.html"
        )
        assert errors == []
        assert all(u.startswith(("file:", "data:", "about:", "blob:")) for u in requests)


def test_a_rerun_draws_again_only_the_days_whose_events_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geomap.render.maps as maps

    drawn: list[str] = []
    real = maps.build_map

    def counting(fc: Any, **kw: Any) -> Any:
        drawn.append(kw["name"])
        return real(fc, **kw)

    monkeypatch.setattr(maps, "build_map", counting)
    days = ["2012-07-26", "2012-07-27", "2012-07-28"]
    src = tmp_path / "x"
    src.mkdir()
    features = [feature(i, days[i % 3]) for i in range(9)]
    (src / "events.geojson").write_text(json.dumps(collection(features)), encoding="utf-8")
    out = tmp_path / "m"
    write_maps(src, out, png=False)
    assert sorted(drawn) == sorted(["index", *days])
    drawn.clear()
    features.append(feature(9, days[1]))  # a new event on the 27th only
    (src / "events.geojson").write_text(json.dumps(collection(features)), encoding="utf-8")
    write_maps(src, out, png=False)
    assert sorted(drawn) == ["2012-07-27", "index"]
    # the kept maps are what a fresh run draws
    fresh = tmp_path / "fresh"
    write_maps(src, fresh, png=False)
    for d in days:
        assert (out / "dates" / f"{d}.html").read_bytes() == (
            fresh / "dates" / f"{d}.html"
        ).read_bytes()
    # a damaged record of digests, or a map file changed since: drawn again
    drawn.clear()
    (out / ".geomap-maps.json").write_text("{not json", encoding="utf-8")
    write_maps(src, out, png=False)
    assert sorted(drawn) == sorted(["index", *days])
    drawn.clear()
    (out / "dates" / f"{days[0]}.html").write_text("tampered", encoding="utf-8")
    write_maps(src, out, png=False)
    assert sorted(drawn) == [days[0], "index"]
    assert (out / "dates" / f"{days[0]}.html").read_bytes() == (
        fresh / "dates" / f"{days[0]}.html"
    ).read_bytes()
