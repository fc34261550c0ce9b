"""Run the extraction on Dask: a local cluster by default, or a running scheduler.

:func:`stream_dask` is the engine ``run_extract(engine="dask")`` uses. The client streams the
corpus, hashes each document and sends only the new ones' *metadata* (path, manifest fields) to
the workers in tasks of :data:`STREAM_PARTITION_SIZE` documents, a few in flight per worker
thread. Each worker thread hands its tasks to an extraction process of its own
(:mod:`geomap.pipeline.worker_process`: the language model runs slower in a process with
threads), which reads the articles again, loads the gazetteer and the model once, consults and
fills the shared document cache and returns the partition's results as plain records (JSON
text). The client stores them as they arrive; :func:`geomap.pipeline.run.run_extract` then
merges by date window and writes the same files as a serial run, plus the GeoParquet parts
``OUT/events_parquet/part-NNNNN.parquet`` (:func:`write_parquet_parts`).

:func:`run_dask` is the older whole-corpus form (a ``dask.bag`` of partitions whose workers
write their own parts and return result objects), kept for library callers.

Workers need the corpus and ``OUT`` at the same paths as the driver (a shared file system), and
the same geomap and gazetteer version (checked: a worker with another gazetteer fails the run).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import functools
import json
import logging
import multiprocessing
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from geomap.errors import Problem
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document, Event
from geomap.pipeline.documents import (
    DocResult,
    DocumentCache,
    cache_key,
    corrections_digest,
)
from geomap.pipeline.partition import Request, processed, records_of, worker_gazetteer
from geomap.pipeline.store import EVENT_ROW_COLUMNS

log = logging.getLogger(__name__)

PARQUET_DIR = "events_parquet"
DEFAULT_PARTITION_SIZE = 250
#: ``scheduler`` values that run on dask's local schedulers, without ``distributed``.
LOCAL_SCHEDULERS = ("synchronous", "threads", "processes")

#: Columns of the GeoParquet parts (one row an unmerged event, as one document reports it).
PARQUET_COLUMNS: dict[str, str] = {
    "id": "string",
    "doc": "string",
    "type": "string",
    "sub_type": "string",
    "date_start": "string",
    "date_end": "string",
    "date_precision": "string",
    "place_id": "string",
    "place_name": "string",
    "place_kind": "string",
    "geo_precision": "string",
    "precision_km": "float64",
    "lat": "float64",
    "lon": "float64",
    "fatalities": "Int64",
    "fatalities_total": "Int64",
    "toll_group": "string",
    "actors": "string",
    "attributed_to": "string",
    "sources": "string",
}


@dataclass(frozen=True, slots=True)
class _Job:
    """What a worker needs to process one partition."""

    index: int
    docs: tuple[Document, ...]  # text "" when the worker can read it from ``path``
    gazetteer_dir: str
    gazetteer_version: str
    corrections: tuple[Any, ...]
    cache_dir: str
    parquet_dir: str
    doc_timeout: float | None = None  # seconds one document may take (None: no limit)


@dataclass(frozen=True, slots=True)
class _Done:
    results: tuple[DocResult | Problem, ...]
    cache_hits: int


def _run_job(job: _Job, gaz: Gazetteer | None = None) -> _Done:
    """Process one partition on a worker; write its GeoParquet part."""
    if gaz is None:
        gaz = worker_gazetteer(job.gazetteer_dir, job.gazetteer_version)
    cache = DocumentCache(Path(job.cache_dir) if job.cache_dir else None)
    out: list[DocResult | Problem] = []
    for doc, key, cached, result in processed(
        job.docs, gaz, job.corrections, cache, job.doc_timeout
    ):
        if isinstance(result, Problem):  # one bad document must not lose the partition
            out.append(result)
            continue
        assert doc is not None  # a document that cannot be read is a Problem
        if cached is None:
            cache.put(key, result)
        else:
            result = replace(result, doc=replace(result.doc, path=doc.path))
        out.append(result)
    events = [e for r in out if isinstance(r, DocResult) for e in r.events]
    write_parquet_part(events, Path(job.parquet_dir) / f"part-{job.index:05d}.parquet")
    return _Done(tuple(out), cache.hits)


def events_frame(events: Sequence[Event]) -> Any:
    """A GeoDataFrame of events with the fixed :data:`PARQUET_COLUMNS` schema (EPSG:4326)."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    from geomap.output.files import event_properties

    rows = []
    for e in events:
        props = event_properties(e)
        props["doc"] = e.sources[0].doc if e.sources else ""
        props["actors"] = "|".join(e.actors)
        props["attributed_to"] = "|".join(e.attributed_to)
        props["sources"] = json.dumps(props["sources"], ensure_ascii=False, sort_keys=True)
        rows.append(props)
    frame = pd.DataFrame(rows, columns=list(PARQUET_COLUMNS)).astype(PARQUET_COLUMNS)
    return gpd.GeoDataFrame(
        frame, geometry=[Point(e.place.lon, e.place.lat) for e in events], crs=4326
    )


