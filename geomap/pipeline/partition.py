"""One partition of documents, processed where a Dask worker runs it.

A partition is a :class:`Request`: documents (their paths and manifest fields; the text only
when it cannot be read again from its file), their places in the corpus, the corrections and
what is needed to find the gazetteer and the document cache. :func:`records_of` processes it
and returns its results as one JSON text of plain records, which the client checks and stores
(:func:`geomap.pipeline.dask_engine.stream_dask`). It runs in a worker's extraction process
(:mod:`geomap.pipeline.worker_process`), or in-process on Dask's local schedulers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from geomap.errors import GazetteerError, Problem
from geomap.extraction.places.corrections import Correction
from geomap.gazetteer.store import Gazetteer, default_gazetteer_dir
from geomap.model import Document
from geomap.pipeline.corpus import read_article
from geomap.pipeline.documents import (
    DocResult,
    DocumentCache,
    cache_key,
    corrections_digest,
    fill_in,
    in_groups,
)


@dataclass(frozen=True, slots=True)
class Request:
    """One partition: documents (text "" when the worker can read it from ``path``), their
    places in the corpus, and what the worker needs to process them."""

    docs: tuple[Document, ...]
    orders: tuple[int, ...]
    corrections: tuple[Correction, ...]
    gazetteer_dir: str
    gazetteer_version: str
    cache_dir: str
    doc_timeout: float | None  # seconds one document may take (None: no limit)


#: The gazetteer a worker process loaded, by (directory, version): a task does not read and hash
#: the gazetteer's files again to find it (Gazetteer.load hashes them to name its cache).
WORKER_GAZETTEERS: dict[tuple[str, str], Gazetteer] = {}


def worker_gazetteer(directory: str, version: str) -> Gazetteer:
    """The gazetteer, loaded once per worker process (``Gazetteer.load`` caches it).

    From the driver's directory when the worker sees it (a shared file system), else from the
    worker's own default (its geomap installation); either way it must be the same version.
    """
    held = WORKER_GAZETTEERS.get((directory, version))
    if held is not None:  # not even the files hashed again: once a worker process
        return held
    path = Path(directory)
    if not (path / "places.csv").is_file():
        path = default_gazetteer_dir()
    gaz = Gazetteer.load(path)
    if gaz.version != version:
        raise GazetteerError(
            f"worker has gazetteer version {gaz.version}, the driver {version}: "
            "give every worker the same gazetteer files",
            path=directory,
        )
    WORKER_GAZETTEERS[(directory, version)] = gaz
    return gaz


def text_of(doc: Document) -> tuple[Document | None, Problem | None]:
    if doc.text:
        return doc, None
    text, problems = read_article(Path(doc.path))
    if text is None:  # vanished or changed into something unreadable since the driver read it
        errors = [p for p in problems if p.severity == "error"]
        return None, errors[0] if errors else Problem(doc.path, "cannot be read")
    return replace(doc, text=text), None  # decoding warnings were reported by the driver


def looked_up(
    light: Document, gaz: Gazetteer, digest: str, cache: DocumentCache
) -> tuple[Document | None, str, DocResult | Problem | None]:
    """A partition's document with its text, its cache key and its cached result (None: to
    be processed); (None, "", the problem) when its text cannot be read."""
    doc, problem = text_of(light)
    if doc is None:
        assert problem is not None
        return None, "", problem
    key = cache_key(doc, gaz.version, digest)
    return doc, key, cache.get(key)


def pending(
    found: Sequence[tuple[Document | None, str, DocResult | Problem | None]],
) -> list[Document | DocResult | Problem | None]:
    """What :func:`geomap.pipeline.documents.fill_in` is given for looked-up documents
    (:func:`looked_up`): the problem, the cached result, or the document to process."""
    return [doc if doc is not None and result is None else result for doc, _key, result in found]


def processed(
    docs: Sequence[Document],
    gaz: Gazetteer,
    corrections: Sequence[Any],
    cache: DocumentCache,
    doc_timeout: float | None,
) -> Iterator[tuple[Document | None, str, DocResult | Problem | None, DocResult | Problem]]:
    """Each of a partition's ``docs``, in order: (the document with its text, its cache key,
    its cached result or None, its result), a group of documents read, looked up in the cache
    and processed together at a time. A document that cannot be read or fails is (None or the
    document, "" or its key, None, the Problem)."""
    digest = corrections_digest(corrections)
    for group in in_groups(docs):
        found = [looked_up(light, gaz, digest, cache) for light in group]
        results = fill_in(pending(found), gaz, corrections, doc_timeout)
        for (doc, key, cached), result in zip(found, results, strict=True):
            assert result is not None
            yield doc, key, cached, result


def records_of(request: Request, gaz: Gazetteer | None = None) -> str:
    """Process one partition, returning its results encoded as one JSON text (the store's
    rows, see :func:`geomap.pipeline.store.encode_record`, and the encoded results): the worker
    does all the encoding, the client only checks and inserts. The gazetteer (unless given)
    and the language model are loaded once per process and kept."""
    from geomap.pipeline.documents import encode_result
    from geomap.pipeline.store import encode_record

    if gaz is None:
        gaz = worker_gazetteer(request.gazetteer_dir, request.gazetteer_version)
    cache = DocumentCache(Path(request.cache_dir) if request.cache_dir else None)
    out: list[list[Any]] = []
    done = processed(request.docs, gaz, request.corrections, cache, request.doc_timeout)
    for order, (doc, key, cached, result) in zip(request.orders, done, strict=True):
        if isinstance(result, Problem):
            out.append(["problem", result.path, result.message, result.line, result.severity])
            continue
        assert doc is not None  # a document that cannot be read is a Problem
        record, text = encode_result(key, result)
        if cached is None:
            cache.put(key, result, text)
        record_text, events = encode_record(record)
        out.append(
            ["ok", order, doc.id, doc.path, key, record_text, events, text, cached is not None]
        )
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
