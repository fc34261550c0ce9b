"""One document: extraction within its time budget, the data-only record of its result, and the
document cache keyed on content, name and settings."""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from geomap import writing
from geomap.errors import Problem
from geomap.extraction import budget
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document, Event, Mention
from geomap.output import files as gio
from geomap.pipeline.codec import CodecError, decode, encode

log = logging.getLogger(__name__)

T = TypeVar("T")
#: Documents the language model reads together (:func:`process_group`): enough that its
#: weights stay in the processor's caches, few enough that a group's results are written soon.
GROUP = 16


@functools.cache
def code_version() -> str:
    """A hash of the package's source and data (every ``.py`` and ``.csv`` under ``geomap/``),
    so that a change of code or rules invalidates the cache. Computed on first use, once."""
    h = hashlib.sha256()
    pkg = Path(__file__).resolve().parents[1]
    files = [p for p in pkg.rglob("*") if p.suffix in {".py", ".csv"} and p.is_file()]
    for path in sorted(files, key=lambda p: p.relative_to(pkg).as_posix()):
        h.update(path.relative_to(pkg).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document that holds a mention: what the check page shows around it."""

    index: int  # as Mention.sentence
    start: int  # its offset in the document
    text: str


@dataclass(frozen=True, slots=True)
class DocResult:
    """What one document gives: its mentions and (unmerged) events."""

    doc: Document  # with its text dropped (``text`` is "") to keep results small
    mentions: tuple[Mention, ...]
    events: tuple[Event, ...]
    corrections_used: tuple[str, ...] = ()  # keys of the corrections that matched
    unresolved_dates: int = 0  # date expressions left unresolved for want of a publication date
    printed_date: date | None = None  # the date printed in the article (extraction.structure)
    date_used: date | None = None  # the date relative expressions were read against
    date_basis: str = ""  # see extraction.structure.effective_published
    #: the sentences that hold a mention, so that later stages never read the article again
    sentences: tuple[Sentence, ...] = ()


def correction_key(c: Any) -> str:
    return f"{c.doc}\t{c.surface}\t{c.place_id}"


def process_document(
    doc: Document,
    gaz: Gazetteer,
    corrections: Sequence[Any] = (),
    analysis: Any = None,
) -> DocResult:
    """Mentions and events of one document (pure: no I/O). ``analysis``: the language
    model's reading of it when the caller had the model read it ahead
    (:func:`process_group`), else it is read here."""
    from geomap.extraction.events.dates import find_time_expressions
    from geomap.extraction.events.extract import extract_events
    from geomap.extraction.nlp import analyse_if_enabled
    from geomap.extraction.places.mentions import find_mentions_with_report
    from geomap.extraction.structure import analyse as analyse_structure
    from geomap.extraction.structure import effective_published
    from geomap.extraction.text import split_sentences

    sentences = split_sentences(doc.text) or [(0, len(doc.text))]
    # the language model's parse, once a document; its entities only for the sentences
    # whose names they can decide (asked for by the places stage)
    if analysis is None:
        analysis = analyse_if_enabled(doc.text, sentences, entities=False)
    mentions, used_corrections = find_mentions_with_report(
        doc, gaz, corrections=corrections, sentences=sentences, analysis=analysis
    )
    # the printed date, not the manifest's, anchors relative dates; it is no event's date
    top = analyse_structure(doc.text)
    published, basis = effective_published(top, doc.published)
    times = [t for t in find_time_expressions(doc.text, published) if not top.masks(t.start, t.end)]
    restated = [top.headline_repeat] if top.headline_repeat else []
    events = extract_events(
        replace(doc, published=published),
        sentences,
        mentions,
        times,
        restated=restated,
        analysis=analysis,
    )
    used = tuple(sorted(correction_key(c) for c in used_corrections))
    unresolved = sum(1 for t in times if t.date_start is None)
    printed = top.printed.value if top.printed else None
    held = sorted({m.sentence for m in mentions if 0 <= m.sentence < len(sentences)})
    return DocResult(
        replace(doc, text=""),
        tuple(mentions),
        tuple(events),
        used,
        unresolved,
        printed,
        published,
        basis,
        tuple(Sentence(i, sentences[i][0], doc.text[slice(*sentences[i])]) for i in held),
    )


def process_within_budget(
    doc: Document,
    gaz: Gazetteer,
    corrections: Sequence[Any],
    seconds: float | None,
    analysis: Any = None,
) -> DocResult | Problem:
    """:func:`process_document` within a time budget; a document past it, or one that makes
    the extractor fail, is a :class:`Problem` and the others go on."""
    where = doc.path or doc.id
    try:
        with budget.time_limit(seconds):
            return process_document(doc, gaz, corrections, analysis)
    except budget.DocumentTimeout as exc:
        log.warning("%s: %s; skipped", where, exc)
        return Problem(where, f"{exc}; skipped (raise --doc-timeout to allow more)")
    except Exception as exc:  # a bug on one document must not lose the others
        log.exception("%s: extraction failed", where)
        return Problem(where, f"extraction failed: {exc!r}")


def process_group(
    docs: Sequence[Document],
    gaz: Gazetteer,
    corrections: Sequence[Any],
    seconds: float | None,
) -> list[DocResult | Problem]:
    """:func:`process_within_budget` of each of ``docs``, the language model reading them
    together first (:func:`read_ahead`): the same results as one by one, in less time."""
    analyses = read_ahead(docs, gaz, corrections, seconds)
    return [
        process_within_budget(doc, gaz, corrections, seconds, analysis)
        for doc, analysis in zip(docs, analyses, strict=True)
    ]


def fill_in(
    pending: Sequence[Document | DocResult | Problem | None],
    gaz: Gazetteer,
    corrections: Sequence[Any],
    seconds: float | None,
) -> list[DocResult | Problem | None]:
    """``pending`` with each :class:`Document` replaced by its result, the documents
    processed together (:func:`process_group`); what is already a result, a problem or None
    (nothing to do) stays as it is, in its place."""
    todo = [p for p in pending if isinstance(p, Document)]
    done = iter(process_group(todo, gaz, corrections, seconds))
    return [next(done) if isinstance(p, Document) else p for p in pending]


def read_ahead(
    docs: Sequence[Document],
    gaz: Gazetteer,
    corrections: Sequence[Any],
    seconds: float | None,
) -> list[Any]:
    """The language model's reading of each of ``docs`` (its parse, and the entities of the
    sentences the places stage asks for: :func:`geomap.extraction.places.mentions.
    sentences_to_recognise`), the documents' sentences read in shared batches
    (:func:`geomap.extraction.nlp.analyse_many`), within the documents' time budgets
    together. None for each when the model is off, there is one document, or the reading
    fails or runs out of time: each document is then read on its own, within its own budget,
    where a fault is that document's alone."""
    from geomap.extraction import nlp
    from geomap.extraction.places.mentions import sentences_to_recognise
    from geomap.extraction.text import split_sentences

    nothing: list[Any] = [None] * len(docs)
    if len(docs) < 2 or not nlp.enabled():
        return nothing
    try:
        with budget.time_limit(None if seconds is None else seconds * len(docs)):
            sentences = [split_sentences(d.text) or [(0, len(d.text))] for d in docs]
            parsed = nlp.analyse_many(
                [(d.text, s) for d, s in zip(docs, sentences, strict=True)], entities=False
            )
            wanted = [
                sentences_to_recognise(d, gaz, s, corrections)
                for d, s in zip(docs, sentences, strict=True)
            ]
            return nlp.recognise_many(
                [
                    (d.text, a, s, w)
                    for d, a, s, w in zip(docs, parsed, sentences, wanted, strict=True)
                ]
            )
    except budget.DocumentTimeout as exc:
        log.info("%d documents read together: %s; each is read on its own", len(docs), exc)
    except Exception:  # the document at fault fails again alone, and is reported then
        log.debug("%d documents read together failed; each is read on its own", len(docs))
    return nothing


