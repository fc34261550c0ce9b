"""An events.geojson handed to `geomap maps`/`report` is untrusted: features that do not fit the
schema are reported with their number and left out; a file that is no FeatureCollection is an
error naming it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from geomap.errors import InputError
from geomap.output.geojson_in import read_events

GOOD: dict[str, Any] = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [37.1, 36.2]},
    "properties": {
        "id": "e1",
        "type": "battle",
        "sub_type": "clashes",
        "date_start": "2016-09-01",
        "date_end": "2016-09-02",
        "date_precision": "days",
        "place_id": "P1",
        "place_name": "<b>Somewhere</b>",
        "place_kind": "city",
        "geo_precision": "city",
        "precision_km": 5,
        "lat": 36.2,
        "lon": 37.1,
        "fatalities": 3,
        "fatalities_total": None,
        "toll_group": "",
        "actors": ["rebels"],
        "attributed_to": [],
        "sources": [
            {"doc": "d", "outlet": "o", "published": None, "sentence": "s", "start": 0, "end": 1}
        ],
    },
}


def _bad(**props: Any) -> dict[str, Any]:
    f = copy.deepcopy(GOOD)
    f["properties"].update(props)
    return f


BAD = {
    "date_end not a date": _bad(date_end="<img src=x onerror=alert(1)>"),
    "end before start": _bad(date_end="2016-08-01"),
    "unknown type": _bad(type="massacre<script>"),
    "precision_km text": _bad(precision_km="far"),
    "negative toll": _bad(fatalities=-4),
    "toll as text": _bad(fatalities="12"),
    "actors not strings": _bad(actors=[{"x": 1}]),
    "sources not a list": _bad(sources="all"),
    "latitude out of range": {**GOOD, "geometry": {"type": "Point", "coordinates": [37, 123]}},
    "geometry of another kind": {
        **GOOD,
        "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
    },
    "not a feature": ["Feature"],
}


def _write(tmp_path: Path, features: list[Any]) -> Path:
    path = tmp_path / "events.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_good_features_pass_unchanged(tmp_path: Path) -> None:
    features, problems = read_events(_write(tmp_path, [GOOD]))
    assert features == [GOOD] and problems == []


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_feature_is_left_out_with_its_number(tmp_path: Path, name: str) -> None:
    features, problems = read_events(_write(tmp_path, [GOOD, BAD[name], GOOD]))
    assert features == [GOOD, GOOD]
    (problem,) = problems
    assert "feature 2:" in problem and "events.geojson" in problem


@pytest.mark.parametrize(
    "text", ["", "[]", '{"type": "Feature"}', "NaN", '{"type": "FeatureCollection"}', "\xff"]
)
def test_a_file_that_is_no_feature_collection_is_an_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "events.geojson"
    path.write_text(text, encoding="latin-1")
    with pytest.raises(InputError, match="events.geojson"):
        read_events(path)


def test_the_report_is_built_from_the_good_features_only(tmp_path: Path) -> None:
    from geomap.render.report import write_report

    src = tmp_path / "src"
    src.mkdir()
    _write(src, [GOOD, *BAD.values()])
    (src / "documents.csv").write_text("doc,outlet,published\nd,o,2016-09-02\n", encoding="utf-8")
    write_report(src, tmp_path / "out", png=False)
    copied = json.loads((tmp_path / "out" / "data" / "events.geojson").read_text())
    assert [f["properties"]["id"] for f in copied["features"]] == ["e1"]
    assert "&lt;b&gt;Somewhere" in (tmp_path / "out" / "report.html").read_text()
