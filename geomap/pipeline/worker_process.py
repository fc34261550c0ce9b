"""The extraction process a Dask worker thread hands its documents to.

spaCy's parser and entity recogniser take and release the GIL at every step of a parse (their
compiled state checks acquire it), millions of times an article. In a process with one thread
that costs little; once a process has a second thread (a Dask worker always has several: its
event loop, its task threads), glibc's locks take their multi-threaded path for the rest of the
process, and the model runs 15-25% slower (measured with ``make bench``'s articles). So a worker
thread does not run the model itself: it keeps one child process with no other thread (started
once, the gazetteer and the language model loaded once and kept), sends it each partition and
waits. Several threads in one worker each get their own child, which also lets a worker with N
threads use N cores.

The child is ``python -m geomap.pipeline.worker_process``; the two talk over the child's stdin
and stdout in frames (an 8-byte length, then UTF-8 JSON; see :func:`write_frame`), and the
child's own prints go to its stderr. A request is a partition
(:class:`geomap.pipeline.partition.Request`, encoded with :mod:`geomap.pipeline.codec`); the
answer is the text :func:`geomap.pipeline.partition.records_of` returns for it. A child that
dies (killed, out of memory) is started again once for the same partition; a second death
fails the task, naming its documents.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import struct
import subprocess
import sys
import threading
import traceback
import weakref
from typing import IO, Any

from geomap.errors import GazetteerError, GeomapError, safe
from geomap.pipeline.codec import decode, encode
from geomap.pipeline.partition import Request, records_of, worker_gazetteer

log = logging.getLogger(__name__)

REQUEST_SCHEMA = "geomap.worker-request"
_HEADER = struct.Struct("<Q")
#: Environment variables the child does not inherit: Dask's nanny sets this one for its own
#: workers (it fixes glibc's mmap threshold at 128 KB, and the model then runs a quarter slower).
_DROPPED_ENV = ("MALLOC_TRIM_THRESHOLD_",)
#: Seconds a child is given to end after its stdin is closed.
_CLOSE_SECONDS = 5.0


class WorkerProcessError(GeomapError, RuntimeError):
    """The extraction process of a worker failed (it died, or raised an unexpected error)."""


def write_frame(stream: IO[bytes], message: dict[str, Any]) -> None:
    """``message`` as one frame: its JSON's byte length (8 bytes, little-endian), then the JSON."""
    data = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> dict[str, Any] | None:
    """The next frame's message; None at the end of the stream (also mid-frame: the writer died)."""
    header = _read_exactly(stream, _HEADER.size)
    if header is None:
        return None
    data = _read_exactly(stream, _HEADER.unpack(header)[0])
    if data is None:
        return None
    message = json.loads(data.decode("utf-8"))
    if not isinstance(message, dict):
        raise WorkerProcessError("a frame that is no JSON object")
    return message


