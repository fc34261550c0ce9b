"""Text for developers: an evaluation as a table with what to fix, and two runs compared.

``report_table`` prints the figures, the error classes and, article by article, what was missed
and what was spurious with the sentence. ``compare`` takes two ``geomap eval --json`` files and
shows what a change gained and lost, article by article.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import InputError
from geomap.evaluation.results import HEADLINE

if TYPE_CHECKING:
    from geomap.evaluation.results import EvalReport

#: The order of the per-article sections.
SECTIONS = ("missed", "spurious", "mentions", "tolls", "actors", "merges")


def _counts(title: str, counts: dict[str, int]) -> list[str]:
    if not counts:
        return []
    return [f"{title}:"] + [f"  {n:4d}  {k}" for k, n in counts.items()]


def report_table(r: EvalReport, *, articles: bool = True) -> str:
    rows = [
        ("mentions (gold occurrences)", f"{r.mentions}"),
        ("  found (resolved)", f"{r.mention_found:.3f} ({r.mentions_found}/{r.mentions})"),
        ("  accuracy (within tolerance, right role)", f"{r.mention_accuracy:.3f}"),
        ("  role accuracy", f"{r.role_accuracy:.3f}"),
        (
            "  precision (predicted covering a gold one)",
            f"{r.mention_precision:.3f} ({r.mentions_spurious} spurious/{r.mentions_predicted})",
        ),
        (
            "  distance error median / p90 (km)",
            f"{r.distance_median_km:.2f} / {r.distance_p90_km:.2f}",
        ),
        ("events extracted (event, doc pairs)", f"{r.events_extracted}"),
        ("  precision", f"{r.event_precision:.3f}"),
        ("  recall (required)", f"{r.event_recall:.3f} ({r.required_found}/{r.required})"),
        ("  F1", f"{r.event_f1:.3f}"),
        ("  date accuracy (placed and typed right)", f"{r.date_accuracy:.3f}"),
        (
            "  toll accuracy (matched gold with a toll)",
            f"{r.toll_accuracy:.3f} ({r.toll_right}/{r.toll_events})",
        ),
        ("  documents over the gold death total", f"{r.toll_over_docs}/{r.toll_docs}"),
        (
            "  actor accuracy (matched, normalised)",
            f"{r.actor_accuracy:.3f} ({r.actor_right}/{r.actor_events})",
        ),
        (
            "  merge accuracy (same_as groups)",
            f"{r.merge_accuracy:.3f} ({r.merge_right}/{r.merge_groups})",
        ),
    ]
    for t, v in sorted(r.by_type.items()):
        rows.append(
            (
                f"  {t}",
                f"P {v['precision']:.2f}  R {v['recall']:.2f}  "
                f"(n={int(v['extracted'])}/{int(v['required'])})",
            )
        )
    width = max(len(a) for a, _ in rows)
    lines = [f"{a:<{width}}  {b}" for a, b in rows]
    lines += _counts("missed events by cause", r.miss_classes)
    lines += _counts("spurious events by cause", r.spurious_classes)
    lines += _counts("mention errors", r.mention_classes)
    lines += _counts("actors missing (normalised)", r.actors_missing)
    lines += _counts("actors extra (normalised)", r.actors_extra)
    if articles:
        for doc in sorted(r.articles):
            lines.append(f"== {doc}")
            for section in SECTIONS:
                for item in r.articles[doc].get(section, []):
                    lines.append(f"  {section}: {item}")
    return "\n".join(lines)


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read an evaluation: {exc}", path=str(path)) from exc
    if not isinstance(data, dict) or "items" not in data:
        raise InputError("not a geomap eval --json file (no items)", path=str(path))
    return data


def compare_items(prev: dict[str, Any], cur: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """doc -> {"gained": [...], "lost": [...]} between two runs' ``items``."""
    out: dict[str, dict[str, list[str]]] = {}

    def add(doc: str, kind: str, text: str) -> None:
        out.setdefault(doc, {"gained": [], "lost": []})[kind].append(text)

    pm, cm = prev.get("mentions", {}), cur.get("mentions", {})
    for key in sorted(set(pm) | set(cm)):
        a, b = pm.get(key), cm.get(key)
        doc = key.split(":", 1)[0]
        if a == b:
            continue
        if b == "right":
            add(doc, "gained", f"mention {key} now right (was {a or 'absent'})")
        elif a == "right":
            add(doc, "lost", f"mention {key} now {b or 'absent'} (was right)")
        elif b == "spurious":
            add(doc, "lost", f"mention {key} newly spurious")
        elif a == "spurious" and b is None:
            add(doc, "gained", f"mention {key} no longer spurious")
        elif a is not None and b is not None:
            add(doc, "lost" if b == "not found" else "gained", f"mention {key}: {a} -> {b}")
    pe, ce = prev.get("events", {}), cur.get("events", {})
    for gid in sorted(set(pe) | set(ce)):
        a, b = pe.get(gid), ce.get(gid)
        if a == b:
            continue
        doc = gid.rsplit("-", 1)[0]
        if b:
            add(doc, "gained", f"event {gid} now found")
        elif a:
            add(doc, "lost", f"event {gid} now missed")
    ps, cs = set(prev.get("spurious", [])), set(cur.get("spurious", []))
    for key in sorted(cs - ps):
        add(key.split(" ", 1)[0], "lost", f"spurious event {key.split(' ', 1)[1]}")
    for key in sorted(ps - cs):
        add(key.split(" ", 1)[0], "gained", f"spurious event gone: {key.split(' ', 1)[1]}")
    return out


def compare(prev_path: Path, cur: dict[str, Any]) -> str:
    """Text: how the headline figures moved and, per article, what was gained and lost."""

    prev = _load(prev_path)
    lines = ["figure                 before   after   change"]
    for k in HEADLINE:
        a, b = float(prev.get(k, 0.0)), float(cur.get(k, 0.0))
        mark = "" if abs(b - a) < 5e-4 else ("  better" if b > a else "  WORSE")
        lines.append(f"{k:<22} {a:7.3f} {b:7.3f} {b - a:+8.3f}{mark}")
    diff = compare_items(prev["items"], cur["items"])
    gained = sum(len(v["gained"]) for v in diff.values())
    lost = sum(len(v["lost"]) for v in diff.values())
    lines.append(f"{gained} items newly right, {lost} newly wrong, in {len(diff)} articles")
    for doc in sorted(diff):
        lines.append(f"== {doc}")
        lines += [f"  + {x}" for x in diff[doc]["gained"]]
        lines += [f"  - {x}" for x in diff[doc]["lost"]]
    return "\n".join(lines)
