"""Tolls, actors and merges of the matched events (see ``geomap.evaluation.score``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from geomap.evaluation.match import Pair, _matches
from geomap.evaluation.tables import actor_set, ranked

if TYPE_CHECKING:
    from geomap.evaluation.results import EvalReport


def score_tolls(
    report: EvalReport,
    pairs: list[Pair],
    gold: list[dict[str, str]],
    places: dict[str, dict[str, str]],
) -> None:
    for g in gold:
        if not g["fatalities"]:
            continue
        matched = [p for p, d in pairs if _matches(p, d, g, places)]
        if not matched:
            continue
        report.toll_events += 1
        counts = [p.get("fatalities") for p in matched]
        if int(g["fatalities"]) in counts:
            report.toll_right += 1
        else:
            report.note(g["doc"], "tolls", f"{g['id']}: gold {g['fatalities']}, extracted {counts}")
    report.toll_accuracy = report.toll_right / report.toll_events if report.toll_events else 0.0
    gold_total: dict[str, int] = defaultdict(int)
    for g in gold:
        gold_total[g["doc"]] += int(g["fatalities"] or 0)
    extracted: dict[str, int] = defaultdict(int)
    for p, d in pairs:
        extracted[d] += int(p.get("fatalities") or 0)
    report.toll_docs = len(gold_total)
    for doc in sorted(gold_total):
        if extracted[doc] > gold_total[doc]:
            report.toll_over_docs += 1
            report.note(
                doc,
                "tolls",
                f"events add up to {extracted[doc]} deaths; the gold has {gold_total[doc]}",
            )


def score_actors(
    report: EvalReport,
    pairs: list[Pair],
    gold: list[dict[str, str]],
    places: dict[str, dict[str, str]],
) -> None:
    missing: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    for g in gold:
        matched = [p for p, d in pairs if _matches(p, d, g, places)]
        if not matched:
            continue
        report.actor_events += 1
        want = actor_set(g["actors"])
        got = [actor_set(list(p.get("actors") or [])) for p in matched]
        if want in got:
            report.actor_right += 1
            continue
        best = min(got, key=lambda s: len(s ^ want))
        missing.update(want - best)
        extra.update(best - want)
        report.note(
            g["doc"],
            "actors",
            f"{g['id']}: gold {sorted(want)}, extracted {sorted(best)}",
        )
    report.actor_accuracy = report.actor_right / report.actor_events if report.actor_events else 0.0
    report.actors_missing = ranked(missing)
    report.actors_extra = ranked(extra)


def score_merges(
    report: EvalReport,
    features: list[dict[str, Any]],
    gold: list[dict[str, str]],
    places: dict[str, dict[str, str]],
) -> None:
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
            for f in features
        ):
            report.merge_right += 1
        else:
            report.note(
                sorted(group)[0].rsplit("-", 1)[0],
                "merges",
                f"same_as {'|'.join(sorted(group))} not one event",
            )
    report.merge_accuracy = report.merge_right / report.merge_groups if groups else 1.0
