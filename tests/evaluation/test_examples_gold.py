"""The whole extraction against the gold annotations of the example corpus (and held-out text)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geomap.evaluation.compare import report_table
from geomap.evaluation.results import THRESHOLDS
from geomap.evaluation.score import evaluate
from geomap.gazetteer.store import Gazetteer
from geomap.pipeline.run import ExtractResult, run_extract
from tests.conftest import CORPUS, GOLD, TEAM_ARTICLES


def test_example_corpus_meets_the_thresholds(seeds_extract: tuple[Path, ExtractResult]) -> None:
    out, _ = seeds_extract
    report = evaluate(out, GOLD, corpus=CORPUS)
    assert report.mentions == 135  # every whole-word occurrence the gold lists
    assert report.failures(THRESHOLDS) == [], report_table(report)


def test_every_same_as_group_is_one_event_with_all_its_sources(
    seeds_extract: tuple[Path, ExtractResult],
) -> None:
    out, _ = seeds_extract
    report = evaluate(out, GOLD)
    assert report.merge_groups == 6
    assert report.merge_right == report.merge_groups


def test_sheikh_badr_falls_back_to_aleppo(seeds_extract: tuple[Path, ExtractResult]) -> None:
    _, result = seeds_extract
    badr = [m for m in result.mentions if m.surface == "Sheikh Badr"]
    assert badr, "Sheikh Badr not found"
    for m in badr:
        assert m.status == "fallback"
        assert m.place is not None and m.place.id == "C1007"
        assert "Tartous" in m.reason or "elsewhere" in m.reason


def test_events_file_has_the_documented_properties(
    seeds_extract: tuple[Path, ExtractResult],
) -> None:
    out, result = seeds_extract
    fc = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection"
    assert len(fc["features"]) == len(result.events) > 0
    needed = {
        "id",
        "type",
        "sub_type",
        "date_start",
        "date_end",
        "date_precision",
        "place_id",
        "place_name",
        "geo_precision",
        "fatalities",
        "actors",
        "sources",
    }
    for f in fc["features"]:
        assert needed <= set(f["properties"])
        for s in f["properties"]["sources"]:
            assert {"doc", "sentence", "start", "end"} <= set(s)
    tolls = {f["properties"]["fatalities"] for f in fc["features"]}
    assert 22 in tolls  # a sum of two victim groups in one sentence (gold 001)


def test_held_out_articles(tmp_path: Path, gaz: Gazetteer) -> None:
    """Articles written apart from the examples: loose floors, so a regression shows."""
    run_extract(TEAM_ARTICLES / "articles", tmp_path, gazetteer=gaz, use_cache=False)
    report = evaluate(tmp_path, TEAM_ARTICLES / "gold", corpus=TEAM_ARTICLES / "articles")
    assert report.mention_accuracy >= 0.9, report_table(report)
    assert report.event_recall >= 0.8, report_table(report)
    assert report.event_precision >= 0.8, report_table(report)


def test_two_runs_give_byte_identical_files(tmp_path: Path, gaz: Gazetteer) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    run_extract(CORPUS, a, gazetteer=gaz, use_cache=False)
    run_extract(CORPUS, b, gazetteer=gaz, use_cache=False)
    for name in ("events.geojson", "mentions.csv", "documents.csv", "geomap.gpkg"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.parametrize("published", [None])
def test_undated_documents_are_flagged_not_guessed(
    tmp_path: Path, gaz: Gazetteer, published: None
) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Regime forces shelled the Hanano district of Aleppo on Thursday, activists said.\n",
        encoding="utf-8",
    )
    result = run_extract(corpus, tmp_path / "out", gazetteer=gaz, use_cache=False)
    assert result.undated_documents == ["a"]
    assert result.unresolved_dates == 1
    assert [e.date_precision for e in result.events] == ["unknown"]
    assert any("no publication date" in p.message for p in result.problems)
