"""Which of a sentence's places an event is placed at: the anchor of a relative phrase
("20 km east of M") locates the place named before it and is not a place of its own."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document

# text, the event places expected (fragments of their names)
CASES = [
    (
        "Army helicopters dropped barrel bombs on the village of Tal Mardikh 10 km east of "
        "Saraqeb on Friday.",
        ["Mardikh"],
    ),
    ("Warplanes struck Kafranbel, 12 km west of Maarat al-Numan, killing five people.", ["Kafr"]),
    ("Rebels shelled the town of Mhardeh, about 20 km northwest of Hama, on Monday.", ["Muhra"]),
    # near misses: the anchor alone places the happening; a place of another clause stays
    ("Rebels clashed with troops north of Hama on Sunday.", ["Hama"]),
    (
        "Jets bombed Ariha and rebels clashed with troops north of Idlib on Sunday.",
        ["Ariha", "Idleb"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_anchor_of_a_relative_phrase(gaz: Gazetteer, text: str, expected: list[str]) -> None:
    events = process_document(Document("t", text, date(2014, 3, 5), outlet="test"), gaz).events
    names = sorted(e.place.name for e in events)
    assert len(names) == len(expected), names
    for fragment, name in zip(sorted(expected), names, strict=True):
        assert fragment.lower() in name.lower(), (fragment, name)


def _typed(gaz: Gazetteer, text: str) -> list[tuple[str, str]]:
    events = process_document(Document("t", text, date(2014, 3, 5), outlet="test"), gaz).events
    return sorted((e.type, e.place.name) for e in events)


# text, the (type, fragment of the place name) of every event
PLACED = [
    # "there" points back to the finest place named just before
    (
        "Shelling hit the town of Saraqeb on Sunday. Militants seized a checkpoint there on "
        "Monday.",
        [("battle", "Saraq"), ("remote_violence", "Saraq")],
    ),
    # near miss: the "there" of "there were" points nowhere
    (
        "Shelling hit the town of Saraqeb on Sunday. There were clashes in Binnish on Monday.",
        [("battle", "Bennsh"), ("remote_violence", "Saraq")],
    ),
    # a label run into the sentence is no place of its happening
    ("Idlib The air force hit positions in Saraqeb on Monday.", [("remote_violence", "Saraq")]),
    # near miss: no place after it, the place stays
    ("Jets hit Idlib The Observatory said.", [("remote_violence", "Idl")]),
    # the anchor of a relative phrase, whatever the other trigger of the sentence
    (
        "Jets hit the village of Tal Mardikh 10 km east of Saraqeb where fighters destroyed a "
        "depot on Friday.",
        [("remote_violence", "Mardikh")],
    ),
    # bare plural "raids" after air strikes: the strikes told again; "a raid": a new one
    (
        "Air strikes hit the town of Saraqeb on Monday. In Binnish raids killed nine civilians.",
        [("remote_violence", "Bennsh"), ("remote_violence", "Saraq")],
    ),
    (
        "Air strikes hit the town of Saraqeb on Monday. In Binnish a raid killed nine civilians.",
        [("remote_violence", "Saraq"), ("violence_against_civilians", "Bennsh")],
    ),
    # a region the sentence before was about is carried, as a city is
    (
        "Activists called for calm in Eastern Ghouta on Friday. Gunmen opened fire on the "
        "protesters, wounding five.",
        [("violence_against_civilians", "Eastern Ghouta")],
    ),
    # "an attack on a strategic hill in X province ... The attack took place in Y": at Y only
    (
        "Jihadists launched an attack on a strategic area in Hama province. The attack took place "
        "near Kafr Zeita.",
        [("battle", "Kafr Zeita")],
    ),
    (
        "Jihadists attacked army posts in Hama province. The attack took place near Kafr Zeita.",
        [("battle", "Hama"), ("battle", "Kafr Zeita")],
    ),
    # "the attacks" two sentences after the missiles were named: those missiles
    (
        "Militants fired missiles at Kurdish forces last month. The monitors reported it. "
        "The attacks targeted the town of Saraqeb on Monday.",
        [("remote_violence", "Saraq")],
    ),
    # near miss: "groups that attacked" is no reference back
    (
        "Jets struck Binnish on Monday. Troops clashed with groups that attacked posts in "
        "Saraqeb on Monday.",
        [("battle", "Saraq"), ("remote_violence", "Bennsh")],
    ),
    # taking a place (the parse shows the place as the object, or the passive subject)
    ("Rebels took Saraqeb on Monday.", [("battle", "Saraq")]),
    ("The village of Binnish was taken on Monday.", [("battle", "Bennsh")]),
    ("Talks took place in Saraqeb on Monday.", []),
    ("Militants took 200 civilians from Saraqeb on Monday.", []),
    # a participle with a time of its own describes the place, it is no happening of the news
    (
        "Jets hit the district of Saraqeb seized by rebels earlier this month.",
        [("remote_violence", "Saraq")],
    ),
    ("Rebels seized Saraqeb earlier this month.", [("battle", "Saraq")]),
    # a happening named with a generic word, then told exactly: one event, of the exact type
    (
        "Militants destroyed a position in Saraqeb on Monday. The position was hit in air "
        "strikes on Monday.",
        [("remote_violence", "Saraq")],
    ),
    (
        "Militants destroyed a position in Saraqeb on Monday. Air strikes hit Saraqeb on Monday.",
        [("battle", "Saraq"), ("remote_violence", "Saraq")],
    ),
    # "The bombings came as ...": the bombings told before, no event at the place of the news
    (
        "Air strikes hit Binnish on Monday. The bombings came as talks opened in Saraqeb.",
        [("remote_violence", "Bennsh")],
    ),
    # "X and positions south of Y": Y locates the positions, a place of the happening too
    (
        "Jets hit the town of Binnish and positions south of the town of Saraqeb on Monday.",
        [("remote_violence", "Bennsh"), ("remote_violence", "Saraq")],
    ),
    # "in the attack near X" when the article placed an attack at X before: told again
    (
        "Rebels attacked Saraqeb on May 2. Medics said two fighters died of wounds suffered in "
        "the attack near Saraqeb.",
        [("battle", "Saraq")],
    ),
    # the anchor of "three villages south of X", then named: the villages only
    (
        "Rebels captured two towns south of Idlib on Monday, Binnish and Sarmin.",
        [("battle", "Bennsh"), ("battle", "Sarmin")],
    ),
    # "X and Y in Z" (Y named nowhere): Z locates them; "X and areas of Z": Z is hit too
    ("Shelling hit Binnish and Qasrawi in Idlib on Monday.", [("remote_violence", "Bennsh")]),
    (
        "Shelling hit Binnish and areas of Idlib on Monday.",
        [("remote_violence", "Bennsh"), ("remote_violence", "Idl")],
    ),
    # a weapon naming a unit or a school is no use of it
    ("Rebels seized an artillery school in Saraqeb on Monday.", [("battle", "Saraq")]),
    ("Artillery shelled Saraqeb on Monday.", [("remote_violence", "Saraq")]),
]


@pytest.mark.parametrize(("text", "expected"), PLACED, ids=[c[0][:40] for c in PLACED])
def test_place_of_the_happening(gaz: Gazetteer, text: str, expected: list[tuple[str, str]]) -> None:
    got = _typed(gaz, text)
    assert len(got) == len(expected), got
    for (type_, fragment), (got_type, name) in zip(sorted(expected), got, strict=True):
        assert type_ == got_type and fragment.lower() in name.lower(), got


def test_a_happening_told_again_takes_its_doers_from_the_retelling(gaz: Gazetteer) -> None:
    text = (
        "A position was destroyed in Saraqeb on Monday. The position was hit in army "
        "airstrikes on Monday."
    )
    (event,) = process_document(Document("t", text, date(2014, 3, 5), outlet="test"), gaz).events
    assert event.type == "remote_violence" and "regime forces" in event.actors, event
