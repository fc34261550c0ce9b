"""The extraction pipeline: corpus -> documents -> mentions -> events -> merged events -> files.

Each document is processed on its own by :func:`process_document` (a pure function of the
document, the gazetteer and the corrections), so documents can be cached by content and run on
Dask. Merging is the only step that sees all documents.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from geomap import budget
from geomap import io as gio
from geomap.codec import CodecError, decode, encode
from geomap.corpus import Problem, read_corpus
from geomap.gazetteer import Gazetteer
from geomap.model import Document, Event, Mention, Place

log = logging.getLogger(__name__)

CACHE_DIR = ".geomap-cache"
DOCUMENT_COLUMNS = (
    "doc",
    "path",
    "published",
    "outlet",
    "dateline",
    "wire",
    "printed_date",  # the date the article prints near its top (geomap.structure)
    "date_used",  # what relative dates were read against
    "date_basis",  # manifest, printed, printed-disagrees (> 1 day from the manifest) or none
    "mentions",
    "events",
    "status",
    "problem",
)


def _code_version() -> str:
    """A hash of the pipeline's source, so that a code change invalidates the cache."""
    h = hashlib.sha256()
    pkg = Path(__file__).parent
    for name in sorted(p.name for p in pkg.glob("*.py")):
        h.update(name.encode())
        h.update((pkg / name).read_bytes())
    return h.hexdigest()[:16]


CODE_VERSION = _code_version()


@dataclass(frozen=True, slots=True)
class DocResult:
    """What one document gives: its mentions and (unmerged) events."""

    doc: Document  # with its text dropped (``text`` is "") to keep results small
    mentions: tuple[Mention, ...]
    events: tuple[Event, ...]
    corrections_used: tuple[str, ...] = ()  # keys of the corrections that matched
    unresolved_dates: int = 0  # date expressions left unresolved for want of a publication date
    printed_date: date | None = None  # the date printed in the article (geomap.structure)
    date_used: date | None = None  # the date relative expressions were read against
    date_basis: str = ""  # see geomap.structure.effective_published


