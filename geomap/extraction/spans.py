"""Sets of text spans with logarithmic overlap and containment tests.

The extractor keeps choosing spans that must not overlap ("longest match wins") and asking
whether a span lies inside one already found. Done with lists, both are quadratic in the number
of spans, which a long article full of place names turns into minutes; these structures keep a
document's work near-linear in its length.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


class DisjointSpans:
    """Non-overlapping half-open spans ``[start, end)``, kept sorted by start."""

    __slots__ = ("_starts", "_ends")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in spans:
            self.add(start, end)

    def __len__(self) -> int:
        return len(self._starts)

    def overlaps(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` shares a character with a span of the set."""
        i = bisect.bisect_left(self._starts, end)  # spans starting before ``end``
        return i > 0 and self._ends[i - 1] > start

    def add(self, start: int, end: int) -> bool:
        """Add the span unless it overlaps one already there; True when added."""
        if self.overlaps(start, end):
            return False
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        return True


class OverlappingSpans:
    """Spans that may overlap each other, for "does this span overlap one of them": the
    disjoint ones in a :class:`DisjointSpans` (a bisection a query), the few that overlap an
    earlier one in a list."""

    __slots__ = ("_disjoint", "_rest")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._disjoint = DisjointSpans()
        self._rest: list[tuple[int, int]] = []
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        if not self._disjoint.add(start, end):
            self._rest.append((start, end))

    def overlaps(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` shares a character with a span of the set."""
        return self._disjoint.overlaps(start, end) or any(
            a < end and start < b for a, b in self._rest
        )


class SpanIndex:
    """Any spans (they may overlap or nest), built once, for "is this inside one of them"."""

    __slots__ = ("_starts", "_max_end")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._max_end: list[int] = []
        best = -1
        for _, end in ordered:
            best = max(best, end)
            self._max_end.append(best)

    def __bool__(self) -> bool:
        return bool(self._starts)

    def contains(self, start: int, end: int) -> bool:
        """True when some span ``[a, b)`` has ``a <= start`` and ``end <= b``."""
        i = bisect.bisect_right(self._starts, start)
        return i > 0 and self._max_end[i - 1] >= end


def longest_first(
    items: Iterable[T],
    span: Callable[[T], tuple[int, int]],
    *,
    rank: Callable[[T], tuple[Any, ...]] = lambda _: (),
) -> list[T]:
    """The items whose spans do not overlap, longer spans winning, then by ``rank`` (smaller
    first), then the earlier span; returned in the order chosen."""

    def order(item: T) -> tuple[Any, ...]:
        start, end = span(item)
        return (-(end - start), *rank(item), start)

    taken = DisjointSpans()
    return [item for item in sorted(items, key=order) if taken.add(*span(item))]