def in_groups(items: Iterable[T], size: int = GROUP) -> Iterator[list[T]]:
    """``items`` in consecutive lists of ``size`` (the last shorter)."""
    group: list[T] = []
    for item in items:
        group.append(item)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group


def cache_key(doc: Document, gaz_version: str, corrections_digest: str) -> str:
    h = hashlib.sha256()
    from geomap.extraction.nlp import enabled

    for part in (
        code_version(),
        "nlp" if enabled() else "no-nlp",  # GEOMAP_NLP=off gives other results
        gaz_version,
        corrections_digest,
        doc.id,  # the name, not the path: a moved or renamed corpus folder keeps its cache
        doc.published.isoformat() if doc.published else "",
        doc.dateline,
        doc.outlet,
        doc.wire,
        doc.text,
    ):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


class DocumentCache:
    """Results by document content hash + gazetteer version + corrections + code version.

    Entries are data-only JSON (:mod:`geomap.pipeline.codec`), validated on read. The cache lives
    in an
    output folder that may have been shared or tampered with: an entry that is missing, too
    large, unreadable or invalid in any way is a miss, never an error, and nothing in it runs.
    """

    SUFFIX = ".json"
    #: An entry larger than this is not read (a 5 MB article gives well under 20 MB).
    MAX_ENTRY_BYTES = 64 * 1024 * 1024

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.hits = 0

    def path(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / key[:2] / f"{key}{self.SUFFIX}"

    @staticmethod
    def _schema(key: str) -> str:
        return f"geomap.DocResult:{key}"

    def stamp(self, key: str) -> str | None:
        """See :func:`geomap.pipeline.store.entry_stamp` (None without a cache)."""
        from geomap.pipeline.store import entry_stamp

        return entry_stamp(self.path(key) if self.directory is not None else None)

    def get(self, key: str) -> DocResult | None:
        if self.directory is None:
            return None
        try:
            with open(self.path(key), "rb") as fh:
                data = fh.read(self.MAX_ENTRY_BYTES + 1)
            if len(data) > self.MAX_ENTRY_BYTES:
                raise CodecError("entry too large")
            result = decode(data, DocResult, schema=self._schema(key))
        except FileNotFoundError:
            return None
        except Exception as exc:  # corrupt or tampered: a miss, and the entry is rewritten
            log.debug("cache entry %s ignored: %s", key, exc)
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: DocResult, text: str | None = None) -> None:
        """Store ``result`` (``text``: its encoding, when the caller has it already, see
        :func:`encode_result`)."""
        if self.directory is None:
            return
        try:
            if text is None:
                text = encode(result, schema=self._schema(key))
            # renamed into place, not synced: after a crash an entry is whole or a miss
            with writing.atomic_path(self.path(key)) as tmp:
                tmp.write_text(text, encoding="utf-8")
        except (OSError, CodecError) as exc:  # a cache that cannot be written is only slower
            log.warning("cannot write the document cache: %s", exc)


