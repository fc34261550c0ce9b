"""The benchmark harness: verdicts and notes follow the numbers; the baseline spots names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench import run as bench_run
from bench.baseline_spacy import build_pipeline, spot
from bench.generate import generate_corpus
from geomap.gazetteer.store import Gazetteer


def _measurements(
    *, geomap_s: float, rss_big: float, plus10: int = 10, merge_big: float = 0.05
) -> dict[str, Any]:
    ex = {
        "seconds": geomap_s,
        "documents": 1000,
        "bytes": 2_000_000,
        "mentions": 9,
        "raw_events": 8,
        "events": 7,
        "peak_rss_mb": rss_big,
        "merge_seconds": merge_big,
    }
    base = {
        "seconds": 10.0,
        "tokenizer_seconds": 8.0,
        "build_seconds": 2.0,
        "names": 13000,
        "documents": 1000,
        "found": 5,
        "bytes": 2_000_000,
        "peak_rss_mb": 150.0,
    }
    small = dict(
        ex, documents=200, seconds=geomap_s / 5, peak_rss_mb=100.0, merge_seconds=0.01, raw_events=2
    )
    r: dict[str, Any] = {
        "date": "2026-01-01 00:00 UTC",
        "cpu": 1,
        "total_seconds": 600.0,
        "machine": {
            "cpu": "Test CPU",
            "cores": "2",
            "memory": "1 GiB",
            "os": "Linux",
            "python": "3.11",
            "packages": "spacy 3",
            "commit": "abc",
        },
        "extract": [ex, dict(ex, seconds=geomap_s * 2), dict(ex, seconds=geomap_s / 2)],
        "extract_small": [small],
        "baseline": [base, dict(base, seconds=12.0), dict(base, seconds=9.0)],
        "stages": {"documents": 100, "seconds": {"mentions": 3.0, "events": 1.0, "read": 0.1}},
        "incremental": {
            "documents": 200,
            "cold_seconds": 5.0,
            "cold_hits": 0,
            "second_seconds": 1.0,
            "second_hits": 200,
            "plus10_seconds": 1.2,
            "plus10_hits": 200,
            "plus10_processed": plus10,
        },
        "gazetteer": {
            "load_csv_seconds": 0.5,
            "load_cached_seconds": 0.1,
            "places": 5,
            "names": 6,
            "fuzzy_choices": 7,
            "exact_per_s": 1000.0,
            "exact_found": 1.0,
            "fuzzy_per_s": 100.0,
            "fuzzy_found": 0.9,
            "fuzzy_via_rapidfuzz": 0.3,
            "rapidfuzz_ms_per_query": 0.5,
        },
        "maps": {"rows": [{"events": 1000, "build_s": 0.5, "size_mb": 1.2}]},
    }
    r["notes"] = bench_run.notes(r)
    return r


def _target_rows(text: str) -> list[str]:
    section = text.split("## Targets", 1)[1].split("##", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]


def test_fast_and_flat_passes() -> None:
    text = bench_run.render(_measurements(geomap_s=1.0, rss_big=110.0))
    rows = _target_rows(text)
    assert rows[1].startswith("| whole extraction") and rows[1].endswith("| PASS |")
    assert "1,000 vs 100 articles/s (10.00x)" in rows[1]  # median of 1, 2, 0.5 s and 10, 12, 9 s
    assert all(r.endswith("| PASS |") for r in rows[1:])
    assert "Throughput target missed" not in text and "grows with the corpus" not in text
    assert "| 1000 | 0.5 | 1.2 |" in text  # the maps rows as given


def test_slow_growing_and_redoing_fails_and_says_why() -> None:
    text = bench_run.render(_measurements(geomap_s=50.0, rss_big=300.0, plus10=200))
    rows = _target_rows(text)
    verdicts = [r.rsplit("|", 2)[-2].strip() for r in rows[1:]]
    assert verdicts == ["FAIL", "FAIL", "FAIL", "FAIL", "PASS"]
    assert "Throughput target missed: geomap does 20 articles/s" in text
    assert "mentions (73%)" in text
    assert "Peak memory grows with the corpus (x3.00)" in text
    assert "Merging grows faster" not in text


def test_quadratic_merge_is_noted() -> None:
    text = bench_run.render(_measurements(geomap_s=1.0, rss_big=100.0, merge_big=0.2))
    assert "Merging grows faster than the corpus: 4.0x the reports took 20.0x the time" in text
    assert "0.0 s at 200 articles (2 reports), 0.2 s at 1,000 (8 reports)" in text


def test_dask_row() -> None:
    r = _measurements(geomap_s=1.0, rss_big=100.0)
    assert "## Dask engine\n\nNot measured." in bench_run.render(r)
    r["dask"] = {"seconds": 4.0, "documents": 200, "cpus": 2}
    text = bench_run.render(r)
    assert "200 articles, a LocalCluster of worker processes on all 2 CPUs" in text
    assert "4.0 s, 50 articles/s, against 1,000 articles/s serial" in text


def test_maps_skipped_is_said() -> None:
    r = _measurements(geomap_s=1.0, rss_big=100.0)
    r["maps"] = {"skipped": "no helper"}
    assert "Not measured: no helper." in bench_run.render(r)


@pytest.mark.parametrize("k", range(6))
def test_perturb_changes_the_name(k: int) -> None:
    name = "Salaheddine"
    typo = bench_run._perturb(name, k)
    assert typo != name and abs(len(typo) - len(name)) <= 1


def test_baseline_finds_gazetteer_names(tmp_path: Path, gaz: Gazetteer) -> None:
    nlp, matcher = build_pipeline(["Aleppo", "Bab Amr", "Deir ez-Zor"])
    docs, found = spot(
        nlp, matcher, ["Shelling hit Bab Amr and ALEPPO.", "Nothing here.", "In Deir ez-Zor."]
    )
    assert (docs, found) == (3, 3)
    corpus = generate_corpus(3, tmp_path / "c", seed=1, gaz=gaz)
    result = bench_run.child_baseline(str(corpus))
    assert result["documents"] == 3 and result["found"] > 3 and result["names"] > 1000


def test_scale_section_says_pass_and_fail() -> None:
    from bench.scale import render as scale_render

    def m(seconds: float, rss: float, docs: int = 100, hits: int = 0) -> dict[str, float]:
        return {"seconds": seconds, "peak_rss_mb": rss, "documents": docs, "cache_hits": hits}

    r = {
        "sizes": {"small": 2000, "big": 20000, "real": 300},
        "real_words": 620.0,
        "mem_new_2000": m(10, 400),
        "mem_new_20000": m(100, 410),
        "mem_old_2000": m(10, 420),
        "mem_old_20000": m(100, 900),
        "rerun_same_new": m(1.0, 100, 20000, 20000),
        "rerun_plus10_new": m(8.0, 300, 20010, 20000),
        "rerun_same_small_new": m(0.5, 100, 2000, 2000),
        "rerun_plus10_small_new": m(2.0, 200, 2010, 2000),
        "rerun_same_small_old": m(40, 300, 2000, 2000),
        "rerun_plus10_small_old": m(60, 900, 2010, 2000),
        "real_serial": m(30, 500, 300),
        "real_dask": m(17, 300, 300),
        "merge_new_200": {"seconds": 0.01},
        "merge_new_400": {"seconds": 0.02},
        "merge_new_800": {"seconds": 0.04},
        "merge_old_200": {"seconds": 11.0},
        "merge_old_400": {"seconds": 35.0},
    }
    r["moved_new"] = m(5.0, 200, 2000, 2000)
    r["moved_old"] = m(20.0, 400, 2000, 0)
    for key, out in (("mem_new_20000", 40e6), ("mem_old_20000", 160e6), ("mem_new_2000", 4e6)):
        text_bytes = 1.7e6 if key.endswith("_2000") else 17e6
        r[key] = {**r[key], "output_bytes": out, "corpus_bytes": text_bytes}
    text = "\n".join(scale_render(r))
    assert "| 400 / 410 MB (baseline at 2,000 / 20,000: 420 / 900 MB) | PASS |" in text
    assert "rises +0.6 MB a 1,000 articles" in text and "extrapolated: 510 MB" in text
    assert "| rerun with nothing new | < 2 s plus reading the manifest | 1.00 s" in text
    assert "(baseline 40.0 s) | PASS |" in text
    assert "to 2,000: 2.0 s, 0.010 (baseline 60.0 s, 0.300) | PASS |" in text
    assert "2,000 of 2,000 hits (baseline 0) | PASS |" in text
    assert "40 MB: 2.4 bytes a byte of text, 2.4 at 2,000 articles" in text
    assert "median 1.76x (e.g. 17.0 s vs 30.0 s serial) | PASS" in text
    # pairs of runs: the median of their speed-ups decides, each pair is shown
    r["real_pairs"] = [(m(30, 500, 300), m(20, 300, 300)), (m(32, 500, 300), m(18, 300, 300))]
    text = "\n".join(scale_render(r))
    assert "2 pairs of runs" in text and "1.50x, 1.78x; median 1.64x" in text
    assert "median 1.64x (e.g. 17.0 s vs 30.0 s serial) | PASS" in text
    r["real_pairs"] = [(m(30, 500, 300), m(20, 300, 300)), (m(30, 500, 300), m(19, 300, 300))]
    assert "| FAIL |" in "\n".join(scale_render(r)).split("`--engine dask`")[1].split("\n")[0]
    assert "(baseline 11.0, 35.0 s" in text
    # a third size: the least-squares line through the three, continued from the larger of
    # its value and the peak measured at the largest size
    r["sizes"]["mid"] = 11000
    r["mem_new_11000"] = m(50, 440)
    text = "\n".join(scale_render(r))
    assert "| peak memory at 2,000 / 11,000 / 20,000 articles" in text
    assert "| 400 / 440 / 410 MB (baseline at 2,000 / 20,000: 420 / 900 MB) | PASS |" in text
    assert "line through the 3 sizes rises +0.6 MB" in text and "extrapolated: 522 MB" in text
    r["mem_new_11000"] = m(50, 380)  # the line's value at 20,000 is under the peak measured
    assert "extrapolated: 510 MB" in "\n".join(scale_render(r))
    r["mem_new_20000"] = m(100, 390)  # a falling line: flat from the largest size's peak
    text = "\n".join(scale_render(r))
    assert "rises -0.6 MB" in text and "extrapolated: 390 MB" in text


def test_the_models_memory_rows() -> None:
    """The vocabulary row passes when nothing more is kept past the limit and memory stops
    rising; the 200,000-article estimate with the model running adds the model's running cost
    and all its vocabulary may keep to the extrapolation."""
    from bench.scale import _model_rows

    def v(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    voc = {
        "limit": 20000,
        "rss_start_mb": 150.0,
        "rss_at_limit_mb": 220.0,
        "rss_past_mb": [235.0, 238.0],
        "rss_end_mb": 238.0,
        "kept_start": 766,
        "kept_at_limit": 20400,
        "kept_end": 20400,
        "words_past_limit": 42000,
    }
    r = {
        "sizes": {"small": 2000},
        "mem_new_2000": {"peak_rss_mb": 400.0},
        "real_serial": {"peak_rss_mb": 410.0, "documents": 1200},
        "vocabulary": voc,
    }
    rows = _model_rows(r, 700.0, v)
    assert rows[0].endswith("| PASS |") and "20,400 word entries kept" in rows[0]
    assert "estimated: 798 MB = the extrapolation above (700 MB)" in rows[1]
    assert "+10 MB) + all its vocabulary may keep (88 MB) | PASS (estimated) |" in rows[1]
    assert _model_rows(r, 940.0, v)[1].endswith("| FAIL (estimated) |")
    r["vocabulary"] = {**voc, "kept_end": 30000}  # entries still kept past the limit
    assert _model_rows(r, 700.0, v)[0].endswith("| FAIL |")
    r["vocabulary"] = {**voc, "rss_past_mb": [235.0, 260.0], "rss_end_mb": 260.0}
    assert _model_rows(r, 700.0, v)[0].endswith("| FAIL |")
    assert _model_rows({**r, "vocabulary": None}, 700.0, v) == []


def test_extraction_next_to_the_bare_pipeline_is_the_median_of_pairs() -> None:
    from bench.nlp_bare import render as bare_render

    def run(bare: float, whole: float, ratios: list[float]) -> dict[str, object]:
        return {
            "documents": 100,
            "words": 60_000,
            "components": ["tok2vec", "ner"],
            "rounds": len(ratios),
            "bare_seconds": bare,
            "whole_seconds": whole,
            "bare_cpu_seconds": bare,
            "whole_cpu_seconds": whole,
            "ratios": ratios,
            "peak_rss_mb": 400.0,
        }

    text = "\n".join(
        bare_render(
            {
                "generated articles": run(10.0, 12.0, [0.83, 0.80, 0.86]),
                "real articles": run(5.0, 8.0, [0.62, 0.70, 0.60]),
            }
        )
    )
    rows = [line for line in text.splitlines() if line.startswith("| 100 ")]
    assert len(rows) == 2
    assert "100 generated articles (600 words on average)" in rows[0]
    assert "0.83x PASS (pairs: 0.83, 0.80, 0.86)" in rows[0]
    assert "0.62x FAIL" in rows[1]
    assert rows[0].endswith("| not measured |")
    same = {
        **run(5.0, 4.0, [1.25, 1.2, 1.3]),
        "bare_numpy_cpu_seconds": 3.0,
        "ratios_numpy": [0.7, 0.75, 0.8],
    }
    row = [ln for ln in bare_render({"real": same}) if ln.startswith("| 100 ")][0]
    assert "1.25x PASS" in row and row.endswith("| 3.0 s; 0.75x |")
