"""Score an extraction (``events.geojson`` + ``mentions.csv``) against gold annotations.

The gold format and matching rule are those of ``tests/gold/README.md``:

- a gold mention row says every whole-word occurrence of ``surface`` in ``doc`` refers to
  ``place`` with ``role`` (longer gold surfaces win); an occurrence is right when a predicted
  mention covers its first character, resolves within the place's tolerance and has the role;
- an extracted event matches a gold event when the document is the same (a merged event counts
  once for each of its source documents), its point lies within the gold place's tolerance,
  its date interval lies inside the gold interval and its type is one of the accepted types.
  Recall is over the required events; precision over all extracted (event, document) pairs,
  where matching an optional event counts as correct;
- a ``same_as`` group is merged right when one extracted event matches every member.
"""

from __future__ import annotations

import csv
import json
import re
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from geomap.corpus import Problem, read_corpus
from geomap.errors import InputError
from geomap.gazetteer import haversine_km
from geomap.io import read_csv_rows
from geomap.model import Document

#: What the test suite requires on the example corpus (issue "From article text to events").
THRESHOLDS = {
    "mention_accuracy": 1.0,
    "role_accuracy": 1.0,
    "event_recall": 0.95,
    "event_precision": 0.90,
    "date_accuracy": 1.0,
    "merge_accuracy": 1.0,
}


@dataclass
class EvalReport:
    mentions: int = 0
    mentions_found: int = 0
    mentions_within: int = 0
    mention_accuracy: float = 0.0
    role_accuracy: float = 0.0
    distance_median_km: float = 0.0
    distance_p90_km: float = 0.0
    events_extracted: int = 0
    events_correct: int = 0
    required: int = 0
    required_found: int = 0
    event_precision: float = 0.0
    event_recall: float = 0.0
    event_f1: float = 0.0
    by_type: dict[str, dict[str, float]] = field(default_factory=dict)
    date_accuracy: float = 0.0
    merge_groups: int = 0
    merge_right: int = 0
    merge_accuracy: float = 0.0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    mention_errors: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    def failures(self, thresholds: dict[str, float] | None = None) -> list[str]:
        out = []
        for name, floor in (thresholds or THRESHOLDS).items():
            value = getattr(self, name)
            if value < floor - 1e-9:
                out.append(f"{name} {value:.3f} < {floor:.3f}")
        return out

    def table(self) -> str:
        rows = [
            ("mentions (gold occurrences)", f"{self.mentions}"),
            ("  found", f"{self.mentions_found}"),
            ("  accuracy (within tolerance, right role)", f"{self.mention_accuracy:.3f}"),
            ("  role accuracy", f"{self.role_accuracy:.3f}"),
            (
                "  distance error median / p90 (km)",
                f"{self.distance_median_km:.2f} / {self.distance_p90_km:.2f}",
            ),
            ("events extracted (event, doc pairs)", f"{self.events_extracted}"),
            ("  precision", f"{self.event_precision:.3f}"),
            (
                "  recall (required)",
                f"{self.event_recall:.3f} ({self.required_found}/{self.required})",
            ),
            ("  F1", f"{self.event_f1:.3f}"),
            ("  date accuracy", f"{self.date_accuracy:.3f}"),
            (
                "  merge accuracy (same_as groups)",
                f"{self.merge_accuracy:.3f} ({self.merge_right}/{self.merge_groups})",
            ),
        ]
        for t, v in sorted(self.by_type.items()):
            rows.append(
                (
                    f"  {t}",
                    f"P {v['precision']:.2f}  R {v['recall']:.2f}  "
                    f"(n={int(v['extracted'])}/{int(v['required'])})",
                )
            )
        width = max(len(r[0]) for r in rows)
        lines = [f"{a:<{width}}  {b}" for a, b in rows]
        for label, items in (
            ("missed", self.misses),
            ("not in gold", self.false_positives),
            ("mention errors", self.mention_errors),
        ):
            if items:
                lines.append(f"{label}:")
                lines.extend(f"  {x}" for x in items)
        return "\n".join(lines)


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise InputError("missing file", path=str(path))
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _texts(corpus: Path | None, docs: set[str]) -> dict[str, str]:
    if corpus is None:
        return {}
    out = {}
    for item in read_corpus(corpus):
        if isinstance(item, Document) and item.id in docs:
            out[item.id] = item.text
        elif isinstance(item, Problem):
            continue
    return out


def _occurrences(text: str, surfaces: list[str], surface: str) -> list[int]:
    pat = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")
    longer = [s for s in surfaces if len(s) > len(surface) and surface in s]
    covered = [
        (m.start(), m.end())
        for s in longer
        for m in re.finditer(r"(?<!\w)" + re.escape(s) + r"(?!\w)", text)
    ]
    return [
        m.start()
        for m in pat.finditer(text)
        if not any(a <= m.start() and m.end() <= b for a, b in covered)
    ]


def _within(place: dict[str, str], lat: float, lon: float) -> tuple[bool, float]:
    d = haversine_km(float(place["lat"]), float(place["lon"]), lat, lon)
    return d <= float(place["tolerance_km"]), d


def evaluate(pred_dir: Path, gold_dir: Path, *, corpus: Path | None = None) -> EvalReport:
    """Score ``pred_dir`` against ``gold_dir``; ``corpus`` (the articles) enables mentions."""
    places = {r["key"]: r for r in _read_csv(gold_dir / "places.csv")}
    gold_events = _read_csv(gold_dir / "events.csv")
    gold_mentions = _read_csv(gold_dir / "mentions.csv")
    fc = json.loads((pred_dir / "events.geojson").read_text(encoding="utf-8"))
    report = EvalReport()
    _score_mentions(report, pred_dir, gold_mentions, places, corpus)
    _score_events(report, fc, gold_events, places)
    return report


