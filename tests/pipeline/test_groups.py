"""Documents processed a group at a time: the language model reads the group's documents
together (:func:`geomap.pipeline.documents.process_group`), and each gets what it gets alone."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from geomap.errors import Problem
from geomap.extraction import nlp
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline import documents
from geomap.pipeline.documents import in_groups, process_document, process_group

TEXTS = (
    "Government warplanes struck Kafr Nabl on Monday, killing four civilians, the monitor "
    "said. Deputy Minister Karim Haddad denied it.",
    "Rebels shelled the Salah al-Din district of Aleppo on Tuesday, activists said.",
    "Foreign Ministry spokeswoman Maria Zakharova said shelling hit Maarzaf.",
    "Two people were killed when a car bomb exploded in Azaz near the Turkish border.",
)


def _docs() -> list[Document]:
    return [Document(f"d{i}", t, date(2016, 5, 2)) for i, t in enumerate(TEXTS)]


def test_a_group_gives_what_each_document_gives_alone(
    gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = [process_document(d, gaz) for d in _docs()]
    reads: list[int] = []
    real = nlp.analyse_many

    def counting(docs: Any, *args: Any, **kwargs: Any) -> Any:
        reads.append(len(docs))
        return real(docs, *args, **kwargs)

    monkeypatch.setattr(nlp, "analyse_many", counting)
    together = process_group(_docs(), gaz, (), None)
    assert together == alone
    assert reads == [len(TEXTS)]  # the model read the group once, not each document again
    assert any(r.events for r in together) and any(r.mentions for r in together)


def test_a_group_the_model_cannot_read_is_read_document_by_document(
    gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = [process_document(d, gaz) for d in _docs()]

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the batch failed")

    monkeypatch.setattr(nlp, "recognise_many", broken)
    # each document alone still reads its entities (nlp.recognise -> recognise_many): the
    # fault then is each document's, reported as its problem, the others unaffected
    done = process_group(_docs(), gaz, (), None)
    assert all(isinstance(r, Problem) for r in done)
    monkeypatch.undo()
    monkeypatch.setattr(
        documents, "read_ahead", lambda docs, *a: [None] * len(docs)
    )  # nothing read ahead: each document reads for itself
    assert process_group(_docs(), gaz, (), None) == alone


def test_one_bad_document_in_a_group_is_its_own_problem(
    gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = _docs()
    alone = [process_document(d, gaz) for d in docs]
    real = documents.process_document

    def failing(doc: Document, *args: Any) -> Any:
        if doc.id == "d1":
            raise ValueError("bad document")
        return real(doc, *args)

    monkeypatch.setattr(documents, "process_document", failing)
    done = process_group(docs, gaz, (), None)
    assert isinstance(done[1], Problem) and "bad document" in done[1].message
    assert [r for i, r in enumerate(done) if i != 1] == [r for i, r in enumerate(alone) if i != 1]


def test_in_groups_keeps_order_and_size() -> None:
    assert list(in_groups(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(in_groups([], 3)) == []
