"""The toll ledger of a document: a total's breakdown and restatements do not add again."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pytest

from geomap.extraction.events.ledger import toll_ledger
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document, Event, Place, Source
from geomap.pipeline.documents import process_document

# invented places: a city C with two towns in it, a region R with two villages, a town F far away
_PLACES = {
    "C": Place("C", "C", "city", 35.0, 37.0, 5.0),
    "C1": Place("C1", "C1", "town", 35.05, 37.05, 1.0, parent_id="C"),
    "C2": Place("C2", "C2", "town", 34.95, 37.05, 1.0, parent_id="C"),
    "N": Place("N", "N", "town", 35.1, 37.1, 1.0),  # 15 km from C: "the outskirts of C"
    "R": Place("R", "R", "region", 33.5, 36.4, 10.0),
    "R1": Place("R1", "R1", "village", 33.52, 36.42, 1.0, parent_id="R"),
    "R2": Place("R2", "R2", "village", 33.48, 36.38, 1.0, parent_id="R"),
    "F": Place("F", "F", "town", 36.5, 38.5, 1.0),
}


def _contains(a: Place, b: Place) -> bool:
    return a.id == b.parent_id


@dataclass(frozen=True)
class E:
    """One event of the table: its sentence (its order in the text), place, toll, kind."""

    sentence: int
    place: str
    toll: int | None
    sub_type: str = "air/drone strike"
    type: str = "remote_violence"
    day: int = 3
    total: int | None = None  # a toll split over a group: the group's total
    group: str = ""


def _events(rows: list[E]) -> list[Event]:
    return [
        Event(
            id=f"d-{i + 1:03d}",
            type=r.type,
            sub_type=r.sub_type,
            date_start=date(2017, 4, r.day),
            date_end=date(2017, 4, r.day),
            date_precision="day",
            place=_PLACES[r.place],
            geo_precision="city",
            fatalities=r.toll,
            actors=(),
            sources=(
                Source("d", f"sentence {r.sentence}", 100 * r.sentence, 100 * r.sentence + 9),
            ),
            fatalities_total=r.total,
            toll_group=r.group,
        )
        for i, r in enumerate(rows)
    ]


SHELLING = "shelling/artillery/missile attack"

CASES = [
    (
        # "22 killed on the outskirts of C ... 16 in C1 ... one in C2": C keeps the 5 left
        "breakdown at places inside",
        [E(0, "C", 22), E(1, "C1", 16), E(2, "C2", 1)],
        [5, 16, 1],
    ),
    (
        # a town near the city ("airstrikes on the outskirts of C ... the highest toll was in N")
        "breakdown at a place around the city",
        [E(0, "C", 12), E(1, "N", 8)],
        [4, 8],
    ),
    (
        # the parts account for all: the total's event keeps no toll of its own
        "the whole total broken down",
        [E(0, "C", 9), E(1, "C1", 5), E(2, "C2", 4)],
        [None, 5, 4],
    ),
    (
        # "four killed in shelling of C and F ... one in C1 ... three in F" (split 2 and 2)
        "a split total broken down place by place",
        [
            E(0, "C", 2, "killing", "battle", total=4, group="g0"),
            E(0, "F", 2, "killing", "battle", total=4, group="g0"),
            E(1, "C1", 1, SHELLING),
            E(2, "F", 3, SHELLING),
        ],
        [None, None, 1, 3],
    ),
    (
        # "19 killed across R ... strikes on R1 and R2 killed 17 while shelling on R killed
        # another two": the "another" goes on with the breakdown
        "another count that goes on with a breakdown",
        [
            E(0, "R", 19),
            E(1, "R1", 9, total=17, group="g1"),
            E(1, "R2", 8, total=17, group="g1"),
            E(1, "R1", 2, SHELLING, day=3),
        ],
        [None, 9, 8, 2],
    ),
    (
        # "ten civilians were killed in X ... earlier that day seven civilians were killed in
        # a rocket attack on the same neighbourhood": the same dead told again
        "a smaller count at the very place told again",
        [
            E(0, "C1", 10, SHELLING),
            E(3, "C1", 7, "attack on civilians", "violence_against_civilians"),
        ],
        [10, None],
    ),
    (
        # a later, larger total for the region keeps what the earlier counts leave
        "a later total at a containing place",
        [E(0, "R1", 9), E(0, "R2", 8), E(2, "R", 100, SHELLING)],
        [9, 8, 83],
    ),
    # near misses: nothing changes
    (
        "another weapon at the same place",
        [E(0, "C1", 7, SHELLING), E(1, "C1", 3)],
        [7, 3],
    ),
    ("a place outside the total's", [E(0, "C", 22), E(1, "F", 16)], [22, 16]),
    # "air raids killed 16 in R ... shelling on R1 killed five": another weapon than the total
    # names (its sentence, not the table's first, names one)
    (
        "another weapon at a finer place",
        [E(3, "R", 16), E(4, "R1", 5, SHELLING)],
        [16, 5],
    ),
    ("another day", [E(0, "C", 22), E(1, "C1", 16, day=2)], [22, 16]),
    ("more than the total", [E(0, "C", 10), E(1, "C1", 16)], [10, 16]),
    (
        "more than the total has left",
        [E(0, "C", 10), E(1, "C1", 8), E(2, "C2", 5)],
        [2, 8, 5],
    ),
    ("another kind of happening", [E(0, "C", 10), E(1, "C1", 4, "armed clash", "battle")], [10, 4]),
    # the whole toll told at a finer place: one happening, folded later by extract
    ("the same count at a finer place", [E(0, "R", 20), E(1, "R1", 20)], [20, 20]),
    # a larger later count at the same place is an update, not a recap
    ("a larger count at the same place", [E(0, "C1", 30), E(2, "C1", 83)], [30, 83]),
    ("the same sentence", [E(0, "C", 10), E(0, "C1", 4)], [10, 4]),
]


def _named(sentence: str) -> frozenset[str]:
    """The weapons the table's sentences name: the first of each table names two ("air
    strikes and artillery fire killed 19")."""
    return frozenset({"air/drone strike", SHELLING}) if sentence == "sentence 0" else frozenset()


