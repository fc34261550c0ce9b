"""The development gold (tests/devgold): mechanical checks, and the ratchet on its figures.

The checks need the dev articles (``../shared/devset/fakes_dev`` beside the repository) and are
skipped without them.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from geomap.evaluation.compare import report_table
from geomap.evaluation.report import measure_dev
from tests.conftest import ROOT

DEVGOLD = ROOT / "tests" / "devgold"
DEVSET = ROOT.parent / "shared" / "devset" / "fakes_dev"
TYPES = {"battle", "remote_violence", "violence_against_civilians", "protest", "strategic"}
#: A change may lower no ratchet figure by more than this.
SLACK = 0.02

needs_devset = pytest.mark.skipif(not DEVSET.is_dir(), reason=f"no dev set at {DEVSET}")


def _rows(name: str) -> list[dict[str, str]]:
    with open(DEVGOLD / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _sample() -> list[str]:
    lines = (DEVGOLD / "SAMPLE.txt").read_text(encoding="utf-8").splitlines()
    return [line.split(",")[0] for line in lines if line.strip()]


def _text(doc: str, cache: dict[str, str] = {}) -> str:  # noqa: B006 - a deliberate cache
    if doc not in cache:
        cache[doc] = (DEVSET / f"{doc}.txt").read_text(encoding="utf-8")
    return cache[doc]


def _whole_word(surface: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")


def test_the_gold_covers_exactly_the_sample() -> None:
    docs = {r["doc"] for r in _rows("mentions.csv")} | {r["doc"] for r in _rows("events.csv")}
    assert docs == set(_sample())
    assert len(_sample()) == 44


def test_places_are_well_formed_and_used() -> None:
    places = _rows("places.csv")
    keys = [p["key"] for p in places]
    assert len(keys) == len(set(keys)), "duplicate place keys"
    used = {m["place"] for m in _rows("mentions.csv")} | {e["place"] for e in _rows("events.csv")}
    assert set(keys) == used, (set(keys) - used, used - set(keys))
    for p in places:
        assert re.fullmatch(r"[a-z0-9_]+", p["key"]), p["key"]
        lat, lon, tol = float(p["lat"]), float(p["lon"]), float(p["tolerance_km"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180 and tol > 0, p["key"]
        if "governorate" in p["parent"] or p["parent"] in keys:  # a Syrian place
            assert 32.0 <= lat <= 37.5 and 35.5 <= lon <= 42.5, p["key"]


@needs_devset
def test_mention_surfaces_occur_as_whole_words() -> None:
    seen = set()
    for m in _rows("mentions.csv"):
        assert _whole_word(m["surface"]).search(_text(m["doc"])), (m["doc"], m["surface"])
        assert m["role"] in ("event", "dateline", "context"), m
        assert (m["doc"], m["surface"]) not in seen, ("duplicate", m["doc"], m["surface"])
        seen.add((m["doc"], m["surface"]))


@needs_devset
def test_events_are_well_formed_with_verbatim_evidence() -> None:
    events = _rows("events.csv")
    ids = [e["id"] for e in events]
    assert len(ids) == len(set(ids)), "duplicate event ids"
    for e in events:
        assert e["id"].startswith(e["doc"] + "-"), e["id"]
        assert e["required"] in ("yes", "optional"), e["id"]
        assert e["types"] and set(e["types"].split("|")) <= TYPES, e["id"]
        assert date.fromisoformat(e["date_start"]) <= date.fromisoformat(e["date_end"]), e["id"]
        assert not e["fatalities"] or e["fatalities"].isdigit(), e["id"]
        assert e["evidence"] and e["evidence"] in _text(e["doc"]), e["id"]
        for other in filter(None, e["same_as"].split("|")):
            assert other in ids, (e["id"], other)


def test_a_shared_toll_is_split_evenly_remainder_first() -> None:
    """Events of one sentence that share a toll: counts differ by at most one, larger first."""
    shared: dict[tuple[str, str], list[int]] = defaultdict(list)
    for e in _rows("events.csv"):
        if e["fatalities"]:
            shared[(e["doc"], e["evidence"])].append(int(e["fatalities"]))
    for key, counts in shared.items():
        if len(counts) > 1:
            assert max(counts) - min(counts) <= 1 and counts == sorted(counts, reverse=True), key


@needs_devset
def test_the_dev_figures_do_not_fall_below_the_ratchet(tmp_path: Path) -> None:
    """Extract the 44 dev articles and score them: no figure may drop more than SLACK.

    Raise the ratchet after an improvement with ``make eval RATCHET=1`` (and commit it).
    """
    report = measure_dev(tmp_path, DEVSET)
    ratchet = json.loads((DEVGOLD / "RATCHET.json").read_text(encoding="utf-8"))
    got = report.headline()
    lowered = {k: (got[k], v) for k, v in ratchet.items() if got[k] < v - SLACK - 1e-9}
    table = report_table(report, articles=False)
    assert not lowered, f"below the ratchet (now, held): {lowered}\n" + table
