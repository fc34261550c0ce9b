"""Interval sets (geomap/extraction/spans.py)."""

from __future__ import annotations

from geomap.extraction.spans import OverlappingSpans


def test_overlapping_spans_answer_for_every_span_even_those_that_overlap() -> None:
    s = OverlappingSpans([(0, 10), (5, 20), (30, 40)])  # (5, 20) overlaps (0, 10)
    assert s.overlaps(15, 18)  # only inside the overlapping one
    assert s.overlaps(9, 11) and s.overlaps(35, 36)
    assert not s.overlaps(20, 30)  # half-open: touching is no overlap
    assert not s.overlaps(41, 50)
    s.add(45, 47)
    assert s.overlaps(41, 50)
