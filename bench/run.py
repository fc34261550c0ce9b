"""`make bench`: measure geomap on one core and write BENCHMARKS.md.

    python -m bench.run --out BENCHMARKS.md [--articles 10000] [--repeats 3] [--quick]

Every measurement runs in its own child process (``--child NAME``) pinned to one CPU, so peak
memory (``ru_maxrss``) of one does not mix with another and imports are paid where they belong.
The corpus is generated (``bench.generate``) under ``.cache/bench/`` and reused when unchanged.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".cache" / "bench"
SEED = 2012
TARGET_RATIO = 5.0  # whole extraction vs the spaCy spotting baseline
MEMORY_GROWTH_LIMIT = 1.25  # peak RSS at the big corpus over the small one
TIME_LIMIT_S = 15 * 60
MAP_SIZES = (1_000, 10_000, 100_000)
PACKAGES = (
    "pyahocorasick",
    "rapidfuzz",
    "spacy",
    "geopandas",
    "shapely",
    "pyarrow",
    "dask",
    "distributed",
    "dask-geopandas",
    "folium",
)
SINGLE_THREAD_ENV = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "RAYON_NUM_THREADS": "1",
}


# -- child measurements (each runs in a fresh process) ------------------------------------------


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _corpus_bytes(corpus: Path) -> int:
    return sum(p.stat().st_size for p in corpus.glob("*.txt"))


def child_extract(corpus: str, write: bool = False) -> dict[str, Any]:
    """The whole serial extraction (read, spot, resolve, date, type, merge), no cache."""
    import geomap.extraction.events.merge
    from geomap.gazetteer.store import Gazetteer
    from geomap.pipeline.run import run_extract

    gaz = Gazetteer.load()
    merging = [0.0]
    real_merge = geomap.extraction.events.merge.merge_events

    def timed_merge(events: Any) -> Any:  # collect() looks merge_events up at call time
        t = time.perf_counter()
        try:
            return real_merge(events)
        finally:
            merging[0] += time.perf_counter() - t

    geomap.extraction.events.merge.merge_events = timed_merge
    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as out:
        t0 = time.perf_counter()
        res = run_extract(Path(corpus), Path(out), gazetteer=gaz, use_cache=False, write=write)
        seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "merge_seconds": merging[0],
        "documents": len(res.documents),
        "bytes": _corpus_bytes(Path(corpus)),
        "mentions": len(res.mentions),
        "raw_events": res.raw_events,
        "events": len(res.events),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _tick(spent: dict[str, float], step: str, since: float) -> float:
    now = time.perf_counter()
    spent[step] += now - since
    return now


def child_retained(corpus: str) -> dict[str, Any]:
    """What an extraction keeps in memory at the end, by kind (tracemalloc; slow, so small)."""
    import gc
    import tracemalloc

    from geomap.gazetteer.store import Gazetteer
    from geomap.pipeline.run import run_extract

    gaz = Gazetteer.load()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as out:
        res = run_extract(Path(corpus), Path(out), gazetteer=gaz, use_cache=False, write=False)
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    sizes: dict[str, float] = {}
    counts = {"mentions": len(res.mentions), "events": len(res.events)}
    for kind in ("mentions", "events", "documents"):
        setattr(res, kind, [])
        gc.collect()
        now = tracemalloc.get_traced_memory()[0]
        sizes[kind] = (before - now) / 1e6
        before = now
    sizes["other"] = (before - base) / 1e6
    tracemalloc.stop()
    n = sum(1 for _ in Path(corpus).glob("*.txt"))
    return {"documents": n, "mb": sizes, **counts}


def child_stages(corpus: str, limit: int = 1000) -> dict[str, Any]:
    """Seconds spent in each step over the first ``limit`` documents (where the time goes)."""
    from geomap.errors import Problem
    from geomap.extraction.events.dates import find_time_expressions
    from geomap.extraction.events.extract import extract_events
    from geomap.extraction.events.merge import merge_events
    from geomap.extraction.places.mentions import find_mentions
    from geomap.extraction.text import split_sentences
    from geomap.gazetteer.store import Gazetteer
    from geomap.pipeline.corpus import read_corpus

    gaz = Gazetteer.load()
    spent = dict.fromkeys(("read", "mentions", "sentences", "dates", "events", "merge"), 0.0)
    events: list[Any] = []
    n = 0
    t = time.perf_counter()
    for doc in read_corpus(Path(corpus)):
        now = time.perf_counter()
        spent["read"] += now - t
        if isinstance(doc, Problem):
            t = time.perf_counter()
            continue
        t = now
        mentions = find_mentions(doc, gaz)
        t = _tick(spent, "mentions", t)
        sentences = split_sentences(doc.text)
        t = _tick(spent, "sentences", t)
        times = find_time_expressions(doc.text, doc.published)
        t = _tick(spent, "dates", t)
        events.extend(extract_events(doc, sentences, mentions, times))
        now = time.perf_counter()
        spent["events"] += now - t
        n += 1
        if n >= limit:
            break
        t = time.perf_counter()
    t = time.perf_counter()
    merge_events(events)
    spent["merge"] = time.perf_counter() - t
    return {"documents": n, "seconds": spent}


def child_baseline(corpus: str) -> dict[str, Any]:
    """spaCy blank English + sentencizer + PhraseMatcher over the gazetteer names."""
    from bench.baseline_spacy import build_pipeline, gazetteer_names, spot
    from geomap.gazetteer.store import Gazetteer

    gaz = Gazetteer.load()
    t0 = time.perf_counter()
    names = gazetteer_names(gaz)
    nlp, matcher = build_pipeline(names)
    build = time.perf_counter() - t0
    paths = sorted(Path(corpus).glob("*.txt"))
    t0 = time.perf_counter()
    docs, found = spot(nlp, matcher, (p.read_text(encoding="utf-8") for p in paths))
    seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in nlp.tokenizer.pipe(p.read_text(encoding="utf-8") for p in paths):
        pass
    tokenizer = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "tokenizer_seconds": tokenizer,
        "build_seconds": build,
        "names": len(names),
        "documents": docs,
        "found": found,
        "bytes": _corpus_bytes(Path(corpus)),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _perturb(name: str, k: int) -> str:
    """A misspelling: a letter dropped, doubled or two letters swapped (by ``k``)."""
    i = 1 + k % max(1, len(name) - 2)
    kind = k % 3
    if kind == 0:
        return name[:i] + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]


def child_gazetteer(exact: int = 5000, fuzzy: int = 1000) -> dict[str, Any]:
    """Load time (from CSV: there is no compiled cache) and lookups per second."""
    import random

    from rapidfuzz import fuzz, process

    from geomap.gazetteer import store as gz
    from geomap.gazetteer.store import Gazetteer, default_gazetteer_dir

    directory = default_gazetteer_dir()
    t0 = time.perf_counter()
    version = gz._version(directory)
    gaz = Gazetteer._read(directory, version)
    cold = time.perf_counter() - t0
    gaz = Gazetteer.load()
    names = sorted({n for p in gaz.places for n in gaz.names_of(p.id) if n.isascii()})
    rng = random.Random(SEED)
    sample = [rng.choice(names) for _ in range(exact)]
    t0 = time.perf_counter()
    hits = sum(1 for n in sample if gaz.lookup(n))
    exact_s = time.perf_counter() - t0
    long_names = [n for n in names if len(n) >= 6]
    typos = [_perturb(rng.choice(long_names), k) for k in range(fuzzy)]
    t0 = time.perf_counter()
    found = [gaz.lookup(n) for n in typos]
    fuzzy_s = time.perf_counter() - t0
    via_fuzzy = sum(1 for c in found if c and c[0].reason.startswith("fuzzy"))
    choices = gaz._fuzzy_choices
    t0 = time.perf_counter()
    for n in typos[:200]:
        process.extractOne(n.lower(), choices, scorer=fuzz.ratio)
    raw_fuzzy_s = (time.perf_counter() - t0) / min(200, len(typos))
    return {
        "load_csv_seconds": cold,
        "places": len(gaz),
        "names": len(names),
        "fuzzy_choices": len(choices),
        "exact_per_s": exact / exact_s,
        "exact_found": hits / exact,
        "fuzzy_per_s": fuzzy / fuzzy_s,
        "fuzzy_found": sum(1 for c in found if c) / fuzzy,
        "fuzzy_via_rapidfuzz": via_fuzzy / fuzzy,
        "rapidfuzz_ms_per_query": raw_fuzzy_s * 1000,
    }


def child_incremental(corpus: str, n: int) -> dict[str, Any]:
    """Cold run with the cache, a second run, and a run with 10 new articles."""
    from bench.generate import generate_corpus
    from geomap.gazetteer.store import Gazetteer
    from geomap.pipeline.run import run_extract

    gaz = Gazetteer.load()
    path = Path(corpus)
    generate_corpus(n, path, seed=SEED, gaz=gaz)
    for extra in path.glob("gen*.txt"):
        if int(extra.stem[3:]) >= n:
            extra.unlink()
    out: dict[str, Any] = {"documents": n}
    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as tmp:
        for label in ("cold", "second"):
            t0 = time.perf_counter()
            res = run_extract(path, Path(tmp), gazetteer=gaz)
            out[f"{label}_seconds"] = time.perf_counter() - t0
            out[f"{label}_hits"] = res.cache_hits
        generate_corpus(n + 10, path, seed=SEED, gaz=gaz)
        t0 = time.perf_counter()
        res = run_extract(path, Path(tmp), gazetteer=gaz)
        out["plus10_seconds"] = time.perf_counter() - t0
        out["plus10_hits"] = res.cache_hits
        out["plus10_processed"] = len(res.documents) - res.cache_hits
    return out


def child_dask(corpus: str) -> dict[str, Any]:
    """The Dask engine on a LocalCluster (all CPUs of the machine, not pinned), no cache."""
    from geomap.gazetteer.store import Gazetteer
    from geomap.pipeline.run import run_extract

    cpus = set(range(os.cpu_count() or 1))
    os.sched_setaffinity(0, cpus)
    gaz = Gazetteer.load()
    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as out:
        t0 = time.perf_counter()
        res = run_extract(
            Path(corpus), Path(out), gazetteer=gaz, use_cache=False, write=False, engine="dask"
        )
        seconds = time.perf_counter() - t0
    return {"seconds": seconds, "documents": len(res.documents), "cpus": len(cpus)}


def child_maps(sizes: Sequence[int]) -> dict[str, Any]:
    """The maps engineer's measurement (``bench_maps`` in bench/maps.py or
    geomap/render/maps.py)."""
    import importlib

    for module in ("bench.maps", "geomap.render.maps"):
        try:
            bench_maps = getattr(importlib.import_module(module), "bench_maps", None)
        except ImportError:
            continue
        if bench_maps is not None:
            return {"rows": bench_maps(list(sizes))}
    return {"skipped": "no bench_maps in bench/maps.py or geomap/render/maps.py yet"}


def child_nlp_bare(**kwargs: Any) -> dict[str, Any]:
    """The whole extraction next to the bare language model (:mod:`bench.nlp_bare`)."""
    from bench.nlp_bare import child_nlp_bare as measure_both

    return measure_both(**kwargs)


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "extract": child_extract,
    "stages": child_stages,
    "retained": child_retained,
    "baseline": child_baseline,
    "gazetteer": child_gazetteer,
    "incremental": child_incremental,
    "maps": child_maps,
    "dask": child_dask,
    "nlp_bare": child_nlp_bare,
}


# -- the driver ---------------------------------------------------------------------------------


def pin_one_cpu() -> int | None:
    """Run on one CPU (the last one allowed) and one thread per library; the CPU, or None."""
    os.environ.update(SINGLE_THREAD_ENV)
    try:
        cpu = max(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return cpu
    except (AttributeError, OSError) as exc:  # not Linux
        log.warning("cannot pin to one CPU: %s", exc)
        return None


def measure(name: str, **kwargs: Any) -> dict[str, Any]:
    """Run one child measurement in a fresh interpreter; its JSON result."""
    cmd = [sys.executable, "-m", "bench.run", "--child", name, "--kwargs", json.dumps(kwargs)]
    log.info("measuring %s %s", name, kwargs)
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def repeat(n: int, name: str, **kwargs: Any) -> list[dict[str, Any]]:
    return [measure(name, **kwargs) for _ in range(n)]


def median(runs: Sequence[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in runs))


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    versions = []
    for pkg in PACKAGES:
        try:
            versions.append(f"{pkg} {metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{pkg} (not installed)")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu or platform.processor() or "unknown",
        "cores": str(os.cpu_count()),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": ", ".join(versions),
        "commit": commit or "unknown",
    }


def _runs(runs: Sequence[dict[str, Any]]) -> str:
    return ", ".join(f"{x['seconds']:.1f}" for x in runs)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def render(r: dict[str, Any]) -> str:
    """BENCHMARKS.md from the measurements."""
    m = r["machine"]
    ex, base = r["extract"], r["baseline"]
    n_docs = ex[0]["documents"]
    mb = ex[0]["bytes"] / 1e6
    ex_s, base_s = median(ex, "seconds"), median(base, "seconds")
    ex_rate, base_rate = n_docs / ex_s, base[0]["documents"] / base_s
    ratio = ex_rate / base_rate
    small = r["extract_small"]
    rss_small, rss_big = median(small, "peak_rss_mb"), median(ex, "peak_rss_mb")
    growth = rss_big / rss_small
    inc = r["incremental"]
    inc_ok = inc["second_hits"] == inc["documents"] and inc["plus10_processed"] == 10
    g = r["gazetteer"]
    lines = [
        "# geomap benchmarks",
        "",
        f"Written by `make bench` (`bench/run.py`) on {r['date']} in {r['total_seconds']:.0f} s, "
        f"commit {m['commit']}. Every figure is the median of {len(ex)} runs unless stated, each "
        f"in a fresh process pinned to one CPU (cpu {r['cpu']}), one thread per library.",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM, {m['os']}",
        f"- Python {m['python']}; {m['packages']}",
        f"- Corpus: {n_docs:,} generated articles ({mb:.1f} MB, "
        f"{ex[0]['bytes'] / max(n_docs, 1):,.0f} bytes an article, `bench/generate.py`, "
        f"seed {SEED}: "
        "templated reports with real gazetteer places, spelling variants, dates and counts; "
        "one in five rewrites a recent story)",
        "",
        "## Targets",
        "",
        "| target | measured | result |",
        "|---|---|---|",
        f"| whole extraction >= {TARGET_RATIO:.0f}x the spaCy baseline on one core | "
        f"{ex_rate:,.0f} vs {base_rate:,.0f} articles/s ({ratio:.2f}x) | "
        f"{_verdict(ratio >= TARGET_RATIO)} |",
        f"| the issue's absolute figure: 5 x its measured 160 articles/s | {ex_rate:,.0f} vs "
        f"800 articles/s | {_verdict(ex_rate >= 800)} |",
        f"| memory does not grow with the corpus (peak RSS, "
        f"{small[0]['documents']:,} -> {n_docs:,} articles, limit x{MEMORY_GROWTH_LIMIT}) | "
        f"{rss_small:,.0f} MB -> {rss_big:,.0f} MB (x{growth:.2f}) | "
        f"{_verdict(growth <= MEMORY_GROWTH_LIMIT)} |",
        f"| no work done twice: second run hits the cache for every article, 10 new articles "
        f"process 10 | {inc['second_hits']:,}/{inc['documents']:,} hits; "
        f"{inc['plus10_processed']} processed | {_verdict(inc_ok)} |",
        f"| `make bench` under 15 minutes | {r['total_seconds'] / 60:.1f} min | "
        f"{_verdict(r['total_seconds'] < TIME_LIMIT_S)} |",
        "",
        "## Extraction on one core",
        "",
        "| pipeline | articles | median s | articles/s | MB/s | peak RSS MB | runs (s) |",
        "|---|---|---|---|---|---|---|",
        f"| geomap (read, spot, resolve, date, type, merge; no cache, no files) | {n_docs:,} | "
        f"{ex_s:.1f} | {ex_rate:,.0f} | {mb / ex_s:.2f} | {rss_big:,.0f} | "
        f"{_runs(ex)} |",
        f"| geomap, same, on the first {small[0]['documents']:,} | {small[0]['documents']:,} | "
        f"{median(small, 'seconds'):.1f} | "
        f"{small[0]['documents'] / median(small, 'seconds'):,.0f} | "
        f"{small[0]['bytes'] / 1e6 / median(small, 'seconds'):.2f} | {rss_small:,.0f} | "
        f"{_runs(small)} |",
        f"| spaCy baseline (blank en + sentencizer + PhraseMatcher over {base[0]['names']:,} "
        f"names; spotting only) | {base[0]['documents']:,} | {base_s:.1f} | {base_rate:,.0f} | "
        f"{base[0]['bytes'] / 1e6 / base_s:.2f} | {median(base, 'peak_rss_mb'):,.0f} | "
        f"{_runs(base)} |",
        f"| spaCy tokenizer alone | {base[0]['documents']:,} | "
        f"{median(base, 'tokenizer_seconds'):.1f} | "
        f"{base[0]['documents'] / median(base, 'tokenizer_seconds'):,.0f} | | | |",
        "",
        f"geomap found {ex[0]['mentions']:,} place mentions and {ex[0]['raw_events']:,} event "
        f"reports, merged into {ex[0]['events']:,} events; the baseline matched "
        f"{base[0]['found']:,} name spans (building its matcher took "
        f"{median(base, 'build_seconds'):.1f} s, not counted).",
    ]
    if "write" in r:
        w = r["write"]
        lines += [
            "",
            f"With the output files written (events.geojson, mentions.csv, documents.csv, "
            f"geomap.gpkg), one run: {w['seconds']:.1f} s ({n_docs / w['seconds']:,.0f} "
            f"articles/s), peak RSS {w['peak_rss_mb']:,.0f} MB.",
        ]
    merge_small, merge_big = median(small, "merge_seconds"), median(ex, "merge_seconds")
    lines += [
        "",
        f"Of that, merging the events of the whole corpus (`merge_events`): "
        f"{merge_small:.1f} s at {small[0]['documents']:,} articles "
        f"({small[0]['raw_events']:,} reports), {merge_big:.1f} s at {n_docs:,} "
        f"({ex[0]['raw_events']:,} reports), {100 * merge_big / ex_s:.0f}% of the run.",
    ]
    st = r.get("stages")
    if st:
        total = sum(st["seconds"].values()) or 1.0
        lines += [
            "",
            f"Where the time goes (first {st['documents']:,} articles, one pass):",
            "",
            "| step | s | share |",
            "|---|---|---|",
        ]
        for step, sec in st["seconds"].items():
            lines.append(f"| {step} | {sec:.2f} | {100 * sec / total:.0f}% |")
    lines += [
        "",
        "## Incremental runs (document cache)",
        "",
        f"On {inc['documents']:,} articles with the cache in `OUT/.geomap-cache/` (one run each):",
        "",
        "| run | s | cache hits | processed |",
        "|---|---|---|---|",
        f"| first (cold cache) | {inc['cold_seconds']:.1f} | {inc['cold_hits']:,} | "
        f"{inc['documents'] - inc['cold_hits']:,} |",
        f"| second, nothing changed | {inc['second_seconds']:.1f} | {inc['second_hits']:,} | "
        f"{inc['documents'] - inc['second_hits']:,} |",
        f"| 10 new articles | {inc['plus10_seconds']:.1f} | {inc['plus10_hits']:,} | "
        f"{inc['plus10_processed']:,} |",
        "",
        "The second and later runs still read every article (to hash it), load the cached "
        "results, merge all events and write the files: that is their whole cost.",
        "",
        "## Dask engine",
        "",
        *_dask_lines(r),
        "## Gazetteer",
        "",
        "| measure | value |",
        "|---|---|",
        f"| places / names (ASCII) / fuzzy choices | {g['places']:,} / {g['names']:,} / "
        f"{g['fuzzy_choices']:,} |",
        f"| load from CSV (build the indexes) | {g['load_csv_seconds']:.2f} s |",
        f"| exact-name lookups | {g['exact_per_s']:,.0f} /s "
        f"({100 * g['exact_found']:.0f}% found) |",
        f"| misspelt-name lookups | {g['fuzzy_per_s']:,.0f} /s "
        f"({100 * g['fuzzy_found']:.0f}% found, "
        f"{100 * g['fuzzy_via_rapidfuzz']:.0f}% through rapidfuzz) |",
        f"| one rapidfuzz extractOne over all choices | {g['rapidfuzz_ms_per_query']:.2f} ms |",
        "",
        "## Maps",
        "",
    ]
    maps = r["maps"]
    if "rows" in maps and maps["rows"]:
        rows = maps["rows"]
        cols = list(rows[0])
        lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += ["| " + " | ".join(str(row.get(c, "")) for c in cols) + " |" for row in rows]
    else:
        lines.append(f"Not measured: {maps.get('skipped', 'no result')}.")
    lines += ["", "## Notes", ""]
    lines += [f"- {note}" for note in r["notes"]]
    return "\n".join(lines) + "\n"


def notes(r: dict[str, Any]) -> list[str]:
    out = [
        "Other processes shared this machine during the run; times are medians to damp that, "
        "but treat differences under ~10% as noise.",
        "The baseline is measured in the same run on the same articles; it only spots names, "
        "geomap spots, resolves, dates, types and merges.",
    ]
    ex, base = r["extract"], r["baseline"]
    rate = ex[0]["documents"] / median(ex, "seconds")
    base_rate = base[0]["documents"] / median(base, "seconds")
    if rate < TARGET_RATIO * base_rate:
        worst = ""
        if r.get("stages"):
            secs = r["stages"]["seconds"]
            top = sorted(secs.items(), key=lambda kv: -kv[1])[:2]
            worst = " The most expensive steps: " + ", ".join(
                f"{k} ({100 * v / (sum(secs.values()) or 1):.0f}%)" for k, v in top
            )
            worst += "."
        out.append(
            f"Throughput target missed: geomap does {rate:,.0f} articles/s against "
            f"{TARGET_RATIO:.0f} x {base_rate:,.0f} = {TARGET_RATIO * base_rate:,.0f} required. "
            "The baseline here is faster than the issue's 160 articles/s because the gazetteer "
            f"has {base[0]['names']:,} names (not 50,000) and the generated articles are short."
            + worst
        )
    small = r["extract_small"]
    m_small, m_big = median(small, "merge_seconds"), median(ex, "merge_seconds")
    size = ex[0]["raw_events"] / max(small[0]["raw_events"], 1)
    if m_small > 0 and m_big / m_small > 1.5 * size:
        out.append(
            f"Merging grows faster than the corpus: {size:.1f}x the reports took "
            f"{m_big / m_small:.1f}x the time ({m_small:.1f} s -> {m_big:.1f} s). "
            "`merge_events` tries every earlier cluster at the same place; as reports are "
            "sorted by date, clusters whose end date is before the report's start can be "
            "retired, which would make it near linear."
        )
    growth = median(ex, "peak_rss_mb") / median(small, "peak_rss_mb")
    if growth > MEMORY_GROWTH_LIMIT:
        out.append(
            f"Peak memory grows with the corpus (x{growth:.2f}): documents are streamed (their "
            "text is dropped after processing) but every mention and event is kept for the "
            "output files and the merge. Streaming mentions straight to mentions.csv and keeping "
            "only compact event keys for merging would bound it."
            + _retained_note(r.get("retained"))
        )
    return out


def _dask_lines(r: dict[str, Any]) -> list[str]:
    d = r.get("dask")
    if not d:
        return ["Not measured.", ""]
    small = r["extract_small"]
    serial = small[0]["documents"] / median(small, "seconds")
    return [
        f"`--engine dask` on the first {d['documents']:,} articles, a LocalCluster of worker "
        f"processes on all {d['cpus']} CPUs (start-up included, no cache): {d['seconds']:.1f} s, "
        f"{d['documents'] / d['seconds']:,.0f} articles/s, against {serial:,.0f} articles/s "
        "serial on one CPU. The merged events are the same as the serial run's (tested).",
        "",
    ]


def _retained_note(ret: dict[str, Any] | None) -> str:
    if not ret or not ret.get("documents"):
        return ""
    per = 1000 / ret["documents"]
    mb = ret["mb"]
    return (
        f" Held at the end of a run, per 1,000 articles: mentions {mb['mentions'] * per:.1f} MB, "
        f"merged events {mb['events'] * per:.1f} MB, document records "
        f"{mb['documents'] * per:.1f} MB (tracemalloc on {ret['documents']:,} articles)."
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench.scale import run_scale

    t_start = time.perf_counter()
    cpu = pin_one_cpu()
    WORK.mkdir(parents=True, exist_ok=True)
    r: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "cpu": cpu,
    }
    r["gazetteer"] = measure("gazetteer")
    # the whole extraction next to the bare language model, on real-length articles: first,
    # before the scale runs
    from bench.generate import generate_corpus

    bare = generate_corpus(args.bare, WORK / f"bare-{args.bare}", seed=2012, words=600)
    r["nlp_bare"] = {"generated articles": measure("nlp_bare", corpus=str(bare), cpu=cpu)}
    real = _real_articles(args.bare, WORK / f"real-{args.bare}")
    if real is not None:  # and on real reporting: the dev set's articles, when it is beside us
        r["nlp_bare"]["real articles of the dev set"] = measure(
            "nlp_bare", corpus=str(real), cpu=cpu
        )
    r["scale"] = run_scale(
        WORK,
        small=args.small,
        mid=args.mid,
        big=args.articles,
        real=args.real,
        merge_sizes=list(args.merge_sizes),
    )
    r["maps"] = measure("maps", sizes=list(args.map_sizes))
    r["total_seconds"] = time.perf_counter() - t_start
    return r


def _real_articles(n: int, dest: Path) -> Path | None:
    """A folder of the first ``n`` articles of ../shared/devset (sorted by name), or None
    when the dev set is not there."""
    from geomap.evaluation.report import DEVSET

    found = sorted(DEVSET.glob("*.txt"))[:n] if DEVSET.is_dir() else []
    if not found:
        return None
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("*.txt"):
        old.unlink()
    for path in found:
        shutil.copyfile(path, dest / path.name)
    return dest


def render_scale(r: dict[str, Any]) -> str:
    """BENCHMARKS.md: the machine, the issue's scale targets, the gazetteer and the maps."""
    from bench.nlp_bare import render as nlp_bare_lines
    from bench.scale import render as scale_lines

    m, g = r["machine"], r["gazetteer"]
    lines = [
        "# geomap benchmarks",
        "",
        f"Written by `make bench` (`bench/run.py`, `bench/scale.py`) on {r['date']} in "
        f"{r['total_seconds']:.0f} s ({r['total_seconds'] / 60:.1f} min, limit 15), commit "
        f"{m['commit']}. Each figure is one run in a fresh process pinned to one CPU "
        f"(cpu {r['cpu']}), one thread per library, except the Dask run (all CPUs).",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM, {m['os']}",
        f"- Python {m['python']}; {m['packages']}",
        "",
        *scale_lines(r["scale"]),
        *(nlp_bare_lines(r["nlp_bare"]) + [""] if "nlp_bare" in r else []),
        "## Gazetteer",
        "",
        "| measure | value |",
        "|---|---|",
        f"| places / names (ASCII) / fuzzy choices | {g['places']:,} / {g['names']:,} / "
        f"{g['fuzzy_choices']:,} |",
        f"| load from CSV (build the indexes) | {g['load_csv_seconds']:.2f} s |",
        f"| exact-name lookups | {g['exact_per_s']:,.0f} /s "
        f"({100 * g['exact_found']:.0f}% found) |",
        f"| misspelt-name lookups | {g['fuzzy_per_s']:,.0f} /s "
        f"({100 * g['fuzzy_found']:.0f}% found, "
        f"{100 * g['fuzzy_via_rapidfuzz']:.0f}% through rapidfuzz) |",
        "",
        "## Maps",
        "",
    ]
    maps = r["maps"]
    if "rows" in maps and maps["rows"]:
        rows = maps["rows"]
        cols = list(rows[0])
        lines += ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += ["| " + " | ".join(str(row.get(c, "")) for c in cols) + " |" for row in rows]
    else:
        lines.append(f"Not measured: {maps.get('skipped', 'no result')}.")
    lines += [
        "",
        "## Notes",
        "",
        "- Other processes may share this machine; single runs, so treat differences under "
        "~10% as noise.",
        "- 200,000 articles were not run (it would take hours with the language model): the "
        "figure is extrapolated from the least-squares line through the peak memory of the "
        "three measured sizes.",
        "- The rerun's full-run reference is extrapolated from the measured real-length rate "
        "with the model; the rerun itself is measured on the short-article corpus.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    # sizes that fit `make bench` in 15 minutes on 2 cores: the cold run of the big corpus (for
    # its peak memory, and the cache the reruns use) is the longest step (~33 ms an article)
    parser.add_argument("--articles", type=int, default=10_000, help="big corpus (memory, rerun)")
    parser.add_argument("--small", type=int, default=2_000, help="corpus for memory growth")
    parser.add_argument("--mid", type=int, default=5_000, help="third size for memory growth")
    parser.add_argument("--real", type=int, default=1200, help="real-length articles, model on")
    parser.add_argument(
        "--bare", type=int, default=100, help="real-length articles, extraction vs bare model"
    )
    parser.add_argument("--merge-sizes", type=int, nargs="*", default=[200, 400, 800])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--map-sizes", type=int, nargs="*", default=list(MAP_SIZES))
    parser.add_argument("--quick", action="store_true", help="a smoke run: tiny corpus, 1 run")
    parser.add_argument("--json", type=Path, help="also write the raw measurements here")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--kwargs", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    if args.child:
        result = CHILDREN[args.child](**json.loads(args.kwargs))
        sys.stdout.write(json.dumps(result) + "\n")
        return 0
    if args.quick:
        args.articles, args.small, args.mid, args.repeats = 200, 50, 100, 1
        args.real, args.merge_sizes, args.bare = 20, [20, 40], 10
        args.map_sizes = [100]
    r = run(args)
    from geomap.writing import atomic_write

    atomic_write(args.out, render_scale(r))
    if args.json:
        atomic_write(args.json, json.dumps(r, indent=1, sort_keys=True, default=str) + "\n")
    log.info("wrote %s", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
