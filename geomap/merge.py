"""Merge reports of the same event from different documents.

Two events are reports of one event when they come from different documents, name the same
place, have overlapping date intervals and compatible types (the same type; or a battle and a
strategic development, which reports of a capture use interchangeably), and their death tolls,
when both are stated, are within a factor of two. Clustering is greedy over a deterministic
order, and an event joins a cluster only if it fits every member: two reports from the same
document are never merged, and chains of near-matches do not snowball.

A merged event keeps every source, the intersection of the members' dates (the narrowest
interval all reports agree on), the union of actors and attributions, the largest toll, and
the smallest member id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from geomap.model import Event

COMPATIBLE = {frozenset({"battle", "strategic"})}


def _types_fit(a: str, b: str) -> bool:
    return a == b or frozenset({a, b}) in COMPATIBLE


def _dates_overlap(a: Event, b: Event) -> bool:
    if None in (a.date_start, a.date_end, b.date_start, b.date_end):
        return False
    return a.date_start <= b.date_end and b.date_start <= a.date_end  # type: ignore[operator]


def _tolls_fit(a: Event, b: Event) -> bool:
    if a.fatalities is None or b.fatalities is None:
        return True
    lo, hi = sorted((a.fatalities, b.fatalities))
    return hi <= max(2 * lo, lo + 2)


def same_event(a: Event, b: Event) -> bool:
    docs_a = {s.doc for s in a.sources}
    docs_b = {s.doc for s in b.sources}
    return (
        not docs_a & docs_b
        and a.place.id == b.place.id
        and _types_fit(a.type, b.type)
        and _dates_overlap(a, b)
        and _tolls_fit(a, b)
    )


def _key(e: Event) -> tuple[str, str, str, str]:
    return (e.place.id, e.date_start.isoformat() if e.date_start else "", e.type, e.id)


def _precision(start: date, end: date, fallback: str) -> str:
    n = (end - start).days + 1
    if n <= 1:
        return "day"
    return fallback if fallback in ("days", "week", "month", "year") else "days"


def _combine(cluster: list[Event]) -> Event:
    if len(cluster) == 1:
        return cluster[0]
    first = min(cluster, key=lambda e: e.id)
    start = max(e.date_start for e in cluster if e.date_start)
    end = min(e.date_end for e in cluster if e.date_end)
    narrowest = min(
        cluster,
        key=lambda e: (
            (e.date_end - e.date_start).days if e.date_start and e.date_end else 10**6,
            e.id,
        ),
    )
    actors: list[str] = []
    attributed: list[str] = []
    for e in sorted(cluster, key=lambda e: e.id):
        actors += [a for a in e.actors if a not in actors]
        attributed += [a for a in e.attributed_to if a not in attributed]
    counted = sorted((e for e in cluster if e.fatalities is not None), key=lambda e: e.id)
    toll = max(counted, key=lambda e: e.fatalities or 0) if counted else None
    sources = sorted({s for e in cluster for s in e.sources}, key=lambda s: (s.doc, s.start))
    return replace(
        first,
        date_start=start,
        date_end=end,
        date_precision=_precision(start, end, narrowest.date_precision),
        fatalities=toll.fatalities if toll else None,
        fatalities_total=toll.fatalities_total if toll else None,
        toll_group=toll.toll_group if toll else "",
        actors=tuple(actors),
        attributed_to=tuple(attributed),
        sources=tuple(sources),
        notes=tuple(sorted({n for e in cluster for n in e.notes}))
        + (f"merged from {', '.join(sorted(e.id for e in cluster))}",),
    )


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Merged events, sorted by (date, place, type, id); the same for any input order."""
    clusters: list[list[Event]] = []
    # Open clusters of a place, with the earliest end date of their members. Events come sorted
    # by place and start date, so a cluster whose earliest end is before an event's start can
    # take no later event either: it is closed, which keeps merging near linear in the corpus.
    open_by_place: dict[str, list[tuple[list[Event], date | None]]] = {}
    for e in sorted(events, key=_key):
        active = open_by_place.get(e.place.id, [])
        if e.date_start is not None:
            active = [(c, end) for c, end in active if end is not None and end >= e.date_start]
        for i, (cluster, end) in enumerate(active):
            if all(same_event(e, m) for m in cluster):
                cluster.append(e)
                ends = [end, e.date_end]
                active[i] = (cluster, None if None in ends else min(ends))  # type: ignore[type-var]
                break
        else:
            cluster = [e]
            clusters.append(cluster)
            active.append((cluster, e.date_end))
        open_by_place[e.place.id] = active
    merged = [_combine(c) for c in clusters]
    return sorted(
        merged,
        key=lambda e: (
            e.date_start.isoformat() if e.date_start else "9999",
            e.place.id,
            e.type,
            e.id,
        ),
    )
