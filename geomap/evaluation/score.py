"""Score an extraction (``events.geojson`` + ``mentions.csv``) against gold annotations.

The gold format and matching rule are those of ``tests/gold/README.md``:

- a gold mention row says every whole-word occurrence of ``surface`` in ``doc`` refers to
  ``place`` with ``role`` (longer gold surfaces win); an occurrence is right when a predicted
  mention covers its first character, resolves within the place's tolerance and has the role;
  a predicted mention in a gold document that covers no gold occurrence is spurious (phrases
  in lower case, "the town", refer back to a name and are left out: the gold lists names);
- an extracted event matches a gold event when the document is the same (a merged event counts
  once for each of its source documents), its point lies within the gold place's tolerance,
  its date interval lies inside the gold interval and its type is one of the accepted types.
  Recall is over the required events; precision over all extracted (event, document) pairs,
  where matching an optional event counts as correct;
- tolls: over the gold events with a toll that some extracted event matches, the share where
  a matching event carries exactly that toll; and the documents whose extracted events add up
  to more deaths than the gold events of the document;
- actors: over the matched gold events, the share where a matching event's actor set equals
  the gold's once both are normalised (``geomap.evaluation.tables``);
- a ``same_as`` group is merged right when one extracted event matches every member.

Besides the figures, the report keeps what was missed and what was spurious article by article
(with the sentence and why it failed), and ``items``: the state of every gold mention, gold
event and spurious extraction, which ``geomap.evaluation.compare`` uses to compare two runs.
"""

from __future__ import annotations

import csv
import json
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from geomap.errors import InputError
from geomap.evaluation.attrs import score_actors, score_merges, score_tolls
from geomap.evaluation.match import (
    Pair,
    _describe,
    _diagnose_miss,
    _diagnose_spurious,
    _evidence_span,
    _matches,
    _occurrences,
    _sources_in,
    _within,
    sentence_at,
)
from geomap.evaluation.results import EvalReport
from geomap.evaluation.tables import ranked
from geomap.model import Document
from geomap.pipeline.corpus import read_corpus
from geomap.writing import read_csv_rows


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise InputError("missing file", path=str(path))
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _texts(corpus: Path | None, docs: set[str]) -> dict[str, str]:
    if corpus is None:
        return {}
    return {
        item.id: item.text
        for item in read_corpus(corpus)
        if isinstance(item, Document) and item.id in docs
    }


def evaluate(pred_dir: Path, gold_dir: Path, *, corpus: Path | None = None) -> EvalReport:
    """Score ``pred_dir`` against ``gold_dir``; ``corpus`` (the articles) enables mentions."""
    places = {r["key"]: r for r in _read_csv(gold_dir / "places.csv")}
    gold_events = _read_csv(gold_dir / "events.csv")
    gold_mentions = _read_csv(gold_dir / "mentions.csv")
    fc = json.loads((pred_dir / "events.geojson").read_text(encoding="utf-8"))
    texts = _texts(corpus, {r["doc"] for r in gold_mentions} | {g["doc"] for g in gold_events})
    report = EvalReport(items={"mentions": {}, "events": {}, "spurious": []})
    mpath = pred_dir / "mentions.csv"
    if corpus is not None and mpath.is_file():
        score_mentions(report, read_csv_rows(mpath), gold_mentions, places, texts)
    score_events(report, fc["features"], gold_events, places, texts)
    return report


