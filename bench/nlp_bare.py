"""The whole extraction next to the bare language model on the same articles.

The issue on places asks that extraction with the trained model run at least 0.8x as many
articles a second as the bare spaCy pipeline (the same components, run once per document) on
the same corpus. :func:`child_nlp_bare` measures both in one process on one CPU, loading
excluded from both (the model is loaded once, before either clock starts): first the bare
pipeline (``nlp.pipe`` over the texts), then geomap's whole extraction of the same folder
(:func:`geomap.pipeline.run.run_extract`, no cache: read, model, places, events, merge and the
output files), and the process's peak memory.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

#: The issue's floor: whole extraction articles/s over the bare pipeline's.
TARGET = 0.8


def child_nlp_bare(corpus: str, cpu: int | None = None) -> dict[str, Any]:
    """Articles a second of the bare pipeline and of the whole extraction, on ``corpus``."""
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    from geomap.extraction import nlp
    from geomap.gazetteer.store import Gazetteer
    from geomap.pipeline.run import run_extract

    gaz = Gazetteer.load()
    model = nlp.pipeline()  # loaded once, shared by both runs (cached by geomap)
    paths = sorted(Path(corpus).glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    model("warm up.")
    t0 = time.perf_counter()
    tokens = sum(len(doc) for doc in model.pipe(texts, batch_size=16))
    bare = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="geomap-bare-") as out:
        t0 = time.perf_counter()
        result = run_extract(Path(corpus), Path(out), gazetteer=gaz, use_cache=False)
        whole = time.perf_counter() - t0
    return {
        "documents": len(texts),
        "tokens": tokens,
        "components": list(model.pipe_names),
        "bare_seconds": bare,
        "whole_seconds": whole,
        "events": len(result.events),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def render(r: dict[str, Any]) -> list[str]:
    """The lines of BENCHMARKS.md for one :func:`child_nlp_bare` result."""
    n = r["documents"]
    bare_rate, whole_rate = n / r["bare_seconds"], n / r["whole_seconds"]
    ratio = whole_rate / bare_rate
    verdict = "PASS" if ratio >= TARGET else "FAIL"
    return [
        "## Extraction next to the bare language model",
        "",
        f"The same {n:,} real-length articles, one process on one CPU, the model loaded once "
        "before both clocks start (`bench/nlp_bare.py`).",
        "",
        "| run | articles/s | s | peak RSS MB | target | result |",
        "|---|---|---|---|---|---|",
        f"| bare spaCy pipeline ({', '.join(r['components'])}), `nlp.pipe` | {bare_rate:.1f} | "
        f"{r['bare_seconds']:.1f} | | | |",
        f"| geomap whole extraction (read, model, places, events, merge, files; no cache) | "
        f"{whole_rate:.1f} | {r['whole_seconds']:.1f} | {r['peak_rss_mb']:,.0f} | "
        f">= {TARGET}x the bare pipeline | {ratio:.2f}x {verdict} |",
    ]