def write_parquet_part(events: Sequence[Event], path: Path) -> None:
    """One GeoParquet file (written to a temporary name, then renamed)."""
    from geomap.writing import atomic_path

    with atomic_path(path) as tmp:
        events_frame(events).to_parquet(tmp, index=False)


def _jobs(
    docs: Iterable[Document | Problem],
    problems: list[Problem],
    *,
    gaz: Gazetteer,
    corrections: Sequence[Any],
    cache: DocumentCache,
    parquet_dir: Path,
    partition_size: int,
    doc_timeout: float | None = None,
) -> Iterator[_Job]:
    """Partitions of light documents (no text when it can be read again from its file)."""
    batch: list[Document] = []
    index = 0

    def job() -> _Job:
        return _Job(
            index,
            tuple(batch),
            str(gaz.directory or ""),
            gaz.version,
            tuple(corrections),
            str(cache.directory or ""),
            str(parquet_dir),
            doc_timeout,
        )

    for item in docs:
        if isinstance(item, Problem):
            problems.append(item)
            continue
        batch.append(replace(item, text="") if item.path and Path(item.path).is_file() else item)
        if len(batch) >= partition_size:
            yield job()
            index += 1
            batch = []
    if batch or index == 0:
        yield job()


def _client(scheduler: str | None, stack: ExitStack, *, processes: bool = False) -> Any:
    """A client of ``scheduler``, or of a local cluster of up to 2 workers with one thread
    each (None). The local workers are threads of this process: each hands its partitions to
    an extraction process of its own, so worker processes would only add their start and their
    messages. ``processes``: workers in processes of their own, for tasks that run the
    extraction in the worker (:func:`run_dask`)."""
    from distributed import Client, LocalCluster

    if scheduler is None:
        import dask

        workers = max(1, min(2, len(os.sched_getaffinity(0))))
        # the workers' statistical profiler walks every thread's stack every 10 ms, holding
        # the GIL; the Nanny hands this setting to worker processes
        stack.enter_context(dask.config.set({"distributed.worker.profile.enabled": False}))
        # nor need the event loops wake every 20-100 ms (each wake takes the GIL): the checks
        # run, less often
        stack.enter_context(dask.config.set(_QUIET_LOOPS))
        cluster = stack.enter_context(
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=processes,
                dashboard_address=":0",  # None would still bind port 8787 for HTTP routes
                scheduler_kwargs={"dashboard": False},
            )
        )
        log.info(
            "started a local Dask cluster of %d workers (%s)",
            workers,
            "processes" if processes else "threads, each with an extraction process",
        )
        return stack.enter_context(Client(cluster))
    log.info("connecting to the Dask scheduler at %s", scheduler)
    return stack.enter_context(Client(scheduler))


@dataclass
class DaskSession:
    """A client whose workers were asked to load the gazetteer and the language model, started
    before the client itself loads them (:func:`start_session`): the two overlap."""

    stack: ExitStack
    client: Any
    warming: list[Any]
    warmed: tuple[str, str]  # (gazetteer directory, version)

    def close(self) -> None:
        self.stack.close()


def start_session(scheduler: str | None, directory: Path, version: str) -> DaskSession:
    """Connect to ``scheduler`` (None: start a local cluster) and have every worker load the
    gazetteer of ``directory`` (of ``version``) and the language model."""
    stack = ExitStack()
    try:
        client = _client(scheduler, stack)
        warming = _warm_all(client, str(directory), version)
    except BaseException:
        stack.close()
        raise
    return DaskSession(stack, client, warming, (str(directory), version))


