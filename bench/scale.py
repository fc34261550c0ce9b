"""The scale measurements of `make bench`: memory, reruns, merging one story, Dask vs serial.

Each is run twice in the same `make bench`: on this tree, and on a *baseline* tree (this tree
with geomap/pipeline/run.py, merge.py, io.py and distributed.py as they were at ``BASELINE``, the
commit before streaming), so every figure stands next to one measured on the same machine in
the same run. The baseline tree is made under ``.cache/bench/baseline`` (a copy of geomap/).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "134dbbe"  # before streaming, the store and the constant-time merge
CHANGED = ("extract.py", "merge.py", "io.py", "distributed.py")


def baseline_tree(work: Path) -> Path:
    """``work/baseline``: this tree's geomap/ and gazetteer/ with the baseline's CHANGED files."""
    tree = work / "baseline"
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    shutil.copytree(ROOT / "geomap", tree / "geomap", ignore=shutil.ignore_patterns("__pycache__"))
    (tree / "gazetteer").symlink_to(ROOT / "gazetteer")
    (tree / "bench").symlink_to(ROOT / "bench")
    for name in CHANGED:
        text = subprocess.run(
            ["git", "show", f"{BASELINE}:geomap/{name}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (tree / "geomap" / name).write_text(text, encoding="utf-8")
    (tree / "geomap" / "store.py").unlink(missing_ok=True)
    return tree


def current_tree(work: Path) -> Path:
    """``work/current``: a snapshot of this tree's geomap/, so that edits made while the bench
    runs (others work in the same checkout) change neither the code measured nor its cache key."""
    tree = work / "current"
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    shutil.copytree(ROOT / "geomap", tree / "geomap", ignore=shutil.ignore_patterns("__pycache__"))
    (tree / "gazetteer").symlink_to(ROOT / "gazetteer")
    (tree / "bench").symlink_to(ROOT / "bench")
    return tree


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- children -------------------------------------------------------------------------------


def child_scale_extract(
    corpus: str, out: str, load_model: bool = True, use_cache: bool = True, engine: str = "serial"
) -> dict[str, Any]:
    """One `geomap extract`-like run writing the files (events.geojson, CSVs, GeoPackage)."""
    from geomap.gazetteer.store import Gazetteer
    from geomap.pipeline.run import run_extract

    if engine == "dask":  # the driver pins children to one CPU: Dask gets the machine
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    gaz = Gazetteer.load()
    if load_model:
        from geomap.extraction.nlp import pipeline

        pipeline()  # the language model in memory, as in a real run
    t0 = time.perf_counter()
    res = run_extract(Path(corpus), Path(out), gazetteer=gaz, use_cache=use_cache, engine=engine)
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "documents": len(res.documents),
        "events": len(res.events),
        "raw_events": res.raw_events,
        "cache_hits": res.cache_hits,
        "peak_rss_mb": _peak_rss_mb(),
        "nlp": os.environ.get("GEOMAP_NLP", "on"),
    }


def story(n: int) -> list[Any]:
    """``n`` reports of one story: one place, overlapping dates, tolls that mostly fit."""
    from geomap.gazetteer.store import Gazetteer
    from geomap.model import Event, Source

    gaz = Gazetteer.load()
    place = gaz.lookup("Aleppo")[0].place
    return [
        Event(
            id=f"gen{i:06d}-e0",
            type="battle" if i % 4 else "strategic",
            sub_type="",
            date_start=date(2012, 7, 20) + timedelta(days=i % 3),
            date_end=date(2012, 7, 22) + timedelta(days=i % 2),
            date_precision="days",
            place=place,
            geo_precision="city",
            fatalities=(10 + i % 7) if i % 3 else None,
            actors=("rebels",),
            sources=(Source(f"gen{i:06d}", "Fighting raged in Aleppo.", 0, 26),),
        )
        for i in range(n)
    ]


def child_merge_story(n: int) -> dict[str, Any]:
    from geomap.extraction.events.merge import merge_events

    events = story(n)
    t0 = time.perf_counter()
    merged = merge_events(events)
    return {"n": n, "seconds": time.perf_counter() - t0, "events": len(merged)}


CHILDREN = {"scale_extract": child_scale_extract, "merge_story": child_merge_story}


# -- driver ---------------------------------------------------------------------------------


def measure(
    name: str, *, tree: Path | None = None, env: dict[str, str] | None = None, **kw: Any
) -> dict[str, Any]:
    """A child in a fresh interpreter (on ``tree``'s geomap when given)."""
    full = {**os.environ, **(env or {})}
    if tree is not None:
        full["PYTHONPATH"] = str(tree)
    cmd = [sys.executable, "-m", "bench.scale", name, json.dumps(kw)]
    proc = subprocess.run(
        cmd, cwd=tree or ROOT, env=full, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def run_scale(work: Path, *, small: int, big: int, real: int, merge_sizes: list[int]) -> dict:
    """Every scale measurement (see the module docstring)."""
    from bench.generate import generate_corpus

    r: dict[str, Any] = {"sizes": {"small": small, "big": big, "real": real}}
    base = baseline_tree(work)
    new = current_tree(work)
    off = {"GEOMAP_NLP": "off"}
    corpora = {}
    for n in (small, big):
        corpora[n] = generate_corpus(n, work / f"scale-{n}", seed=2012)
    real_corpus = generate_corpus(real, work / f"real-{real}", seed=2012, words=600)
    r["real_words"] = sum(len(p.read_text().split()) for p in real_corpus.glob("*.txt")) / real
    with tempfile.TemporaryDirectory(prefix="geomap-scale-", dir=work) as tmp:
        t = Path(tmp)
        # memory: streaming vs the baseline, the language model loaded in both
        for label, tree in (("new", new), ("old", base)):
            for n in (small, big):
                r[f"mem_{label}_{n}"] = measure(
                    "scale_extract",
                    tree=tree,
                    env=off,
                    corpus=str(corpora[n]),
                    out=str(t / f"{label}-{n}"),
                )
        # reruns on the big corpus (its cache from the memory run): nothing new, 10 new
        for label, tree in (("new", new), ("old", base)):
            r[f"rerun_same_{label}"] = measure(
                "scale_extract",
                tree=tree,
                env=off,
                corpus=str(corpora[big]),
                out=str(t / f"{label}-{big}"),
                load_model=False,
            )
        grown = t / "grown"
        shutil.copytree(corpora[big], grown)
        generate_corpus(big + 10, grown, seed=2012)
        for label, tree in (("new", new), ("old", base)):
            r[f"rerun_plus10_{label}"] = measure(
                "scale_extract",
                tree=tree,
                env=off,
                corpus=str(grown),
                out=str(t / f"{label}-{big}"),
                load_model=False,
            )
        # the full extraction with the language model on real-length articles: serial, Dask
        r["real_serial"] = measure(
            "scale_extract",
            tree=new,
            corpus=str(real_corpus),
            out=str(t / "real-serial"),
            use_cache=False,
        )
        r["real_dask"] = measure(
            "scale_extract",
            tree=new,
            corpus=str(real_corpus),
            out=str(t / "real-dask"),
            use_cache=False,
            engine="dask",
            load_model=False,
        )
    # merging one story
    for n in merge_sizes:
        r[f"merge_new_{n}"] = measure("merge_story", tree=new, n=n)
    for n in merge_sizes[:2]:
        r[f"merge_old_{n}"] = measure("merge_story", tree=base, n=n)
    return r


def render(r: dict[str, Any]) -> list[str]:
    """The Scale section of BENCHMARKS.md."""
    s = r["sizes"]
    small, big, real = s["small"], s["big"], s["real"]
    ns, nb = r[f"mem_new_{small}"], r[f"mem_new_{big}"]
    os_, ob = r[f"mem_old_{small}"], r[f"mem_old_{big}"]
    slope_new = (nb["peak_rss_mb"] - ns["peak_rss_mb"]) / (big - small) * 1000
    slope_old = (ob["peak_rss_mb"] - os_["peak_rss_mb"]) / (big - small) * 1000
    at200k_new = nb["peak_rss_mb"] + max(slope_new, 0) * (200_000 - big) / 1000
    at200k_old = ob["peak_rss_mb"] + slope_old * (200_000 - big) / 1000
    rs, rd = r["real_serial"], r["real_dask"]
    rate = rs["documents"] / rs["seconds"]
    full_big = big / rate  # a full run of the big corpus at the measured real-length rate
    same_new, plus_new = r["rerun_same_new"], r["rerun_plus10_new"]
    same_old, plus_old = r["rerun_same_old"], r["rerun_plus10_old"]
    speedup = rs["seconds"] / rd["seconds"]
    merge_sizes = sorted(int(k.split("_")[2]) for k in r if k.startswith("merge_new_"))
    merge_new = ", ".join(f"{r[f'merge_new_{n}']['seconds']:.2f}" for n in merge_sizes)
    merge_old = ", ".join(
        f"{r[f'merge_old_{n}']['seconds']:.1f}" for n in merge_sizes if f"merge_old_{n}" in r
    )

    def v(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    big_ratio = plus_new["seconds"] / full_big
    lines = [
        "## Scale (the issue's targets)",
        "",
        f"Memory and reruns on generated short articles (846 bytes) with `GEOMAP_NLP=off` but the "
        f"language model loaded into the process (its memory counted, its time not, so that "
        f"{big:,} articles fit in the 15 minutes); throughput and Dask on {real:,} real-length "
        f"articles ({r['real_words']:.0f} words on average) with the full extraction including "
        f"the language model. *Baseline*: this tree with extract.py, merge.py, io.py and "
        f"distributed.py of commit {BASELINE} (before streaming), measured in the same run.",
        "",
        "| want | measured (baseline in the same run) | result |",
        "|---|---|---|",
        f"| peak memory < 1 GB at 20,000 articles (extract + files, model loaded) | "
        f"{nb['peak_rss_mb']:,.0f} MB at {big:,} ({ob['peak_rss_mb']:,.0f} MB baseline) | "
        f"{v(nb['peak_rss_mb'] < 1024)} |",
        f"| peak memory < 1 GB at 200,000 articles | extrapolated: {at200k_new:,.0f} MB "
        f"({slope_new:+.1f} MB a 1,000 articles between {small:,} and {big:,}; baseline "
        f"{slope_old:+.1f} MB a 1,000, {at200k_old:,.0f} MB) | "
        f"{v(at200k_new < 1024)} (extrapolated) |",
        f"| rerun, 10 new articles: < 0.05 of a full run | {plus_new['seconds']:.1f} s on "
        f"{big:,} + 10 vs a full run of {big:,} real-length articles at the measured "
        f"{rate:.1f} articles/s ({full_big:,.0f} s, extrapolated): {big_ratio:.3f} "
        f"(baseline {plus_old['seconds']:.1f} s) | {v(big_ratio < 0.05)} |",
        f"| rerun, nothing new: < 2 s plus reading the corpus/manifest | "
        f"{same_new['seconds']:.1f} s for {big:,} articles, no file written "
        f"(baseline {same_old['seconds']:.1f} s) | {v(same_new['seconds'] < 2 + 0.0)} |",
        f"| merging 200/400/800 reports of one story near-linear | {merge_new} s "
        f"(baseline {merge_old} s; the issue measured 11/35/176 s) | "
        f"{v(_near_linear(r, merge_sizes))} |",
        f"| `--engine dask` on 2 cores >= 1.6x serial | {rd['seconds']:.1f} s vs "
        f"{rs['seconds']:.1f} s serial on {real:,} real-length articles, start-up included: "
        f"{speedup:.2f}x | {v(speedup >= 1.6)} |",
        "",
        "| run | articles | s | peak RSS MB | cache hits |",
        "|---|---|---|---|---|",
    ]
    rows = [
        ("streaming, cold (NLP off, model loaded)", ns),
        ("streaming, cold (NLP off, model loaded)", nb),
        ("baseline, cold (NLP off, model loaded)", os_),
        ("baseline, cold (NLP off, model loaded)", ob),
        ("streaming, rerun, nothing new", same_new),
        ("baseline, rerun, nothing new", same_old),
        ("streaming, rerun, 10 new", plus_new),
        ("baseline, rerun, 10 new", plus_old),
        ("serial, real-length, language model on, no cache", rs),
        ("dask (LocalCluster, 2 workers), same", rd),
    ]
    for label, m in rows:
        lines.append(
            f"| {label} | {m['documents']:,} | {m['seconds']:.1f} | {m['peak_rss_mb']:,.0f} | "
            f"{m['cache_hits']:,} |"
        )
    lines += [
        "",
        f"Full extraction with the language model: {rate:.1f} articles/s serial on one core "
        f"({real:,} articles of ~{r['real_words']:.0f} words), "
        f"{rd['documents'] / rd['seconds']:.1f} articles/s on Dask with 2 worker processes "
        "(the Dask peak RSS is the client's).",
        "",
    ]
    return lines


def _near_linear(r: dict[str, Any], sizes: list[int]) -> bool:
    if len(sizes) < 2:
        return False
    a, b = r[f"merge_new_{sizes[0]}"]["seconds"], r[f"merge_new_{sizes[-1]}"]["seconds"]
    growth = sizes[-1] / sizes[0]
    return b <= max(a, 0.01) * growth * 1.5


def main() -> int:
    name, kwargs = sys.argv[1], json.loads(sys.argv[2])
    result = CHILDREN[name](**kwargs)
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
