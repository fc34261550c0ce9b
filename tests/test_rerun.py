"""Reruns do only new work: nothing new rewrites no file; a moved corpus keeps its cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bench.generate import generate_corpus
from geomap.extract import run_extract
from geomap.gazetteer import Gazetteer


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
