"""The Dask engine: same merged events as a serial run, partitioned GeoParquet, cache use."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.generate import generate_corpus
from geomap.errors import GazetteerError, Problem
from geomap.gazetteer.store import Gazetteer
from geomap.pipeline.corpus import read_corpus
from geomap.pipeline.dask_engine import PARQUET_COLUMNS, _Job, _run_job, run_dask
from geomap.pipeline.documents import DocResult, DocumentCache
from geomap.pipeline.run import ExtractResult, collect, run_extract
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, gaz: Gazetteer) -> Path:
    return generate_corpus(60, tmp_path_factory.mktemp("gen") / "corpus", seed=11, gaz=gaz)


@pytest.fixture(scope="module")
def generated_serial(
    tmp_path_factory: pytest.TempPathFactory, generated: Path, gaz: Gazetteer
) -> tuple[Path, ExtractResult]:
    out = tmp_path_factory.mktemp("gen-serial")
    return out, run_extract(generated, out, gazetteer=gaz, use_cache=False)


@pytest.fixture(scope="module")
def inproc_scheduler() -> Iterator[str]:
    """A LocalCluster of threads in this process (fast to start on a busy 2-core machine)."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        dashboard_address=":0",
        scheduler_kwargs={"dashboard": False},
    ) as cluster:
        yield cluster.scheduler_address


def _parts(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "events_parquet").iterdir())


def test_seeds_dask_equals_serial(
    tmp_path: Path,
    gaz: Gazetteer,
    seeds_extract: tuple[Path, ExtractResult],
    inproc_scheduler: str,
) -> None:
    serial_out, serial = seeds_extract
    res = run_extract(
        CORPUS, tmp_path, gazetteer=gaz, use_cache=False, engine="dask", scheduler=inproc_scheduler
    )
    assert len(res.events) == len(serial.events) > 0
    for name in ("events.geojson", "mentions.csv", "documents.csv"):
        assert (tmp_path / name).read_bytes() == (serial_out / name).read_bytes(), name
    assert _parts(tmp_path) == ["part-00000.parquet"]


def _dask_collect(
    corpus: Path, out: Path, gaz: Gazetteer, *, partition_size: int, scheduler: str | None
) -> ExtractResult:
    cache = DocumentCache(out / ".geomap-cache")
    results = run_dask(
        read_corpus(corpus),
        gaz,
        [],
        cache=cache,
        scheduler=scheduler,
        out_dir=out,
        partition_size=partition_size,
    )
    res = collect(results, [])
    res.cache_hits = cache.hits
    return res


