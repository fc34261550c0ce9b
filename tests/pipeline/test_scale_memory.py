"""Runs with bounded memory (``RLIMIT_AS`` in a subprocess) finish on 2,000 and 20,000 tiny
articles: results are streamed to the store, not held (GEOMAP_NLP=off, tiny articles: a test
of memory, not of extraction)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

LIMIT_BYTES = 1_500 * 1024 * 1024  # address space, not RSS: imports alone map ~1 GB
PLACES = ("Aleppo", "Homs", "Hama", "Idlib", "Deraa", "Douma", "Raqqa", "Latakia")
CHILD = r"""
import resource, sys, json
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), int(sys.argv[3])))
from geomap.pipeline.run import run_extract
res = run_extract(Path(sys.argv[1]), Path(sys.argv[2]))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"documents": len(res.documents), "events": len(res.events), "peak": peak}))
"""


def tiny_corpus(n: int, root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        day = 1 + i % 28
        (root / f"t{i:06d}.txt").write_text(
            f"Shelling killed {1 + i % 9} people in {place} on Monday.\n", encoding="utf-8"
        )
        rows.append({"file": f"t{i:06d}.txt", "published": f"2012-07-{day:02d}"})
    with open(root / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, ["file", "published"])
        w.writeheader()
        w.writerows(rows)
    return root


def _run(n: int, tmp: Path) -> dict[str, float]:
    import json

    corpus = tiny_corpus(n, tmp / f"c{n}")
    env = {**os.environ, "GEOMAP_NLP": "off"}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(corpus), str(tmp / f"o{n}"), str(LIMIT_BYTES)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,  # a guard against a hang, not a timing: the machine may be shared
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("n", [2_000, 20_000])
def test_bounded_memory_run_finishes(tmp_path: Path, n: int) -> None:
    r = _run(n, tmp_path)
    assert r["documents"] == n
    assert r["events"] > 0
