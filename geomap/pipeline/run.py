"""The extraction pipeline: corpus -> documents -> mentions -> events -> merged events -> files.

Each document is processed on its own by :func:`process_document` (a pure function of the
document, the gazetteer and the corrections), so documents can be cached by content and run on
Dask. Merging is the only step that sees all documents.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import hashlib
import json
import logging
import os
import stat
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from geomap import writing
from geomap.errors import Problem
from geomap.extraction import budget
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document, Event, Mention, Place
from geomap.output import files as gio
from geomap.pipeline.codec import decode, encode
from geomap.pipeline.corpus import read_corpus
from geomap.pipeline.documents import (
    EVENT_SCHEMA,
    DocResult,
    DocumentCache,
    Sentence,
    Stored,
    cache_key,
    code_version,
    correction_key,
    corrections_digest,
    encode_result,
    fill_in,
    in_groups,
)

log = logging.getLogger(__name__)

CACHE_DIR = ".geomap-cache"
DOCUMENT_COLUMNS = (
    "doc",
    "path",
    "published",
    "outlet",
    "dateline",
    "wire",
    "printed_date",  # the date the article prints near its top (geomap.extraction.structure)
    "date_used",  # what relative dates were read against
    "date_basis",  # manifest, printed, printed-disagrees (> 1 day from the manifest) or none
    "mentions",
    "events",
    "status",
    "problem",
)


@dataclass(frozen=True)
class Tallies:
    """Counts for :func:`summary`, made by SQLite from the store without decoding anything."""

    status: Counter[str]
    types: Counter[str]
    days: Counter[str]


def store_tallies(store: Any) -> Tallies:
    status_at = gio.MENTION_COLUMNS.index("status")
    status: Counter[str] = Counter()
    for value, n in store.db.execute(
        f"SELECT json_extract(j.value, '$[0][{status_at}]'), count(*) FROM run "
        "JOIN docs ON docs.key = run.key, json_each(docs.record, '$.mentions') j GROUP BY 1"
    ):
        status[value] += n
    types: Counter[str] = Counter()
    days: Counter[str] = Counter()
    for typ, end, n in store.db.execute(
        "SELECT type, json_extract(props, '$.date_end'), count(*) FROM merged GROUP BY 1, 2"
    ):
        types[typ] += n
        days[end or "undated"] += n
    return Tallies(status, types, days)


class StoreDates(Mapping[str, tuple[date | None, date | None, str]]):
    """doc id -> (printed date, date used, basis) of the run's documents, read from the store
    when asked (not a dict a document in memory)."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getitem__(self, doc_id: str) -> tuple[date | None, date | None, str]:
        row = self._store.db.execute(
            "SELECT json_extract(docs.record, '$.doc') FROM run JOIN docs ON docs.key = run.key "
            "WHERE run.id = ? ORDER BY run.n LIMIT 1",
            (doc_id,),
        ).fetchone()
        if row is None:
            raise KeyError(doc_id)
        fields = json.loads(row[0])
        printed, used = fields[5], fields[6]
        return (
            date.fromisoformat(printed) if printed else None,
            date.fromisoformat(used) if used else None,
            fields[7],
        )

    def __iter__(self) -> Iterator[str]:
        for (doc_id,) in self._store.db.execute("SELECT DISTINCT id FROM run ORDER BY id"):
            yield doc_id

    def __len__(self) -> int:
        return int(self._store.db.execute("SELECT count(DISTINCT id) FROM run").fetchone()[0])


@dataclass
class ExtractResult:
    #: lists, or (from run_extract) sequences read lazily from the store
    documents: Sequence[Document] = field(default_factory=list)
    mentions: Sequence[Mention] = field(default_factory=list)
    #: (doc id, the sentences that hold its mentions) a document: the check page's text
    sentences: Sequence[tuple[str, tuple[Sentence, ...]]] = field(default_factory=list)
    events: Sequence[Event] = field(default_factory=list)  # merged
    raw_events: int = 0
    problems: list[Problem] = field(default_factory=list)
    corrections_used: list[Any] = field(default_factory=list)
    corrections_unused: list[Any] = field(default_factory=list)
    unresolved_dates: int = 0
    undated_documents: list[str] = field(default_factory=list)
    #: doc id -> (printed date, date used, basis): see extraction.structure.effective_published
    dates: Mapping[str, tuple[date | None, date | None, str]] = field(default_factory=dict)
    cache_hits: int = 0
    seconds: float = 0.0
    files: list[Path] = field(default_factory=list)
    #: what the summary counts (mentions by status, events by type and by end date), counted by
    #: the store when the summary asks (a run's result; else the summary counts the items)
    tallies: Callable[[], Tallies] | None = None

    @property
    def failed(self) -> bool:
        """True when some input could not be processed."""
        return any(p.severity == "error" for p in self.problems)


def load_corrections_file(path: Path | None) -> list[Any]:
    if path is None or not path.is_file():
        return []
    from geomap.extraction.places.mentions import load_corrections

    return list(load_corrections(path))


def default_corrections_path(gaz_dir: Path | None) -> Path | None:
    from geomap.gazetteer.store import default_gazetteer_dir

    directory = gaz_dir or default_gazetteer_dir()
    path = directory / "corrections.csv"
    return path if path.is_file() else None


