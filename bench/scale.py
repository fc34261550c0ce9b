"""The scale measurements of `make bench`: memory, reruns, a moved corpus, output size, merging
one story, Dask vs serial.

Each is run twice in the same `make bench`: on this tree, and on a *baseline* tree (geomap/ and
gazetteer/ as they were at ``BASELINE``, the commit before streaming, extracted with
``git archive``), so every figure stands next to one measured on the same machine in the same
run. The baseline tree is made under ``.cache/bench/baseline``.

Runs whose time is no target (the cold runs, measured for their peak memory; the moved corpus,
measured for its cache hits) run two at a time, each pinned to its own CPU, so that the whole
bench fits in 15 minutes on 2 cores; runs whose time is a target run alone.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "134dbbe"  # before streaming, the store and the constant-time merge
#: Pairs of runs (serial, then Dask) on the real-length articles; the median speed-up counts.
PAIRS = 2
OUTPUT_FILES = (
    "events.geojson",
    "mentions.csv",
    "documents.csv",
    "geomap.gpkg",
    "events.csv",
    "events.parquet",
)


def baseline_tree(work: Path) -> Path:
    """``work/baseline``: geomap/ and gazetteer/ of ``BASELINE`` (``git archive``)."""
    tree = work / "baseline"
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", BASELINE, "geomap", "gazetteer"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    (tree / "bench").symlink_to(ROOT / "bench")
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


def _api() -> tuple[Any, Any, Any]:
    """Gazetteer, run_extract and the model loader of the tree on ``sys.path`` (this layout or
    the baseline's flat one)."""
    try:
        from geomap.extraction.nlp import pipeline
        from geomap.gazetteer.store import Gazetteer
        from geomap.pipeline.run import run_extract
    except ImportError:  # the baseline's layout
        from geomap.extract import run_extract  # type: ignore[no-redef]
        from geomap.nlp import pipeline  # type: ignore[no-redef]

        from geomap.gazetteer import Gazetteer  # type: ignore[no-redef]
    return Gazetteer, run_extract, pipeline


def output_bytes(out: Path) -> int:
    return sum((out / name).stat().st_size for name in OUTPUT_FILES if (out / name).is_file())


def child_scale_extract(
    corpus: str,
    out: str,
    load_model: bool = True,
    use_cache: bool = True,
    engine: str = "serial",
    cpu: int | None = None,
    with_loading: bool = False,
) -> dict[str, Any]:
    """One `geomap extract`-like run writing the files (events.geojson, CSVs, GeoPackage).

    ``with_loading``: the time includes loading the gazetteer and the language model (as a
    command-line run's does; the Dask engine's includes starting the cluster and loading both
    on every worker), else they are loaded before the clock starts."""
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    if engine == "dask":  # the driver pins children to one CPU: Dask gets the machine
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    t0 = time.perf_counter()
    gazetteer, run_extract, pipeline = _api()
    # a Dask run timed with its loading loads the gazetteer as `geomap extract` does, in
    # run_extract, where it overlaps the cluster's start and the workers' loading
    gaz = None if engine == "dask" and with_loading else gazetteer.load()
    if load_model:
        pipeline()  # the language model in memory, as in a real run
    if not with_loading:
        t0 = time.perf_counter()
    res = run_extract(Path(corpus), Path(out), gazetteer=gaz, use_cache=use_cache, engine=engine)
    seconds = time.perf_counter() - t0
    vocab = {}
    if load_model and os.environ.get("GEOMAP_NLP", "on") == "on" and engine == "serial":
        words = pipeline().vocab  # the model ran here: the word entries it made and kept
        vocab = {"vocab_made": len(words), "vocab_kept": sum(1 for _ in words)}
    return {
        **vocab,
        "seconds": seconds,
        "documents": len(res.documents),
        "events": len(res.events),
        "raw_events": res.raw_events,
        "cache_hits": res.cache_hits,
        "peak_rss_mb": _peak_rss_mb(),
        # the largest of the processes this run started and waited for (Dask: the extraction
        # processes; Dask's own cluster is threads of this process)
        "children_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "nlp": os.environ.get("GEOMAP_NLP", "on"),
        "output_bytes": output_bytes(Path(out)),
        "corpus_bytes": sum(p.stat().st_size for p in Path(corpus).glob("*.txt")),
    }


def story(n: int) -> list[Any]:
    """``n`` reports of one story: one place, overlapping dates, tolls that mostly fit."""
    from geomap.model import Event, Source

    gaz = _api()[0].load()
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
    # the baseline's flat layout first: an editable install of another checkout would
    # otherwise answer for geomap.extraction in the baseline's tree
    try:
        from geomap.merge import merge_events  # type: ignore[no-redef]
    except ImportError:
        from geomap.extraction.events.merge import merge_events

    events = story(n)
    t0 = time.perf_counter()
    merged = merge_events(events)
    return {"n": n, "seconds": time.perf_counter() - t0, "events": len(merged)}


def child_vocabulary(batch: int = 3_000, cpu: int | None = None) -> dict[str, Any]:
    """The language model's vocabulary past its limit (:data:`geomap.extraction.nlp.
    VOCAB_LIMIT`): made-up words, each new, read in documents of ``batch`` words until the
    vocabulary holds the limit, then twice as many again. The resident size (VmRSS) at the
    start, at the limit, and after each limit's worth of words past it: what the kept entries
    and the bounded memos cost, and that nothing more is kept (spaCy alone keeps every word
    it reads)."""
    import random

    from geomap.extraction import nlp

    if cpu is not None:
        os.sched_setaffinity(0, {cpu})
    pipe = nlp.pipeline()
    pipe("warm up.")
    rng = random.Random(2012)
    letters = "bdfgklmnqrstvz"

    def new_words(n: int) -> list[str]:
        return [
            "".join(rng.choice(letters) + rng.choice("aeiou") for _ in range(5)).title()
            for _ in range(n)
        ]

    def read(n: int) -> None:
        words = new_words(n)
        text = " ".join(
            f"{a} and {b} were shelled." for a, b in zip(words[::2], words[1::2], strict=True)
        )
        nlp.analyse(text, entities=False)

    start, kept0 = _rss_mb(), sum(1 for _ in pipe.vocab)
    while len(pipe.vocab) < nlp.VOCAB_LIMIT:
        read(batch)
    at_limit, kept_at_limit = _rss_mb(), sum(1 for _ in pipe.vocab)
    past = 0
    rss_past = []
    for _ in range(2):  # twice the limit again: the memos of the attribute ruler and the
        while past < nlp.VOCAB_LIMIT * (len(rss_past) + 1):  # lemmatiser reach their bound
            read(batch)
            past += batch
        rss_past.append(_rss_mb())
    return {
        "limit": nlp.VOCAB_LIMIT,
        "rss_start_mb": start,
        "rss_at_limit_mb": at_limit,
        "rss_past_mb": rss_past,
        "rss_end_mb": rss_past[-1],
        "kept_start": kept0,
        "kept_at_limit": kept_at_limit,
        "kept_end": sum(1 for _ in pipe.vocab),
        "words_past_limit": past,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return _peak_rss_mb()  # pragma: no cover (not Linux)


CHILDREN = {
    "scale_extract": child_scale_extract,
    "merge_story": child_merge_story,
    "vocabulary": child_vocabulary,
}


# -- driver ---------------------------------------------------------------------------------


def _command(name: str, tree: Path | None, env: dict[str, str] | None, kw: dict[str, Any]) -> Any:
    full = {**os.environ, **(env or {})}
    if tree is not None:
        full["PYTHONPATH"] = str(tree)
    cmd = [sys.executable, "-m", "bench.scale", name, json.dumps(kw)]
    return cmd, full


def _result(name: str, code: int, stdout: str, stderr: str) -> dict[str, Any]:
    if code != 0:
        raise RuntimeError(f"{name} failed:\n{stderr[-3000:]}")
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return result


def measure(
    name: str, *, tree: Path | None = None, env: dict[str, str] | None = None, **kw: Any
) -> dict[str, Any]:
    """A child in a fresh interpreter (on ``tree``'s geomap when given)."""
    cmd, full = _command(name, tree, env, kw)
    proc = subprocess.run(
        cmd, cwd=tree or ROOT, env=full, capture_output=True, text=True, check=False
    )
    return _result(name, proc.returncode, proc.stdout, proc.stderr)


def measure_pair(*runs: dict[str, Any]) -> list[dict[str, Any]]:
    """Children run side by side, the i-th pinned to CPU i (mod the CPUs there are): for
    measurements whose time is no target."""
    cpus = sorted(os.sched_getaffinity(0)) if len(os.sched_getaffinity(0)) > 1 else []
    cpus = cpus or list(range(os.cpu_count() or 1))
    procs = []
    with tempfile.TemporaryDirectory(prefix="geomap-pair-") as tmp:
        for i, run in enumerate(runs):
            kw = {k: v for k, v in run.items() if k not in ("tree", "env", "name")}
            kw["cpu"] = cpus[i % len(cpus)]
            cmd, full = _command(run["name"], run.get("tree"), run.get("env"), kw)
            out, err = Path(tmp) / f"{i}.out", Path(tmp) / f"{i}.err"
            with open(out, "w") as o, open(err, "w") as e:
                procs.append(
                    (
                        subprocess.Popen(
                            cmd, cwd=run.get("tree") or ROOT, env=full, stdout=o, stderr=e
                        ),
                        out,
                        err,
                        run["name"],
                    )
                )
        return [
            _result(name, p.wait(), out.read_text(), err.read_text()) for p, out, err, name in procs
        ]


def measure_lanes(*lanes: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Lanes of children side by side, the i-th pinned to CPU i (mod the CPUs there are),
    each lane's children one after another: for measurements whose time is no target."""
    import threading

    cpus = sorted(os.sched_getaffinity(0)) if len(os.sched_getaffinity(0)) > 1 else []
    cpus = cpus or list(range(os.cpu_count() or 1))
    results: list[list[dict[str, Any]]] = [[] for _ in lanes]
    errors: list[BaseException] = []

    def go(i: int, lane: list[dict[str, Any]]) -> None:
        try:
            for run in lane:
                kw = {k: v for k, v in run.items() if k not in ("tree", "env", "name")}
                kw["cpu"] = cpus[i % len(cpus)]
                results[i].append(
                    measure(run["name"], tree=run.get("tree"), env=run.get("env"), **kw)
                )
        except BaseException as exc:  # raised in the caller's thread below
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(i, lane)) for i, lane in enumerate(lanes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def run_scale(
    work: Path,
    *,
    small: int,
    big: int,
    real: int,
    merge_sizes: list[int],
    mid: int | None = None,
) -> dict:
    """Every scale measurement (see the module docstring). Peak memory is measured on this
    tree at three sizes (``small``, ``mid``, ``big``) and on the baseline at two."""
    from bench.generate import generate_corpus

    mid = mid if mid is not None else (small + big) // 2
    r: dict[str, Any] = {"sizes": {"small": small, "mid": mid, "big": big, "real": real}}
    base = baseline_tree(work)
    new = current_tree(work)
    off = {"GEOMAP_NLP": "off"}
    corpora = {}
    for n in (small, mid, big):
        corpora[n] = generate_corpus(n, work / f"scale-{n}", seed=2012)
    real_corpus = generate_corpus(real, work / f"real-{real}", seed=2012, words=600)
    r["real_words"] = sum(len(p.read_text().split()) for p in real_corpus.glob("*.txt")) / real
    trees = (("new", new), ("old", base))
    with tempfile.TemporaryDirectory(prefix="geomap-scale-", dir=work) as tmp:
        t = Path(tmp)

        # memory, the model loaded: this tree at three sizes, the baseline at two, in two
        # lanes of about the same length side by side (a CPU each)
        def cold(label: str, n: int) -> dict[str, Any]:
            return {
                "name": "scale_extract",
                "tree": dict(trees)[label],
                "env": off,
                "corpus": str(corpora[n]),
                "out": str(t / f"{label}-{n}"),
                "key": f"mem_{label}_{n}",
            }

        # and the language model's vocabulary past its limit (:func:`child_vocabulary`)
        vocabulary = {"name": "vocabulary", "tree": new, "key": "vocabulary"}
        lanes = (
            [cold("new", big), cold("old", small), vocabulary],
            [
                cold("new", small),
                *([cold("new", mid)] if mid not in (small, big) else []),
                cold("old", big),
            ],
        )
        for lane, results in zip(
            lanes,
            measure_lanes(
                *([{k: v for k, v in c.items() if k != "key"} for c in ln] for ln in lanes)
            ),
            strict=True,
        ):
            for c, res in zip(lane, results, strict=True):
                r[c["key"]] = res
        # a mid-sized output folder is not needed again
        shutil.rmtree(t / f"new-{mid}", ignore_errors=True)
        # reruns on the big corpus (its cache from the memory run): nothing new, 10 new; this
        # tree only (the baseline's take minutes: it is measured on the small corpus below)
        r["rerun_same_new"] = measure(
            "scale_extract",
            tree=new,
            env=off,
            corpus=str(corpora[big]),
            out=str(t / f"new-{big}"),
            load_model=False,
        )
        grown = t / "grown"
        shutil.copytree(corpora[big], grown)
        generate_corpus(big + 10, grown, seed=2012)
        r["rerun_plus10_new"] = measure(
            "scale_extract",
            tree=new,
            env=off,
            corpus=str(grown),
            out=str(t / f"new-{big}"),
            load_model=False,
        )
        shutil.rmtree(grown)
        # the small corpus moved and renamed: cache hits kept?
        moved = t / "moved" / f"renamed-{small}"
        moved.parent.mkdir()
        shutil.copytree(corpora[small], moved)
        r["moved_new"], r["moved_old"] = measure_pair(
            *(
                {
                    "name": "scale_extract",
                    "tree": tree,
                    "env": off,
                    "corpus": str(moved),
                    "out": str(t / f"{label}-{small}"),
                    "load_model": False,
                }
                for label, tree in trees
            )
        )
        # reruns on the small corpus, this tree and the baseline, each alone: nothing new
        # (the moved corpus's folder: its cache from the run above), then 10 new
        small_grown = t / "small-grown"
        shutil.copytree(corpora[small], small_grown)
        generate_corpus(small + 10, small_grown, seed=2012)
        for label, tree in trees:
            r[f"rerun_same_small_{label}"] = measure(
                "scale_extract",
                tree=tree,
                env=off,
                corpus=str(moved),
                out=str(t / f"{label}-{small}"),
                load_model=False,
            )
            r[f"rerun_plus10_small_{label}"] = measure(
                "scale_extract",
                tree=tree,
                env=off,
                corpus=str(small_grown),
                out=str(t / f"{label}-{small}"),
                load_model=False,
            )
        # the full extraction with the language model on real-length articles: serial, Dask,
        # both timed from the start (gazetteer and model loading; Dask: the cluster too);
        # PAIRS pairs, each serial run next to a Dask run, so that both meet the same machine
        r["real_pairs"] = []
        for i in range(PAIRS):
            serial = measure(
                "scale_extract",
                tree=new,
                corpus=str(real_corpus),
                out=str(t / f"real-serial-{i}"),
                use_cache=False,
                with_loading=True,
            )
            dask = measure(
                "scale_extract",
                tree=new,
                corpus=str(real_corpus),
                out=str(t / f"real-dask-{i}"),
                use_cache=False,
                engine="dask",
                load_model=False,
                with_loading=True,
            )
            r["real_pairs"].append((serial, dask))
        # the pair with the median speed-up stands for the rest in the tables
        pairs = sorted(r["real_pairs"], key=lambda sd: sd[0]["seconds"] / sd[1]["seconds"])
        r["real_serial"], r["real_dask"] = pairs[(len(pairs) - 1) // 2]
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
    # this tree: the least-squares line through its sizes (two or three); the baseline: the
    # line through its two
    new_sizes = [n for n in sorted({small, s.get("mid", small), big}) if f"mem_new_{n}" in r]
    fit_new, slope_new = _line([(n, r[f"mem_new_{n}"]["peak_rss_mb"]) for n in new_sizes])
    slope_old = (ob["peak_rss_mb"] - os_["peak_rss_mb"]) / (big - small) * 1000
    at200k_new = max(fit_new, nb["peak_rss_mb"]) + max(slope_new, 0) * (200_000 - big) / 1000
    at200k_old = ob["peak_rss_mb"] + slope_old * (200_000 - big) / 1000
    peaks_new = " / ".join(f"{r[f'mem_new_{n}']['peak_rss_mb']:,.0f}" for n in new_sizes)
    sizes_new = " / ".join(f"{n:,}" for n in new_sizes)
    rs, rd = r["real_serial"], r["real_dask"]
    rate = rs["documents"] / rs["seconds"]
    full_big = big / rate  # a full run of the big corpus at the measured real-length rate
    same_new, plus_new = r["rerun_same_new"], r["rerun_plus10_new"]
    same_small, plus_small = r["rerun_same_small_new"], r["rerun_plus10_small_new"]
    same_old, plus_old = r["rerun_same_small_old"], r["rerun_plus10_small_old"]
    full_small = small / rate
    speedups = [a["seconds"] / b["seconds"] for a, b in r.get("real_pairs", [(rs, rd)])]
    speedup = statistics.median(speedups)
    merge_sizes = sorted(int(k.split("_")[2]) for k in r if k.startswith("merge_new_"))
    merge_new = ", ".join(f"{r[f'merge_new_{n}']['seconds']:.2f}" for n in merge_sizes)
    merge_old = ", ".join(
        f"{r[f'merge_old_{n}']['seconds']:.1f}" for n in merge_sizes if f"merge_old_{n}" in r
    )

    def v(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    big_ratio = plus_new["seconds"] / full_big
    moved_new, moved_old = r.get("moved_new"), r.get("moved_old")
    lines = [
        "## Scale (the issue's targets)",
        "",
        f"Memory, reruns, the moved corpus and output size on generated short articles with "
        f"`GEOMAP_NLP=off` but the language model loaded into the process (its memory counted, "
        f"its time not, so that {big:,} articles fit in the 15 minutes); throughput and Dask on "
        f"{real:,} real-length articles ({r['real_words']:.0f} words on average) with the full "
        f"extraction including the language model. *Baseline*: geomap/ and gazetteer/ of commit "
        f"{BASELINE} (before streaming), measured in the same run on the same articles. The cold "
        "runs (memory) and the moved-corpus runs ran two at a time, this tree and the baseline "
        "each on its own CPU; every timed run ran alone.",
        "",
        "| the issue's row | want | measured (baseline in the same run) | result |",
        "|---|---|---|---|",
        f"| peak memory at {sizes_new} articles (`extract`, model loaded) | flat, "
        f"< 1 GB | {peaks_new} MB (baseline at {small:,} / {big:,}: "
        f"{os_['peak_rss_mb']:,.0f} / {ob['peak_rss_mb']:,.0f} MB) | "
        f"{v(max(r[f'mem_new_{n}']['peak_rss_mb'] for n in new_sizes) < 1024)} |",
        f"| peak memory at 200,000 articles | < 1 GB | extrapolated: {at200k_new:,.0f} MB "
        f"(the least-squares line through the {len(new_sizes)} sizes rises "
        f"{slope_new:+.1f} MB a 1,000 articles, continued from the larger of its value and "
        f"the peak measured at {big:,}; a falling line counts as flat; baseline "
        f"{slope_old:+.1f} MB a 1,000 between {small:,} and {big:,}, {at200k_old:,.0f} MB) | "
        f"{v(at200k_new < 1024)} (extrapolated) |",
        *_model_rows(r, at200k_new, v),
        f"| rerun after adding 10 articles to {big:,} | < 0.05 of a full run | "
        f"{plus_new['seconds']:.1f} s vs a full run of {big:,} real-length articles at the "
        f"measured {rate:.1f} articles/s ({full_big:,.0f} s, extrapolated): {big_ratio:.3f}; "
        f"to {small:,}: {plus_small['seconds']:.1f} s, "
        f"{plus_small['seconds'] / full_small:.3f} (baseline {plus_old['seconds']:.1f} s, "
        f"{plus_old['seconds'] / full_small:.3f}) | {v(big_ratio < 0.05)} |",
        f"| rerun with nothing new | < 2 s plus reading the manifest | "
        f"{same_new['seconds']:.2f} s for {big:,} articles, {same_new['cache_hits']:,} hits; "
        f"{same_small['seconds']:.2f} s for {small:,} (baseline {same_old['seconds']:.1f} s) | "
        f"{v(same_new['seconds'] < 2)} |",
    ]
    if moved_new and moved_old:
        lines.append(
            f"| moving the corpus folder and renaming it | every hit kept | "
            f"{moved_new['cache_hits']:,} of {moved_new['documents']:,} hits "
            f"(baseline {moved_old['cache_hits']:,}) | "
            f"{v(moved_new['cache_hits'] == moved_new['documents'])} |"
        )
    if "output_bytes" in nb and "output_bytes" in ob:
        per_new = nb["output_bytes"] / max(nb["corpus_bytes"], 1)
        per_small = ns["output_bytes"] / max(ns["corpus_bytes"], 1)
        per_old = ob["output_bytes"] / max(ob["corpus_bytes"], 1)
        lines.append(
            f"| output written for {big:,} generated articles "
            f"({nb['corpus_bytes'] / 1e6:.1f} MB of text) | in proportion | "
            f"{nb['output_bytes'] / 1e6:,.0f} MB: {per_new:.1f} bytes a byte of text, "
            f"{per_small:.1f} at {small:,} articles (baseline {ob['output_bytes'] / 1e6:,.0f} MB, "
            f"{per_old:.1f}, without events.csv and events.parquet) | "
            f"{v(per_new <= per_small * 1.1)} |"
        )
    lines += [
        f"| merging 200/400/800 reports of one story | near-linear | {merge_new} s "
        f"(baseline {merge_old} s; the issue measured 11/35/176 s) | "
        f"{v(_near_linear(r, merge_sizes))} |",
        f"| `--engine dask` on 2 cores vs serial | >= 1.6x | {len(speedups)} pairs of runs "
        f"on {real:,} real-length articles, a serial run next to a Dask run, loading (and the "
        f"cluster's start) included in both: "
        f"{', '.join(f'{x:.2f}x' for x in speedups)}; median {speedup:.2f}x (e.g. "
        f"{rd['seconds']:.1f} s vs {rs['seconds']:.1f} s serial) | {v(speedup >= 1.6)} |",
        "",
        "| run | articles | s | peak RSS MB | cache hits |",
        "|---|---|---|---|---|",
    ]
    rows = [
        *(("streaming, cold (NLP off, model loaded)", r[f"mem_new_{n}"]) for n in new_sizes),
        ("baseline, cold (NLP off, model loaded)", os_),
        ("baseline, cold (NLP off, model loaded)", ob),
        ("streaming, rerun, nothing new", same_new),
        ("streaming, rerun, 10 new", plus_new),
        ("streaming, rerun, nothing new", same_small),
        ("baseline, rerun, nothing new", same_old),
        ("streaming, rerun, 10 new", plus_small),
        ("baseline, rerun, 10 new", plus_old),
    ]
    if moved_new and moved_old:
        rows += [
            ("streaming, corpus moved and renamed", moved_new),
            ("baseline, corpus moved and renamed", moved_old),
        ]
    rows += [
        ("serial (one CPU), real-length, language model on, no cache, loading included", rs),
        ("dask (LocalCluster, 2 workers), same, cluster start included", rd),
    ]
    for label, m in rows:
        lines.append(
            f"| {label} | {m['documents']:,} | {m['seconds']:.1f} | {m['peak_rss_mb']:,.0f} | "
            f"{m['cache_hits']:,} |"
        )
    lines += [
        "",
        f"Full extraction with the language model: {rate:.1f} articles/s serial on one core "
        f"({real:,} articles of ~{r['real_words']:.0f} words, loading included), "
        f"{rd['documents'] / rd['seconds']:.1f} articles/s on Dask with 2 workers (the Dask "
        "peak RSS is the client's, whose threads the local workers are; each worker's "
        "extraction process peaked at "
        f"{rd.get('children_peak_rss_mb', 0):,.0f} MB). Cold-run times are of two runs sharing "
        "the machine and are no target.",
        "",
    ]
    return lines


def _model_rows(r: dict[str, Any], at200k: float, v: Any) -> list[str]:
    """The rows on the language model's own memory: its vocabulary past its limit
    (:func:`child_vocabulary`), and the 200,000-article estimate with the model running
    (the cold runs above have it loaded, not running)."""
    voc, rs = r.get("vocabulary"), r.get("real_serial")
    if not voc or not rs:
        return []
    small = r["sizes"]["small"]
    off = r[f"mem_new_{small}"]["peak_rss_mb"]
    running = max(0.0, rs["peak_rss_mb"] - off)  # the model running, over it merely loaded
    allowance = voc["rss_end_mb"] - voc["rss_start_mb"]  # what its vocabulary may keep
    past = voc["rss_past_mb"]
    flat = voc["kept_end"] == voc["kept_at_limit"] and past[-1] - past[0] < 5
    estimate = at200k + running + allowance
    kept = f"{voc['kept_at_limit']:,}"
    return [
        f"| the language model's vocabulary (its memory grows with the words of a corpus) | "
        f"bounded | {kept} word entries kept at its limit of {voc['limit']:,} "
        f"({voc['rss_at_limit_mb'] - voc['rss_start_mb']:.0f} MB); after "
        f"{voc['words_past_limit']:,} more new words, {voc['kept_end']:,} kept and "
        + " / ".join(f"{m - voc['rss_at_limit_mb']:+.0f} MB" for m in past)
        + " after each limit's worth (the attribute ruler's and the lemmatiser's memos filling "
        f"to their bound) | {v(flat)} |",
        f"| peak memory at 200,000 articles, the model running | < 1 GB | estimated: "
        f"{estimate:,.0f} MB = the extrapolation above ({at200k:,.0f} MB) + the model running "
        f"over the model loaded ({rs['peak_rss_mb']:,.0f} MB on {rs['documents']:,} "
        f"real-length articles vs {off:,.0f} MB on {small:,} with NLP off: {running:+.0f} MB) + "
        f"all its vocabulary may keep ({allowance:.0f} MB) | {v(estimate < 1024)} (estimated) |",
    ]


def _line(points: list[tuple[int, float]]) -> tuple[float, float]:
    """The least-squares line through (articles, MB) points: its value at the largest size,
    and its slope in MB a 1,000 articles."""
    xs = [x for x, _y in points]
    ys = [y for _x, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0
    return my + slope * (max(xs) - mx), slope * 1000


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