@pytest.mark.parametrize(("rows", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_toll_ledger(rows: list[E], expected: list[int | None]) -> None:
    out = toll_ledger(_events(rows), contains=_contains, weapons=_named)
    assert [e.fatalities for e in out] == expected


def test_a_count_besides_those_before_is_no_part() -> None:
    """ "22 killed in C ... nine other civilians were killed in C1": besides the 22."""
    events = _events([E(0, "C", 22), E(1, "C1", 9)])
    out = toll_ledger(events, contains=_contains, others={events[1].id})
    assert [e.fatalities for e in out] == [22, 9]


def test_the_total_keeps_what_was_reported() -> None:
    out = toll_ledger(_events([E(0, "C", 22), E(1, "C1", 16)]), contains=_contains)
    assert (out[0].fatalities, out[0].fatalities_total) == (6, 22)
    assert "toll:rule=total-less-parts" in out[0].rules
    assert "toll:rule=breakdown" in out[1].rules


@pytest.mark.parametrize(
    ("later", "refers_back", "expected"),
    [
        (19, True, [18]),  # "the two air raids on the town ... have killed 19": one event, 18
        (15, True, [15]),  # the most conservative count of the two
        (50, True, [18, 50]),  # too far apart to be one count
        (19, False, [18, 19]),  # refers back to no happening
    ],
)
def test_another_sources_count_of_a_happening_told_before(
    later: int, refers_back: bool, expected: list[int]
) -> None:
    events = _events([E(0, "R1", 18), E(2, "F", later)])
    out = toll_ledger(
        events,
        contains=_contains,
        carried={events[1].id},
        refers_back=lambda s: refers_back,
    )
    assert [e.fatalities for e in out] == expected
    if len(out) == 1:
        assert len(out[0].sources) == 2


def test_a_placed_sentence_is_no_other_source() -> None:
    events = _events([E(0, "R1", 18), E(2, "F", 19)])
    out = toll_ledger(events, contains=_contains, refers_back=lambda s: True)
    assert [e.fatalities for e in out] == [18, 19]


ARTICLES = [
    (
        "Syrian regime air strikes killed at least 12 civilians on the outskirts of Damascus on "
        "Monday, a monitor said. The highest toll was in Douma, where raids killed eight "
        "civilians. Four more civilians were killed in the town of Harasta.",
        {"Damascus": None, "Duma": 8, "Harasta": 4},
    ),
    (
        # near miss: another day's count in another place adds
        "Syrian regime air strikes killed at least 12 civilians on the outskirts of Damascus on "
        "Monday, a monitor said. On Sunday raids killed eight civilians in Douma.",
        {"Damascus": 12, "Duma": 8},
    ),
]


@pytest.mark.parametrize(("text", "expected"), ARTICLES, ids=["breakdown", "another day"])
def test_articles_count_every_death_once(
    gaz: Gazetteer, text: str, expected: dict[str, int | None]
) -> None:
    events = process_document(Document("t", text, date(2017, 4, 4)), gaz).events
    assert {e.place.name: e.fatalities for e in events} == expected


@pytest.mark.parametrize(
    ("third", "expected"),
    [
        # the dead of the fighting the sentence before named, placed by the sentence after
        ("The fighting had broken out on Friday night for the town of Harasta.", 24),
        # near miss: a happening of another kind takes no toll of the fighting
        ("Protesters marched in the town of Harasta.", None),
    ],
    ids=["fighting placed after", "a protest"],
)
def test_a_toll_told_before_its_place(gaz: Gazetteer, third: str, expected: int | None) -> None:
    text = (
        "Islamist fighters drove the rebels out of a military base on Saturday after fierce "
        "fighting. At least 20 rebels were killed along with four jihadists, a monitor said. "
        + third
    )
    (event,) = process_document(Document("t", text, date(2017, 4, 4)), gaz).events
    assert event.fatalities == expected


def test_a_later_total_at_a_city_takes_out_no_count_of_its_outskirts() -> None:
    """ "air raids on N killed 6 ... rebel rockets on C killed 7": N lies near C, not in it."""
    out = toll_ledger(_events([E(0, "N", 6), E(2, "C", 7, SHELLING)]), contains=_contains)
    assert [e.fatalities for e in out] == [6, 7]


@pytest.mark.parametrize(
    ("first", "again", "expected"),
    [
        # "clashes at R1 claimed the lives of 30 militants ... 30 Terrorists Killed. Jets struck
        # positions across F": the count told again, placed elsewhere
        (E(0, "R1", 30, "armed clash", "battle"), E(3, "F", 30, day=4), [30, None]),
        # near misses: a small count recurs by chance; another count; days apart; told more
        # exactly at a finer place (folded by extract)
        (E(0, "R1", 2), E(3, "F", 2), [2, 2]),
        (E(0, "R1", 30), E(3, "F", 31), [30, 31]),
        (E(0, "R1", 30), E(3, "F", 30, day=6), [30, 30]),
        (E(0, "R", 30), E(3, "R1", 30), [30, 30]),
        # told again the next day at a finer place, as another kind: the finer place has it
        (E(0, "R", 34, "killing", "battle"), E(3, "R1", 34, day=4), [None, 34]),
    ],
)
def test_the_same_count_again(first: E, again: E, expected: list[int | None]) -> None:
    out = toll_ledger(_events([first, again]), contains=_contains)
    assert [e.fatalities for e in out] == expected


@pytest.mark.parametrize(
    ("middle", "last", "expected"),
    [
        # the dead a later sentence counts replace a toll of 0 (only the hurt counted)
        (
            "The monitor said shots were fired at protesters, leaving five injured.",
            "In 24 hours of fighting at least 38 fighters were killed.",
            38,
        ),
        # near miss: the hurt counted after "no one was killed" leave the 0
        ("The monitor said no one was killed.", "Medics said the clashes left three wounded.", 0),
    ],
    ids=["dead after the hurt", "hurt after no dead"],
)
def test_dead_counted_after_the_hurt(gaz: Gazetteer, middle: str, last: str, expected: int) -> None:
    text = "Rebel groups clashed over control of Douma on Monday. " + middle + " " + last
    (event,) = process_document(Document("t", text, date(2017, 4, 4)), gaz).events
    assert event.fatalities == expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # the headline's count (dated by publication) is a part of the lede's, days before
        ([E(0, "R1", 9, day=8), E(1, "R1", 13, day=6)], [None, 13]),
        # near misses: another place, another weapon, a smaller later count, a week apart, and
        # a first count that is not the article's first
        ([E(0, "R1", 9, day=8), E(1, "R2", 13, day=6)], [9, 13]),
        ([E(0, "R1", 9, day=8), E(1, "R1", 13, SHELLING, day=6)], [9, 13]),
        ([E(0, "R1", 13, day=8), E(1, "R1", 9, day=6)], [13, 9]),
        ([E(0, "R1", 9, day=10), E(1, "R1", 13, day=3)], [9, 13]),
        ([E(0, "F", 5), E(1, "R1", 9, day=8), E(2, "R1", 13, day=6)], [5, 9, 13]),
        # told again at a place inside the first's
        ([E(0, "R", 9, day=8), E(1, "R1", 13, day=6)], [None, 13]),
        # a toll with no weapon ("132 civilians have been killed since February")
        ([E(0, "R1", 7, day=8), E(1, "R1", 132, "killing", "battle", day=7)], [7, 132]),
    ],
)
def test_a_lede_told_again(rows: list[E], expected: list[int | None]) -> None:
    out = toll_ledger(_events(rows), contains=_contains)
    assert [e.fatalities for e in out] == expected


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        # "seven died in shelling of C1 at dawn ... C1 has been under bombardment since the
        # first of the month, which has killed 132 civilians": the 132 hold the 7
        (E(0, "C1", 7, SHELLING, day=18), [7, 125]),
        # near misses: another place (not inside), days outside the period
        (E(0, "C2", 7, SHELLING, day=18), [7, 132]),
        (E(0, "C1", 7, SHELLING, day=25), [7, 132]),
    ],
)
def test_a_period_toll_holds_the_counts_told_before(
    before: E, expected: list[int | None]
) -> None:
    events = _events([before, E(2, "C1", 132, "killing", "battle", day=18)])
    period = replace(events[1], date_start=date(2017, 4, 1))
    out = toll_ledger([events[0], period], contains=_contains)
    assert [e.fatalities for e in out] == expected


