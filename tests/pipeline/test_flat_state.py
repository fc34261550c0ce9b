"""What a run holds in memory for the corpus as a whole does not grow with it: the stages that
walk every document (reading the corpus, rendering mentions.csv, finding the failed articles
of documents.csv) hold a bounded batch, not a structure an article. Measured with tracemalloc
(Python objects only: SQLite's own memory is not counted) on N and 4N tiny documents."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from geomap.errors import Problem
from geomap.model import Document
from geomap.pipeline.corpus import read_corpus, reading
from geomap.pipeline.run import ExtractResult, _write_documents_csv
from geomap.pipeline.store import Store

#: Python bytes a document the walks below may add (N -> 4N); a dict or list entry of a path
#: or a 64-character key costs 100 bytes or more.
BYTES_A_DOCUMENT = 40


def _peak(walk: Callable[[], Any]) -> int:
    """The tracemalloc peak above the start while ``walk`` runs."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        walk()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def _store(tmp: Path, n: int) -> Store:
    """A store whose run is ``n`` documents of one mention each, no event."""
    store = Store(tmp / f"store-{n}")
    store.start_run()
    store.begin()
    for i in range(n):
        key = f"{i:064x}"
        mention = [[f"d{i:06d}", "Hama", "C1", "resolved"], 36.7, 35.1]
        record = {"doc": [f"d{i:06d}", "2012-07-01", "", "", "", None, None, ""]}
        record |= {"mentions": [mention], "places": [], "corr": [], "unres": 0, "events": []}
        store.add(key, record, "{}")
        store.run_add(i, f"d{i:06d}", f"/c/d{i:06d}.txt", key)
    store.commit()
    return store


def _rendered(store: Store) -> None:
    for _text in store.mention_texts(lambda rows: "x" * len(rows)):
        pass


@pytest.mark.parametrize(
    "walk",
    [
        _rendered,
        lambda store: _write_documents_csv(store, ExtractResult(), store.path.parent / "d.csv"),
    ],
    ids=["mentions.csv pieces", "documents.csv"],
)
def test_store_walks_hold_no_structure_a_document(tmp_path: Path, walk: Any) -> None:
    n = 1500
    walk(_store(tmp_path / "warm", n))  # imports, compiled statements
    small, big = _store(tmp_path, n), _store(tmp_path, 4 * n)  # each walked first once
    grown = _peak(lambda: walk(big)) - _peak(lambda: walk(small))
    assert grown < BYTES_A_DOCUMENT * 3 * n, grown


def _tiny(root: Path, n: int) -> Path:
    root.mkdir(parents=True)
    for i in range(n):
        (root / f"a{i:06d}.txt").write_text("Shelling in Hama.\n", encoding="utf-8")
    return root


def _held(items: Iterator[Document | Problem]) -> int:
    """What reading holds (traced) when it yields its last item, above the start."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        held = 0
        for _item in items:
            held = tracemalloc.get_traced_memory()[0] - before
        return held
    finally:
        tracemalloc.stop()


def test_reading_a_corpus_remembers_no_id_an_article(tmp_path: Path) -> None:
    """While the articles are read, only the paths still to read are held (one short string
    an article, about 100 bytes): not the ids already read, except those that more than one
    file gives. (Listing the folder makes a Path an article once, before the first is read.)"""
    n = 1500
    small, big = _tiny(tmp_path / "s", n), _tiny(tmp_path / "b", 4 * n)
    _held(read_corpus(small))
    grown = _held(read_corpus(big)) - _held(read_corpus(small))
    # the path list itself: len(str(path)) + 49 bytes + 8 a list slot; nothing more an article
    per_path = len(str(big / "a000000.txt")) + 49 + 8
    assert grown < (per_path + BYTES_A_DOCUMENT) * 3 * n, (grown, per_path)


@pytest.mark.parametrize("as_list", [False, True], ids=["folder, recursive", "list of files"])
def test_an_id_given_twice_is_read_once_from_its_first_file(tmp_path: Path, as_list: bool) -> None:
    for folder in ("", "x", "y"):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "same.txt").write_text(f"In Homs {folder}.\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text("In Hama.\n", encoding="utf-8")
    if as_list:
        source: Any = [tmp_path / "x" / "same.txt", tmp_path / "other.txt", tmp_path / "same.txt"]
        with reading():
            items = list(read_corpus(source))
        first = tmp_path / "x" / "same.txt"  # a list is read in the order of its file names
        skipped = [tmp_path / "same.txt"]
    else:
        with reading(recursive=True):
            items = list(read_corpus(tmp_path))
        first = tmp_path / "same.txt"  # the folder's own files before its subfolders'
        skipped = [tmp_path / "x" / "same.txt", tmp_path / "y" / "same.txt"]
    docs = [i for i in items if isinstance(i, Document)]
    problems = [i for i in items if isinstance(i, Problem)]
    assert sorted(d.id for d in docs) == ["other", "same"]
    assert [d.path for d in docs if d.id == "same"] == [str(first)]
    assert [p.path for p in problems] == [str(p) for p in skipped]
    assert all("already read" in p.message and first.name in p.message for p in problems)
