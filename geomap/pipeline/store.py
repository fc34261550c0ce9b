"""The on-disk store a run streams its per-document results into, and reads them back from.

One SQLite file (``OUT/.geomap-cache/store.sqlite``; a temporary one with ``--no-cache``):

* ``docs``: one row a document result, by cache key (name + content + settings, see
  :func:`geomap.pipeline.documents.cache_key`): its *record* (the rows it adds to documents.csv,
  mentions.csv and the GeoPackage, already rendered: plain JSON) and its encoded DocResult.
* ``events``: one row an unmerged event (a report), with what merging needs (place, dates, type,
  id, toll, documents) and the event's output properties.
* ``run``: the documents of the last run (name, path, key), in corpus order.
* ``merged``: the merged events of the last run, with the order they are written in, each
  with its events.geojson feature and events.csv line already rendered.
* ``windows``: a digest of the reports each merge window was merged from, so that a rerun
  merges again only the windows whose reports changed and reuses the others' merged rows. A
  window is a run of one place's reports (in merging order) whose dates chain: a report that
  starts after every earlier report of its window has ended can join none of their clusters
  (:func:`geomap.extraction.events.merge.cluster_reports` has closed them all), so it starts a
  new window, and windows merge independently.
* ``meta``: the run manifest (a digest of the run's (name, path, key) list and of the files it
  wrote), so a rerun with nothing new does no merging and writes nothing.

A record is plain data made on the machine that processed the document (a Dask worker ships
records, not objects). Nothing here is unpickled; a store that cannot be read is recreated.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar, overload

log = logging.getLogger(__name__)

STORE_NAME = "store.sqlite"
SCHEMA_VERSION = "5"
T = TypeVar("T")

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS docs (
    key TEXT PRIMARY KEY, id TEXT, record TEXT, result TEXT, stamp TEXT, mcsv TEXT
);
CREATE TABLE IF NOT EXISTS events (
    key TEXT, seq INTEGER, place TEXT, start TEXT, end_ TEXT, type TEXT, eid TEXT,
    fat INTEGER, docs TEXT, lon REAL, lat REAL, props TEXT, event TEXT
);
CREATE INDEX IF NOT EXISTS events_key ON events (key);
CREATE TABLE IF NOT EXISTS run (n INTEGER PRIMARY KEY, id TEXT, path TEXT, key TEXT);
CREATE INDEX IF NOT EXISTS run_id ON run (id);
CREATE TABLE IF NOT EXISTS merged (
    skey TEXT, place TEXT, type TEXT, eid TEXT, lon REAL, lat REAL, docs TEXT,
    props TEXT, event TEXT, geo TEXT, csv TEXT, win TEXT
);
CREATE INDEX IF NOT EXISTS merged_win ON merged (win);
CREATE INDEX IF NOT EXISTS merged_order ON merged (skey, place, type, eid);
CREATE TABLE IF NOT EXISTS windows (win TEXT PRIMARY KEY, digest TEXT, n INTEGER);
"""


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class Store:
    """The SQLite store (see the module's docstring); ``directory`` None makes a temporary one,
    removed when the store is no longer used."""

    def __init__(self, directory: Path | None) -> None:
        if directory is None:
            tmp = tempfile.mkdtemp(prefix="geomap-store-")
            self.path = Path(tmp) / STORE_NAME
            weakref.finalize(self, shutil.rmtree, tmp, True)
        else:
            directory.mkdir(parents=True, exist_ok=True)
            self.path = directory / STORE_NAME
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        for attempt in (0, 1):
            try:
                db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("PRAGMA cache_size=-8000")  # 8 MB, whatever the corpus
                db.execute("PRAGMA temp_store=FILE")
                db.executescript(_TABLES)
                version = db.execute("SELECT v FROM meta WHERE k='schema'").fetchone()
                if version is None:
                    db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                elif version[0] != SCHEMA_VERSION:
                    raise sqlite3.DatabaseError(f"store schema {version[0]}")
                return db
            except sqlite3.DatabaseError as exc:
                if attempt:
                    raise
                log.warning("%s unreadable (%s): starting a new store", self.path, exc)
                with _suppress():
                    db.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(str(self.path) + suffix).unlink(missing_ok=True)
        raise AssertionError("unreachable")

    # -- documents --------------------------------------------------------------------------

    def has(self, key: str, stamp: str | None = None) -> bool:
        """Whether the store holds ``key``; with ``stamp``, only if it was stored from the
        document-cache entry that still has that stamp (:func:`entry_stamp`): the document
        cache stays the reference, and an entry rewritten since (by anyone) is read again."""
        row = self.db.execute("SELECT stamp FROM docs WHERE key=?", (key,)).fetchone()
        if row is None:
            return False
        return stamp is None or (bool(stamp) and row[0] == stamp)

    def add(self, key: str, record: dict[str, Any], result: str, stamp: str = "") -> None:
        """Store one document's record (see :func:`geomap.pipeline.run.record_of`) by its key."""
        self.add_encoded(key, record["doc"][0], *encode_record(record), result, stamp)

    def add_encoded(
        self,
        key: str,
        doc_id: str,
        record: str,
        events: Sequence[Sequence[Any]],
        result: str,
        stamp: str = "",
    ) -> None:
        """:meth:`add` for a record already encoded by :func:`encode_record` (where the
        document was processed: a Dask worker)."""
        db = self.db
        db.execute("DELETE FROM events WHERE key=?", (key,))
        db.execute(
            "INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, NULL)",
            (key, doc_id, record, result, stamp),
        )
        db.executemany(
            "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(key, i, *row) for i, row in enumerate(events)],
        )

    def begin(self) -> None:
        self.db.execute("BEGIN")

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def start_run(self) -> None:
        self.db.execute("DELETE FROM run")

    def run_add(self, n: int, doc_id: str, path: str, key: str) -> None:
        self.db.execute("INSERT INTO run VALUES (?, ?, ?, ?)", (n, doc_id, path, key))

    def run_records(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(path, record) of the run's documents, by name then path (the outputs' order)."""
        cur = self.db.execute(
            "SELECT run.path, docs.record FROM run JOIN docs ON docs.key = run.key "
            "ORDER BY run.id, run.n"
        )
        for path, record in cur:
            yield path, json.loads(record)

    def run_results(self) -> Iterator[tuple[str, str]]:
        """(path, encoded DocResult) of the run's documents in the outputs' order."""
        yield from self.db.execute(
            "SELECT run.path, docs.result FROM run JOIN docs ON docs.key = run.key "
            "ORDER BY run.id, run.n"
        )

    def mention_texts(self, render: Callable[[list[Any]], str]) -> Iterator[str]:
        """The mentions.csv lines of the run's documents in the outputs' order, each document's
        rendered once by ``render`` (from its record's mention rows) and kept with it."""
        db = self.db
        # the documents not rendered yet, 500 at a time in the run's order: no list of the
        # run's keys is held
        after = -1
        while True:
            rows = db.execute(
                "SELECT run.n, docs.key, json_extract(docs.record, '$.mentions') FROM run "
                "JOIN docs ON docs.key = run.key WHERE run.n > ? AND docs.mcsv IS NULL "
                "ORDER BY run.n LIMIT 500",
                (after,),
            ).fetchall()
            if not rows:
                break
            db.executemany(
                "UPDATE docs SET mcsv = ? WHERE key = ?",
                {k: (render(json.loads(m)), k) for _n, k, m in rows}.values(),
            )
            after = rows[-1][0]
        for (text,) in db.execute(
            "SELECT docs.mcsv FROM run JOIN docs ON docs.key = run.key ORDER BY run.id, run.n"
        ):
            yield text

    def run_documents(self) -> Iterator[tuple[str, list[Any], int, int]]:
        """(path, the record's ``doc`` fields, mentions, merged events it is a source of) of
        the run's documents in the outputs' order, read by SQLite (no record decoded here)."""
        for path, doc, n_mentions, n_events in self.db.execute(
            "SELECT run.path, json_extract(docs.record, '$.doc'), "
            "json_array_length(docs.record, '$.mentions'), coalesce(c.n, 0) "
            "FROM run JOIN docs ON docs.key = run.key LEFT JOIN ("
            "SELECT j.value AS doc, count(*) AS n FROM merged, json_each(merged.docs) j "
            "GROUP BY j.value) c ON c.doc = run.id ORDER BY run.id, run.n"
        ):
            yield path, json.loads(doc), n_mentions, n_events

    def run_tallies(self) -> Iterator[tuple[list[Any], list[str], int]]:
        """(doc fields, corrections used, unresolved dates) of the run's documents."""
        for doc, corr, unres in self.db.execute(
            "SELECT json_extract(docs.record, '$.doc'), json_extract(docs.record, '$.corr'), "
            "json_extract(docs.record, '$.unres') FROM run JOIN docs ON docs.key = run.key "
            "ORDER BY run.id, run.n"
        ):
            yield json.loads(doc), json.loads(corr), unres

    def run_places(self) -> Iterator[list[Any]]:
        """The [place row, lon, lat] of every place the run's documents name, by id."""
        for (value,) in self.db.execute(
            "SELECT j.value FROM run JOIN docs ON docs.key = run.key, "
            "json_each(docs.record, '$.places') j GROUP BY j.key ORDER BY j.key"
        ):
            yield json.loads(value)

    def run_mention_rows(self) -> Iterator[list[Any]]:
        """[values, lon, lat] of the run's mentions in the outputs' order."""
        # a document at a time in the run's order (the run_id index: no sort of all the
        # mentions), its mentions in their order
        for (values,) in self.db.execute(
            "SELECT json_extract(docs.record, '$.mentions') FROM run "
            "JOIN docs ON docs.key = run.key ORDER BY run.id, run.n"
        ):
            yield from json.loads(values or "[]")

    def run_size(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM run").fetchone()[0])

    # -- merging ----------------------------------------------------------------------------

    _REPORTS = (
        "FROM run JOIN events e ON e.key = run.key{where} "
        "ORDER BY e.place, coalesce(e.start, ''), e.type, e.eid, run.id, run.n, e.seq"
    )

    def run_reports(self) -> Iterator[tuple[Any, ...]]:
        """The run's unmerged events of the stale windows (see :meth:`stale_windows`) in
        merging order (place, start, type, id), each with its window."""
        yield from self.db.execute(
            "SELECT e.place, e.start, e.end_, e.type, e.eid, e.fat, e.docs, e.lon, e.lat, "
            "e.props, e.event, rw.win FROM run JOIN events e ON e.key = run.key "
            "JOIN temp.rw rw ON rw.key = e.key AND rw.seq = e.seq "
            "WHERE rw.win IN (SELECT win FROM temp.stale) " + self._ORDER
        )

    _ORDER = "ORDER BY e.place, coalesce(e.start, ''), e.type, e.eid, run.id, run.n, e.seq"

    def window_digests(self) -> Iterator[tuple[str, str]]:
        """(window, digest) of every merge window of the run (see the module's docstring): a
        digest of its reports (their keys, which name their content and settings) in merging
        order; each report's window is put in the temporary table ``rw``."""
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS rw (key TEXT, seq INTEGER, win TEXT)")
        db.execute("DELETE FROM rw")
        win: str | None = None
        place: str | None = None
        last_end: str | None = None  # the latest end of the window's reports that have one
        h = hashlib.sha256()
        batch: list[tuple[str, int, str]] = []
        rows = db.execute(  # read a row at a time while rw (another table) is written
            "SELECT e.place, e.start, e.end_, run.key, e.seq FROM run "
            "JOIN events e ON e.key = run.key " + self._ORDER
        )
        for p, start, end, key, seq in rows:
            if p != place or (start is not None and (last_end is None or start > last_end)):
                if win is not None:
                    yield win, h.hexdigest()
                place, win, last_end, h = p, f"{p}\x1f{start or ''}", None, hashlib.sha256()
            if end is not None and (last_end is None or end > last_end):
                last_end = end
            h.update(f"{key}:{seq}\n".encode())
            batch.append((key, seq, win))  # type: ignore[arg-type]
            if len(batch) >= 5000:
                db.executemany("INSERT INTO rw VALUES (?, ?, ?)", batch)
                batch = []
        db.executemany("INSERT INTO rw VALUES (?, ?, ?)", batch)
        if win is not None:
            yield win, h.hexdigest()

    def stale_windows(self) -> int:
        """Fill the temporary table ``stale`` with the windows whose merged rows are out of
        date (reports changed, new or gone, or rows lost), drop those rows, record the new
        digests; how many windows are stale."""
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS now (win TEXT PRIMARY KEY, digest TEXT)")
        db.execute("CREATE TEMP TABLE IF NOT EXISTS stale (win TEXT PRIMARY KEY)")
        db.execute("DELETE FROM now")
        db.execute("DELETE FROM stale")
        digests: list[tuple[str, str]] = []
        for row in self.window_digests():
            digests.append(row)
            if len(digests) >= 5000:
                db.executemany("INSERT INTO now VALUES (?, ?)", digests)
                digests = []
        db.executemany("INSERT INTO now VALUES (?, ?)", digests)
        db.execute("CREATE INDEX IF NOT EXISTS temp.rw_win ON rw (win)")
        db.execute(
            "INSERT INTO stale SELECT win FROM now WHERE NOT EXISTS (SELECT 1 FROM windows w "
            "WHERE w.win = now.win AND w.digest = now.digest AND w.n = "
            "(SELECT count(*) FROM merged m WHERE m.win = w.win)) "
            "UNION SELECT win FROM windows WHERE win NOT IN (SELECT win FROM now)"
        )
        # merged rows of no recorded window (a store of an older run) are stale too
        db.execute(
            "INSERT OR IGNORE INTO stale SELECT DISTINCT win FROM merged "
            "WHERE win IS NULL OR win NOT IN (SELECT win FROM windows)"
        )
        db.execute("DELETE FROM merged WHERE win IS NULL OR win IN (SELECT win FROM stale)")
        # the rows a window keeps are counted, so that rows lost since are a miss too
        db.execute("CREATE TEMP TABLE IF NOT EXISTS kept AS SELECT win, n FROM windows WHERE 0")
        db.execute("DELETE FROM kept")
        db.execute("INSERT INTO kept SELECT win, n FROM windows")
        db.execute("DELETE FROM windows")
        db.execute(
            "INSERT INTO windows SELECT now.win, now.digest, kept.n FROM now "
            "LEFT JOIN kept ON kept.win = now.win"
        )
        return int(db.execute("SELECT count(*) FROM stale").fetchone()[0])

    def count_windows(self) -> None:
        """Record how many merged rows each window merged again (``stale``) has."""
        self.db.execute(
            "UPDATE windows SET n = (SELECT count(*) FROM merged m WHERE m.win = windows.win) "
            "WHERE win IN (SELECT win FROM temp.stale)"
        )

    def clear_merged(self) -> None:
        self.db.execute("DELETE FROM merged")
        self.db.execute("DELETE FROM windows")

    def add_merged(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.db.executemany("INSERT INTO merged VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)

    _MERGED_ORDER = " ORDER BY skey, place, type, eid"

    def merged_rows(self) -> Iterator[tuple[str, float, float, str, str]]:
        """(docs, lon, lat, props, event) of the merged events in the outputs' order."""
        yield from self.db.execute(
            "SELECT docs, lon, lat, props, event FROM merged" + self._MERGED_ORDER
        )

    def merged_texts(self, column: str) -> Iterator[str]:
        """The rendered ``geo`` (events.geojson feature) or ``csv`` (events.csv line) of the
        merged events in the outputs' order."""
        if column not in ("geo", "csv"):
            raise ValueError(f"no rendered column {column!r}: geo or csv")
        for (text,) in self.db.execute(f"SELECT {column} FROM merged" + self._MERGED_ORDER):
            yield text

    def merged_areas(self, precisions: Sequence[str]) -> Iterator[str]:
        """The props of the merged events whose geo_precision is one of ``precisions``."""
        marks = ",".join("?" * len(precisions))
        for (props,) in self.db.execute(
            f"SELECT props FROM merged WHERE json_extract(props, '$.geo_precision') IN ({marks})"
            + self._MERGED_ORDER,
            tuple(precisions),
        ):
            yield props

    def merged_size(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM merged").fetchone()[0])

    def events_per_document(self) -> Iterator[tuple[str, int]]:
        """(doc id, how many merged events have it as a source, a source a count)."""
        yield from self.db.execute(
            "SELECT j.value, count(*) FROM merged, json_each(merged.docs) j GROUP BY j.value"
        )

    # -- the run manifest -------------------------------------------------------------------

    def get_meta(self, k: str) -> str | None:
        row = self.db.execute("SELECT v FROM meta WHERE k=?", (k,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, k: str, v: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (k, v))

    def close(self) -> None:
        with _suppress():
            self.db.close()


#: The columns of an ``events`` row after its key and sequence number.
EVENT_ROW_COLUMNS = 11


def encode_record(record: dict[str, Any]) -> tuple[str, list[list[Any]]]:
    """A record as the store keeps it: the JSON text of its document part, and its events as
    rows of plain values (see the ``events`` table)."""
    return _dumps({k: v for k, v in record.items() if k != "events"}), [
        [
            e["place"],
            e["start"],
            e["end"],
            e["type"],
            e["id"],
            e["fat"],
            _dumps(e["docs"]),
            e["lon"],
            e["lat"],
            _dumps(e["props"]),
            e["event"],
        ]
        for e in record["events"]
    ]


def entry_stamp(path: Path | None) -> str | None:
    """Size and modification time of a document-cache entry ("" when missing; None: no
    document cache)."""
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True


class Lazy(Sequence[T]):
    """A read-only sequence backed by the store: iterating reads and decodes one item at a
    time, so a corpus of any size is never all in memory. Indexing materialises the list (for
    small results and tests); comparing with a list compares the items."""

    def __init__(self, size: int, items: Any) -> None:
        self._size = size
        self._items = items  # a callable returning a fresh iterator

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[T]:
        return iter(self._items())

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        return list(self)[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<{self._size} items in the store>"
