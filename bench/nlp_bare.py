"""The whole extraction next to the bare language model on the same articles.

The issue on places asks that extraction with the trained model run at least 0.8x as many
articles a second as the bare spaCy pipeline (the same components, run once per document) on
the same corpus. :func:`child_nlp_bare` measures both in one process on one CPU, loading
excluded from both (each pipeline is loaded before its clock starts; for geomap that is the
model, the gazetteer and one warm-up run over a copy of one article, which imports the output
libraries and compiles the rules, as loading the bare pipeline imports spaCy): first the bare
pipeline
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
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

#: The issue's floor: whole extraction articles/s over the bare pipeline's.
TARGET = 0.8


def child_nlp_bare(corpus: str, cpu: int | None = None, rounds: int = 3) -> dict[str, Any]:
    """Articles a second of the bare pipeline and of the whole extraction, on ``corpus``:
    ``rounds`` pairs of runs, the bare pipeline then the whole extraction, each pair back to
    back so that both meet the same machine; the median of each, in wall-clock and in CPU
    seconds, and the median of the pairs' ratios."""
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
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
    # and the same with numpy's matrix products, as geomap runs it (nlp._numpy_products): what
    # that change alone gives, shown next to the gate
    same_ops = nlp._numpy_products(spacy.load(nlp.model_path(), exclude=list(nlp.EXCLUDED)))
    same_ops("warm up.")
    nlp.pipeline()("warm up.")  # geomap's, loaded once (cached by geomap)
    # the rest of the loading, also before the clock: one warm-up run over a copy of the
    # first article imports the writers' libraries (GDAL, Arrow) and compiles the rules
    with tempfile.TemporaryDirectory(prefix="geomap-warm-") as warm:
        (Path(warm) / "in").mkdir()
        (Path(warm) / "in" / paths[0].name).write_text(texts[0], encoding="utf-8")
        run_extract(Path(warm) / "in", Path(warm) / "out", gazetteer=gaz, use_cache=False)
    _reset_peak()
    bare: list[tuple[float, float]] = []  # (wall, CPU) seconds of each round
    bare_numpy: list[float] = []  # CPU seconds
    whole: list[tuple[float, float]] = []
    tokens = events = 0
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        tokens = sum(len(doc) for doc in model.pipe(texts, batch_size=16))
        bare.append((time.perf_counter() - t0, time.process_time() - c0))
        c0 = time.process_time()
        for _doc in same_ops.pipe(texts, batch_size=16):
            pass
        bare_numpy.append(time.process_time() - c0)
        with tempfile.TemporaryDirectory(prefix="geomap-bare-") as out:
            t0, c0 = time.perf_counter(), time.process_time()
            result = run_extract(Path(corpus), Path(out), gazetteer=gaz, use_cache=False)
            whole.append((time.perf_counter() - t0, time.process_time() - c0))
        events = len(result.events)
    return {
        "corpus": corpus,
        "documents": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "tokens": tokens,
        "components": components,
        "rounds": rounds,
        "bare_seconds": statistics.median(w for w, _c in bare),
        "whole_seconds": statistics.median(w for w, _c in whole),
        "bare_cpu_seconds": statistics.median(c for _w, c in bare),
        "whole_cpu_seconds": statistics.median(c for _w, c in whole),
        "ratios": [b[1] / w[1] for b, w in zip(bare, whole, strict=True)],
        "bare_numpy_cpu_seconds": statistics.median(bare_numpy),
        "ratios_numpy": [b / w[1] for b, w in zip(bare_numpy, whole, strict=True)],
        "events": events,
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


def render(runs: dict[str, dict[str, Any]]) -> list[str]:
    """The lines of BENCHMARKS.md for :func:`child_nlp_bare` results, by corpus name."""
    first = next(iter(runs.values()))
    lines = [
        "## Extraction next to the bare language model",
        "",
        "The same articles, one process on one CPU, loading before both clocks start (the "
        "model; for geomap also the gazetteer and one warm-up run over a copy of one article, "
        "which imports the output libraries and compiles the rules) (`bench/nlp_bare.py`). "
        f"{first.get('rounds', 1)} pairs of runs, the bare pipeline then the whole extraction "
        "back to back, before the scale runs; each figure is the median of its runs, the "
        "result the median of the "
        "pairs' ratios, taken on CPU seconds (one thread: the work done), which the other "
        "tenants of a shared virtual machine change less than its wall-clock seconds (+-20% "
        "from run to run here). The bare pipeline is the package's own components "
        f"({', '.join(first['components'])}) through `nlp.pipe`; geomap's run is the whole "
        "extraction (read, model, places, events, merge, files; no cache), its model the same "
        "components with the attribute ruler and the lemmatiser as tables, their matrix "
        "products done by numpy's BLAS instead of BLIS (the same tags, parses and entities: "
        "BLIS falls back to its generic kernels on this processor), the parse over the "
        "whole article and the entity recogniser over the sentences that hold a name to judge. "
        "The last column shows what the change of matrix products alone gives: the bare "
        "pipeline run with numpy's products, and geomap's whole extraction next to that.",
        "",
        "| articles | bare pipeline: articles/s (CPU) | CPU s | geomap whole extraction: "
        "articles/s (CPU) | CPU s | wall s (bare / geomap) | peak RSS MB | target | result | "
        "the bare pipeline with numpy's products: CPU s; geomap next to it |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in runs.items():
        n = r["documents"]
        cpu_bare, cpu_whole = n / r["bare_cpu_seconds"], n / r["whole_cpu_seconds"]
        ratios = r.get("ratios") or [cpu_whole / cpu_bare]
        ratio = statistics.median(ratios)
        verdict = "PASS" if ratio >= TARGET else "FAIL"
        words = r.get("words", 0) / n if n else 0
        lines.append(
            f"| {n:,} {name} ({words:.0f} words on average) | {cpu_bare:.1f} | "
            f"{r['bare_cpu_seconds']:.1f} | {cpu_whole:.1f} | {r['whole_cpu_seconds']:.1f} | "
            f"{r['bare_seconds']:.1f} / {r['whole_seconds']:.1f} | {r['peak_rss_mb']:,.0f} | "
            f">= {TARGET}x the bare pipeline (CPU) | {ratio:.2f}x {verdict} (pairs: "
            f"{', '.join(f'{x:.2f}' for x in ratios)}) | {_same_ops(r)} |"
        )
    return lines


def _same_ops(r: dict[str, Any]) -> str:
    """The bare pipeline with numpy's matrix products, and the whole extraction's articles/s
    over it (the median of the pairs), or "not measured" (older results)."""
    if "bare_numpy_cpu_seconds" not in r:
        return "not measured"
    ratios = r.get("ratios_numpy") or [r["bare_numpy_cpu_seconds"] / r["whole_cpu_seconds"]]
    return f"{r['bare_numpy_cpu_seconds']:.1f} s; {statistics.median(ratios):.2f}x"