def _score_mentions(
    report: EvalReport,
    pred_dir: Path,
    gold: list[dict[str, str]],
    places: dict[str, dict[str, str]],
    corpus: Path | None,
) -> None:
    mpath = pred_dir / "mentions.csv"
    if corpus is None or not mpath.is_file():
        return
    pred: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_csv_rows(mpath):  # geomap's own file: spreadsheet apostrophes off
        pred[row["doc"]].append(row)
    texts = _texts(corpus, {r["doc"] for r in gold})
    distances: list[float] = []
    right = role_right = 0
    for row in gold:
        text = texts.get(row["doc"], "")
        surfaces = [r["surface"] for r in gold if r["doc"] == row["doc"]]
        for start in _occurrences(text, surfaces, row["surface"]):
            report.mentions += 1
            hit = next(
                (p for p in pred[row["doc"]] if int(p["start"]) <= start < int(p["end"])), None
            )
            if hit is None or not hit["lat"]:
                report.mention_errors.append(
                    f"{row['doc']}:{start} {row['surface']!r} not found"
                    if hit is None
                    else f"{row['doc']}:{start} {row['surface']!r} unresolved"
                )
                continue
            report.mentions_found += 1
            ok, d = _within(places[row["place"]], float(hit["lat"]), float(hit["lon"]))
            distances.append(d)
            role_ok = hit["role"] == row["role"]
            role_right += role_ok
            if ok and role_ok:
                right += 1
            else:
                report.mention_errors.append(
                    f"{row['doc']}:{start} {row['surface']!r} -> {hit['place_name']} "
                    f"({d:.1f} km, role {hit['role']}; gold {row['place']}, {row['role']})"
                )
    n = max(report.mentions, 1)
    report.mentions_within = right
    report.mention_accuracy = right / n
    report.role_accuracy = role_right / n
    if distances:
        ordered = sorted(distances)
        report.distance_median_km = round(statistics.median(ordered), 3)
        report.distance_p90_km = round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 3)


def _matches(
    props: dict[str, Any],
    doc: str,
    g: dict[str, str],
    places: dict[str, dict[str, str]],
    *,
    check_date: bool = True,
) -> bool:
    if g["doc"] != doc or props["type"] not in g["types"].split("|"):
        return False
    if not _within(places[g["place"]], props["lat"], props["lon"])[0]:
        return False
    if not check_date:
        return True
    if props["date_start"] is None or props["date_end"] is None:
        return False
    return g["date_start"] <= props["date_start"] and props["date_end"] <= g["date_end"]


def _score_events(
    report: EvalReport,
    fc: dict[str, Any],
    gold: list[dict[str, str]],
    places: dict[str, dict[str, str]],
) -> None:
    gold_docs = {g["doc"] for g in gold}
    pairs = [
        (f["properties"], doc)
        for f in fc["features"]
        for doc in sorted({s["doc"] for s in f["properties"]["sources"]})
        if doc in gold_docs
    ]
    report.events_extracted = len(pairs)
    by_type: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for props, doc in pairs:
        ok = any(_matches(props, doc, g, places) for g in gold)
        report.events_correct += ok
        by_type[props["type"]]["extracted"] += 1
        by_type[props["type"]]["correct"] += ok
        if not ok:
            report.false_positives.append(
                f"{doc} {props['type']} at {props['place_name']} "
                f"{props['date_start']}..{props['date_end']}"
            )
    required = [g for g in gold if g["required"] == "yes"]
    report.required = len(required)
    dated = 0
    for g in required:
        t = g["types"].split("|")[0]
        by_type[t]["required"] += 1
        if any(_matches(p, d, g, places) for p, d in pairs):
            report.required_found += 1
            by_type[t]["found"] += 1
        else:
            report.misses.append(
                f"{g['id']} {g['types']} at {g['place']} "
                f"{g['date_start']}..{g['date_end']}: {g['evidence']}"
            )
        if any(_matches(p, d, g, places, check_date=False) for p, d in pairs):
            dated += any(_matches(p, d, g, places) for p, d in pairs)
    placed = sum(
        1 for g in required if any(_matches(p, d, g, places, check_date=False) for p, d in pairs)
    )
    report.date_accuracy = dated / placed if placed else 0.0
    report.event_precision = report.events_correct / max(report.events_extracted, 1)
    report.event_recall = report.required_found / max(report.required, 1)
    pr = report.event_precision + report.event_recall
    report.event_f1 = 2 * report.event_precision * report.event_recall / pr if pr else 0.0
    report.by_type = {
        t: {
            "precision": v["correct"] / v["extracted"] if v["extracted"] else 0.0,
            "recall": v["found"] / v["required"] if v["required"] else 0.0,
            "extracted": v["extracted"],
            "required": v["required"],
        }
        for t, v in sorted(by_type.items())
    }
    groups = {frozenset([g["id"], *g["same_as"].split("|")]) for g in gold if g["same_as"]}
    by_id = {g["id"]: g for g in gold}
    report.merge_groups = len(groups)
    for group in sorted(groups, key=sorted):
        members = [by_id[i] for i in group if i in by_id]
        if any(
            all(
                any(
                    _matches(f["properties"], d, g, places)
                    for d in {s["doc"] for s in f["properties"]["sources"]}
                )
                for g in members
            )
            for f in fc["features"]
        ):
            report.merge_right += 1
    report.merge_accuracy = report.merge_right / report.merge_groups if groups else 1.0
