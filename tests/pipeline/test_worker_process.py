"""The extraction process a Dask worker thread hands its partitions to."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import generate_corpus
from geomap.errors import GazetteerError, Problem
from geomap.extraction.places.corrections import Correction
from geomap.gazetteer.store import Gazetteer
from geomap.pipeline import worker_process as wp
from geomap.pipeline.corpus import read_corpus
from geomap.pipeline.partition import Request, records_of


@pytest.fixture(autouse=True)
def _no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOMAP_NLP", "off")  # the children inherit it: fast to start


def _request(corpus: Path, gaz: Gazetteer, corrections: tuple[Correction, ...] = ()) -> Request:
    docs = tuple(d for d in read_corpus(corpus) if not isinstance(d, Problem))
    return Request(
        docs=docs,
        orders=tuple(range(len(docs))),
        corrections=corrections,
        gazetteer_dir=str(gaz.directory),
        gazetteer_version=gaz.version,
        cache_dir="",
        doc_timeout=30.0,
    )


@pytest.mark.parametrize(
    "message",
    [{}, {"op": "job", "text": "Raqqa \u0627\u0644\u0631\u0642\u0629\n"}, {"n": [1, 2.5]}],
)
def test_frames_round_trip(message: dict[str, object]) -> None:
    stream = io.BytesIO()
    wp.write_frame(stream, message)
    wp.write_frame(stream, {"next": True})
    stream.seek(0)
    assert wp.read_frame(stream) == message
    assert wp.read_frame(stream) == {"next": True}
    assert wp.read_frame(stream) is None


@pytest.mark.parametrize("cut", [0, 3, 8, 12])
def test_a_cut_frame_is_the_end_of_the_stream(cut: int) -> None:
    stream = io.BytesIO()
    wp.write_frame(stream, {"op": "load", "version": "x"})
    assert wp.read_frame(io.BytesIO(stream.getvalue()[:cut])) is None


def test_a_frame_that_is_no_object_is_refused() -> None:
    data = b"[1, 2]"
    with pytest.raises(wp.WorkerProcessError, match="no JSON object"):
        wp.read_frame(io.BytesIO(len(data).to_bytes(8, "little") + data))


def test_the_child_gives_what_the_worker_would_compute(tmp_path: Path, gaz: Gazetteer) -> None:
    corpus = generate_corpus(6, tmp_path / "corpus", seed=5, gaz=gaz)
    some = next(iter(gaz.places))
    corrections = (Correction("*", "Nowhere Town", some.id, path="c.csv", line=2),)
    request = _request(corpus, gaz, corrections)
    child = wp.WorkerProcess(str(gaz.directory), gaz.version)
    try:
        assert child.pid != os.getpid()
        assert child.run(request) == records_of(request)
        assert child.run(request) == records_of(request)  # the same child serves again
    finally:
        child.close()
    assert not child.alive()


def test_a_killed_child_is_started_again(tmp_path: Path, gaz: Gazetteer) -> None:
    corpus = generate_corpus(3, tmp_path / "corpus", seed=6, gaz=gaz)
    request = _request(corpus, gaz)
    first = wp.worker_process(str(gaz.directory), gaz.version)
    os.kill(first.pid, signal.SIGKILL)
    first.exit_status()
    assert wp.run_partition(request) == records_of(request)
    second = wp.worker_process(str(gaz.directory), gaz.version)
    assert second is not first and second.alive()
    assert wp.worker_process(str(gaz.directory), gaz.version) is second  # kept for the thread
    second.close()


def test_a_child_that_dies_twice_fails_the_partition_naming_it(
    tmp_path: Path, gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate_corpus(7, tmp_path / "corpus", seed=7, gaz=gaz)
    request = _request(corpus, gaz)
    started: list[int] = []
    real_init = wp.WorkerProcess.__init__

    def counted(self: wp.WorkerProcess, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        started.append(self.pid)

    def dies(self: wp.WorkerProcess, request: Request) -> str:
        self.close()
        raise wp._Died()

    monkeypatch.setattr(wp.WorkerProcess, "__init__", counted)
    monkeypatch.setattr(wp.WorkerProcess, "run", dies)
    with pytest.raises(wp.WorkerProcessError, match=r"twice .*gen000000.* and 2 more"):
        wp.run_partition(request)
    assert len(set(started)) == 2


def test_another_gazetteer_version_fails_in_the_child(gaz: Gazetteer) -> None:
    with pytest.raises(GazetteerError, match="same gazetteer"):
        wp.WorkerProcess(str(gaz.directory), "not-" + gaz.version)


def test_output_of_the_child_does_not_reach_the_frames() -> None:
    """A print in the child goes to its stderr; an unknown request is answered with an error."""
    code = (
        "import geomap.pipeline.worker_process as w\n"
        "answer = w._answer\n"
        "def noisy(message):\n"
        "    print('noise on stdout')\n"
        "    return answer(message)\n"
        "w._answer = noisy\n"
        "w.main()\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    frames = io.BytesIO()
    wp.write_frame(frames, {"op": "dance"})
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=frames.getvalue(),
        capture_output=True,
        env=env,
        timeout=120,
        check=True,
    )
    answer = wp.read_frame(io.BytesIO(done.stdout))
    assert answer is not None and answer["error"] == "ValueError"
    assert "unknown request 'dance'" in answer["message"]
    assert b"noise on stdout" in done.stderr


def test_ctrl_c_is_left_to_the_worker(tmp_path: Path, gaz: Gazetteer) -> None:
    """SIGINT (sent to the whole process group by Ctrl-C) does not end the child: the worker
    decides, and closing the child's stdin ends it."""
    corpus = generate_corpus(2, tmp_path / "corpus", seed=8, gaz=gaz)
    request = _request(corpus, gaz)
    child = wp.WorkerProcess(str(gaz.directory), gaz.version)
    try:
        os.kill(child.pid, signal.SIGINT)
        assert child.run(request) == records_of(request)
    finally:
        child.close()
    assert child.exit_status() == 0