#: Dask settings for the local cluster: the event-loop and memory checks run
#: every second or so rather than every 20-500 ms.
_QUIET_LOOPS = {
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def _warm_all(client: Any, directory: str, version: str) -> list[Any]:
    """Every worker starts its extraction process, which loads the gazetteer and the model; on
    a local cluster (workers on this machine, one thread each, no more than its CPUs) worker i's
    extraction process is also kept on CPU i, so that they do not chase each other from core
    to core."""
    addresses = sorted(client.nthreads())
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    local = all(a.startswith(("tcp://127.0.0.1:", "inproc://")) for a in addresses)
    pin = local and len(addresses) <= len(cpus)
    return [
        client.submit(
            _warm,
            directory,
            version,
            cpus[i] if pin else None,
            workers=[address],
            allow_other_workers=False,
            pure=False,
        )
        for i, address in enumerate(addresses)
    ]


def run_dask(
    docs: Iterable[Document | Problem],
    gaz: Gazetteer,
    corrections: Sequence[Any],
    *,
    cache: DocumentCache,
    scheduler: str | None = None,
    out_dir: Path,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    doc_timeout: float | None = None,
) -> Iterator[DocResult | Problem]:
    """Per-document results computed on Dask, plus ``out_dir/events_parquet/part-*.parquet``.

    ``scheduler``: None starts a LocalCluster (up to 2 worker processes, 1 thread each);
    ``"synchronous"``, ``"threads"`` or ``"processes"`` use dask's local schedulers; anything
    else is the address of a running scheduler (``tcp://host:8786``).
    """
    import dask.bag as db

    if partition_size < 1:
        raise ValueError(f"partition_size must be >= 1, got {partition_size}")
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / PARQUET_DIR
    staging = Path(tempfile.mkdtemp(prefix=f".{PARQUET_DIR}.", dir=out_dir))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes 0700; the output is an ordinary directory
    problems: list[Problem] = []
    try:
        jobs = list(
            _jobs(
                docs,
                problems,
                gaz=gaz,
                corrections=corrections,
                cache=cache,
                parquet_dir=staging,
                partition_size=partition_size,
                doc_timeout=doc_timeout,
            )
        )
        log.info("%d partitions of up to %d documents", len(jobs), partition_size)
        with ExitStack() as stack:
            if gaz.directory is None:  # an in-memory gazetteer: ship it with the jobs
                bag = db.from_sequence(jobs, npartitions=len(jobs)).map(_run_job, gaz)
            else:
                bag = db.from_sequence(jobs, npartitions=len(jobs)).map(_run_job)
            if scheduler in LOCAL_SCHEDULERS:
                done: list[_Done] = bag.compute(scheduler=scheduler)
            else:
                client = _client(scheduler, stack, processes=True)
                done = bag.compute(scheduler=client)
        _replace_dir(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    cache.hits += sum(d.cache_hits for d in done)
    yield from problems
    for d in done:
        yield from d.results


def _replace_dir(new: Path, final: Path) -> None:
    """Put ``new`` in place of ``final`` (the old one is removed only once the new is there)."""
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(new, final)
    shutil.rmtree(old, ignore_errors=True)


# -- the streaming engine used by run_extract ---------------------------------------------------

#: Documents a task carries. Small enough that two workers share the work evenly and the
#: client receives results steadily, large enough that task overhead is noise (with the
#: language model a document takes 20-120 ms).
STREAM_PARTITION_SIZE = 16
#: Tasks in flight per worker thread: the client never holds more results than this.
IN_FLIGHT_PER_THREAD = 3


def _warm(gazetteer_dir: str, version: str, cpu: int | None = None) -> bool:
    """Start this worker thread's extraction process (:mod:`geomap.pipeline.worker_process`),
    which loads the gazetteer and (unless ``GEOMAP_NLP=off``) the language model and keeps them
    for every partition the thread hands it; ``cpu``: keep that process on that CPU."""
    from geomap.pipeline.worker_process import worker_process

    worker_process(gazetteer_dir, version, cpu)
    return True


def _worker_job(request: Request, gaz: Gazetteer | None = None) -> str:
    """A partition's encoded results (:func:`geomap.pipeline.partition.records_of`), as a
    distributed worker computes them: by its thread's extraction process, which has no other
    thread to slow the model down (see :mod:`geomap.pipeline.worker_process`); in this process
    only for a gazetteer shipped with the tasks (one that is not on disk)."""
    if gaz is not None:
        _allocator_for_the_model()
        _exit_without_teardown()
        return records_of(request, gaz)
    from geomap.pipeline.worker_process import run_partition

    return run_partition(request)


#: glibc ``mallopt`` parameters and the values a worker sets (see
#: :func:`_allocator_for_the_model`).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_TRIM_BYTES, _MMAP_BYTES = 64 << 20, 32 << 20


@functools.cache
def _allocator_for_the_model() -> None:
    """Undo, in this worker, what Dask's nanny does to the C allocator for its own ends.

    The nanny starts each worker with ``MALLOC_TRIM_THRESHOLD_=65536`` (its
    ``distributed.nanny.pre-spawn-environ``), which also fixes glibc's mmap threshold at
    128 KB: every array the language model makes is then mapped and unmapped again, and a
    worker runs the model a quarter slower than a plain process. Setting both thresholds to
    glibc's own dynamic ceilings gives the plain speed back (freed memory is still returned
    above 64 MB). Nothing happens without that variable or without glibc."""
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_BYTES)
        libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_BYTES)
    except (OSError, AttributeError):  # not glibc
        log.debug("mallopt unavailable: the allocator is left as it is")


