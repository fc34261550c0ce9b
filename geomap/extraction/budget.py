"""A time budget for the work on one document.

One pathological article must not stall a batch. :func:`time_limit` bounds the processing of a
document two ways at once:

- in the main thread of a POSIX process, a real-time interval timer (``SIGALRM``) interrupts
  the work wherever it is, inside a regular expression included (CPython's matcher checks for
  signals);
- in any thread (Dask runs tasks in worker threads, where signals cannot be used), the deadline
  is kept per thread and :func:`check`, called in the extractor's loops, raises once it passes.

Either way the document is reported as failed ("took longer than N s") and the run goes on.
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
import time
from collections.abc import Iterator

from geomap.errors import GeomapError

#: Seconds one document may take by default (``--doc-timeout``); 0 or None: no limit.
DEFAULT_SECONDS = 60.0

_local = threading.local()


class DocumentTimeout(GeomapError, TimeoutError):
    """The work on one document ran past its time budget."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"took longer than {seconds:g} s")


def check() -> None:
    """Raise :class:`DocumentTimeout` when this thread's document is past its deadline."""
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise DocumentTimeout(_local.seconds)


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Bound the time of the enclosed block (not re-entrant within one thread)."""
    if not seconds or seconds <= 0 or not math.isfinite(seconds):
        yield
        return
    _local.deadline = time.monotonic() + seconds
    _local.seconds = seconds
    use_alarm = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # nobody else's timer
    )
    previous = None
    if use_alarm:

        def _expired(signum: int, frame: object) -> None:
            raise DocumentTimeout(seconds)

        previous = signal.signal(signal.SIGALRM, _expired)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _local.deadline = None