def score_mentions(
    report: EvalReport,
    predicted: list[dict[str, str]],
    gold: list[dict[str, str]],
    places: dict[str, dict[str, str]],
    texts: dict[str, str],
) -> None:
    pred: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in predicted:
        pred[row["doc"]].append(row)
    distances: list[float] = []
    right = role_right = 0
    covered: dict[str, set[int]] = defaultdict(set)  # doc -> starts of gold occurrences
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    classes: Counter[str] = Counter()
    surfaces_by_doc: dict[str, list[str]] = defaultdict(list)
    for row in gold:
        surfaces_by_doc[row["doc"]].append(row["surface"])
    for row in gold:
        doc, text = row["doc"], texts.get(row["doc"], "")
        for start in _occurrences(text, surfaces_by_doc[doc], row["surface"]):
            report.mentions += 1
            spans[doc].append((start, start + len(row["surface"])))
            key = f"{doc}:{start} {row['surface']}"
            hit = next((p for p in pred[doc] if int(p["start"]) <= start < int(p["end"])), None)
            if hit is not None:
                covered[doc].add(int(hit["start"]))
            if hit is None or not hit["lat"]:
                what = "not found" if hit is None else "unresolved"
                classes[what] += 1
                report.items["mentions"][key] = what
                msg = (
                    f"{doc}:{start} {row['surface']!r} {what} (gold {row['place']}, {row['role']})"
                )
                report.mention_errors.append(msg)
                report.note(doc, "mentions", f"{msg}: {sentence_at(text, start)}")
                continue
            report.mentions_found += 1
            ok, d = _within(places[row["place"]], float(hit["lat"]), float(hit["lon"]))
            distances.append(d)
            role_ok = hit["role"] == row["role"]
            role_right += role_ok
            if ok and role_ok:
                right += 1
                report.items["mentions"][key] = "right"
                continue
            what = "wrong place" if not ok else f"role {hit['role']} for {row['role']}"
            classes["wrong place" if not ok else "wrong role"] += 1
            report.items["mentions"][key] = what
            msg = (
                f"{doc}:{start} {row['surface']!r} -> {hit['place_name']} "
                f"({d:.1f} km, role {hit['role']}; gold {row['place']}, {row['role']})"
            )
            report.mention_errors.append(msg)
            report.note(doc, "mentions", f"{msg}: {sentence_at(text, start)}")
    for doc in {r["doc"] for r in gold}:
        for p in pred[doc]:
            report.mentions_predicted += 1
            s, e = int(p["start"]), int(p["end"])
            if int(p["start"]) in covered[doc] or any(a < e and s < b for a, b in spans[doc]):
                continue
            if p["surface"][:1].islower():  # "the town": a reference back; gold lists names only
                report.mentions_predicted -= 1
                continue
            report.mentions_spurious += 1
            classes["spurious"] += 1
            report.items["mentions"][f"{doc}:{s} {p['surface']}"] = "spurious"
            report.note(
                doc,
                "mentions",
                f"{doc}:{s} {p['surface']!r} spurious -> {p['place_name'] or '(unresolved)'} "
                f"({p['role']}): {sentence_at(texts.get(doc, ''), s)}",
            )
    n = max(report.mentions, 1)
    report.mentions_within = right
    report.mention_found = report.mentions_found / n
    report.mention_accuracy = right / n
    report.role_accuracy = role_right / n
    report.mention_classes = ranked(classes)
    if report.mentions_predicted:
        report.mention_precision = 1 - report.mentions_spurious / report.mentions_predicted
    if distances:
        ordered = sorted(distances)
        report.distance_median_km = round(statistics.median(ordered), 3)
        report.distance_p90_km = round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 3)


def score_events(
    report: EvalReport,
    features: list[dict[str, Any]],
    gold: list[dict[str, str]],
    places: dict[str, dict[str, str]],
    texts: dict[str, str] | None = None,
) -> None:
    texts = texts or {}
    gold_docs = {g["doc"] for g in gold}
    pairs: list[Pair] = [
        (f["properties"], doc)
        for f in features
        for doc in sorted({s["doc"] for s in f["properties"]["sources"]})
        if doc in gold_docs
    ]
    by_doc_gold: dict[str, list[dict[str, str]]] = defaultdict(list)
    for g in gold:
        by_doc_gold[g["doc"]].append(g)
    report.events_extracted = len(pairs)
    by_type: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    spurious_classes: Counter[str] = Counter()
    for props, doc in pairs:
        ok = any(_matches(props, doc, g, places) for g in by_doc_gold[doc])
        report.events_correct += ok
        by_type[props["type"]]["extracted"] += 1
        by_type[props["type"]]["correct"] += ok
        if ok:
            continue
        cls = _diagnose_spurious(props, doc, by_doc_gold[doc], places, texts)
        spurious_classes[cls] += 1
        src = _sources_in(props, doc)
        where = src[0]["start"] if src else -1
        key = f"{doc} {_describe(props)} @{where}"
        report.items["spurious"].append(key)
        report.false_positives.append(f"{doc} {_describe(props)}")
        sentence = " ".join(src[0].get("sentence", "").split()) if src else ""
        report.note(doc, "spurious", f"{_describe(props)} [{cls}]: {sentence}")
    required = [g for g in gold if g["required"] == "yes"]
    report.required = len(required)
    dated = placed = 0
    miss_classes: Counter[str] = Counter()
    for g in required:
        t = g["types"].split("|")[0]
        by_type[t]["required"] += 1
        found = any(_matches(p, d, g, places) for p, d in pairs)
        report.items["events"][g["id"]] = found
        if found:
            report.required_found += 1
            by_type[t]["found"] += 1
        else:
            text = texts.get(g["doc"], "")
            cls, why = _diagnose_miss(g, pairs, places, text)
            miss_classes[cls] += 1
            report.misses.append(
                f"{g['id']} {g['types']} at {g['place']} "
                f"{g['date_start']}..{g['date_end']}: {g['evidence']}"
            )
            span = _evidence_span(text, g)
            sentence = sentence_at(text, *span) if span else g["evidence"]
            report.note(
                g["doc"],
                "missed",
                f"{g['id']} {g['types']} at {g['place']} {g['date_start']}..{g['date_end']} "
                f"[{cls}{'; ' + why if why else ''}]: {sentence}",
            )
        if any(_matches(p, d, g, places, check_date=False) for p, d in pairs):
            placed += 1
            dated += found
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
    report.miss_classes = ranked(miss_classes)
    report.spurious_classes = ranked(spurious_classes)
    score_tolls(report, pairs, gold, places)
    score_actors(report, pairs, gold, places)
    score_merges(report, features, gold, places)
