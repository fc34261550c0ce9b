"""The whole extraction next to the bare language model on the same articles.

The issue on places asks that extraction with the trained model run at least 0.8x as many
articles a second as the bare spaCy pipeline (the same components, run once per document) on
the same corpus. :func:`child_nlp_bare` measures both in one process on one CPU, loading
excluded from both (each pipeline is loaded before its clock starts): first the bare pipeline
as its package ships it (``spacy.load`` of the same folder, ``nlp.pipe`` over the texts), then
geomap's whole extraction of the same folder (:func:`geomap.pipeline.run.run_extract`, no
cache: read, model, places, events, merge and the output files) with geomap's pipeline (the
same components, its attribute ruler applied as a table:
:mod:`geomap.extraction.attributes`), and the whole extraction's peak memory.
"""

from __future__ import annotations

import contextlib
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
    import gc

    import spacy

    from geomap.extraction import nlp
    from geomap.gazetteer.store import Gazetteer
    from geomap.pipeline.run import run_extract

    gaz = Gazetteer.load()
    paths = sorted(Path(corpus).glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    model = spacy.load(nlp.model_path(), exclude=list(nlp.EXCLUDED))  # as the package ships it
    components = list(model.pipe_names)
    model("warm up.")
    t0 = time.perf_counter()
    tokens = sum(len(doc) for doc in model.pipe(texts, batch_size=16))
    bare = time.perf_counter() - t0
    del model
    gc.collect()
    nlp.pipeline()("warm up.")  # geomap's, loaded once (cached by geomap)
    _reset_peak()
    with tempfile.TemporaryDirectory(prefix="geomap-bare-") as out:
        t0 = time.perf_counter()
        result = run_extract(Path(corpus), Path(out), gazetteer=gaz, use_cache=False)
        whole = time.perf_counter() - t0
    return {
        "documents": len(texts),
        "tokens": tokens,
        "components": components,
        "bare_seconds": bare,
        "whole_seconds": whole,
        "events": len(result.events),
        "peak_rss_mb": _peak_mb(),
    }


def _reset_peak() -> None:
    """Start the process's peak resident size again from now (Linux), so that the figure is
    the whole extraction's, not the bare pipeline's that ran before it."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
        f"| bare spaCy pipeline as shipped ({', '.join(r['components'])}), `nlp.pipe` | "
        f"{bare_rate:.1f} | "
        f"{r['bare_seconds']:.1f} | | | |",
        f"| geomap whole extraction (read, model with the attribute ruler as a table, places, "
        "events, merge, files; no cache) | "
        f"{whole_rate:.1f} | {r['whole_seconds']:.1f} | {r['peak_rss_mb']:,.0f} | "
        f">= {TARGET}x the bare pipeline | {ratio:.2f}x {verdict} |",
    ]
