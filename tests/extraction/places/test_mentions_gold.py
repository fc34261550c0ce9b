"""Place mentions of the example articles against the gold (tests/gold/mentions.csv).

Every row says: in document ``doc``, every whole-word occurrence of ``surface`` (not inside a
longer gold surface) refers to ``place`` with ``role``. Each occurrence must lie inside one
mention ("Yarmouk" may be found as "Yarmouk camp"), and no mention may swallow two gold
occurrences; it must be resolved (or fallen back) to a point within the place's tolerance.
Nothing here knows the articles' wording: it reads the gold and the articles.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from geomap.extraction.places.mentions import find_mentions
from geomap.gazetteer.store import Gazetteer, haversine_km
from geomap.model import Document, Mention
from geomap.pipeline.corpus import read_corpus
from tests.conftest import CORPUS, GOLD


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


GOLD_MENTIONS = _rows(GOLD / "mentions.csv")
GOLD_PLACES = {r["key"]: r for r in _rows(GOLD / "places.csv")}


def _whole_word(surface: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")


def occurrences(text: str, surface: str, others: list[str]) -> Iterator[tuple[int, int]]:
    """Whole-word occurrences of ``surface`` not inside an occurrence of a longer gold surface."""
    covered = [
        (m.start(), m.end())
        for other in others
        if len(other) > len(surface) and surface in other
        for m in _whole_word(other).finditer(text)
    ]
    for m in _whole_word(surface).finditer(text):
        if not any(a <= m.start() and m.end() <= b for a, b in covered):
            yield m.start(), m.end()


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {d.id: d for d in read_corpus(CORPUS) if isinstance(d, Document)}


@pytest.fixture(scope="module")
def mentions(docs: dict[str, Document], gaz: Gazetteer) -> dict[str, list[Mention]]:
    return {doc_id: find_mentions(doc, gaz) for doc_id, doc in docs.items()}


def _id(row: dict[str, str]) -> str:
    return f"{row['doc'][:3]}-{row['surface']}"


@pytest.mark.parametrize("row", GOLD_MENTIONS, ids=[_id(r) for r in GOLD_MENTIONS])
def test_gold_mention(
    row: dict[str, str], docs: dict[str, Document], mentions: dict[str, list[Mention]]
) -> None:
    text = docs[row["doc"]].text
    others = [r["surface"] for r in GOLD_MENTIONS if r["doc"] == row["doc"]]
    spans = list(occurrences(text, row["surface"], others))
    assert spans, f"gold surface {row['surface']!r} does not occur in {row['doc']}"
    gold = GOLD_PLACES[row["place"]]
    every = [
        span
        for r in GOLD_MENTIONS
        if r["doc"] == row["doc"]
        for span in occurrences(text, r["surface"], others)
    ]
    for start, end in spans:
        m = next((x for x in mentions[row["doc"]] if x.start <= start and end <= x.end), None)
        near = [(x.start, x.surface) for x in mentions[row["doc"]] if abs(x.start - start) < 30]
        assert m is not None, f"{row['surface']!r} at {start} not found; nearby: {near}"
        assert text[m.start : m.end] == m.surface
        inside = [s for s in every if m.start <= s[0] and s[1] <= m.end]
        assert inside == [(start, end)], f"{m.surface!r} covers {inside}"
        assert m.place is not None and m.status in ("resolved", "fallback"), (m.status, m.reason)
        d = haversine_km(float(gold["lat"]), float(gold["lon"]), m.place.lat, m.place.lon)
        assert d <= float(gold["tolerance_km"]), (
            f"{row['surface']!r} at {start} -> {m.place.name} ({m.place.id}), {d:.1f} km from "
            f"{gold['name']}: {m.reason}"
        )
        assert m.role == row["role"], (row["surface"], start, m.role, m.reason)


def test_the_neighbourhood_the_gazetteer_lacks_falls_back_to_its_city(
    mentions: dict[str, list[Mention]],
) -> None:
    """Gold rows whose note says 'fall back' are city-precision fallbacks, with the reason."""
    rows = [r for r in GOLD_MENTIONS if "fall back" in r["note"]]
    assert rows
    for row in rows:
        found = [m for m in mentions[row["doc"]] if m.surface == row["surface"]]
        assert found
        for m in found:
            assert m.status == "fallback", m.reason
            assert m.place is not None and m.place.kind == "city"
            assert m.reason.startswith("fallback"), m.reason


def test_mentions_are_sorted_and_point_at_their_surface(
    docs: dict[str, Document], mentions: dict[str, list[Mention]]
) -> None:
    for doc_id, found in mentions.items():
        text = docs[doc_id].text
        assert found == sorted(found, key=lambda m: (m.start, m.end))
        for m in found:
            assert text[m.start : m.end] == m.surface
            assert m.reason