def _read_exactly(stream: IO[bytes], n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class _Died(Exception):
    """The child's pipes closed: it has ended."""


class WorkerProcess:
    """One child extraction process, started with its gazetteer and model loaded."""

    def __init__(self, gazetteer_dir: str, version: str, cpu: int | None = None) -> None:
        self.gazetteer_dir, self.version, self.cpu = gazetteer_dir, version, cpu
        env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
        # the child imports the geomap this process runs, wherever it was found
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "geomap.pipeline.worker_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        # ended when closed, when this object is collected (a worker thread that ends drops
        # its child) or when this process exits
        self._finalizer = weakref.finalize(self, _shut, self._proc)
        if cpu is not None and hasattr(os, "sched_setaffinity"):
            try:
                os.sched_setaffinity(self._proc.pid, {cpu})
            except OSError:
                log.debug("could not keep the extraction process on CPU %d", cpu)
        try:
            self._ask({"op": "load", "gazetteer_dir": gazetteer_dir, "version": version})
        except BaseException:
            self.close()
            raise

    @property
    def pid(self) -> int:
        return self._proc.pid

    def alive(self) -> bool:
        return self._proc.poll() is None

    def run(self, request: Request) -> str:
        """The encoded results of one partition (raises :class:`_Died` if the child ends)."""
        answer = self._ask({"op": "job", "request": encode(request, schema=REQUEST_SCHEMA)})
        text = answer.get("ok")
        if not isinstance(text, str):
            raise WorkerProcessError("the extraction process answered without results")
        return text

    def _ask(self, message: dict[str, Any]) -> dict[str, Any]:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        try:
            write_frame(self._proc.stdin, message)
            answer = read_frame(self._proc.stdout)
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise _Died() from exc
        if answer is None:
            raise _Died()
        if "error" in answer:
            raise _error_of(answer)
        return answer

    def exit_status(self) -> int | None:
        try:
            return self._proc.wait(timeout=_CLOSE_SECONDS)
        except subprocess.TimeoutExpired:
            return None

    def close(self) -> None:
        """Close the child's stdin (it ends at once); kill it if it has not ended in 5 s."""
        self._finalizer()


def _shut(proc: subprocess.Popen[bytes]) -> None:
    """End ``proc`` (a child whose owner closes it, is collected, or is left at exit)."""
    if proc.stdin is not None:
        try:
            proc.stdin.close()
        except OSError:
            pass
    try:
        proc.wait(timeout=_CLOSE_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def _error_of(answer: dict[str, Any]) -> Exception:
    kind, message = str(answer.get("error")), str(answer.get("message", ""))
    if kind == "GazetteerError":
        path, line = answer.get("path"), answer.get("line")
        return GazetteerError(
            message,
            path=path if isinstance(path, str) else None,
            line=line if isinstance(line, int) else None,
        )
    detail = str(answer.get("detail", ""))
    if detail:
        log.error("the extraction process failed:\n%s", detail)
    return WorkerProcessError(f"the extraction process failed: {kind}: {safe(message)}")


#: This process's children, one a thread (a worker thread waits for its own child).
_local = threading.local()


def worker_process(gazetteer_dir: str, version: str, cpu: int | None = None) -> WorkerProcess:
    """The calling thread's child for this gazetteer, started (and loaded) on first use."""
    held: WorkerProcess | None = getattr(_local, "process", None)
    if held is not None:
        if held.alive() and (held.gazetteer_dir, held.version) == (gazetteer_dir, version):
            return held
        held.close()
        _local.process = None
    started = WorkerProcess(gazetteer_dir, version, cpu)
    _local.process = started
    return started


def run_partition(request: Request) -> str:
    """The encoded results of ``request``, computed by the calling thread's child; a child that
    dies is started again once (on the CPU the first was kept on) for the same partition."""
    for attempt in (1, 2):
        child = worker_process(request.gazetteer_dir, request.gazetteer_version)
        try:
            return child.run(request)
        except _Died:
            status = child.exit_status()
            _local.process = None
            child.close()
            ids = ", ".join(safe(d.id) for d in request.docs[:5])
            more = f" and {len(request.docs) - 5} more" if len(request.docs) > 5 else ""
            if attempt == 2:
                raise WorkerProcessError(
                    f"the extraction process ended (exit status {status}) twice while processing "
                    f"the documents {ids}{more}"
                ) from None
            log.warning(
                "the extraction process ended (exit status %s) while processing %s%s; "
                "starting another",
                status,
                ids,
                more,
            )
            _local.process = WorkerProcess(child.gazetteer_dir, child.version, child.cpu)
    raise AssertionError("unreachable")


# -- the child ----------------------------------------------------------------------------------


def _answer(message: dict[str, Any]) -> dict[str, Any]:
    if message.get("op") == "load":
        from geomap.extraction.nlp import enabled, pipeline

        worker_gazetteer(str(message["gazetteer_dir"]), str(message["version"]))
        if enabled():
            pipeline()
        return {"ok": True}
    if message.get("op") == "job":
        request = decode(str(message["request"]), Request, schema=REQUEST_SCHEMA)
        return {"ok": records_of(request)}
    raise ValueError(f"unknown request {message.get('op')!r}")


def main() -> None:
    """Answer requests on stdin until it closes, then end without the interpreter's teardown
    (freeing the model object by object takes seconds, and nothing is left to save)."""
    requests = sys.stdin.buffer
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a print anywhere in the child goes to stderr, not into the frames
    # Ctrl-C reaches the whole process group: the worker decides, and its end closes stdin
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        message = read_frame(requests)
        if message is None:
            break
        try:
            answer = _answer(message)
        except GazetteerError as exc:
            answer = {
                "error": "GazetteerError",
                "message": exc.message,
                "path": exc.path,
                "line": exc.line,
            }
        except Exception as exc:  # reported to the worker, which fails the task
            answer = {
                "error": type(exc).__name__,
                "message": str(exc),
                "detail": traceback.format_exc(),
            }
        try:
            write_frame(answers, answer)
        except BrokenPipeError:  # the worker has gone
            break
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    os._exit(0)


if __name__ == "__main__":
    main()
