"""``make eval``: measure the examples, the development gold and the label checks, and write
``docs/EVALUATION.md`` from the measured figures (never by hand).

Run from the repository root (``python -m geomap.evaluation.report``); the dev set is read from
``../shared/devset/fakes_dev`` beside the repository. The JSON of each evaluation goes to
``output/eval/``; the previous development run is kept as ``dev.prev.json`` and compared with the
new one. ``--update-ratchet`` rewrites ``tests/devgold/RATCHET.json`` (the figures
``tests/evaluation/test_devgold.py`` holds every change to).
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from geomap.evaluation.compare import compare, report_table
from geomap.evaluation.labels import LabelReport, check_labels
from geomap.evaluation.results import HEADLINE, THRESHOLDS, EvalReport
from geomap.evaluation.score import evaluate

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "corpus" / "seeds"
GOLD = ROOT / "tests" / "gold"
DEVGOLD = ROOT / "tests" / "devgold"
DEVSET = ROOT.parent / "shared" / "devset" / "fakes_dev"
RATCHET = DEVGOLD / "RATCHET.json"
DOC = ROOT / "docs" / "EVALUATION.md"


def sample_docs(devgold: Path = DEVGOLD) -> list[str]:
    lines = (devgold / "SAMPLE.txt").read_text(encoding="utf-8").splitlines()
    return [line.split(",")[0] for line in lines if line.strip()]


def dev_corpus(dest: Path, devset: Path = DEVSET, docs: list[str] | None = None) -> Path:
    """A corpus folder holding the sampled dev articles and their manifest rows."""
    docs = sample_docs() if docs is None else docs
    dest.mkdir(parents=True, exist_ok=True)
    with open(devset / "manifest.csv", encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["file"].removesuffix(".txt") in docs]
    with open(dest / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, ["file", "published", "outlet"], extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    for doc in docs:
        shutil.copyfile(devset / f"{doc}.txt", dest / f"{doc}.txt")
    return dest


def _extract(corpus: Path, out: Path) -> None:
    from geomap.pipeline.run import run_extract

    run_extract(corpus, out, use_cache=False)


def measure_dev(work: Path, devset: Path = DEVSET) -> EvalReport:
    corpus = dev_corpus(work / "corpus", devset)
    _extract(corpus, work / "out")
    return evaluate(work / "out", DEVGOLD, corpus=corpus)


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _commit() -> str:
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = _git("status", "--porcelain", "--untracked-files=no", "--", "geomap", "gazetteer")
    return commit + (" (with uncommitted changes in geomap/ or gazetteer/)" if dirty else "")


def _figures(r: EvalReport, floors: dict[str, float] | None = None) -> list[str]:
    rows = [
        ("mentions: found (resolved)", r.mention_found, f"{r.mentions_found}/{r.mentions}"),
        ("mentions: right place and role", r.mention_accuracy, f"{r.mentions_within}/{r.mentions}"),
        ("mentions: right role", r.role_accuracy, ""),
        (
            "mentions: precision",
            r.mention_precision,
            f"{r.mentions_spurious} spurious of {r.mentions_predicted}",
        ),
        ("events: recall (required)", r.event_recall, f"{r.required_found}/{r.required}"),
        ("events: precision", r.event_precision, f"{r.events_correct}/{r.events_extracted}"),
        ("events: F1", r.event_f1, ""),
        ("dates (of events placed and typed right)", r.date_accuracy, ""),
        (
            "tolls (matched events with a gold toll)",
            r.toll_accuracy,
            f"{r.toll_right}/{r.toll_events}",
        ),
        (
            "actors (matched events, normalised)",
            r.actor_accuracy,
            f"{r.actor_right}/{r.actor_events}",
        ),
        ("merges (same_as groups)", r.merge_accuracy, f"{r.merge_right}/{r.merge_groups}"),
    ]
    keys = [
        "mention_found",
        "mention_accuracy",
        "role_accuracy",
        "mention_precision",
        "event_recall",
        "event_precision",
        "event_f1",
        "date_accuracy",
        "toll_accuracy",
        "actor_accuracy",
        "merge_accuracy",
    ]
    head = "| figure | value | count |" + (" floor |" if floors else "")
    out = [head, "|---|---:|---:|" + ("---:|" if floors else "")]
    for (label, value, count), key in zip(rows, keys, strict=True):
        line = f"| {label} | {value:.3f} | {count} |"
        if floors:
            line += f" {floors[key]:.2f} |" if key in floors else " |"
        out.append(line)
    out.append(
        f"\nDocuments whose events add up to more deaths than the gold: "
        f"{r.toll_over_docs} of {r.toll_docs}. Distance error of found mentions: median "
        f"{r.distance_median_km:.1f} km, 90th percentile {r.distance_p90_km:.1f} km."
    )
    return out


def _by_type(r: EvalReport) -> list[str]:
    out = ["| type | extracted | precision | required | recall |", "|---|---:|---:|---:|---:|"]
    for t, v in sorted(r.by_type.items()):
        out.append(
            f"| {t} | {int(v['extracted'])} | {v['precision']:.2f} | {int(v['required'])} | "
            f"{v['recall']:.2f} |"
        )
    return out


def _classes(title: str, counts: dict[str, int]) -> list[str]:
    if not counts:
        return []
    return [f"**{title}**", ""] + [f"- {n} {k}" for k, n in counts.items()] + [""]


def _labels(lab: LabelReport) -> list[str]:
    n = lab.articles
    return [
        "| check | share | count |",
        "|---|---:|---:|",
        f"| main event in the labelled governorate | {lab.governorate_share:.3f} | "
        f"{lab.governorate_right}/{n} |",
        "| some event reports the labelled toll (civilians + others; a split toll by its "
        f"total) | {lab.toll_total_share:.3f} | {lab.toll_total_right}/{lab.toll_articles} |",
        f"| some event carries the total, the civilian or the other count | "
        f"{lab.toll_either_share:.3f} | {lab.toll_either_right}/{lab.toll_articles} |",
        f"| main event type fits the cause of death | {lab.type_share:.3f} | "
        f"{lab.type_right}/{n} |",
        f"| some event's type fits the cause of death | {lab.type_any_share:.3f} | "
        f"{lab.type_any_right}/{n} |",
        "",
        f"Articles with an extracted event: {lab.with_events} of {n}. Main events outside the "
        "labelled governorate, by kind: "
        + ", ".join(f"{k} {v}" for k, v in lab.governorate_errors.items())
        + ".",
        "",
        f"Printed dates: {lab.dates_printed} of {n} articles print a date in their first 300 "
        f"characters; {lab.dates_disagree} of those differ from the manifest's `published` by "
        "more than a day (relative dates in them must be read from the printed date).",
    ]


def write_doc(
    path: Path, examples: EvalReport, dev: EvalReport, labels: LabelReport, ratchet: dict
) -> None:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Evaluation",
        "",
        f"Generated by `make eval` on {when} at commit {_commit()}. Do not edit by hand:",
        "every figure below is measured (`python -m geomap.evaluation.report`).",
        "",
        "Matching rule (`geomap/evaluation/score.py`, `tests/gold/README.md`): a gold mention",
        "occurrence is right when a predicted mention covers it, resolves within the place's",
        "tolerance and has the gold role; an extracted event matches a gold event of the same",
        "article when its point is within the place's tolerance, its dates lie inside the gold",
        "interval and its type is accepted. Recall is over required events, precision over",
        "extracted (event, article) pairs. Tolls and actors are scored on matched events only.",
        "",
        "## Examples (corpus/seeds, tests/gold)",
        "",
        "Five articles the project was created from; the test suite holds them to the floors.",
        "",
        *_figures(examples, THRESHOLDS),
        "",
        "## Development gold (44 real articles, tests/devgold)",
        "",
        "Articles drawn at random from the dev set by outlet and annotated in full",
        "(`tests/devgold/README.md`). The ratchet (`tests/devgold/RATCHET.json`) holds every",
        "change to these figures less 0.02.",
        "",
        *_figures(dev),
        "",
        *_by_type(dev),
        "",
        "### What goes wrong",
        "",
        "Each missed required event and each spurious extraction, by what kept it from matching",
        '("its sentence": the gold evidence sentence, or the extracted event\'s source',
        "sentence). `geomap eval OUT --gold tests/devgold --corpus CORPUS` lists them article by",
        "article with the sentence.",
        "",
        *_classes("Missed required events", dev.miss_classes),
        *_classes("Spurious extracted events", dev.spurious_classes),
        *_classes("Mention errors", dev.mention_classes),
        *_classes("Actors the gold has and the matched event lacks", dev.actors_missing),
        *_classes("Actors the matched event has and the gold lacks", dev.actors_extra),
        "## Label checks (all 373 dev articles, FA-KES crowd labels)",
        "",
        "The main event of an article is the one with most sources in it, then the earliest.",
        "The labels are noisy; read these as evidence, not truth (`geomap/evaluation/labels.py`).",
        "",
        *_labels(labels),
        "",
        "## Ratchet",
        "",
        "| figure | held at |",
        "|---|---:|",
        *[f"| {k} | {v:.3f} |" for k, v in sorted(ratchet.items())],
        "",
        "## How to use it",
        "",
        "```",
        "make eval                                   # all of the above, rewrites this file",
        "geomap extract CORPUS --out OUT",
        "geomap eval OUT --gold GOLD --corpus CORPUS --json run.json   # per-article lists",
        "geomap eval OUT --gold GOLD --corpus CORPUS --compare run.json  # what a change did",
        "python -m geomap.evaluation.labels OUT --articles                 # label disagreements",
        "```",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geomap.evaluation.report", description=__doc__)
    ap.add_argument("--devset", type=Path, default=DEVSET)
    ap.add_argument("--out", type=Path, default=ROOT / "output" / "eval")
    ap.add_argument("--doc", type=Path, default=DOC)
    ap.add_argument("--update-ratchet", action="store_true", help="rewrite RATCHET.json")
    args = ap.parse_args(argv)
    if not (args.devset / "manifest.csv").is_file():
        print(f"no dev set at {args.devset} (../shared beside the repository)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="geomap-eval-") as tmp:
        work = Path(tmp)
        _extract(SEEDS, work / "seeds")
        examples = evaluate(work / "seeds", GOLD, corpus=SEEDS)
        dev = measure_dev(work / "dev", args.devset)
        _extract(args.devset, work / "all")
        fc = json.loads((work / "all" / "events.geojson").read_text(encoding="utf-8"))
        labels = check_labels(fc["features"], args.devset)
    prev = args.out / "dev.json"
    if prev.is_file():
        shutil.copyfile(prev, args.out / "dev.prev.json")
    (args.out / "examples.json").write_text(examples.to_json() + "\n", encoding="utf-8")
    prev.write_text(dev.to_json() + "\n", encoding="utf-8")
    (args.out / "labels.json").write_text(
        json.dumps(asdict(labels), indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    if args.update_ratchet or not RATCHET.is_file():
        RATCHET.write_text(json.dumps(dev.headline(), indent=1, sort_keys=True) + "\n")
    ratchet = json.loads(RATCHET.read_text(encoding="utf-8"))
    write_doc(args.doc, examples, dev, labels, ratchet)
    print("examples:\n" + report_table(examples, articles=False))
    print("\ndevelopment gold:\n" + report_table(dev, articles=False))
    print("\nlabel checks:\n" + labels.table())
    if (args.out / "dev.prev.json").is_file():
        print("\nagainst the previous run:\n" + compare(args.out / "dev.prev.json", asdict(dev)))
    lowered = [
        f"{k} {dev.headline()[k]:.3f} < {v:.3f} - 0.02"
        for k, v in ratchet.items()
        if k in HEADLINE and dev.headline()[k] < v - 0.02 - 1e-9
    ]
    print(f"\nwrote {args.doc}; JSON in {args.out}")
    if lowered:
        print("below the ratchet: " + "; ".join(lowered), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
