"""Caches are untrusted input: nothing in them runs, and a damaged entry is a miss, never an error.

Regression tests for the security issue's findings 1 and 2: a crafted pickle planted in the
document cache or the gazetteer cache used to run a shell command, and one corrupted byte broke
every later run.
"""

from __future__ import annotations

import os
import pickle
import random
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import generate_corpus
from geomap.gazetteer.geocoder import OnlineFallback
from geomap.gazetteer.store import Gazetteer
from geomap.pipeline.codec import CodecError, decode, encode
from geomap.pipeline.documents import DocResult, DocumentCache
from geomap.pipeline.run import CACHE_DIR, run_extract


class _Payload:
    """Unpickling this runs ``touch MARKER``: the attack the old pickle cache allowed."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, ...]]:
        return (os.system, (f"touch {self.marker}",))


def _entries(out: Path) -> list[Path]:
    return sorted((out / CACHE_DIR).rglob("*.json"))


def test_crafted_entries_in_the_document_cache_run_nothing(tmp_path: Path, gaz: Gazetteer) -> None:
    corpus = generate_corpus(4, tmp_path / "corpus", seed=5, gaz=gaz)
    out = tmp_path / "out"
    first = run_extract(corpus, out, gazetteer=gaz)
    entries = _entries(out)
    assert len(entries) == 4
    marker = tmp_path / "pwned"
    crafted = pickle.dumps(_Payload(marker))
    for entry in entries:
        entry.write_bytes(crafted)  # the old attack, under the new name
        entry.with_suffix(".pickle").write_bytes(crafted)  # and under the old one
    second = run_extract(corpus, out, gazetteer=gaz)
    assert not marker.exists()
    assert second.cache_hits == 0 and not second.failed
    assert second.events == first.events
    third = run_extract(corpus, out, gazetteer=gaz)  # the bad entries were rewritten
    assert third.cache_hits == 4


def test_random_corruptions_are_misses(tmp_path: Path, gaz: Gazetteer) -> None:
    corpus = generate_corpus(1, tmp_path / "corpus", seed=9, gaz=gaz)
    out = tmp_path / "out"
    run_extract(corpus, out, gazetteer=gaz)
    (entry,) = _entries(out)
    key = entry.stem
    good = entry.read_bytes()
    cache = DocumentCache(out / CACHE_DIR)
    assert isinstance(cache.get(key), DocResult)
    rng = random.Random(1487)
    outcomes = {"miss": 0, "hit": 0}
    for _ in range(3000):
        data = bytearray(good)
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        entry.write_bytes(bytes(data))
        result = cache.get(key)  # must never raise
        if result is None:
            outcomes["miss"] += 1
        else:
            assert isinstance(result, DocResult)
            outcomes["hit"] += 1
    assert outcomes["miss"] > 2000  # most corruptions break the JSON or its validation
    entry.write_bytes(good[: len(good) // 2])  # truncated
    assert cache.get(key) is None
    entry.write_bytes(b"[" * 100000)  # too deep for the decoder
    assert cache.get(key) is None
    entry.unlink()
    entry.mkdir()  # a folder where the entry should be
    assert cache.get(key) is None
    entry.rmdir()
    entry.write_bytes(good)
    assert isinstance(cache.get(key), DocResult)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "null",
        '{"schema":"s","version":1,"value":{}}',
        '{"schema":"s","version":1,"value":{"doc":1}}',
        '{"schema":"s","version":1,"value":NaN}',
        '{"schema":"s","version":999,"value":null}',
        '{"schema":"other","version":1,"value":null}',
    ],
)
def test_decode_refuses_what_is_not_a_doc_result(text: str) -> None:
    with pytest.raises(CodecError):
        decode(text, DocResult, schema="s")


def test_decode_runs_the_value_types_own_checks(seeds_extract: object, gaz: Gazetteer) -> None:
    place = gaz.get("C1007")
    text = encode(place, schema="p")
    assert decode(text, type(place), schema="p") == place
    bad = text.replace(f'"lat":{place.lat}', '"lat":123.0')
    assert bad != text
    with pytest.raises(CodecError, match="latitude"):
        decode(bad, type(place), schema="p")
    with pytest.raises(CodecError, match="place kind"):
        decode(text.replace('"kind":"city"', '"kind":"castle"'), type(place), schema="p")


def test_a_crafted_gazetteer_cache_file_runs_nothing(tmp_path: Path) -> None:
    """The gazetteer index is no longer cached on disk; a planted file is never read."""
    cache_home = tmp_path / "xdg"
    (cache_home / "geomap").mkdir(parents=True)
    marker = tmp_path / "pwned"
    crafted = pickle.dumps(_Payload(marker))
    for name in ("gazetteer-x-y.pickle", "gazetteer.pickle", "gazetteer-index.json"):
        (cache_home / "geomap" / name).write_bytes(crafted)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "geomap", "resolve", "Aleppo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Aleppo" in done.stdout
    assert not marker.exists()


def test_online_geocoder_cache_keeps_only_valid_records(tmp_path: Path) -> None:
    path = tmp_path / "online.json"
    good = {
        "id": "online:1",
        "name": "X",
        "kind": "online",
        "parent": "X, Syria",
        "parent_id": "",
        "lat": 35.0,
        "lon": 38.0,
        "precision_km": 5.0,
        "score": 0.5,
        "reason": "online geocoder (not in the gazetteer)",
        "source": "online geocoder",
    }
    import json

    path.write_text(
        json.dumps(
            {
                "x": [good],
                "bad lat": [{**good, "lat": 500}],
                "bad type": [{**good, "name": ["<script>"]}],
                "extra": [{**good, "__class__": "os.system"}],
                "not a list": {"a": 1},
            }
        ),
        encoding="utf-8",
    )
    fallback = OnlineFallback(geocoder=object(), cache_path=path)
    assert fallback.lookup("x") == [good]
    path.write_bytes(b"\xff\xfe garbage")
    assert OnlineFallback(geocoder=object(), cache_path=path)._cache == {}
