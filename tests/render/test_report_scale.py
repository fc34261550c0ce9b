"""The report at scale: a generated corpus gives a report under 50 pages and 20 MB, print maps
have no interactive controls, tolls add shares, and an empty corpus or period is an error."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from geomap.cli import main
from geomap.errors import InputError
from geomap.gazetteer.store import Gazetteer
from geomap.pipeline.run import run_extract
from geomap.render.figures import timeline
from geomap.render.report import outlet_name, share, summary_words, write_report
from tests.browser import page_with_log


@pytest.fixture(scope="module")
def big_report(gaz: Gazetteer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from bench.generate import generate_corpus

    mp = pytest.MonkeyPatch()
    mp.setenv("GEOMAP_NLP", "off")
    try:
        root = tmp_path_factory.mktemp("bigreport")
        corpus = generate_corpus(600, root / "corpus", seed=11, gaz=gaz)
        run_extract(corpus, root / "extract", gazetteer=gaz, use_cache=False)
        write_report(root / "extract", root / "report", title="Generated")
    finally:
        mp.undo()
    return root / "extract", root / "report"


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(next(x.split()[-1] for x in info.stdout.splitlines() if x.startswith("Pages:")))


def test_report_stays_small_whatever_the_corpus(big_report: tuple[Path, Path]) -> None:
    extract, out = big_report
    events = json.loads((extract / "events.geojson").read_text(encoding="utf-8"))["features"]
    days = {f["properties"]["date_end"] for f in events if f["properties"].get("date_end")}
    assert len(days) > 100  # a corpus that used to give hundreds of pages
    pages = _pages(out / "report.pdf")
    html = out / "report.html"
    print(
        f"{len(events)} events on {len(days)} days: {pages} pages, "
        f"html {html.stat().st_size / 1e6:.1f} MB, "
        f"pdf {(out / 'report.pdf').stat().st_size / 1e6:.1f} MB"
    )
    assert pages < 50
    assert html.stat().st_size < 20_000_000 and (out / "report.pdf").stat().st_size < 20_000_000
    text = html.read_text(encoding="utf-8")
    assert "busiest" in text and "data/events.geojson" in text  # says what was left out
    assert text.count('class="day"') <= 6 + 2
    # every event of the period stays in the data file
    data = json.loads((out / "data" / "events.geojson").read_text(encoding="utf-8"))
    assert len(data["features"]) == len(events)
    own = re.sub(r'srcdoc="[^"]*"', "", text)  # the inlined interactive map is not ours
    assert "unknown outlet" not in own and "&mdash; unknown," not in own


def test_print_maps_have_no_controls(big_report: tuple[Path, Path], tmp_path: Path) -> None:
    from geomap.render.browser import screenshot_print_maps

    _, out = big_report
    with page_with_log() as (page, errors, _):
        page.goto((out / "maps" / "index.html").as_uri())
        page.wait_for_function("window.geomapReady === true", timeout=60_000)
        from geomap.render.browser import PRINT_MAP_CSS

        page.add_style_tag(content=PRINT_MAP_CSS)
        visible = page.evaluate(
            """() => [...document.querySelectorAll(
                '.leaflet-control-zoom, .leaflet-control-layers, .geomap-panel, button, '
                + 'input, select')].filter(e => e.offsetParent !== null).length"""
        )
        assert visible == 0
        assert page.locator(".geomap-legend").is_visible()
        assert page.locator(".leaflet-control-scale").count() >= 1
        assert errors == []
    png = tmp_path / "m.png"
    screenshot_print_maps([(out / "maps" / "index.html", png)])
    assert png.stat().st_size > 10_000
    assert (out / "maps" / "index.png").is_file()


def test_tolls_add_shares_and_outlets_are_named() -> None:
    def ev(i: str, place: str, dead: int | None, total: int | None, day: str) -> dict:
        return {
            "properties": {
                "id": i,
                "type": "remote_violence",
                "place_id": place,
                "place_name": place,
                "fatalities": dead,
                "fatalities_total": total,
                "toll_group": "g" if total else None,
                "date_end": day,
            }
        }

    features = [
        ev("a", "X", 4, 10, "2016-09-01"),
        ev("b", "Y", 3, 10, "2016-09-01"),
        ev("c", "Z", 3, 10, "2016-09-01"),
        ev("d", "X", 2, None, "2016-09-02"),
    ]
    assert sum(map(share, features)) == 12  # not 32
    words = " ".join(
        summary_words(
            features,
            period="2016-09-01 to 2016-09-02",
            n_articles=3,
            outlets=["AFP"],
            unnamed_outlets=2,
            top_places=[("X", 2, 6)],
            areas=[("X", 2), ("Y", 1)],
        )
    )
    assert "4 events" in words and "10 deaths" in words and "2 articles name no outlet" in words
    assert outlet_name("unknown") == "" and outlet_name(" AFP ") == "AFP"
    svg, _ = timeline([ev("a", "X", 1, None, "2012-07-26"), ev("b", "X", 1, None, "2016-09-29")])
    assert "2013" in svg and "2015" in svg  # a time axis: the years between are on it


def test_empty_corpus_and_reversed_period_are_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="empty|no article"):
        write_report(empty, tmp_path / "r", png=False)
    assert main(["report", str(empty), "--out", str(tmp_path / "r2")]) == 2
    assert "error" in capsys.readouterr().err
    code = main(
        [
            "build",
            str(empty),
            "--out",
            str(tmp_path / "b"),
            "--from",
            "2016-10-01",
            "--to",
            "2016-09-01",
            "--title",
            "T",
        ]
    )
    assert code == 2
    assert "after --to" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()