@functools.cache
def _exit_without_teardown() -> None:
    """Let this worker process end without freeing the gazetteer and the model object by
    object (seconds of work, during which the cluster waits and then kills it): once the
    worker has stopped, its exit skips the interpreter's teardown. It holds nothing to save."""
    if multiprocessing.parent_process() is None:  # not a worker process (a threaded worker)
        return

    def exit_now() -> None:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(0)

    atexit.register(exit_now)  # registered last, so run first


def _rows_of(text: str) -> list[Any]:
    """The rows a worker sent (:func:`geomap.pipeline.partition.records_of`), checked for
    shape before the client stores them (a worker is trusted code, but a bug must not store
    garbage)."""
    rows = json.loads(text)
    if not isinstance(rows, list):
        raise ValueError("a worker sent no list of rows")
    for row in rows:
        if not isinstance(row, list) or not row:
            raise ValueError("a worker sent a malformed row")
        if row[0] == "problem" and len(row) == 5:
            continue
        if row[0] != "ok" or len(row) != 9 or not isinstance(row[6], list):
            raise ValueError("a worker sent a malformed row")
        if not all(isinstance(e, list) and len(e) == EVENT_ROW_COLUMNS for e in row[6]):
            raise ValueError("a worker sent a malformed event row")
    return rows


def stream_dask(
    docs: Iterable[Document | Problem],
    gaz: Gazetteer,
    corrections: Sequence[Any],
    *,
    cache: DocumentCache,
    store: Any,
    scheduler: str | None = None,
    out_dir: Path,
    partition_size: int = STREAM_PARTITION_SIZE,
    doc_timeout: float | None = None,
    session: DaskSession | None = None,
) -> Iterator[Any]:
    """Per-document results computed on Dask, stored on the client as they arrive (on the
    client of ``session`` when given: it is closed at the end).

    The client reads the corpus once (to hash each document); a document whose result is in
    the store is not sent anywhere. The others go to the workers in partitions of
    ``partition_size`` documents (paths and manifest fields: workers read the text), at most a
    few tasks a worker thread in flight, so the client's memory does not grow with the corpus.
    Workers return records (plain data), which the client writes to the store; merging then
    happens on the client, date window by date window (:func:`geomap.pipeline.run.run_extract`).
    """
    from geomap.pipeline.documents import Stored

    if partition_size < 1:
        raise ValueError(f"partition_size must be >= 1, got {partition_size}")
    out_dir.mkdir(parents=True, exist_ok=True)
    digest = corrections_digest(corrections)

    def jobs(problems: list[Problem], hits: list[Any]) -> Iterator[Request]:
        batch: list[Document] = []
        orders: list[int] = []

        def job() -> Request:
            return Request(
                tuple(batch),
                tuple(orders),
                tuple(corrections),
                str(gaz.directory or ""),
                gaz.version,
                str(cache.directory or ""),
                doc_timeout,
            )

        n = 0
        for item in docs:
            if isinstance(item, Problem):
                problems.append(item)
                continue
            key = cache_key(item, gaz.version, digest)
            light = replace(item, text="")
            if store.has(key, cache.stamp(key)):
                hits.append(Stored(light, key, True, n))
            else:
                readable = item.path and Path(item.path).is_file()
                batch.append(light if readable else item)
                orders.append(n)
            n += 1
            if len(batch) >= partition_size:
                yield job()
                batch, orders = [], []
        if batch:
            yield job()

    def stored(encoded: str) -> Iterator[Any]:
        for row in _rows_of(encoded):
            if row[0] == "problem":
                yield Problem(row[1], row[2], row[3], severity=row[4])
                continue
            _tag, order, doc_id, path, key, record, events, text, hit = row
            store.add_encoded(key, doc_id, record, events, text, cache.stamp(key) or "")
            if hit:
                cache.hits += 1
            yield Stored(Document(doc_id, "", path=path), key, hit, order)

    problems: list[Problem] = []
    hits: list[Any] = []

    def drain() -> Iterator[Any]:
        cache.hits += len(hits)
        yield from hits
        hits.clear()
        yield from problems
        problems.clear()

    with ExitStack() as stack:
        if scheduler in LOCAL_SCHEDULERS:
            import dask

            for j in jobs(problems, hits):
                yield from drain()
                task = dask.delayed(records_of)(j, None if gaz.directory else gaz)
                yield from stored(task.compute(scheduler=scheduler))
            yield from drain()
            return
        from distributed import as_completed

        if session is not None:
            stack.callback(session.close)
            client = session.client
        else:
            # a gazetteer in memory goes with the tasks, and the workers run the extraction
            # themselves: on a local cluster, in processes of their own
            client = _client(scheduler, stack, processes=gaz.directory is None)
        nthreads = client.nthreads()
        threads = max(1, sum(nthreads.values()))
        if gaz.directory is not None:
            # every worker loads the gazetteer and the language model (once a worker process:
            # both are kept for its tasks) while the client reads and hashes the corpus; a
            # session started them already, unless for another gazetteer
            if session is not None and session.warmed == (str(gaz.directory), gaz.version):
                warming = session.warming
            else:
                warming = _warm_all(client, str(gaz.directory), gaz.version)
        shipped = None if gaz.directory else client.scatter(gaz, broadcast=True)
        limit = IN_FLIGHT_PER_THREAD * threads
        pending = as_completed()
        n_pending = 0
        for j in jobs(problems, hits):
            pending.add(client.submit(_worker_job, j, shipped, pure=False))
            n_pending += 1
            yield from drain()
            while n_pending >= limit:
                future = next(pending)
                n_pending -= 1
                yield from stored(future.result())
                future.release()
        yield from drain()
        for future in pending:
            yield from stored(future.result())
            future.release()
        if gaz.directory is not None:
            for future in warming:
                future.result()  # a worker that cannot load them has failed the run already


