"""Merging: the streaming, constant-time-per-cluster merge gives exactly what trying every
member gives (the reference below is the earlier implementation), and one story's many reports
merge in near-linear time."""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import date, timedelta

from geomap.extraction.events.merge import _combine, _key, merge_events, same_event
from geomap.model import Event, Place, Source

PLACES = [
    Place(id=f"P{i}", name=f"P{i}", kind="city", lat=36.0 + i / 10, lon=37.0, precision_km=1)
    for i in range(3)
]


def _reference(events: list[Event]) -> list[Event]:
    clusters: list[list[Event]] = []
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


def _random_event(rng: random.Random, i: int) -> Event:
    day0 = date(2012, 7, 1)
    if rng.random() < 0.1:
        start = end = None
    else:
        start = day0 + timedelta(days=rng.randrange(20))
        end = start + timedelta(days=rng.choice((0, 0, 0, 1, 2, 6)))
    doc = f"d{rng.randrange(12)}"
    return Event(
        id=f"e{i:04d}",
        type=rng.choice(("battle", "strategic", "remote_violence", "protest")),
        sub_type="",
        date_start=start,
        date_end=end,
        date_precision="day" if start == end else "days",
        place=rng.choice(PLACES),
        geo_precision="city",
        fatalities=rng.choice((None, None, 1, 2, 3, 5, 8, 12, 30)),
        actors=(rng.choice(("army", "rebels", "")),),
        sources=(Source(doc, f"sentence {i}", i, i + 10),),
    )


def test_streaming_merge_equals_trying_every_member() -> None:
    for seed in range(40):
        rng = random.Random(seed)
        events = [_random_event(rng, i) for i in range(rng.randrange(1, 120))]
        assert merge_events(events) == _reference(events), seed


def _story(n: int) -> list[Event]:
    p = PLACES[0]
    return [
        Event(
            id=f"s{i:05d}",
            type="battle",
            sub_type="",
            date_start=date(2012, 7, 20),
            date_end=date(2012, 7, 20 + i % 3),
            date_precision="days",
            place=p,
            geo_precision="city",
            fatalities=10 + i % 5,
            actors=(),
            sources=(Source(f"doc{i // 2}", "s", 0, 1),),  # two reports a document
        )
        for i in range(n)
    ]


def test_one_story_merges_in_near_linear_time() -> None:
    times = []
    for n in (400, 1600):
        events = _story(n)
        t = time.perf_counter()
        merged = merge_events(events)
        times.append(time.perf_counter() - t)
        assert sum(len(e.sources) for e in merged) == n
    assert times[1] < 10 * max(times[0], 0.01)  # 4x the reports, well under 16x the time


def test_merge_order_does_not_matter() -> None:
    rng = random.Random(9)
    events = [_random_event(rng, i) for i in range(200)]
    shuffled = events[:]
    rng.shuffle(shuffled)
    assert merge_events(shuffled) == merge_events(events)
    assert merge_events([replace(events[0])]) == [events[0]]
