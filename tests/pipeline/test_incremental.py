"""The document cache: a re-run does only the new work; a gazetteer change redoes everything."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

import geomap.pipeline.documents as documents
import geomap.pipeline.run as extract
from bench.generate import generate_corpus
from geomap.gazetteer.store import Gazetteer
from geomap.pipeline.run import ExtractResult, run_extract

SEED = 21


class Counting:
    """Wraps process_document and records the documents it really processed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.docs: list[str] = []
        self._real = documents.process_document
        monkeypatch.setattr(documents, "process_document", self)

    def __call__(self, doc: Any, gaz: Any, corrections: Any = (), analysis: Any = None) -> Any:
        self.docs.append(doc.id)
        return self._real(doc, gaz, corrections, analysis)


def _run(corpus: Path, out: Path, gaz: Gazetteer, **kw: Any) -> ExtractResult:
    return run_extract(corpus, out, gazetteer=gaz, **kw)


def test_rerun_and_ten_new_articles(
    tmp_path: Path, gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate_corpus(30, tmp_path / "corpus", seed=SEED, gaz=gaz)
    out = tmp_path / "out"
    calls = Counting(monkeypatch)
    first = _run(corpus, out, gaz)
    assert len(calls.docs) == 30 and first.cache_hits == 0
    first_bytes = (out / "events.geojson").read_bytes()

    calls.docs.clear()
    second = _run(corpus, out, gaz)
    assert calls.docs == [] and second.cache_hits == 30
    assert second.events == first.events
    assert (out / "events.geojson").read_bytes() == first_bytes

    generate_corpus(40, corpus, seed=SEED, gaz=gaz)  # the same 30 articles and 10 new ones
    calls.docs.clear()
    third = _run(corpus, out, gaz)
    assert sorted(calls.docs) == [f"gen{i:06d}" for i in range(30, 40)]
    assert third.cache_hits == 30
    fresh = _run(corpus, tmp_path / "fresh", gaz, use_cache=False)
    assert third.events == fresh.events
    assert (out / "events.geojson").read_bytes() == (
        tmp_path / "fresh" / "events.geojson"
    ).read_bytes()


def test_changed_article_is_redone(
    tmp_path: Path, gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate_corpus(8, tmp_path / "corpus", seed=SEED, gaz=gaz)
    out = tmp_path / "out"
    _run(corpus, out, gaz)
    path = corpus / "gen000003.txt"
    path.write_text(path.read_text(encoding="utf-8") + "Clashes erupted in Homs.\n", "utf-8")
    calls = Counting(monkeypatch)
    again = _run(corpus, out, gaz)
    assert calls.docs == ["gen000003"] and again.cache_hits == 7


def test_manifest_change_is_redone(
    tmp_path: Path, gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new publication date changes what relative dates mean: the document is redone."""
    corpus = generate_corpus(5, tmp_path / "corpus", seed=SEED, gaz=gaz)
    out = tmp_path / "out"
    _run(corpus, out, gaz)
    manifest = corpus / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    name, published, rest = lines[2].split(",", 2)
    lines[2] = f"{name},2019-01-01,{rest}"
    assert published != "2019-01-01"
    manifest.write_text("".join(lines), encoding="utf-8")
    calls = Counting(monkeypatch)
    _run(corpus, out, gaz)
    assert calls.docs == ["gen000001"]


def test_gazetteer_change_redoes_everything(
    tmp_path: Path, gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate_corpus(12, tmp_path / "corpus", seed=SEED, gaz=gaz)
    out = tmp_path / "out"
    _run(corpus, out, gaz)
    changed = copy.copy(gaz)
    changed.version = gaz.version + "-edited"
    calls = Counting(monkeypatch)
    res = _run(corpus, out, changed)
    assert len(calls.docs) == 12 and res.cache_hits == 0
    calls.docs.clear()
    res = _run(corpus, out, gaz)  # the old version's entries are still there
    assert calls.docs == [] and res.cache_hits == 12


def test_gazetteer_version_follows_its_files(tmp_path: Path, gaz: Gazetteer) -> None:
    """The version the cache is keyed on changes when a data file changes."""
    from geomap.gazetteer.store import _version

    assert gaz.directory is not None
    names = ("places.csv", "names.csv", "shapes.csv", "corrections.csv")
    copy_dir = tmp_path / "gaz"
    copy_dir.mkdir()
    for n in names:
        if (gaz.directory / n).is_file():
            (copy_dir / n).write_bytes((gaz.directory / n).read_bytes())
    before = _version(copy_dir)
    with open(copy_dir / "names.csv", "a", encoding="utf-8") as fh:
        fh.write("C1001,Dimashq al-Qadima,en,test\n")
    assert _version(copy_dir) != before


def test_corrections_change_redoes_everything(
    tmp_path: Path, gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate_corpus(6, tmp_path / "corpus", seed=SEED, gaz=gaz)
    out = tmp_path / "out"
    none = tmp_path / "none.csv"
    none.write_text("doc,surface,place_id,note\n", encoding="utf-8")
    _run(corpus, out, gaz, corrections_path=none)
    corrections = tmp_path / "corrections.csv"
    corrections.write_text("doc,surface,place_id,note\n*,Zzyzx,C1001,test\n", encoding="utf-8")
    calls = Counting(monkeypatch)
    _run(corpus, out, gaz, corrections_path=corrections)
    assert len(calls.docs) == 6


def test_corrupt_cache_entry_is_recomputed(
    tmp_path: Path, gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate_corpus(4, tmp_path / "corpus", seed=SEED, gaz=gaz)
    out = tmp_path / "out"
    first = _run(corpus, out, gaz)
    entries = sorted((out / extract.CACHE_DIR).rglob("*.json"))
    assert len(entries) == 4
    entries[0].write_bytes(b"not a pickle")
    calls = Counting(monkeypatch)
    again = _run(corpus, out, gaz)
    assert len(calls.docs) == 1 and again.cache_hits == 3
    assert again.events == first.events


def test_no_cache_means_no_cache_dir(tmp_path: Path, gaz: Gazetteer) -> None:
    corpus = generate_corpus(2, tmp_path / "corpus", seed=SEED, gaz=gaz)
    res = _run(corpus, tmp_path / "out", gaz, use_cache=False)
    assert res.cache_hits == 0
    assert not (tmp_path / "out" / extract.CACHE_DIR).exists()


def test_a_corrupt_store_is_started_again(tmp_path: Path, gaz: Gazetteer) -> None:
    corpus = generate_corpus(3, tmp_path / "corpus", seed=SEED, gaz=gaz)
    out = tmp_path / "out"
    first = list(_run(corpus, out, gaz).events)
    for p in (out / extract.CACHE_DIR).glob("store.sqlite*"):
        p.write_bytes(b"garbage" * 100)
    again = _run(corpus, out, gaz)
    assert again.cache_hits == 3  # from the document cache
    assert again.events == first
