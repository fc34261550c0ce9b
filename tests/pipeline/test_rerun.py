"""Reruns do only new work: nothing new rewrites no file; a moved corpus keeps its cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

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
