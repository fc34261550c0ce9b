"""The evaluation's own logic, on small invented inputs: matching, tolls, actors, compare."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from geomap.evaluation.compare import compare, compare_items
from geomap.evaluation.labels import check_labels, main_event, printed_date, reported_tolls
from geomap.evaluation.match import why_not
from geomap.evaluation.results import EvalReport
from geomap.evaluation.score import score_events, score_mentions
from geomap.evaluation.tables import actor_set

PLACES = {
    "aleppo": {"key": "aleppo", "lat": "36.2031", "lon": "37.1408", "tolerance_km": "10"},
    "homs": {"key": "homs", "lat": "34.7324", "lon": "36.7137", "tolerance_km": "10"},
}
ALEPPO = (36.2031, 37.1408)
HOMS = (34.7324, 36.7137)
TEXT = "Air strikes hit Aleppo on Monday killing 5. Rebels fought the army in Homs. Old news."


def gold(gid: str, place: str, **kw: str) -> dict[str, str]:
    row = {
        "id": f"d1-{gid}",
        "doc": "d1",
        "required": "yes",
        "types": "remote_violence",
        "date_start": "2016-08-01",
        "date_end": "2016-08-01",
        "place": place,
        "fatalities": "",
        "actors": "",
        "evidence": "",
        "same_as": "",
    }
    row.update(kw)
    return row


def feature(eid: str, at: tuple[float, float], start: int, **kw: Any) -> dict[str, Any]:
    props = {
        "id": eid,
        "type": "remote_violence",
        "lat": at[0],
        "lon": at[1],
        "place_name": eid,
        "place_id": "X",
        "date_start": "2016-08-01",
        "date_end": "2016-08-01",
        "fatalities": None,
        "actors": [],
        "sources": [{"doc": "d1", "start": start, "end": start + 20, "sentence": "s"}],
    }
    props.update(kw)
    return {"type": "Feature", "properties": props}


def run(golds: list[dict[str, str]], feats: list[dict[str, Any]]) -> EvalReport:
    report = EvalReport(items={"mentions": {}, "events": {}, "spurious": []})
    score_events(report, feats, golds, PLACES, {"d1": TEXT})
    return report


def test_matching_needs_place_date_and_type() -> None:
    g = gold("01", "aleppo")
    props = feature("e", ALEPPO, 0)["properties"]
    assert why_not(props, g, PLACES) == []
    assert why_not({**props, "lat": HOMS[0], "lon": HOMS[1]}, g, PLACES) == ["place"]
    assert why_not({**props, "date_end": "2016-08-02"}, g, PLACES) == ["date"]
    assert why_not({**props, "date_start": None}, g, PLACES) == ["date"]
    assert why_not({**props, "type": "battle"}, g, PLACES) == ["type"]


def test_recall_precision_and_why_a_miss_failed() -> None:
    golds = [
        gold("01", "aleppo", evidence="Air strikes hit Aleppo"),
        gold("02", "homs", types="battle", evidence="Rebels fought the army in Homs"),
        gold("03", "homs", required="optional", types="battle", evidence="Old news"),
    ]
    feats = [
        feature("right", ALEPPO, 0),
        feature("wrongtype", HOMS, 45),  # remote_violence in the battle sentence
        feature("background", ALEPPO, 77, date_start="2015-01-01", date_end="2015-12-31"),
    ]
    r = run(golds, feats)
    assert (r.required, r.required_found) == (2, 1)
    assert r.events_extracted == 3 and r.events_correct == 1
    assert r.miss_classes == {"wrong type": 1}
    assert r.spurious_classes == {
        "gold event in its sentence, wrong type": 1,
        "gold event in its sentence, wrong type+place+date": 1,
    }
    assert r.items["events"] == {"d1-01": True, "d1-02": False}
    assert any("Rebels fought the army in Homs" in m for m in r.articles["d1"]["missed"])


def test_optional_match_counts_for_precision_not_recall() -> None:
    r = run([gold("01", "aleppo", required="optional")], [feature("e", ALEPPO, 0)])
    assert r.required == 0 and r.event_precision == 1.0


def test_tolls_exact_and_over_the_document_total() -> None:
    golds = [gold("01", "aleppo", fatalities="5"), gold("02", "homs", fatalities="3")]
    feats = [
        feature("a", ALEPPO, 0, fatalities=5),
        feature("b", HOMS, 45, fatalities=30),
    ]
    r = run(golds, feats)
    assert (r.toll_right, r.toll_events) == (1, 2)
    assert r.toll_over_docs == 1 and r.toll_docs == 1  # 35 > 8
    r = run(golds, [feature("a", ALEPPO, 0, fatalities=5)])
    assert (r.toll_right, r.toll_events, r.toll_over_docs) == (1, 1, 0)


def test_actor_names_are_normalised() -> None:
    assert actor_set("regime forces|rebels") == actor_set(["Syrian army", "the opposition"])
    assert actor_set(["Government forces"]) == actor_set(["Syrian Air Force"])
    assert actor_set("unknown") == frozenset() == actor_set("")
    assert actor_set(["ISIS"]) == actor_set(["Daesh"]) == {"islamic state"}
    golds = [gold("01", "aleppo", actors="regime forces"), gold("02", "homs", actors="rebels")]
    feats = [
        feature("a", ALEPPO, 0, actors=["Syrian army"]),
        feature("b", HOMS, 45, actors=["rebels", "civilians"]),
    ]
    r = run(golds, feats)
    assert (r.actor_right, r.actor_events) == (1, 2)
    assert r.actors_extra == {"civilians": 1} and r.actors_missing == {}


def test_merges_need_one_event_with_every_member() -> None:
    golds = [
        gold("01", "aleppo", same_as="d2-01"),
        {**gold("01", "aleppo", same_as="d1-01"), "id": "d2-01", "doc": "d2"},
    ]
    two_sources = feature("m", ALEPPO, 0)
    two_sources["properties"]["sources"].append({"doc": "d2", "start": 0, "end": 5})
    r = run(golds, [two_sources])
    assert (r.merge_right, r.merge_groups) == (1, 1)
    r = run(golds, [feature("a", ALEPPO, 0)])
    assert r.merge_right == 0


def test_mentions_found_within_role_and_spurious() -> None:
    gm = [
        {"doc": "d1", "surface": "Aleppo", "place": "aleppo", "role": "event"},
        {"doc": "d1", "surface": "Homs", "place": "homs", "role": "event"},
    ]
    pred = [
        {
            "doc": "d1",
            "start": "16",
            "end": "22",
            "surface": "Aleppo",
            "lat": "36.2",
            "lon": "37.14",
            "role": "event",
            "place_name": "Aleppo",
        },
        {
            "doc": "d1",
            "start": "0",
            "end": "3",
            "surface": "Air",
            "lat": "1",
            "lon": "1",
            "role": "event",
            "place_name": "Nowhere",
        },
        {
            "doc": "d1",
            "start": "34",
            "end": "41",
            "surface": "the day",
            "lat": "1",
            "lon": "1",
            "role": "event",
            "place_name": "Nowhere",
        },
    ]
    r = EvalReport(items={"mentions": {}, "events": {}, "spurious": []})
    score_mentions(r, pred, gm, PLACES, {"d1": TEXT})
    assert (r.mentions, r.mentions_found, r.mentions_within) == (2, 1, 1)
    assert r.mentions_spurious == 1 and r.mentions_predicted == 2  # "the day" refers back
    assert r.items["mentions"]["d1:70 Homs"] == "not found"
    assert r.items["mentions"]["d1:0 Air"] == "spurious"


def test_compare_shows_gains_and_losses_by_article(tmp_path: Path) -> None:
    before = {
        "mentions": {"d1:0 A": "not found", "d2:5 B": "right"},
        "events": {"d1-01": False, "d2-01": True},
        "spurious": ["d1 x @3"],
    }
    after = {
        "mentions": {"d1:0 A": "right", "d2:5 B": "wrong place"},
        "events": {"d1-01": True, "d2-01": False},
        "spurious": ["d2 y @9"],
    }
    diff = compare_items(before, after)
    assert len(diff["d1"]["gained"]) == 3 and diff["d1"]["lost"] == []
    assert len(diff["d2"]["lost"]) == 3 and diff["d2"]["gained"] == []
    prev = EvalReport(event_recall=0.5, items=before)
    cur = EvalReport(event_recall=0.75, items=after)
    path = tmp_path / "prev.json"
    path.write_text(prev.to_json(), encoding="utf-8")
    text = compare(path, asdict(cur))
    assert "event_recall" in text and "better" in text
    assert "+ event d1-01 now found" in text and "- event d2-01 now missed" in text


def test_printed_dates_in_their_many_forms() -> None:
    assert printed_date("Title\n\nDate of publication 10 July 2016 Aleppo") == date(2016, 7, 10)
    assert printed_date("Last updated at Jul 262016 Syria") == date(2016, 7, 26)
    assert printed_date("Saturday 24 December 2016 SANA") == date(2016, 12, 24)
    assert printed_date("Posted on July 2 2016 by") == date(2016, 7, 2)
    assert printed_date("x 2016-07-10 y") == date(2016, 7, 10)
    assert printed_date("10.10.2017(updated 1601 10.10.2017)") == date(2017, 10, 10)
    assert printed_date("no date in 2016 at all") is None
    assert printed_date("x" * 400 + " 10 July 2016") is None


def test_label_checks_on_one_invented_article(tmp_path: Path) -> None:
    (tmp_path / "labels.csv").write_text(
        "file,governorate,actor,cause_of_death,nb_civilians,nb_noncivilians,nb_children,"
        "nb_women,credible\nd1.txt,damascus,unknown,shelling,4,1,0,0,1\n",
        encoding="utf-8",
    )
    (tmp_path / "manifest.csv").write_text(
        "file,published,outlet\nd1.txt,2016-08-01,x\n", encoding="utf-8"
    )
    (tmp_path / "d1.txt").write_text("T\n\nSaturday 6 August 2016 ...", encoding="utf-8")
    gaz = tmp_path / "gaz"
    gaz.mkdir()
    (gaz / "places.csv").write_text(
        "id,governorate\nC1,Rural Damascus\nC2,Aleppo\n", encoding="utf-8"
    )
    main = feature("main", ALEPPO, 50, place_id="C1", fatalities=5)
    main["properties"]["sources"].append({"doc": "d1", "start": 90, "end": 99})
    other = feature("other", ALEPPO, 10, place_id="C2", type="battle")
    assert main_event([other, main], "d1")["id"] == "main"  # two sources beat an earlier one
    rep = check_labels([other, main], tmp_path, gazetteer_dir=gaz)
    assert rep.governorate_right == 1  # damascus covers Rural Damascus
    assert rep.toll_total_right == 1 and rep.type_right == 1
    assert (rep.dates_printed, rep.dates_disagree) == (1, 1)
    json.dumps(asdict(rep))


@pytest.mark.parametrize(
    ("tolls", "reported"),
    [
        # one place's toll: itself
        ([(7, None, "")], {7}),
        # a toll split over two places (44 -> 22 + 22): the article reported 44, never 22
        ([(22, 44, "g1"), (22, 44, "g1")], {44}),
        # near miss: a share and a toll of its own that happens to be the same count
        ([(3, 7, "g1"), (4, 7, "g1"), (3, None, "")], {3, 7}),
        ([(None, None, "")], set()),
    ],
)
def test_label_toll_is_the_reported_total_not_a_share(
    tolls: list[tuple[int | None, int | None, str]], reported: set[int]
) -> None:
    feats = [
        feature(f"e{i}", ALEPPO, i, fatalities=n, fatalities_total=t, toll_group=g)
        for i, (n, t, g) in enumerate(tolls)
    ]
    assert reported_tolls(feats) == reported


def test_cli_writes_json_and_compares(
    seeds_extract: tuple[Path, Any], tmp_path: Path, capsys: Any
) -> None:
    from geomap.cli import main
    from tests.conftest import CORPUS, GOLD

    out, _ = seeds_extract
    first = tmp_path / "run.json"
    assert (
        main(["eval", str(out), "--gold", str(GOLD), "--corpus", str(CORPUS), "--json", str(first)])
        == 0
    )
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["event_recall"] >= 0.95 and data["items"]["events"]
    capsys.readouterr()
    assert (
        main(
            [
                "eval",
                str(out),
                "--gold",
                str(GOLD),
                "--corpus",
                str(CORPUS),
                "--compare",
                str(first),
            ]
        )
        == 0
    )
    assert "0 items newly right, 0 newly wrong" in capsys.readouterr().out


def test_counts_are_ranked_the_same_on_every_run() -> None:
    """Error classes and actor counts are listed largest first, ties by name, whatever order
    they were counted in (docs/EVALUATION.md must not change between runs of the same code:
    Counter.most_common keeps ties in counting order, which follows the string hash seed)."""
    from collections import Counter

    from geomap.evaluation.tables import ranked

    one = Counter({"hazm movement": 1, "rebels": 3, "faylaq al-rahman": 1, "jaish al-fatah": 1})
    other = Counter(dict(reversed(list(one.items()))))
    assert list(ranked(one)) == list(ranked(other))
    assert list(ranked(one)) == ["rebels", "faylaq al-rahman", "hazm movement", "jaish al-fatah"]
    assert ranked(Counter()) == {}