def collect(
    results: Iterable[Any],
    corrections: Sequence[Any],
) -> ExtractResult:
    """Gather per-document results (in any order) into one deterministic ExtractResult."""
    from geomap.extraction.events.merge import merge_events

    out = ExtractResult()
    doc_results: list[DocResult] = []
    for item in results:
        if isinstance(item, Problem):
            out.problems.append(item)
        else:
            doc_results.append(item)
    doc_results.sort(key=lambda r: r.doc.id)
    used: set[str] = set()
    raw: list[Event] = []
    documents: list[Document] = []
    mentions: list[Mention] = []
    dates: dict[str, tuple[date | None, date | None, str]] = {}
    out.dates = dates
    out.documents, out.mentions = documents, mentions
    out.sentences = [(r.doc.id, r.sentences) for r in doc_results]
    for r in doc_results:
        documents.append(r.doc)
        mentions.extend(r.mentions)
        raw.extend(r.events)
        used.update(r.corrections_used)
        out.unresolved_dates += r.unresolved_dates
        dates[r.doc.id] = (r.printed_date, r.date_used, r.date_basis)
        if r.doc.published is None and r.date_used is None:
            out.undated_documents.append(r.doc.id)
    out.raw_events = len(raw)
    out.events = merge_events(raw)
    _finish_problems(out, corrections, used)
    return out


def places_of(result: ExtractResult) -> list[Place]:
    by_id: dict[str, Place] = {}
    for m in result.mentions:
        if m.place is not None:
            by_id[m.place.id] = m.place
    for e in result.events:
        by_id[e.place.id] = e.place
    return [by_id[k] for k in sorted(by_id)]


def write_outputs(result: ExtractResult, out_dir: Path, gaz: Gazetteer) -> list[Path]:
    """The :data:`OUTPUT_NAMES` files (events.geojson, mentions.csv, documents.csv, geomap.gpkg,
    events.csv, events.parquet), each written atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [out_dir / n for n in OUTPUT_NAMES]
    gio.write_events_geojson(result.events, files[0], gaz)
    gio.write_mentions_csv(result.mentions, files[1])
    n_mentions = Counter(m.doc for m in result.mentions)
    n_events = Counter(s.doc for e in result.events for s in e.sources)
    problems_by_path = _problems_by_path(result)
    rows: list[dict[str, Any]] = []
    for d in result.documents:
        printed, used, basis = result.dates.get(d.id, (None, d.published, ""))
        rows.append(
            {
                "doc": d.id,
                "path": d.path,
                "published": d.published.isoformat() if d.published else "",
                "outlet": d.outlet,
                "dateline": d.dateline,
                "wire": d.wire,
                "printed_date": printed.isoformat() if printed else "",
                "date_used": used.isoformat() if used else "",
                "date_basis": basis,
                "mentions": n_mentions[d.id],
                "events": n_events[d.id],
                "status": "ok" if d.published or used else "undated",
                "problem": "; ".join(
                    problems_by_path.get(d.path, []) + problems_by_path.get(d.id, [])
                ),
            }
        )
    processed = {d.path for d in result.documents}
    rows += _failed_rows(result, processed)
    rows.sort(key=lambda r: (r["doc"], r["path"]))
    writing.write_csv(files[2], DOCUMENT_COLUMNS, rows)
    gio.write_geopackage(files[3], result.events, result.mentions, places_of(result), gaz)
    gio.write_events_csv((gio.event_properties(e) for e in result.events), files[4])
    gio.write_geoparquet_rows(
        files[5], ((gio.event_properties(e), e.place.lon, e.place.lat) for e in result.events)
    )
    return files


def summary(result: ExtractResult) -> str:
    """A one-screen summary: documents, mentions by status, events by type and date, problems."""
    lines = [
        f"documents: {len(result.documents)} processed, "
        f"{sum(1 for p in result.problems if p.severity == 'error')} failed, "
        f"{result.cache_hits} from cache ({result.seconds:.2f} s)"
    ]
    tallies = result.tallies() if result.tallies else None
    status = tallies.status if tallies else Counter(m.status for m in result.mentions)
    lines.append(
        "mentions:  "
        + ", ".join(f"{status[s]} {s}" for s in ("resolved", "fallback", "ambiguous", "unresolved"))
    )
    types = tallies.types if tallies else Counter(e.type for e in result.events)
    lines.append(
        f"events:    {len(result.events)} after merging {result.raw_events} reports: "
        + ", ".join(f"{n} {t}" for t, n in sorted(types.items()))
    )
    days = (
        tallies.days
        if tallies
        else Counter(e.date_end.isoformat() if e.date_end else "undated" for e in result.events)
    )
    if days:
        dated = sorted(d for d in days if d != "undated")
        if len(days) <= 8:
            lines.append("by date:   " + ", ".join(f"{d} {n}" for d, n in sorted(days.items())))
        else:
            busiest = sorted(days.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
            lines.append(
                f"by date:   {len(dated)} days from {dated[0]} to {dated[-1]}"
                + (f", {days['undated']} undated" if days["undated"] else "")
                + "; busiest "
                + ", ".join(f"{d} ({n})" for d, n in busiest)
            )
    if result.unresolved_dates:
        lines.append(
            f"dates:     {result.unresolved_dates} date expressions unresolved "
            f"(no publication date in {len(result.undated_documents)} documents)"
        )
    if result.corrections_used or result.corrections_unused:
        lines.append(
            f"corrections: {len(result.corrections_used)} applied, "
            f"{len(result.corrections_unused)} matched nothing"
        )
    if result.problems:
        lines.append(f"problems:  {len(result.problems)}")
        shown = result.problems[:12]
        lines.extend(f"  {p}" for p in shown)
        if len(result.problems) > len(shown):
            lines.append(f"  ... and {len(result.problems) - len(shown)} more (documents.csv)")
    return "\n".join(lines)


# -- streaming: per-document records in the store, merged and written in bounded memory -------

MANIFEST_KEY = "manifest"


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def release_freed_memory() -> None:
    """Hand the heap pages freed by the stage just done back to the system (glibc's
    ``malloc_trim``; nothing elsewhere), so that each stage of a run starts from the same
    resident size and the run's peak is one stage's, not the sum of what the allocator kept."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


