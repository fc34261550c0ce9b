"""Reruns do only new work: nothing new rewrites no file; a moved corpus keeps its cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from bench.generate import generate_corpus
from geomap.gazetteer.store import Gazetteer
from geomap.pipeline.run import run_extract


def _stamps(out: Path) -> dict[str, int]:
    return {
        str(p.relative_to(out)): p.stat().st_mtime_ns
        for p in out.rglob("*")
        if p.is_file() and ".geomap-cache" not in p.parts
    }


def test_a_rerun_with_nothing_new_writes_no_file(tmp_path: Path, gaz: Gazetteer) -> None:
    corpus = generate_corpus(6, tmp_path / "corpus", seed=3, gaz=gaz)
    out = tmp_path / "out"
    run_extract(corpus, out, gazetteer=gaz)
    before = _stamps(out)
    for p in out.rglob("*"):  # make any rewrite visible in the modification times
        if p.is_file():
            os.utime(p, ns=(1_000_000_000, 1_000_000_000))
    before = _stamps(out)
    again = run_extract(corpus, out, gazetteer=gaz)
    assert again.cache_hits == 6
    assert _stamps(out) == before


def test_moving_the_corpus_keeps_every_cache_hit(tmp_path: Path, gaz: Gazetteer) -> None:
    corpus = generate_corpus(5, tmp_path / "corpus", seed=4, gaz=gaz)
    out = tmp_path / "out"
    first = run_extract(corpus, out, gazetteer=gaz)
    moved = tmp_path / "elsewhere" / "renamed"
    moved.parent.mkdir()
    shutil.move(str(corpus), moved)
    second = run_extract(moved, out, gazetteer=gaz)
    assert second.cache_hits == 5
    assert second.events == first.events
    assert all(d.path.startswith(str(moved)) for d in second.documents)


def test_build_no_png_removes_the_pictures_and_pdf_of_an_earlier_run(tmp_path: Path) -> None:
    """Outputs of two runs never stand side by side: what this run does not write goes."""
    from geomap.cli import main

    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parents[2] / "corpus" / "seeds", corpus)
    out = tmp_path / "out"
    assert main(["-q", "build", str(corpus), "--out", str(out)]) == 0
    assert (out / "index.png").is_file() and (out / "report" / "report.pdf").is_file()
    assert main(["-q", "build", str(corpus), "--out", str(out), "--no-png"]) == 0
    assert not list(out.rglob("*.png")) or all("figures" in p.parts for p in out.rglob("*.png"))
    assert not (out / "report" / "report.pdf").exists()
    assert (out / "index.html").is_file()


def _forbid_reading(monkeypatch: Any) -> None:
    """Make reading the corpus, loading the gazetteer or reading the document cache fail."""
    import geomap.pipeline.documents as documents
    import geomap.pipeline.run as run

    def refuse(*_a: object, **_k: object) -> Any:
        raise AssertionError("a rerun with nothing new read its inputs")

    monkeypatch.setattr(run, "read_corpus", refuse)
    monkeypatch.setattr(documents.DocumentCache, "get", refuse)
    monkeypatch.setattr(run.Gazetteer, "load", refuse)


def test_nothing_new_is_decided_from_stamps_alone(
    tmp_path: Path, gaz: Gazetteer, monkeypatch: Any
) -> None:
    """No article, cache entry or gazetteer is read, no file is written, and the result (its
    counts, problems and lazily read events) is the last run's."""
    corpus = generate_corpus(7, tmp_path / "corpus", seed=5, gaz=gaz)
    (corpus / "broken.txt").write_bytes(b"\x00\x01binary")
    out = tmp_path / "out"
    first = run_extract(corpus, out)
    for p in out.rglob("*"):
        if p.is_file():
            os.utime(p, ns=(1_000_000_000, 1_000_000_000))
    run_extract(corpus, out)  # the slow path records the new stamps
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    _forbid_reading(monkeypatch)
    again = run_extract(corpus, out)
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert after == before  # no output, cache or store file written
    assert again.cache_hits == len(first.documents) == 7
    assert again.problems == first.problems and again.failed
    assert list(again.events) == list(first.events)
    assert list(again.mentions) == list(first.mentions)
    assert again.dates == first.dates and again.raw_events == first.raw_events


def test_a_changed_article_or_output_is_not_nothing_new(
    tmp_path: Path, gaz: Gazetteer, monkeypatch: Any
) -> None:
    import geomap.pipeline.run as run

    corpus = generate_corpus(4, tmp_path / "corpus", seed=6, gaz=gaz)
    out = tmp_path / "out"
    run_extract(corpus, out, gazetteer=gaz)
    reads: list[object] = []
    real = run.read_corpus

    def counting(*a: Any, **k: Any) -> Any:
        reads.append(a[0])
        return real(*a, **k)

    monkeypatch.setattr(run, "read_corpus", counting)
    run_extract(corpus, out, gazetteer=gaz)
    assert reads == []  # nothing new
    article = corpus / "gen000002.txt"
    article.write_text(article.read_text(encoding="utf-8") + "Shelling hit Homs.\n", "utf-8")
    changed = run_extract(corpus, out, gazetteer=gaz)
    assert len(reads) == 1 and changed.cache_hits == 3
    run_extract(corpus, out, gazetteer=gaz)
    assert len(reads) == 1
    (out / "events.csv").unlink()  # an output removed: written again
    run_extract(corpus, out, gazetteer=gaz)
    assert len(reads) == 2 and (out / "events.csv").is_file()
    moved = tmp_path / "moved"
    shutil.move(str(corpus), moved)  # the paths in documents.csv change
    res = run_extract(moved, out, gazetteer=gaz)
    assert len(reads) == 3 and res.cache_hits == 4
    assert str(moved) in (out / "documents.csv").read_text(encoding="utf-8")


def test_a_tampered_run_manifest_is_a_miss(tmp_path: Path, gaz: Gazetteer) -> None:
    import json

    import geomap.pipeline.run as run

    corpus = generate_corpus(3, tmp_path / "corpus", seed=7, gaz=gaz)
    out = tmp_path / "out"
    first = run_extract(corpus, out, gazetteer=gaz)
    path = out / run.CACHE_DIR / run.RUN_MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    for bad in ({"documents": -1}, {"problems": [[1, 2, 3, 4]]}, {"dates": "x"}):
        path.write_text(json.dumps({**data, **bad}), encoding="utf-8")
        again = run_extract(corpus, out, gazetteer=gaz)
        assert again.cache_hits == 3 and list(again.events) == list(first.events)
    path.write_bytes(b"\xff not json")
    assert run_extract(corpus, out, gazetteer=gaz).cache_hits == 3


def test_a_dask_rerun_with_nothing_new_keeps_its_parquet_parts(
    tmp_path: Path, gaz: Gazetteer
) -> None:
    """The Dask engine's events_parquet/ parts are outputs too: kept, not removed as stale,
    and a removed part is not 'nothing new'."""
    from geomap.writing import output_run

    corpus = generate_corpus(5, tmp_path / "corpus", seed=8, gaz=gaz)
    out = tmp_path / "out"

    def run() -> Any:
        with output_run(out, "extract"):
            return run_extract(
                corpus, out, gazetteer=gaz, engine="dask", scheduler="synchronous"
            )

    run()
    run()  # the first run also recorded the cache entries it wrote (in .geomap-files.json)
    parts = sorted((out / "events_parquet").glob("part-*.parquet"))
    assert parts
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    again = run()
    assert again.cache_hits == 5
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps
    parts[0].unlink()
    run()
    assert parts[0].is_file()
