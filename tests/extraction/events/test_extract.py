"""Events from sentences written for these tests (other places, dates and wording)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from geomap.extraction.events.merge import merge_events
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document, Event, Place, Source
from geomap.pipeline.documents import process_document

PUB = date(2013, 6, 5)  # a Wednesday

# text, [(place id or name fragment, type, date_start, date_end)]
CASES = [
    (
        "Regime forces shelled the Hanano district of Aleppo on Monday, activists said.",
        [("Hanano", "remote_violence", "2013-06-03", "2013-06-03")],
    ),
    (
        "Rebels clashed with troops in the Bustan al-Qasr neighbourhood on Tuesday.",
        [("Bustan", "battle", "2013-06-04", "2013-06-04")],
    ),
    (
        "Warplanes struck Saraqeb overnight, killing nine civilians.",
        [("Saraqab", "remote_violence", "2013-06-04", "2013-06-05")],
    ),
    (
        "Hundreds of people demonstrated in Daraa on Friday against the government.",
        [("Dar'a", "protest", "2013-05-31", "2013-05-31")],
    ),
    (
        "Government troops executed eight men in the town of Rastan on Sunday.",
        [("Rastan", "violence_against_civilians", "2013-06-02", "2013-06-02")],
    ),
    (
        "The army deployed tanks near the Bab al-Hawa crossing on 1 June.",
        [("Bab al-Hawa", "strategic", "2013-06-01", "2013-06-01")],
    ),
    (
        "Islamic State militants seized the town of Tal Abyad on Tuesday.",
        [("Tell", "battle", "2013-06-04", "2013-06-04")],
    ),
    (
        "A car bomb exploded in Homs on Wednesday, killing 12 people.",
        [("Homs", "remote_violence", "2013-06-05", "2013-06-05")],
    ),
    (
        "Fighting raged in the Jobar district while shells hit the Qaboun and Barzeh "
        "neighbourhoods, the Observatory said.",
        [
            ("Jowbar", "battle", None, None),
            ("Qaboun", "remote_violence", None, None),
            ("Barz", "remote_violence", None, None),
        ],
    ),
    ("Peace talks in Geneva made no progress, diplomats said.", []),
    ("There were no clashes in Hama on Tuesday, residents said.", []),
    ("The army will launch an offensive on Idlib next week.", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:50] for c in CASES])
def test_sentences(
    gaz: Gazetteer, text: str, expected: list[tuple[str, str, str | None, str | None]]
) -> None:
    events = process_document(Document("t", text, PUB, outlet="test"), gaz).events
    got = sorted((e.place.name, e.type, e.date_start, e.date_end) for e in events)
    assert len(got) == len(expected), got
    for (fragment, type_, start, end), (name, gtype, gstart, gend) in zip(
        sorted(expected, key=lambda x: x[0]), sorted(got), strict=True
    ):
        assert fragment.lower()[:5] in name.lower(), (fragment, name)
        assert gtype == type_
        if start is not None:
            assert (gstart, gend) == (date.fromisoformat(start), date.fromisoformat(end or start))


def test_actors_toll_and_attribution(gaz: Gazetteer) -> None:
    text = (
        "Regime forces and rebels clashed in the Sheikh Maqsoud district of Aleppo on "
        "Tuesday, killing 14 civilians and five fighters, the Observatory reported."
    )
    (event,) = process_document(Document("t", text, PUB), gaz).events
    assert event.fatalities == 19
    assert event.actors[:2] == ("regime forces", "rebels")
    assert event.attributed_to and "Observatory" in event.attributed_to[0]
    assert event.sources[0].sentence == text


def test_a_city_and_its_neighbourhood_make_one_event(gaz: Gazetteer) -> None:
    text = "In Damascus, mortar bombs struck the Qaboun neighbourhood overnight."
    events = process_document(Document("t", text, PUB), gaz).events
    assert [e.place.name for e in events] == ["Qaboun"]


def test_a_neighbourhood_missing_from_the_gazetteer_is_mapped_to_its_city(gaz: Gazetteer) -> None:
    text = "Regime forces shelled the Zzyzx district of Aleppo on Tuesday."
    (event,) = process_document(Document("t", text, PUB), gaz).events
    assert event.place.id == "C1007" and event.geo_precision == "city"


def _event(
    eid: str,
    doc: str,
    place: str,
    day: int,
    type_: str = "battle",
    toll: int | None = None,
    actors: tuple[str, ...] = ("rebels", "regime forces"),
    rules: tuple[str, ...] = (),
) -> Event:
    p = Place(id=place, name=place, kind="neighbourhood", lat=36.2, lon=37.1, precision_km=1)
    return Event(
        id=eid,
        type=type_,
        sub_type="",
        date_start=date(2012, 7, day),
        date_end=date(2012, 7, day + 1),
        date_precision="days",
        place=p,
        geo_precision="neighbourhood",
        fatalities=toll,
        actors=actors,
        sources=(Source(doc, f"sentence {eid}", 0, 10),),
        rules=rules,
    )


def test_merge_joins_reports_of_one_event_from_different_documents() -> None:
    merged = merge_events(
        [_event("a-1", "a", "P1", 25, toll=22), _event("b-1", "b", "P1", 24, toll=22)]
    )
    assert len(merged) == 1
    (m,) = merged
    assert {s.doc for s in m.sources} == {"a", "b"}
    assert (m.date_start, m.date_end) == (date(2012, 7, 25), date(2012, 7, 25))
    assert m.id == "a-1" and m.fatalities == 22


@pytest.mark.parametrize(
    "other",
    [
        _event("a-2", "a", "P1", 25),  # same document: never merged
        _event("b-1", "b", "P2", 25),  # another place
        _event("b-1", "b", "P1", 20),  # dates do not overlap
        _event("b-1", "b", "P1", 25, "protest"),  # another type
        _event("b-1", "b", "P1", 25, toll=300),  # tolls far apart
        # battles whose sides share no actor
        _event("b-1", "b", "P1", 25, actors=("Islamic State", "Kurdish forces")),
        # another part of the place
        _event("b-1", "b", "P1", 25, rules=("bearing:anchor=P1,bearing=E",)),
    ],
)
def test_merge_keeps_different_events_apart(other: Event) -> None:
    first = _event("a-1", "a", "P1", 25, toll=5, rules=("part-of:anchor=P1,side=W",))
    assert len(merge_events([first, other])) == 2


@pytest.mark.parametrize(
    "other",
    [
        _event("b-1", "b", "P1", 25, actors=("regime forces",)),  # one side in common
        _event("b-1", "b", "P1", 25, actors=()),  # no side named
        _event("b-1", "b", "P1", 25, rules=("bearing:anchor=P1,bearing=NW",)),  # the west too
        _event("b-1", "b", "P1", 25, rules=("place:status=resolved",)),  # no part named
        # remote violence: who fired is often told differently, no reason to keep apart
        _event("b-1", "b", "P1", 25, "remote_violence", actors=("Russian air force",)),
    ],
)
def test_merge_joins_reports_that_nothing_tells_apart(other: Event) -> None:
    first = _event("a-1", "a", "P1", 25, rules=("part-of:anchor=P1,side=W",))
    if other.type == "remote_violence":
        first = replace(first, type="remote_violence", actors=("regime forces",))
    assert len(merge_events([first, other])) == 1


@pytest.mark.parametrize(
    ("weapon_a", "weapon_b", "merged"),
    [
        # air strikes and shelling of one place and day: two happenings, whose tolls are not
        # each other's (merged, one report's toll would count in the other's document)
        ("air/drone strike", "shelling/artillery/missile attack", False),
        ("air/drone strike", "remote explosive/landmine/IED", False),
        # near misses: one weapon, or one report that names none
        ("air/drone strike", "air/drone strike", True),
        ("air/drone strike", "chemical weapon", True),
        ("shelling/artillery/missile attack", "", True),
    ],
)
def test_merge_keeps_strikes_with_other_weapons_apart(
    weapon_a: str, weapon_b: str, merged: bool
) -> None:
    a = replace(_event("a-1", "a", "P1", 25, "remote_violence", toll=45), sub_type=weapon_a)
    b = replace(_event("b-1", "b", "P1", 25, "remote_violence"), sub_type=weapon_b)
    assert (len(merge_events([a, b])) == 1) is merged


def test_merge_does_not_depend_on_input_order() -> None:
    events = [
        _event(f"{d}-{i}", d, f"P{i % 3}", 20 + i % 4, ["battle", "strategic"][i % 2])
        for i in range(12)
        for d in "abc"
    ]
    first = merge_events(events)
    for seed in range(5):
        shuffled = events[:]
        random.Random(seed).shuffle(shuffled)
        assert merge_events(shuffled) == first


def test_sentences_reporting_one_happening_make_one_event(gaz: Gazetteer) -> None:
    text = (
        "Helicopters dropped barrel bombs on Daraa on Saturday, killing eight people. "
        '"The bombing of Daraa went on for hours," an activist said.'
    )
    events = process_document(Document("t", text, date(2015, 4, 26)), gaz).events
    assert [(e.place.name, e.type, len(e.sources), e.fatalities) for e in events] == [
        ("Dar'a", "remote_violence", 2, 8)
    ]


def test_where_shells_came_from_is_not_where_they_fell(gaz: Gazetteer) -> None:
    text = (
        "In Damascus, mortar rounds fired by rebels from the Jobar district landed near the "
        "Umayyad Mosque, wounding three people."
    )
    events = process_document(Document("t", text, date(2015, 4, 26)), gaz).events
    assert [e.place.name for e in events] == ["Umayyad Mosque"]


def test_since_then_runs_from_the_last_date_given(gaz: Gazetteer) -> None:
    text = (
        "Russia intervened in September 2015. Since then, government forces have retaken Palmyra."
    )
    (event,) = process_document(Document("t", text, date(2016, 10, 3)), gaz).events
    assert (event.date_start, event.date_end) == (date(2015, 9, 1), date(2016, 10, 3))


def test_a_neighbourhood_of_a_city_named_earlier_is_not_ambiguous(gaz: Gazetteer) -> None:
    text = (
        "Aleppo was once Syria's largest city. Government forces encircled districts around "
        "Damascus. On Sunday, air strikes on the Bustan al-Qasr district killed six people."
    )
    events = process_document(Document("t", text, date(2016, 10, 3)), gaz).events
    assert any(e.place.id == "N0204" and e.fatalities == 6 for e in events)


def test_a_town_rather_than_the_district_named_after_it(gaz: Gazetteer) -> None:
    text = (
        "Turkish troops pushed into Afrin on Sunday, the Turkish army said. Air strikes hit "
        "Raqqa and Raqqa again overnight."
    )
    events = process_document(Document("t", text, date(2018, 1, 21)), gaz).events
    afrin = next(e for e in events if "Afrin" in e.place.name)
    assert afrin.place.kind == "town"
    assert "regime forces" not in afrin.actors and "Turkey" in afrin.actors


def test_an_event_carries_the_rules_that_made_it_and_a_merge_says_so(gaz: Gazetteer) -> None:
    a = Document("ra", "Warplanes bombed the town of Saraqeb on Monday.", date(2016, 3, 8))
    b = Document(
        "rb", "Saraqeb was hit by air strikes on Monday, residents said.", date(2016, 3, 8)
    )
    events = [e for d in (a, b) for e in process_document(d, gaz).events]
    assert events
    for e in events:
        assert e.rules[0].startswith("trigger:id=") and e.rules[0] != "trigger:id="
        assert "place:status=resolved" in e.rules
    merged = merge_events(events)
    assert len(merged) == 1 and "merge:reports=2" in merged[0].rules
    calm = Document("rc", "Saraqeb was calm on Monday.", date(2016, 3, 8))
    assert process_document(calm, gaz).events == ()  # a near miss: no trigger, no event


@pytest.mark.parametrize(
    ("text", "tolls"),
    [
        # the toll told again over the place it was given and another: no dead of its own
        (
            "Air strikes killed 22 civilians in Saraqeb on Sunday. "
            "Air strikes on Saraqeb and Binnish killed 22 civilians on Sunday.",
            [("Bennsh", None, None), ("Saraqab", 22, None)],
        ),
        # near miss: told again at finer places inside the first, the toll is split there
        (
            "Two civilians were killed in rocket attacks on Aleppo city on Sunday. "
            "Rockets fired on the Ashrafiyeh and Midan neighbourhoods killed two civilians.",
            [("Ashrafiyeh", 1, 2), ("Midan", 1, 2)],
        ),
    ],
)
def test_a_toll_told_again_is_counted_once(
    gaz: Gazetteer, text: str, tolls: list[tuple[str, int | None, int | None]]
) -> None:
    events = process_document(Document("t", text, date(2015, 9, 20)), gaz).events
    assert sorted((e.place.name, e.fatalities, e.fatalities_total) for e in events) == tolls


def test_a_toll_given_on_a_neighbourhood_goes_to_the_first_one_named_after(gaz: Gazetteer) -> None:
    # "a neighbourhood" is one place: of the two the next sentence names, the first was hit
    text = (
        "At least seven people died in rebel shelling of a neighbourhood of Aleppo on Saturday. "
        "More than 40 people were also wounded in the shelling of the Ashrafiyeh area a district "
        "next to the Midan neighbourhood."
    )
    events = process_document(Document("t", text, date(2016, 6, 18)), gaz).events
    assert sorted((e.place.name, e.fatalities) for e in events) == [
        ("Ashrafiyeh", 7),
        ("Midan", None),
    ]


@pytest.mark.parametrize(
    ("second", "toll"),
    [
        # another source, a smaller count of the same dead: the most conservative count
        (
            "A local media centre said the hospital was hit in the raid and that at least six "
            "people had been killed.",
            6,
        ),
        # near misses: a breakdown of the dead; a count too far off to be the same dead; a
        # sentence that reports nothing
        ("The Observatory said six children were among those killed in the raid.", 10),
        ("Medics reported that two farmers died in the raid.", 10),
        ("Six people were killed in the raid.", 10),
    ],
)
def test_the_most_conservative_count_of_a_named_source(
    gaz: Gazetteer, second: str, toll: int
) -> None:
    text = (
        "Air strikes near a hospital in Saraqeb killed at least 10 civilians on Sunday the "
        "Observatory said. " + second
    )
    events = process_document(Document("t", text, date(2016, 8, 7)), gaz).events
    assert [(e.place.name, e.fatalities) for e in events] == [("Saraqab", toll)]


@pytest.mark.parametrize(
    ("article", "tolls"),
    [
        # "at an airbase in X province": the toll goes to the airbase a later sentence names
        ("an airbase", [("Tiyas air base", 40)]),
        # near miss: "the airbase" is no place still to be named
        ("the airbase", [("Homs", 40), ("Tiyas air base", None)]),
    ],
)
def test_a_toll_at_an_unnamed_base_goes_to_the_base_named_after(
    gaz: Gazetteer, article: str, tolls: list[tuple[str, int | None]]
) -> None:
    text = (
        f"Militants executed 40 soldiers taken hostage at {article} in Homs province on Sunday. "
        "The soldiers were executed by the militants at Tiyas airbase on Sunday."
    )
    events = process_document(Document("t", text, date(2014, 8, 28)), gaz).events
    assert sorted((e.place.name, e.fatalities) for e in events) == tolls


@pytest.mark.parametrize(
    ("between", "toll"),
    [
        # a sentence between that places nothing: the toll still goes to the happening before
        ("Activists called for calm.", 38),
        # near miss: too far back (four sentences)
        ("Activists called for calm. Talks were held. Hope was low.", None),
    ],
)
def test_a_toll_with_no_place_reaches_back_over_a_sentence_that_placed_nothing(
    gaz: Gazetteer, between: str, toll: int | None
) -> None:
    text = (
        f"Government troops clashed with insurgents in Saraqeb on Sunday. {between} In 24 hours "
        "of fighting at least 38 fighters were killed the Observatory said."
    )
    events = process_document(Document("t", text, date(2015, 9, 20)), gaz).events
    assert [(e.place.name, e.fatalities) for e in events] == [("Saraqab", toll)]