# dask's parquet reader calls a pandas method pandas 3.1 deprecates (not our code)
@pytest.mark.filterwarnings("ignore:The inplace keyword in GeoDataFrame.reset_index")
def test_generated_partitions_merge_like_serial(
    tmp_path: Path,
    gaz: Gazetteer,
    generated: Path,
    generated_serial: tuple[Path, ExtractResult],
    inproc_scheduler: str,
) -> None:
    """Events of one place and day reported in different partitions are merged as in serial."""
    import dask_geopandas
    import geopandas as gpd

    from geomap.pipeline.run import write_outputs

    _, serial = generated_serial
    res = _dask_collect(generated, tmp_path, gaz, partition_size=7, scheduler=inproc_scheduler)
    assert [e.id for e in res.events] == [e.id for e in serial.events]
    assert res.events == serial.events
    assert res.raw_events == serial.raw_events > len(serial.events)  # merging did happen
    across = [
        e for e in res.events if len({int(s.doc[3:]) // 7 for s in e.sources}) > 1
    ]  # events merged from reports that were processed in different partitions
    assert len(across) >= 3
    assert _parts(tmp_path) == [f"part-{i:05d}.parquet" for i in range(9)]  # ceil(60 / 7)
    frame = gpd.read_parquet(tmp_path / "events_parquet")
    assert len(frame) == serial.raw_events
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert list(frame.columns) == [*PARQUET_COLUMNS, "geometry"]
    assert sorted(set(frame["doc"])) == sorted(
        d.id for d in serial.documents if _has_events(d.id, serial)
    )
    dframe = dask_geopandas.read_parquet(tmp_path / "events_parquet")
    assert dframe.npartitions == 9
    assert len(dframe.compute()) == serial.raw_events
    files = write_outputs(res, tmp_path, gaz)
    serial_out = generated_serial[0]
    assert files[0].read_bytes() == (serial_out / "events.geojson").read_bytes()


def _has_events(doc_id: str, result: ExtractResult) -> bool:
    return any(s.doc == doc_id for e in result.events for s in e.sources)


def test_default_local_cluster_agrees_with_serial(
    tmp_path: Path,
    gaz: Gazetteer,
    generated: Path,
    generated_serial: tuple[Path, ExtractResult],
) -> None:
    """scheduler=None starts a LocalCluster whose workers use extraction processes; results
    agree."""
    serial_out, serial = generated_serial
    res = run_extract(generated, tmp_path, gazetteer=gaz, engine="dask", use_cache=True)
    assert res.events == serial.events
    assert (tmp_path / "events.geojson").read_bytes() == (
        serial_out / "events.geojson"
    ).read_bytes()
    assert res.cache_hits == 0
    # the workers filled the shared cache: a second run (local threads) processes nothing
    again = run_extract(
        generated, tmp_path, gazetteer=gaz, engine="dask", scheduler="threads", use_cache=True
    )
    assert again.cache_hits == len(serial.documents) == 60
    assert again.events == serial.events


def test_synchronous_scheduler_and_problems(tmp_path: Path, gaz: Gazetteer) -> None:
    corpus = tmp_path / "corpus"
    generate_corpus(5, corpus, seed=2, gaz=gaz)
    (corpus / "empty.txt").write_text("  \n", encoding="utf-8")
    results = list(
        run_dask(
            read_corpus(corpus),
            gaz,
            [],
            cache=DocumentCache(None),
            scheduler="synchronous",
            out_dir=tmp_path / "out",
            partition_size=2,
        )
    )
    problems = [r for r in results if isinstance(r, Problem)]
    docs = [r for r in results if isinstance(r, DocResult)]
    assert [Path(p.path).name for p in problems if p.severity == "error"] == ["empty.txt"]
    assert sorted(d.doc.id for d in docs) == [f"gen{i:06d}" for i in range(5)]
    assert all(d.doc.text == "" for d in docs)
    assert _parts(tmp_path / "out") == [f"part-{i:05d}.parquet" for i in range(3)]


def test_old_parts_are_replaced(tmp_path: Path, gaz: Gazetteer) -> None:
    corpus = generate_corpus(4, tmp_path / "corpus", seed=4, gaz=gaz)
    out = tmp_path / "out"
    stale = out / "events_parquet" / "part-00099.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    _dask_collect(corpus, out, gaz, partition_size=3, scheduler="synchronous")
    assert _parts(out) == ["part-00000.parquet", "part-00001.parquet"]
    assert not [p for p in out.iterdir() if p.name.startswith(".events_parquet")]


def test_empty_corpus_writes_one_empty_part(tmp_path: Path, gaz: Gazetteer) -> None:
    import geopandas as gpd

    (tmp_path / "corpus").mkdir()
    res = _dask_collect(
        tmp_path / "corpus", tmp_path / "out", gaz, partition_size=5, scheduler="synchronous"
    )
    assert res.events == [] and res.documents == []
    frame = gpd.read_parquet(tmp_path / "out" / "events_parquet")
    assert len(frame) == 0 and list(frame.columns) == [*PARQUET_COLUMNS, "geometry"]


def test_worker_with_another_gazetteer_version_fails(tmp_path: Path, gaz: Gazetteer) -> None:
    assert gaz.directory is not None
    job = _Job(0, (), str(gaz.directory), "not-" + gaz.version, (), "", str(tmp_path))
    with pytest.raises(GazetteerError, match="same gazetteer"):
        _run_job(job)


def test_worker_without_the_driver_path_uses_its_own_gazetteer(
    tmp_path: Path, gaz: Gazetteer
) -> None:
    corpus = generate_corpus(2, tmp_path / "corpus", seed=3, gaz=gaz)
    docs = tuple(d for d in read_corpus(corpus) if not isinstance(d, Problem))
    job = _Job(0, docs, str(tmp_path / "elsewhere"), gaz.version, (), "", str(tmp_path))
    done = _run_job(job)
    assert [r.doc.id for r in done.results if isinstance(r, DocResult)] == [
        "gen000000",
        "gen000001",
    ]
    assert (tmp_path / "part-00000.parquet").is_file()


def test_bad_partition_size(tmp_path: Path, gaz: Gazetteer) -> None:
    with pytest.raises(ValueError, match="partition_size"):
        list(
            run_dask(
                iter(()), gaz, [], cache=DocumentCache(None), out_dir=tmp_path, partition_size=0
            )
        )


def test_cli_engine_dask(tmp_path: Path, seeds_extract: tuple[Path, ExtractResult]) -> None:
    from geomap.cli import main

    out = tmp_path / "out"
    code = main(
        ["extract", str(CORPUS), "--out", str(out), "--engine", "dask", "--scheduler", "threads"]
    )
    assert code == 0
    assert (out / "events.geojson").read_bytes() == (
        seeds_extract[0] / "events.geojson"
    ).read_bytes()
    assert _parts(out) == ["part-00000.parquet"]


def _extraction_process_pid() -> int:
    from geomap.pipeline import worker_process

    return int(worker_process._local.process.pid)


def test_local_cluster_workers_are_threads_each_with_its_extraction_process(
    gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    from contextlib import ExitStack

    from geomap.pipeline.dask_engine import _client, _warm_all

    monkeypatch.setenv("GEOMAP_NLP", "off")
    with ExitStack() as stack:
        client = _client(None, stack)
        addresses = sorted(client.nthreads())
        assert addresses and all(a.startswith("inproc://") for a in addresses)
        for future in _warm_all(client, str(gaz.directory), gaz.version):
            assert future.result() is True
        pids = [
            client.submit(_extraction_process_pid, workers=[a], pure=False).result()
            for a in addresses
        ]
    assert len(set(pids)) == len(addresses) and os.getpid() not in pids