OUTPUT_NAMES = (
    "events.geojson",
    "mentions.csv",
    "documents.csv",
    "geomap.gpkg",
    "events.csv",
    "events.parquet",
)


def stream_documents(
    docs: Iterable[Document | Problem],
    gaz: Gazetteer,
    corrections: Sequence[Any],
    *,
    cache: DocumentCache,
    store: Any,
    progress: Callable[[int], None] | None = None,
    doc_timeout: float | None = budget.DEFAULT_SECONDS,
) -> Iterator[Stored | Problem]:
    """Serial processing into the store: a document already there is not decoded at all; one
    in the JSON cache is decoded once to make its record; the others are processed, a group
    at a time (:func:`geomap.pipeline.documents.process_group`: the model reads the group's
    documents together)."""
    digest = corrections_digest(corrections)
    n = 0
    for group in in_groups(docs):
        # what each item needs: nothing (a Problem, or stored: None), its cached result, or
        # the work (the Document itself)
        keys: list[str] = []
        pending: list[Document | DocResult | Problem | None] = []
        for item in group:
            key = "" if isinstance(item, Problem) else cache_key(item, gaz.version, digest)
            keys.append(key)
            if isinstance(item, Problem) or store.has(key, cache.stamp(key)):
                pending.append(item if isinstance(item, Problem) else None)
            else:
                cached = cache.get(key)
                pending.append(item if cached is None else cached)
        results = fill_in(pending, gaz, corrections, doc_timeout)
        for item, key, was, result in zip(group, keys, pending, results, strict=True):
            if isinstance(result, Problem):  # unreadable, or failed in extraction
                yield result
                continue
            assert isinstance(item, Document)  # a Problem item stays its own result
            hit = not isinstance(was, Document)
            if result is None:  # in the store already
                cache.hits += 1
            else:
                record, text = encode_result(key, result)
                if not hit:
                    cache.put(key, result, text)
                store.add(key, record, text, cache.stamp(key) or "")
            if progress:
                progress(n + 1)
            yield Stored(replace(item, text=""), key, hit, n)
            n += 1


def _document_of(path: str, record: dict[str, Any]) -> Document:
    doc_id, published, outlet, dateline, wire = record["doc"][:5]
    return Document(
        doc_id,
        "",
        date.fromisoformat(published) if published else None,
        dateline,
        outlet,
        wire,
        path,
    )


def _merge_into_store(store: Any, shapes: gio.ShapeSource | None) -> int:
    """Merge the run's reports into the store's ``merged`` table, again only in the windows
    (a run of one place's reports whose dates chain, see :mod:`geomap.pipeline.store`) whose
    reports changed since the last run (:meth:`Store.stale_windows`); the other windows'
    merged rows are kept as they are. Each merged row carries its
    events.geojson feature and events.csv line, rendered once here. How many windows were
    merged."""
    from geomap.extraction.events.merge import (
        Report,
        cluster_reports,
        combine,
        merged_key,
        part_of_rules,
        weapon_of,
    )

    stale = store.stale_windows()
    if not stale:
        return 0

    def reports() -> Iterator[Report]:
        for (
            place,
            start,
            end,
            typ,
            eid,
            fat,
            docs,
            lon,
            lat,
            props,
            event,
            win,
        ) in store.run_reports():
            told = json.loads(props)
            yield Report(
                place,
                date.fromisoformat(start) if start else None,
                date.fromisoformat(end) if end else None,
                typ,
                eid,
                fat,
                frozenset(doc_list := json.loads(docs)),
                (lon, lat, props, event, doc_list, win),
                frozenset(told.get("actors") or ()) if typ == "battle" else frozenset(),
                part_of_rules(told.get("rules") or ()),
                weapon_of(typ, told.get("sub_type") or ""),
            )

    def merged() -> Iterator[tuple[Any, ...]]:
        for cluster in cluster_reports(reports()):
            if len(cluster) == 1:
                r = cluster[0]
                lon, lat, props, event, docs, win = r.ref
                skey = r.start.isoformat() if r.start else "9999"
                key = (skey, r.place, r.type, r.id)
            else:
                e = combine([decode(r.ref[3], Event, schema=EVENT_SCHEMA) for r in cluster])
                win = cluster[0].ref[5]
                docs = [s.doc for s in e.sources]
                key = merged_key(e)
                lon, lat = e.place.lon, e.place.lat
                props = json.dumps(
                    gio.event_properties(e), ensure_ascii=False, separators=(",", ":")
                )
                event = encode(e, schema=EVENT_SCHEMA)
            values = json.loads(props)
            yield (
                *key,
                lon,
                lat,
                json.dumps(docs),
                props,
                event,
                gio.feature_line(gio.property_feature(values, lon, lat, shapes)),
                gio.csv_lines(gio.EVENT_CSV_COLUMNS, [gio.event_csv_row(values)]),
                win,
            )

    store.add_merged(merged())
    store.count_windows()
    return stale