@dataclass
class ExtractResult:
    documents: list[Document] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)  # merged
    raw_events: int = 0
    problems: list[Problem] = field(default_factory=list)
    corrections_used: list[Any] = field(default_factory=list)
    corrections_unused: list[Any] = field(default_factory=list)
    unresolved_dates: int = 0
    undated_documents: list[str] = field(default_factory=list)
    #: doc id -> (printed date, date used, basis): see geomap.structure.effective_published
    dates: dict[str, tuple[date | None, date | None, str]] = field(default_factory=dict)
    cache_hits: int = 0
    seconds: float = 0.0
    files: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when some input could not be processed."""
        return any(p.severity == "error" for p in self.problems)


def correction_key(c: Any) -> str:
    return f"{c.doc}\t{c.surface}\t{c.place_id}"


def process_document(doc: Document, gaz: Gazetteer, corrections: Sequence[Any] = ()) -> DocResult:
    """Mentions and events of one document (pure: no I/O)."""
    from geomap.dates import find_time_expressions
    from geomap.events import extract_events
    from geomap.nlp import analyse_if_enabled
    from geomap.places import find_mentions_with_report
    from geomap.structure import analyse as analyse_structure
    from geomap.structure import effective_published
    from geomap.text import split_sentences

    sentences = split_sentences(doc.text) or [(0, len(doc.text))]
    analysis = analyse_if_enabled(doc.text, sentences)  # the language model, once a document
    mentions, used_corrections = find_mentions_with_report(
        doc, gaz, corrections=corrections, sentences=sentences, analysis=analysis
    )
    # the printed date, not the manifest's, anchors relative dates; it is no event's date
    top = analyse_structure(doc.text)
    published, basis = effective_published(top, doc.published)
    times = [t for t in find_time_expressions(doc.text, published) if not top.masks(t.start, t.end)]
    restated = [top.headline_repeat] if top.headline_repeat else []
    events = extract_events(
        replace(doc, published=published), sentences, mentions, times, restated=restated
    )
    used = tuple(sorted(correction_key(c) for c in used_corrections))
    unresolved = sum(1 for t in times if t.date_start is None)
    printed = top.printed.value if top.printed else None
    return DocResult(
        replace(doc, text=""),
        tuple(mentions),
        tuple(events),
        used,
        unresolved,
        printed,
        published,
        basis,
    )


def process_within_budget(
    doc: Document, gaz: Gazetteer, corrections: Sequence[Any], seconds: float | None
) -> DocResult | Problem:
    """:func:`process_document` within a time budget; a document past it, or one that makes
    the extractor fail, is a :class:`Problem` and the others go on."""
    where = doc.path or doc.id
    try:
        with budget.time_limit(seconds):
            return process_document(doc, gaz, corrections)
    except budget.DocumentTimeout as exc:
        log.warning("%s: %s; skipped", where, exc)
        return Problem(where, f"{exc}; skipped (raise --doc-timeout to allow more)")
    except Exception as exc:  # a bug on one document must not lose the others
        log.exception("%s: extraction failed", where)
        return Problem(where, f"extraction failed: {exc!r}")


def _cache_key(doc: Document, gaz_version: str, corrections_digest: str) -> str:
    h = hashlib.sha256()
    from geomap.nlp import enabled

    for part in (
        CODE_VERSION,
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

    Entries are data-only JSON (:mod:`geomap.codec`), validated on read. The cache lives in an
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

    def put(self, key: str, result: DocResult) -> None:
        if self.directory is None:
            return
        try:
            gio.atomic_write(self.path(key), encode(result, schema=self._schema(key)))
        except (OSError, CodecError) as exc:  # a cache that cannot be written is only slower
            log.warning("cannot write the document cache: %s", exc)


def load_corrections_file(path: Path | None) -> list[Any]:
    if path is None or not path.is_file():
        return []
    from geomap.places import load_corrections

    return list(load_corrections(path))


def default_corrections_path(gaz_dir: Path | None) -> Path | None:
    from geomap.gazetteer import default_gazetteer_dir

    directory = gaz_dir or default_gazetteer_dir()
    path = directory / "corrections.csv"
    return path if path.is_file() else None


def run_documents(
    docs: Iterable[Document | Problem],
    gaz: Gazetteer,
    corrections: Sequence[Any],
    *,
    cache: DocumentCache,
    progress: Callable[[int], None] | None = None,
    doc_timeout: float | None = budget.DEFAULT_SECONDS,
) -> Iterable[DocResult | Problem]:
    digest = hashlib.sha256(
        "\n".join(sorted(correction_key(c) for c in corrections)).encode()
    ).hexdigest()
    n = 0
    for item in docs:
        if isinstance(item, Problem):
            yield item
            continue
        key = _cache_key(item, gaz.version, digest)
        result = cache.get(key)
        if result is None:
            done = process_within_budget(item, gaz, corrections, doc_timeout)
            if isinstance(done, Problem):
                yield done
                continue
            result = done
            cache.put(key, result)
        else:
            result = replace(result, doc=replace(result.doc, path=item.path))
        n += 1
        if progress:
            progress(n)
        yield result


def collect(
    results: Iterable[Any],
    corrections: Sequence[Any],
) -> ExtractResult:
    """Gather per-document results (in any order) into one deterministic ExtractResult."""
    from geomap.merge import merge_events

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
    for r in doc_results:
        out.documents.append(r.doc)
        out.mentions.extend(r.mentions)
        raw.extend(r.events)
        used.update(r.corrections_used)
        out.unresolved_dates += r.unresolved_dates
        out.dates[r.doc.id] = (r.printed_date, r.date_used, r.date_basis)
        if r.doc.published is None and r.date_used is None:
            out.undated_documents.append(r.doc.id)
    out.raw_events = len(raw)
    out.events = merge_events(raw)
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
    """events.geojson, mentions.csv, documents.csv and geomap.gpkg, each written atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [
        out_dir / n for n in ("events.geojson", "mentions.csv", "documents.csv", "geomap.gpkg")
    ]
    gio.write_events_geojson(result.events, files[0], gaz)
    gio.write_mentions_csv(result.mentions, files[1])
    n_mentions = Counter(m.doc for m in result.mentions)
    n_events = Counter(s.doc for e in result.events for s in e.sources)
    problems_by_path: dict[str, list[str]] = {}
    for p in result.problems:
        problems_by_path.setdefault(p.path, []).append(p.message)
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
    for p in result.problems:
        if p.severity == "error" and p.path not in processed and p.path.endswith(".txt"):
            rows.append(
                {
                    "doc": Path(p.path).name.removesuffix(".txt"),
                    "path": p.path,
                    "published": "",
                    "outlet": "",
                    "dateline": "",
                    "wire": "",
                    "printed_date": "",
                    "date_used": "",
                    "date_basis": "",
                    "mentions": 0,
                    "events": 0,
                    "status": "failed",
                    "problem": p.message,
                }
            )
    rows.sort(key=lambda r: (r["doc"], r["path"]))
    gio.write_csv(files[2], DOCUMENT_COLUMNS, rows)
    gio.write_geopackage(files[3], result.events, result.mentions, places_of(result))
    return files


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
    """Extract a corpus into ``out_dir``; see docs/ARCHITECTURE.md for the files."""
    t0 = time.perf_counter()
    gaz = gazetteer or Gazetteer.load(gazetteer_dir)
    if corrections_path is None:
        corrections_path = default_corrections_path(gazetteer_dir)
    corrections = load_corrections_file(corrections_path)
    source = corpus if isinstance(corpus, Path) else list(corpus)
    docs = read_corpus(source, published=published)
    cache = DocumentCache(out_dir / CACHE_DIR if use_cache else None)
    if engine == "dask":
        from geomap.distributed import run_dask

        results: Iterable[Any] = run_dask(
            docs,
            gaz,
            corrections,
            cache=cache,
            scheduler=scheduler,
            out_dir=out_dir,
            doc_timeout=doc_timeout,
        )
    elif engine == "serial":
        results = run_documents(
            docs, gaz, corrections, cache=cache, progress=progress, doc_timeout=doc_timeout
        )
    else:
        from geomap.errors import UnknownName

        raise UnknownName("engine", engine, ("serial", "dask"))
    result = collect(results, corrections)
    result.cache_hits = cache.hits
    if write:
        result.files = write_outputs(result, out_dir, gaz)
    result.seconds = time.perf_counter() - t0
    return result


def summary(result: ExtractResult) -> str:
    """A one-screen summary: documents, mentions by status, events by type and date, problems."""
    lines = [
        f"documents: {len(result.documents)} processed, "
        f"{sum(1 for p in result.problems if p.severity == 'error')} failed, "
        f"{result.cache_hits} from cache ({result.seconds:.2f} s)"
    ]
    status = Counter(m.status for m in result.mentions)
    lines.append(
        "mentions:  "
        + ", ".join(f"{status[s]} {s}" for s in ("resolved", "fallback", "ambiguous", "unresolved"))
    )
    types = Counter(e.type for e in result.events)
    lines.append(
        f"events:    {len(result.events)} after merging {result.raw_events} reports: "
        + ", ".join(f"{n} {t}" for t, n in sorted(types.items()))
    )
    days = Counter(e.date_end.isoformat() if e.date_end else "undated" for e in result.events)
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
