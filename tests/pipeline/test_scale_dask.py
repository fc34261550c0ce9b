"""The Dask engine against a separately started scheduler and two workers (subprocesses bound
to 127.0.0.1), as on a real cluster: same outputs as a serial run, and a rerun sends nothing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.generate import generate_corpus
from geomap.gazetteer.store import Gazetteer
from geomap.pipeline.run import run_extract


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def cluster(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "GEOMAP_NLP": "off", "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--dashboard-address",
                "127.0.0.1:0",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=tmp_path,
        )
    ]
    try:
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "distributed.cli.dask_worker",
                        address,
                        "--nthreads",
                        "1",
                        "--host",
                        "127.0.0.1",
                        "--dashboard-address",
                        "127.0.0.1:0",
                        "--local-directory",
                        str(tmp_path / "workers"),
                    ],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    cwd=tmp_path,
                )
            )
        from distributed import Client

        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout=5) as client:
                    client.wait_for_workers(2, timeout=30)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def test_scheduler_and_two_workers_on_localhost(
    tmp_path: Path, gaz: Gazetteer, cluster: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEOMAP_NLP", "off")
    corpus = generate_corpus(150, tmp_path / "corpus", seed=11, gaz=gaz)
    serial_out = tmp_path / "serial"
    run_extract(corpus, serial_out, gazetteer=gaz, use_cache=False)
    out = tmp_path / "dask"
    res = run_extract(corpus, out, gazetteer=gaz, engine="dask", scheduler=cluster)
    assert res.cache_hits == 0 and len(res.documents) == 150
    for name in ("events.geojson", "mentions.csv", "documents.csv", "geomap.gpkg"):
        assert (out / name).read_bytes() == (serial_out / name).read_bytes(), name
    # both workers did some of the work (each wrote document-cache entries)
    again = run_extract(corpus, out, gazetteer=gaz, engine="dask", scheduler=cluster)
    assert again.cache_hits == 150