def write_parquet_parts(
    store: Any, out_dir: Path, partition_size: int = DEFAULT_PARTITION_SIZE
) -> None:
    """``out_dir/events_parquet/part-NNNNN.parquet`` from the store: the run's unmerged events,
    ``partition_size`` documents a part in corpus order (one empty part for no documents)."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    from geomap.writing import atomic_path

    final = out_dir / PARQUET_DIR
    staging = Path(tempfile.mkdtemp(prefix=f".{PARQUET_DIR}.", dir=out_dir))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)

    def write(index: int, rows: list[tuple[dict[str, Any], float, float]]) -> None:
        frame = pd.DataFrame(
            [
                {
                    **props,
                    "doc": props["sources"][0]["doc"] if props["sources"] else "",
                    "actors": "|".join(props["actors"]),
                    "attributed_to": "|".join(props["attributed_to"]),
                    "sources": json.dumps(props["sources"], ensure_ascii=False, sort_keys=True),
                }
                for props, _lon, _lat in rows
            ],
            columns=list(PARQUET_COLUMNS),
        ).astype(PARQUET_COLUMNS)
        geo = gpd.GeoDataFrame(frame, geometry=[Point(lon, lat) for _p, lon, lat in rows], crs=4326)
        with atomic_path(staging / f"part-{index:05d}.parquet") as tmp:
            geo.to_parquet(tmp, index=False)

    try:
        orders = [n for (n,) in store.db.execute("SELECT n FROM run ORDER BY n")]
        part_of = {n: i // partition_size for i, n in enumerate(orders)}
        del orders
        current = 0
        rows: list[tuple[dict[str, Any], float, float]] = []
        cur = store.db.execute(
            "SELECT run.n, e.lon, e.lat, e.props FROM run JOIN events e ON e.key = run.key "
            "ORDER BY run.n, e.seq"
        )
        for n, lon, lat, props in cur:
            part = part_of[n]
            while part > current:
                write(current, rows)
                current, rows = current + 1, []
            rows.append((json.loads(props), lon, lat))
        last = max(part_of.values(), default=0)
        while current <= last:
            write(current, rows)
            current, rows = current + 1, []
        _replace_dir(staging, final)
        from geomap.output.files import keep_output

        for done_part in sorted(final.glob("part-*.parquet")):  # recorded where they are now, so
            keep_output(done_part)  # that the output record does not take them for stale files
    finally:
        shutil.rmtree(staging, ignore_errors=True)