EVENT_SCHEMA = "geomap.Event"


RESULT_SCHEMA = "geomap.DocResult"


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def record_of(result: DocResult) -> dict[str, Any]:
    """One document's contribution to the outputs as plain data (made where the document was
    processed; a Dask worker ships this, not objects): its documents.csv fields, its mention rows
    and points, the places it names and its unmerged events with what merging needs."""
    d = result.doc
    places: dict[str, list[Any]] = {}
    mentions = []
    for m in result.mentions:
        row = gio.mention_row(m)
        p = m.place
        mentions.append(
            [[row[c] for c in gio.MENTION_COLUMNS], p.lon if p else None, p.lat if p else None]
        )
        if p is not None:
            places[p.id] = [gio.place_row(p), p.lon, p.lat]
    events = []
    for e in result.events:
        places[e.place.id] = [gio.place_row(e.place), e.place.lon, e.place.lat]
        events.append(
            {
                "place": e.place.id,
                "start": _iso(e.date_start),
                "end": _iso(e.date_end),
                "type": e.type,
                "id": e.id,
                "fat": e.fatalities,
                "docs": [s.doc for s in e.sources],  # one a source, as documents.csv counts
                "lon": e.place.lon,
                "lat": e.place.lat,
                "props": gio.event_properties(e),
                "event": encode(e, schema=EVENT_SCHEMA),
            }
        )
    return {
        "doc": [
            d.id,
            _iso(d.published),
            d.outlet,
            d.dateline,
            d.wire,
            _iso(result.printed_date),
            _iso(result.date_used),
            result.date_basis,
        ],
        "corr": list(result.corrections_used),
        "unres": result.unresolved_dates,
        "mentions": mentions,
        "places": places,
        "events": events,
    }


@dataclass(frozen=True, slots=True)
class Stored:
    """A document whose record is (now) in the store under ``key``."""

    doc: Document  # without its text
    key: str
    hit: bool  # found in the store or the document cache (not processed this run)
    order: int = 0  # its place in the corpus


def encode_result(key: str, result: DocResult) -> tuple[dict[str, Any], str]:
    """The record of ``result`` and its encoding (the same text as its document-cache entry:
    the schema names the key in both)."""
    return record_of(result), encode(result, schema=f"{RESULT_SCHEMA}:{key}")


def corrections_digest(corrections: Sequence[Any]) -> str:
    return hashlib.sha256(
        "\n".join(sorted(correction_key(c) for c in corrections)).encode()
    ).hexdigest()
