"""Merge reports of the same event from different documents.

Two events are reports of one event when they come from different documents, name the same
place, have overlapping date intervals and compatible types (the same type; or a battle and a
strategic development, which reports of a capture use interchangeably), and their death tolls,
when both are stated, are within a factor of two. Clustering is greedy over a deterministic
order, and an event joins a cluster only if it fits every member: two reports from the same
document are never merged, and chains of near-matches do not snowball.

Two reports of one place, type and day may still tell two happenings: two battles whose sides
share no actor ("rebels attacked a checkpoint" and "the army clashed with IS"), or two happenings
placed at different parts of a city (the west of it and the east of it, read off the place's
``part-of:``/``bearing:`` rules), or two strikes with different weapons (air strikes and
shelling: merged, one report's toll would be copied onto the other's document) are kept apart
(:func:`apart`).

A merged event keeps every source, the intersection of the members' dates (the narrowest
interval all reports agree on), the union of actors and attributions, the largest toll, and
the smallest member id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from geomap.model import Event, parse_rule

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


#: Compass letters of the ``side=``/``bearing=`` arguments of a place's rules.
_COMPASS = frozenset("NSEW")


def sides_of(e: Event) -> frozenset[str]:
    """The actors of a battle (its two sides), empty for other types or when none is named."""
    return frozenset(e.actors) if e.type == "battle" else frozenset()


def part_of(e: Event) -> frozenset[str]:
    """The compass letters of the part of its place an event was placed at ("in the west of
    X": W; "east of X": E; "northeast of X": N, E), from the place's rules."""
    return part_of_rules(e.rules)


def part_of_rules(rules: Iterable[str]) -> frozenset[str]:
    """:func:`part_of` of an event's rules."""
    for rule in rules:
        head, args = parse_rule(rule)
        if head not in ("part-of", "bearing"):
            continue
        for key in ("side", "bearing"):
            value = args.get(key, "")
            if value and set(value.upper()) <= _COMPASS:
                return frozenset(value.upper())
    return frozenset()


#: Weapons of remote violence: reports of one place and day that name two of them ("air
#: strikes", "rebel shelling") tell two happenings, whose dead are not each other's.
WEAPONS = frozenset(
    {"air/drone strike", "shelling/artillery/missile attack", "remote explosive/landmine/IED"}
)


def weapon_of(type_: str, sub_type: str) -> str:
    """The weapon a report of remote violence names ("" for another type or no weapon)."""
    return sub_type if type_ == "remote_violence" and sub_type in WEAPONS else ""


def apart(
    sides_a: frozenset[str],
    part_a: frozenset[str],
    sides_b: frozenset[str],
    part_b: frozenset[str],
    weapon_a: str = "",
    weapon_b: str = "",
) -> str | None:
    """Why two reports of one place, type and day tell different happenings, as a rule id:
    battles whose sides share no actor, different parts of the place, or remote violence
    with different weapons (air strikes and shelling: a toll of one is no toll of the other);
    None if nothing tells them apart (a side, a part or a weapon not named is no
    difference)."""
    if sides_a and sides_b and not sides_a & sides_b:
        return "merge:apart=sides"
    if part_a and part_b and not part_a & part_b:
        return "merge:apart=part"
    if weapon_a and weapon_b and weapon_a != weapon_b:
        return "merge:apart=weapon"
    return None


def same_event(a: Event, b: Event) -> bool:
    docs_a = {s.doc for s in a.sources}
    docs_b = {s.doc for s in b.sources}
    return (
        not docs_a & docs_b
        and a.place.id == b.place.id
        and _types_fit(a.type, b.type)
        and _dates_overlap(a, b)
        and _tolls_fit(a, b)
        and apart(
            sides_of(a),
            part_of(a),
            sides_of(b),
            part_of(b),
            weapon_of(a.type, a.sub_type),
            weapon_of(b.type, b.sub_type),
        )
        is None
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
        rules=tuple(sorted({r for e in cluster for r in e.rules}))
        + (f"merge:reports={len(cluster)}",),
    )


@dataclass(frozen=True, slots=True)
class Report:
    """What merging needs to know of one unmerged event (``ref`` is the event or a handle)."""

    place: str
    start: date | None
    end: date | None
    type: str
    id: str
    fatalities: int | None
    docs: frozenset[str]
    ref: Any = None
    sides: frozenset[str] = frozenset()  # :func:`sides_of`
    part: frozenset[str] = frozenset()  # :func:`part_of`
    weapon: str = ""  # :func:`weapon_of`


def report_of(e: Event, ref: Any = None) -> Report:
    return Report(
        e.place.id,
        e.date_start,
        e.date_end,
        e.type,
        e.id,
        e.fatalities,
        frozenset(s.doc for s in e.sources),
        e if ref is None else ref,
        sides_of(e),
        part_of(e),
        weapon_of(e.type, e.sub_type),
    )


def report_key(r: Report) -> tuple[str, str, str, str]:
    """The order reports are merged in (the same as :func:`_key` of their events)."""
    return (r.place, r.start.isoformat() if r.start else "", r.type, r.id)


class _Cluster:
    """An open cluster and what every member has in common, so that "fits every member" is
    a constant-time test (the same answer as trying ``same_event`` on each member)."""

    __slots__ = ("members", "docs", "types", "start", "end", "dated", "lo", "hi", "kinds")

    def __init__(self, r: Report) -> None:
        self.members = [r]
        #: the distinct (sides, part, weapon) of the members: a handful, whatever the
        #: cluster's size
        self.kinds = {(r.sides, r.part, r.weapon)}
        self.docs = set(r.docs)
        self.types = {r.type}
        self.dated = r.start is not None and r.end is not None
        self.start = r.start  # the latest start of the members
        self.end = r.end  # the earliest end of the members
        self.lo = self.hi = r.fatalities

    def fits(self, r: Report) -> bool:
        if not self.dated or r.start is None or r.end is None:
            return False  # an undated report overlaps nothing
        if r.docs & self.docs or r.place != self.members[0].place:
            return False
        if not all(_types_fit(r.type, t) for t in self.types):
            return False
        # overlapping every member <=> starting before the earliest end, ending after the latest
        # start; the tolls that fit one form an interval, so the smallest and largest decide
        if not (r.start <= self.end and self.start <= r.end):  # type: ignore[operator]
            return False
        if any(
            apart(r.sides, r.part, sides, part, r.weapon, weapon)
            for sides, part, weapon in self.kinds
        ):
            return False
        if r.fatalities is not None and self.lo is not None:
            x = r.fatalities
            return _toll_pair(x, self.lo) and _toll_pair(x, self.hi)  # type: ignore[arg-type]
        return True

    def add(self, r: Report) -> None:
        self.members.append(r)
        self.docs |= r.docs
        self.types.add(r.type)
        self.kinds.add((r.sides, r.part, r.weapon))
        self.start = max(self.start, r.start)  # type: ignore[type-var]
        self.end = min(self.end, r.end)  # type: ignore[type-var]
        if r.fatalities is not None:
            self.lo = r.fatalities if self.lo is None else min(self.lo, r.fatalities)
            self.hi = r.fatalities if self.hi is None else max(self.hi, r.fatalities)


def _toll_pair(a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    return hi <= max(2 * lo, lo + 2)


def cluster_reports(reports: Iterable[Report]) -> Iterator[list[Report]]:
    """Clusters of reports that arrive sorted by :func:`report_key`, each yielded once it is
    closed (no later report can join it). Memory holds only the open clusters of one place:
    the reports of a place whose dates overlap (a date window), not the corpus."""
    place: str | None = None
    # Open clusters of the place, with the earliest end date of their members. Reports come
    # sorted by place and start date, so a cluster whose earliest end is before a report's
    # start can take no later report either: it is closed and yielded.
    active: list[tuple[_Cluster, date | None]] = []
    for r in reports:
        if r.place != place:
            for c, _end in active:
                yield c.members
            active = []
            place = r.place
        if r.start is not None:
            keep: list[tuple[_Cluster, date | None]] = []
            for c, end in active:
                if end is not None and end >= r.start:
                    keep.append((c, end))
                else:
                    yield c.members
            active = keep
        for i, (cluster, end) in enumerate(active):
            if cluster.fits(r):
                cluster.add(r)
                ends = [end, r.end]
                active[i] = (cluster, None if None in ends else min(ends))  # type: ignore[type-var]
                break
        else:
            active.append((_Cluster(r), r.end))
    for c, _end in active:
        yield c.members


def merged_key(e: Event) -> tuple[str, str, str, str]:
    """The order of merged events in the outputs."""
    return (e.date_start.isoformat() if e.date_start else "9999", e.place.id, e.type, e.id)


def combine(cluster: Sequence[Event]) -> Event:
    """One merged event from the reports of a cluster (see the module's docstring)."""
    return _combine(list(cluster))


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Merged events, sorted by (date, place, type, id); the same for any input order."""
    reports = sorted((report_of(e) for e in events), key=report_key)
    merged = [_combine([r.ref for r in c]) for c in cluster_reports(reports)]
    return sorted(merged, key=merged_key)