def _stamp(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def run_extract(
    corpus: Path | Sequence[Path],
    out_dir: Path,
    *,
    published: date | None = None,
    gazetteer: Gazetteer | None = None,
    gazetteer_dir: Path | None = None,
    corrections_path: Path | None = None,
    use_cache: bool = True,
    engine: str = "serial",
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
    write: bool = True,
    doc_timeout: float | None = budget.DEFAULT_SECONDS,
) -> ExtractResult:
    """Extract a corpus into ``out_dir``; see docs/ARCHITECTURE.md for the files.

    Per-document results go to the store (:mod:`geomap.pipeline.store`) as they are made; merging
    and
    writing read them back in bounded memory. The result's ``documents``, ``mentions`` and
    ``events`` are read lazily from the store. A rerun whose documents, settings and output
    files are those of the last run merges nothing and writes nothing.
    """
    from geomap.pipeline.store import Lazy, Store

    t0 = time.perf_counter()
    if corrections_path is None:
        corrections_path = default_corrections_path(gazetteer_dir)
    source = corpus if isinstance(corpus, Path) else list(corpus)
    files = [out_dir / name for name in OUTPUT_NAMES]
    quick: str | None = None
    if write and use_cache:
        # decided from file stamps and versions alone, before the gazetteer, the corpus or the
        # cache is read: a rerun with nothing new reads one small file and writes nothing
        quick = input_digest(
            source,
            published=published,
            gaz_version=gazetteer.version if gazetteer else gazetteer_version(gazetteer_dir),
            corrections_path=corrections_path,
            engine=engine,
            doc_timeout=doc_timeout,
        )
        same = _unchanged_run(out_dir, quick, files + _parquet_parts(out_dir, engine))
        if same is not None:
            same.seconds = time.perf_counter() - t0
            return same
    session = None
    on_disk = gazetteer is None or gazetteer.directory is not None
    if engine == "dask" and scheduler not in ("synchronous", "threads", "processes") and on_disk:
        # the cluster starts and its workers load the gazetteer and the language model while
        # this process loads its own gazetteer
        from geomap.gazetteer.store import default_gazetteer_dir
        from geomap.pipeline.dask_engine import start_session

        where = (gazetteer.directory if gazetteer else None) or gazetteer_dir
        where = Path(where).resolve() if where else default_gazetteer_dir().resolve()
        version = gazetteer.version if gazetteer else gazetteer_version(gazetteer_dir)
        session = start_session(scheduler, where, version)
    try:
        corrections = load_corrections_file(corrections_path)
        gaz = gazetteer or Gazetteer.load(gazetteer_dir)
        docs = read_corpus(source, published=published)
        cache = DocumentCache(out_dir / CACHE_DIR if use_cache else None)
        store = Store(out_dir / CACHE_DIR if use_cache else None)
        if engine == "dask":
            from geomap.pipeline.dask_engine import stream_dask

            items: Iterable[Stored | Problem] = stream_dask(
                docs,
                gaz,
                corrections,
                cache=cache,
                store=store,
                scheduler=scheduler,
                out_dir=out_dir,
                doc_timeout=doc_timeout,
                session=session,
            )
        elif engine == "serial":
            items = stream_documents(
                docs,
                gaz,
                corrections,
                cache=cache,
                store=store,
                progress=progress,
                doc_timeout=doc_timeout,
            )
        else:
            from geomap.errors import UnknownName

            raise UnknownName("engine", engine, ("serial", "dask"))
        out = ExtractResult()
        run = hashlib.sha256()
        run.update(f"{code_version()}\0{gaz.version}\0{corrections_digest(corrections)}\0".encode())
        store.start_run()
        store.begin()
        n = 0
        try:
            for item in items:
                if isinstance(item, Problem):
                    out.problems.append(item)
                    continue
                store.run_add(item.order, item.doc.id, item.doc.path, item.key)
                n += 1
                if n % 2000 == 0:  # keep the write-ahead log short
                    store.commit()
                    store.begin()
        finally:
            store.commit()
        # what every document adds up to (small: a few values a document), read by SQLite
        used: set[str] = set()
        for fields, corr, unres in store.run_tallies():
            doc_id, pub, used_date = fields[0], fields[1], fields[6]
            used.update(corr)
            out.unresolved_dates += unres
            if pub is None and used_date is None:
                out.undated_documents.append(doc_id)
        _finish_problems(out, corrections, used)
        for p in out.problems:
            run.update(f"P\0{p}\0".encode("utf-8", "surrogatepass"))
        for row in store.db.execute("SELECT id, path, key FROM run ORDER BY n"):
            run.update("\0".join(row).encode("utf-8", "surrogatepass") + b"\n")
        digest = run.hexdigest()
        manifest = json.dumps({"run": digest, "files": [_stamp(f) for f in files]})
        unchanged = write and use_cache and store.get_meta(MANIFEST_KEY) == manifest
        if unchanged:
            log.info("nothing new since the last run: no merging, no file written")
            for f in files:
                gio.keep_output(f)
            out.files = files
        else:
            release_freed_memory()
            store.begin()
            try:
                merged = _merge_into_store(store, _Shapes(gaz))
            finally:
                store.commit()
            log.info("merged %d windows whose reports changed", merged)
            release_freed_memory()
        if engine == "dask":
            from geomap.pipeline.dask_engine import write_parquet_parts

            write_parquet_parts(store, out_dir)
        out.cache_hits = cache.hits
        out.raw_events = int(
            store.db.execute(
                "SELECT count(*) FROM run JOIN events e ON e.key = run.key"
            ).fetchone()[0]
        )
        size = store.run_size()
        out.documents = Lazy(size, lambda: (_document_of(p, r) for p, r in store.run_records()))
        out.mentions = Lazy(
            int(
                store.db.execute(
                    "SELECT coalesce(sum(json_array_length(docs.record, '$.mentions')), 0) "
                    "FROM run JOIN docs ON docs.key = run.key"
                ).fetchone()[0]
            ),
            lambda: _mentions_of(store),
        )
        out.sentences = Lazy(size, lambda: _sentences_of(store))
        out.events = Lazy(
            store.merged_size(),
            lambda: (decode(ev, Event, schema=EVENT_SCHEMA) for *_x, ev in store.merged_rows()),
        )
        out.tallies = lambda: store_tallies(store)
        out.dates = StoreDates(store)
        if write and not unchanged:
            out.files = write_stored_outputs(store, out, out_dir, gaz)
            store.set_meta(
                MANIFEST_KEY, json.dumps({"run": digest, "files": [_stamp(f) for f in files]})
            )
        elif not write:
            store.set_meta(MANIFEST_KEY, "")
        if quick is not None:
            parts = _parquet_parts(out_dir, engine)
            _save_run_manifest(out_dir, quick, files + parts, out, store)
        out.seconds = time.perf_counter() - t0
        return out
    finally:
        if session is not None:
            session.close()


# -- the run manifest: "nothing changed" from stamps and versions alone ------------------------

#: In the cache folder; not named *.json, which are the document cache's entries.
RUN_MANIFEST = "run.manifest"
RUN_MANIFEST_VERSION = 2
#: A run manifest larger than this is not read (it is a few bytes a document).
MAX_RUN_MANIFEST_BYTES = 256 * 1024 * 1024


def gazetteer_version(directory: Path | None) -> str:
    """The version :meth:`Gazetteer.load` would give, without loading the gazetteer."""
    from geomap.gazetteer.store import _version, default_gazetteer_dir

    return _version(Path(directory) if directory else default_gazetteer_dir())


def _entry_stamp(path: Path) -> list[Any]:
    try:
        st = path.stat()
    except OSError:
        return [path.name, None]
    kind = "d" if stat.S_ISDIR(st.st_mode) else "f"
    return [path.name, kind, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _listing(directory: Path, recursive: bool) -> Iterator[list[Any]]:
    """Every entry of ``directory`` (and of its subfolders with ``recursive``) with its stamp,
    in name order: whatever reading the corpus could see changes this."""
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        yield [str(directory), "unreadable", str(exc)]
        return
    for name in names:
        path = directory / name
        stamp = _entry_stamp(path)
        yield stamp
        if recursive and stamp[1] == "d" and not path.is_symlink():
            yield ["enter", name]
            yield from _listing(path, recursive)
            yield ["leave", name]


def input_digest(
    source: Path | Sequence[Path],
    *,
    published: date | None,
    gaz_version: str,
    corrections_path: Path | None,
    engine: str,
    doc_timeout: float | None,
) -> str:
    """A digest of everything a run's outputs depend on, made from file stamps (name, size,
    modification and change times, inode) and versions, not from file contents: the corpus
    folder's listing (manifest.csv included), the code, the gazetteer, the corrections, the
    language model switch, the reading options, the settings and today's date (publication
    dates are checked against it)."""
    from geomap.extraction.nlp import enabled
    from geomap.pipeline.corpus import _OPTIONS, ReadOptions

    options = _OPTIONS.get() or ReadOptions()
    h = hashlib.sha256()
    head = [
        RUN_MANIFEST_VERSION,
        code_version(),
        enabled(),
        gaz_version,
        _file_digest(corrections_path),
        published.isoformat() if published else None,
        options.follow_links,
        options.recursive,
        engine,
        doc_timeout,
        date.today().isoformat(),
    ]
    h.update(json.dumps(head).encode())
    paths = [source] if isinstance(source, Path) else list(source)
    for path in paths:
        h.update(json.dumps(["source", os.path.abspath(path), _entry_stamp(path)]).encode())
        if path.is_dir():
            for entry in _listing(path, options.recursive):
                h.update(json.dumps(entry, ensure_ascii=True).encode())
                h.update(b"\n")
    return h.hexdigest()


def _file_digest(path: Path | None) -> list[Any] | None:
    """The path and a hash of the bytes of a small file (the corrections), None without one."""
    if path is None or not path.is_file():
        return None
    return [os.path.abspath(path), hashlib.sha256(path.read_bytes()).hexdigest()]


def _correction_fields(c: Any) -> list[Any]:
    return [c.doc, c.surface, c.place_id, c.note, str(c.path), c.line]


def _parquet_parts(out_dir: Path, engine: str) -> list[Path]:
    """The Dask engine's ``events_parquet/part-*.parquet`` files (none for other engines)."""
    if engine != "dask":
        return []
    from geomap.pipeline.dask_engine import PARQUET_DIR

    return sorted((out_dir / PARQUET_DIR).glob("part-*.parquet"))


def _entries_digest(out_dir: Path, store: Any) -> str:
    """A digest of the run's keys (in the store, in corpus order) and of the stamps of their
    document-cache entries (see entry_stamp), read a row at a time."""
    from geomap.pipeline.store import entry_stamp

    cache = DocumentCache(out_dir / CACHE_DIR)
    h = hashlib.sha256()
    for (key,) in store.db.execute("SELECT key FROM run ORDER BY n"):
        if not _is_key(key):
            return ""
        h.update(f"{key}\0{entry_stamp(cache.path(key))}\n".encode())
    return h.hexdigest()


def _save_run_manifest(
    out_dir: Path, quick: str, files: list[Path], out: ExtractResult, store: Any
) -> None:
    """``OUT/.geomap-cache/run.manifest``: the input digest, the stamps of the files written and
    what the summary needs (plain data), so that a rerun with nothing new reads only this (and
    the stamps of the run's entries in the document cache: an entry rewritten since, by anyone,
    is read and validated again)."""
    entries = _entries_digest(out_dir, store)
    data = {
        "version": RUN_MANIFEST_VERSION,
        "inputs": quick,
        "files": [_stamp(f) for f in files],
        "entries": entries,
        "documents": len(out.documents),
        "mentions": len(out.mentions),
        "events": len(out.events),
        "raw_events": out.raw_events,
        "unresolved_dates": out.unresolved_dates,
        "undated": list(out.undated_documents),
        "corrections_used": [_correction_fields(c) for c in out.corrections_used],
        "corrections_unused": [_correction_fields(c) for c in out.corrections_unused],
        "problems": [[p.path, p.message, p.line, p.severity] for p in out.problems],
    }
    try:
        writing.atomic_write(
            out_dir / CACHE_DIR / RUN_MANIFEST,
            json.dumps(data, ensure_ascii=True, separators=(",", ":")),
        )
    except OSError as exc:  # only the next rerun is slower
        log.warning("cannot write the run manifest: %s", exc)


def _unchanged_run(out_dir: Path, quick: str, files: list[Path]) -> ExtractResult | None:
    """The result of the last run when its inputs (:func:`input_digest`) and the files it wrote
    are as they were, else None. The manifest is untrusted input: anything unexpected in it is
    a miss (the run is then done as usual)."""
    from geomap.pipeline.store import Lazy

    path = out_dir / CACHE_DIR / RUN_MANIFEST
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_RUN_MANIFEST_BYTES + 1)
        if len(raw) > MAX_RUN_MANIFEST_BYTES:
            return None
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("version") != RUN_MANIFEST_VERSION:
            return None
        if data.get("inputs") != quick or data.get("files") != [_stamp(f) for f in files]:
            return None
        digest = data["entries"]
        out = ExtractResult()
        counts = [data[k] for k in ("documents", "mentions", "events", "raw_events")]
        counts.append(data["unresolved_dates"])
        if not all(type(n) is int and n >= 0 for n in counts):
            return None
        n_docs, n_mentions, n_events, out.raw_events, out.unresolved_dates = counts
        out.undated_documents = [_text(d) for d in data["undated"]]
        out.corrections_used = [_correction(f) for f in data["corrections_used"]]
        out.corrections_unused = [_correction(f) for f in data["corrections_unused"]]
        for p_path, message, line, severity in data["problems"]:
            if not (line is None or type(line) is int) or severity not in ("error", "warning"):
                return None
            out.problems.append(Problem(_text(p_path), _text(message), line, severity))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        log.debug("run manifest %s ignored: %s", path, exc)
        return None
    from geomap.pipeline.store import Store

    # the store must still hold that run (two counts; a damaged store is started again, empty)
    held = Store(out_dir / CACHE_DIR)
    if (
        held.run_size() != n_docs
        or held.merged_size() != n_events
        or _entries_digest(out_dir, held) != digest
    ):
        log.info("the store no longer holds the last run: running again")
        held.close()
        return None
    log.info("nothing new since the last run (same inputs, same files): nothing to do")

    def store() -> Any:
        return held

    out.cache_hits = n_docs
    out.tallies = lambda: store_tallies(held)
    out.dates = StoreDates(held)
    out.documents = Lazy(n_docs, lambda: (_document_of(p, r) for p, r in store().run_records()))
    out.mentions = Lazy(n_mentions, lambda: _mentions_of(store()))
    out.sentences = Lazy(n_docs, lambda: _sentences_of(store()))
    out.events = Lazy(
        n_events,
        lambda: (decode(ev, Event, schema=EVENT_SCHEMA) for *_x, ev in store().merged_rows()),
    )
    for f in [*files, path]:  # as the run that wrote them recorded them
        gio.keep_output(f)
    out.files = files
    return out


def _correction(fields: Any) -> Any:
    from geomap.extraction.places.corrections import Correction

    doc, surface, place_id, note, path, line = fields
    if type(line) is not int:
        raise TypeError("a correction's line is a number")
    return Correction(_text(doc), _text(surface), _text(place_id), _text(note), _text(path), line)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _mentions_of(store: Any) -> Iterator[Mention]:
    for _p, text in store.run_results():
        yield from decode(text, DocResult, schema=_result_schema(text)).mentions


def _sentences_of(store: Any) -> Iterator[tuple[str, tuple[Sentence, ...]]]:
    for _p, text in store.run_results():
        r = decode(text, DocResult, schema=_result_schema(text))
        yield r.doc.id, r.sentences


def _problems_by_path(result: ExtractResult) -> dict[str, list[str]]:
    by_path: dict[str, list[str]] = {}
    for p in result.problems:
        by_path.setdefault(p.path, []).append(p.message)
    return by_path


def _failed_rows(result: ExtractResult, processed: set[str]) -> list[dict[str, Any]]:
    """documents.csv rows of the articles that failed (read or extraction errors)."""
    return [
        {
            **dict.fromkeys(DOCUMENT_COLUMNS, ""),
            "doc": Path(p.path).name.removesuffix(".txt"),
            "path": p.path,
            "mentions": 0,
            "events": 0,
            "status": "failed",
            "problem": p.message,
        }
        for p in result.problems
        if p.severity == "error" and p.path not in processed and p.path.endswith(".txt")
    ]


def _result_schema(text: str) -> str:
    """The schema name an encoded DocResult carries (its key is part of it)."""
    start = text.find('"schema":"') + len('"schema":"')
    return text[start : text.find('"', start)]


def _finish_problems(out: ExtractResult, corrections: Sequence[Any], used: set[str]) -> None:
    out.corrections_used = [c for c in corrections if correction_key(c) in used]
    out.corrections_unused = [c for c in corrections if correction_key(c) not in used]
    for c in out.corrections_unused:
        out.problems.append(
            Problem(
                str(getattr(c, "path", "corrections.csv")),
                f"correction {c.doc!r} {c.surface!r} -> {c.place_id} matched no mention",
                getattr(c, "line", None),
                severity="warning",
            )
        )
    for doc_id in out.undated_documents:
        out.problems.append(
            Problem(
                doc_id, "no publication date: relative dates left unresolved", severity="warning"
            )
        )
    out.problems.sort(key=lambda p: (p.path, p.line or 0, p.message))


class _Shapes:
    """The gazetteer's shapes through a small cache (events of a place come together)."""

    def __init__(self, gaz: Gazetteer) -> None:
        self._gaz = gaz
        self._cache: dict[str, Any] = {}

    def shape(self, place_id: str) -> Any:
        if place_id not in self._cache:
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[place_id] = self._gaz.shape(place_id)
        return self._cache[place_id]


#: The store's meta key of the digests and stamps of the files last written.
OUTPUTS_KEY = "outputs"


def output_digests(store: Any, result: ExtractResult) -> dict[str, str]:
    """A digest of what each of the :data:`OUTPUT_NAMES` files would hold, made from what it
    is made of (the merge windows' digests, the run's documents and keys, the problems), not
    by rendering it: a file whose digest and stamp are those recorded when it was last
    written is kept as it is."""

    def sha(*parts: Any) -> str:
        h = hashlib.sha256()
        for part in parts:
            if isinstance(part, str):
                h.update(part.encode("utf-8", "surrogatepass") + b"\0")
            else:
                for row in part:
                    h.update("\0".join(map(str, row)).encode("utf-8", "surrogatepass") + b"\n")
        return h.hexdigest()

    version = code_version()
    events = sha(version, store.db.execute("SELECT win, digest FROM windows ORDER BY win"))
    mentions = sha(
        version,
        store.db.execute(
            "SELECT run.id, run.key FROM run JOIN docs ON docs.key = run.key "
            "WHERE json_array_length(docs.record, '$.mentions') > 0 ORDER BY run.id, run.n"
        ),
    )
    documents = sha(
        version,
        events,
        store.db.execute("SELECT id, path, key FROM run ORDER BY id, n"),
        ((p.path, p.message, p.line, p.severity) for p in result.problems),
    )
    names = dict.fromkeys(OUTPUT_NAMES)
    names.update(
        {
            "events.geojson": sha("geojson", events),
            "mentions.csv": sha("mentions", mentions),
            "documents.csv": sha("documents", documents),
            "geomap.gpkg": sha("gpkg", events, mentions),
            "events.csv": sha("csv", events),
            "events.parquet": sha("parquet", events),
        }
    )
    return {k: v for k, v in names.items() if v is not None}


def _recorded_outputs(store: Any) -> dict[str, Any]:
    try:
        data = json.loads(store.get_meta(OUTPUTS_KEY) or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def write_stored_outputs(
    store: Any, result: ExtractResult, out_dir: Path, gaz: Gazetteer
) -> list[Path]:
    """The :data:`OUTPUT_NAMES` files streamed from the store, a batch of rows at a time
    (the same bytes as :func:`write_outputs` on the same result). events.geojson, events.csv
    and mentions.csv are put together from pieces rendered once (a merged event's when its
    window was merged, a document's when it was first written); a file whose content digest
    (:func:`output_digests`) and stamp are those of its last writing is not written again."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [out_dir / n for n in OUTPUT_NAMES]
    digests = output_digests(store, result)
    recorded = _recorded_outputs(store)
    shapes = _Shapes(gaz)

    def write(path: Path, writer: Callable[[], None]) -> None:
        digest = digests[path.name]
        if recorded.get(path.name) == [digest, _stamp(path)]:
            log.info("%s: what it would hold is unchanged, kept", path.name)
            gio.keep_output(path)
            return
        writer()
        release_freed_memory()
        recorded[path.name] = [digest, _stamp(path)]
        store.set_meta(OUTPUTS_KEY, json.dumps(recorded))

    write(files[0], lambda: gio.write_feature_lines(store.merged_texts("geo"), files[0]))
    write(
        files[1],
        lambda: gio.write_csv_pieces(
            files[1],
            gio.MENTION_COLUMNS,
            store.mention_texts(
                lambda rows: gio.csv_lines(
                    gio.MENTION_COLUMNS,
                    (dict(zip(gio.MENTION_COLUMNS, v, strict=True)) for v, _x, _y in rows),
                )
            ),
        ),
    )
    write(files[2], lambda: _write_documents_csv(store, result, files[2]))
    write(
        files[3],
        lambda: gio.write_geopackage_rows(
            files[3],
            ((json.loads(props), lon, lat) for _d, lon, lat, props, _ev in store.merged_rows()),
            (
                (dict(zip(gio.MENTION_COLUMNS, values, strict=True)), lon, lat)
                for values, lon, lat in store.run_mention_rows()
            ),
            ((row, lon, lat) for row, lon, lat in store.run_places()),
            areas=(
                (json.loads(props), shapes) for props in store.merged_areas(gio.AREA_PRECISIONS)
            ),
        ),
    )
    write(
        files[4],
        lambda: gio.write_csv_pieces(files[4], gio.EVENT_CSV_COLUMNS, store.merged_texts("csv")),
    )
    write(
        files[5],
        lambda: gio.write_geoparquet_rows(
            files[5],
            ((json.loads(props), lon, lat) for _d, lon, lat, props, _ev in store.merged_rows()),
        ),
    )
    return files


def _write_documents_csv(store: Any, result: ExtractResult, path: Path) -> None:
    import heapq

    problems_by_path = _problems_by_path(result)
    # which of the failed paths the run still processed (read by SQLite: no set of the run's
    # paths is held)
    store.db.execute("CREATE TEMP TABLE IF NOT EXISTS failed_paths (path TEXT)")
    store.db.execute("DELETE FROM temp.failed_paths")
    store.db.executemany(
        "INSERT INTO temp.failed_paths VALUES (?)",
        ((p.path,) for p in result.problems if p.severity == "error"),
    )
    processed = {
        p
        for (p,) in store.db.execute(
            "SELECT path FROM temp.failed_paths WHERE path IN (SELECT path FROM run)"
        )
    }
    failed = sorted(_failed_rows(result, processed), key=lambda r: (r["doc"], r["path"]))
    del processed

    def doc_rows() -> Iterator[dict[str, Any]]:
        for path_, fields, n_mentions, n_events in store.run_documents():
            d_id, pub, outlet, dateline, wire, printed, used, basis = fields
            yield {
                "doc": d_id,
                "path": path_,
                "published": pub or "",
                "outlet": outlet,
                "dateline": dateline,
                "wire": wire,
                "printed_date": printed or "",
                "date_used": used or "",
                "date_basis": basis,
                "mentions": n_mentions,
                "events": n_events,
                "status": "ok" if pub or used else "undated",
                "problem": "; ".join(
                    problems_by_path.get(path_, []) + problems_by_path.get(d_id, [])
                ),
            }

    stream = gio.CsvStream(path, DOCUMENT_COLUMNS)
    try:
        for row in heapq.merge(doc_rows(), failed, key=lambda r: (r["doc"], r["path"])):
            stream.write(row)
    except BaseException as exc:
        stream.abort(exc)
        raise
    stream.commit()


def _is_key(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and value.isascii() and value.isalnum()
