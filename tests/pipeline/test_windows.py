"""Incremental reruns: only the merge windows new articles touch are merged again, only the
files whose content changes are written, and the files are those of a cold run."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import geomap.pipeline.run as run
from bench.generate import generate_corpus
from geomap.gazetteer.store import Gazetteer
from geomap.pipeline.run import CACHE_DIR, OUTPUT_NAMES, run_extract
from geomap.pipeline.store import STORE_NAME

SEED = 33


def _bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUT_NAMES}


def _age(out: Path) -> dict[str, int]:
    """Set every output's modification time to a fixed past value; return the stamps."""
    for name in OUTPUT_NAMES:
        os.utime(out / name, ns=(1_000_000_000, 1_000_000_000))
    return _stamps(out)


def _stamps(out: Path) -> dict[str, int]:
    return {name: (out / name).stat().st_mtime_ns for name in OUTPUT_NAMES}


class MergeSpy:
    """Records how many windows each run merged again, and how many it had."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.merged: list[int] = []
        self.windows: list[int] = []
        self._real = run._merge_into_store
        monkeypatch.setattr(run, "_merge_into_store", self)

    def __call__(self, store: Any, shapes: Any) -> int:
        n = self._real(store, shapes)
        self.merged.append(n)
        self.windows.append(store.db.execute("SELECT count(*) FROM windows").fetchone()[0])
        return n


def test_ten_new_articles_merge_only_their_windows_and_give_a_cold_runs_files(
    tmp_path: Path, gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate_corpus(60, tmp_path / "corpus", seed=SEED, gaz=gaz)
    out = tmp_path / "out"
    spy = MergeSpy(monkeypatch)
    run_extract(corpus, out, gazetteer=gaz)
    assert spy.merged[-1] == spy.windows[-1] > 0  # a cold run merges every window
    generate_corpus(70, corpus, seed=SEED, gaz=gaz)  # the same 60 articles and 10 new ones
    again = run_extract(corpus, out, gazetteer=gaz)
    assert again.cache_hits == 60
    assert 0 < spy.merged[-1] < spy.windows[-1]  # only the windows the new articles touch
    cold = tmp_path / "cold"
    run_extract(corpus, cold, gazetteer=gaz)
    assert _bytes(out) == _bytes(cold)
    assert list(again.events) == list(run_extract(corpus, cold, gazetteer=gaz).events)


def test_articles_without_places_rewrite_only_documents_csv(tmp_path: Path, gaz: Gazetteer) -> None:
    corpus = generate_corpus(20, tmp_path / "corpus", seed=SEED, gaz=gaz)
    out = tmp_path / "out"
    run_extract(corpus, out, gazetteer=gaz, published=None)
    before = _age(out)
    for i in range(10):  # no place, no event: only documents.csv has something new to say
        (corpus / f"zz-quiet-{i}.txt").write_text(f"Nothing happened today, part {i}.\n")
    again = run_extract(corpus, out, gazetteer=gaz)
    assert len(again.documents) == 30
    after = _stamps(out)
    changed = sorted(name for name in OUTPUT_NAMES if after[name] != before[name])
    assert changed == ["documents.csv"]
    cold = tmp_path / "cold"
    run_extract(corpus, cold, gazetteer=gaz)
    assert _bytes(out) == _bytes(cold)


def test_nothing_new_merges_nothing_and_writes_nothing(
    tmp_path: Path, gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate_corpus(15, tmp_path / "corpus", seed=SEED, gaz=gaz)
    out = tmp_path / "out"
    run_extract(corpus, out, gazetteer=gaz)
    before = _age(out)
    # the corpus folder's stamps change (so the run is not skipped from stamps alone), not
    # its articles: every window and every file is found unchanged by its digest
    for p in corpus.glob("*.txt"):
        os.utime(p)
    spy = MergeSpy(monkeypatch)
    run_extract(corpus, out, gazetteer=gaz)
    assert _stamps(out) == before
    assert spy.merged in ([], [0])


@pytest.mark.parametrize("damage", ["windows", "merged", "lost", "outputs"])
def test_damaged_window_records_are_a_miss(tmp_path: Path, gaz: Gazetteer, damage: str) -> None:
    corpus = generate_corpus(30, tmp_path / "corpus", seed=SEED, gaz=gaz)
    out = tmp_path / "out"
    run_extract(corpus, out, gazetteer=gaz)
    generate_corpus(34, corpus, seed=SEED, gaz=gaz)
    db = sqlite3.connect(out / CACHE_DIR / STORE_NAME)
    if damage == "windows":  # digests that match nothing: every window merged again
        db.execute("UPDATE windows SET digest = 'x'")
    elif damage == "merged":  # rows of no window: dropped and merged again
        db.execute("UPDATE merged SET win = win || '-gone'")
    elif damage == "lost":  # a window's rows lost: its count is wrong, it is merged again
        db.execute("DELETE FROM merged WHERE rowid IN (SELECT rowid FROM merged LIMIT 5)")
    else:  # the record of the files written: not JSON
        db.execute("UPDATE meta SET v = '{not json' WHERE k = 'outputs'")
    db.commit()
    db.close()
    run_extract(corpus, out, gazetteer=gaz)
    cold = tmp_path / "cold"
    run_extract(corpus, cold, gazetteer=gaz, use_cache=False)
    assert _bytes(out) == _bytes(cold)


def test_the_summary_counts_from_the_store_what_the_items_hold(
    tmp_path: Path, gaz: Gazetteer
) -> None:
    from dataclasses import replace

    from geomap.pipeline.run import summary

    corpus = generate_corpus(20, tmp_path / "corpus", seed=SEED, gaz=gaz)
    result = run_extract(corpus, tmp_path / "out", gazetteer=gaz)
    assert result.tallies is not None
    assert summary(result) == summary(replace(result, tallies=None))
    again = run_extract(corpus, tmp_path / "out", gazetteer=gaz)  # nothing new
    assert summary(replace(again, seconds=result.seconds, cache_hits=result.cache_hits)) == (
        summary(result)
    )