CAPTURE = "non-state actor overtakes territory"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # "rebels captured three villages of R: R1, R2 and R1b ... 86 soldiers were killed in
        # fighting in R": the villages' toll, split
        (
            [E(0, "R1", None, CAPTURE, "battle"), E(0, "R2", None, CAPTURE, "battle")]
            + [E(2, "R", 86, "armed clash", "battle")],
            [43, 43, None],
        ),
        # near misses: another kind of happening at the villages, one village only, a village
        # outside the place, a village with a toll of its own
        (
            [E(0, "R1", None), E(0, "R2", None), E(2, "R", 86, "armed clash", "battle")],
            [None, None, 86],
        ),
        (
            [E(0, "R1", None, CAPTURE, "battle"), E(2, "R", 86, "armed clash", "battle")],
            [None, 86],
        ),
        (
            [E(0, "R1", None, CAPTURE, "battle"), E(0, "F", None, CAPTURE, "battle")]
            + [E(2, "R", 86, "armed clash", "battle")],
            [None, None, 86],
        ),
        (
            [E(0, "R1", 5, CAPTURE, "battle"), E(0, "R2", None, CAPTURE, "battle")]
            + [E(2, "R", 86, "armed clash", "battle")],
            [5, None, 81],  # (the later total holds the five told before)
        ),
    ],
)
def test_a_toll_for_places_told_before(rows: list[E], expected: list[int | None]) -> None:
    out = toll_ledger(_events(rows), contains=_contains)
    assert [e.fatalities for e in out] == expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # "45 killed in air strikes on areas around C ... six children were among those killed
        # in raids on N": N has the 45, C's event joins N's
        ([E(0, "C", 45), E(1, "N", 6)], [45]),
        # near misses: no total before (the count stands); a place outside the total's; the
        # same place; a larger count
        ([E(1, "N", 6)], [6]),
        ([E(0, "C", 45), E(1, "F", 6)], [45, 6]),
        ([E(0, "N", 45), E(1, "N", 6)], [45, 6]),
        ([E(0, "C", 5), E(1, "N", 6)], [5, 6]),
    ],
)
def test_who_some_of_a_totals_dead_were(rows: list[E], expected: list[int | None]) -> None:
    events = _events(rows)
    out = toll_ledger(events, contains=_contains, among={events[-1].id})
    assert [e.fatalities for e in out] == expected
    if len(out) < len(events):
        assert len(out[0].sources) == 2
