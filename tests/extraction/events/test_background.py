"""Happenings versus background, origins, and tolls that add up: invented sentences, each
construction with a near miss that must still give an event."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.extraction.events.extract import actors_in, split_evenly
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document

PUB = date(2016, 3, 10)


def _events(gaz: Gazetteer, text: str) -> list[tuple[str, int | None, int | None]]:
    events = process_document(Document("t", text, PUB), gaz).events
    return sorted((e.place.name, e.fatalities, e.fatalities_total) for e in events)


@pytest.mark.parametrize(
    ("text", "happening"),
    [
        ("Saraqeb is regularly targeted by air strikes.", False),
        ("Rebels have been advancing near Saraqeb in recent months.", False),
        ("The town of Saraqeb has been besieged since 2013.", False),
        ("The militants used Saraqeb to launch attacks on the highway.", False),
        ("Thousands of families fled Saraqeb fleeing heavy fighting.", False),
        ("Last year the army recaptured Saraqeb.", False),
        ("In 2014 the militants took control of Saraqeb.", False),
        # near misses: the same places and words, but a happening of the news day
        ("Air strikes targeted Saraqeb on Tuesday.", True),
        ("Rebels advanced near Saraqeb on Wednesday.", True),
        ("The army recaptured Saraqeb on Monday after heavy fighting.", True),
        ("Rebels managed to capture Saraqeb on Monday.", True),
    ],
)
def test_background_is_no_event(gaz: Gazetteer, text: str, happening: bool) -> None:
    assert bool(_events(gaz, text)) is happening, _events(gaz, text)


def test_a_toll_shared_by_places_is_split_not_copied(gaz: Gazetteer) -> None:
    got = _events(gaz, "Shelling on Kafr Nabl and Maarat al-Numan killed nine people on Tuesday.")
    assert [(toll, total) for _, toll, total in got] in ([(5, 9), (4, 9)], [(4, 9), (5, 9)])
    assert sum(toll or 0 for _, toll, _ in got) == 9


def test_each_place_keeps_the_count_stated_before_it(gaz: Gazetteer) -> None:
    got = _events(
        gaz, "Air strikes on Tuesday killed 30 civilians in Saraqeb and 12 in Jisr al-Shughur."
    )
    assert sorted(toll for _, toll, _ in got) == [12, 30]
    assert all(total is None for _, _, total in got)


def test_a_place_that_locates_another_takes_no_share(gaz: Gazetteer) -> None:
    got = _events(gaz, "Clashes in Tal Rifaat in Aleppo countryside killed 20 fighters on Monday.")
    assert [(toll, total) for _, toll, total in got] == [(20, None)]


def test_where_the_attackers_were_is_no_event_place(gaz: Gazetteer) -> None:
    got = _events(
        gaz,
        "Gunmen positioned in the Bustan al-Qasr district fired rockets at the Midan "
        "neighbourhood on Monday, killing two civilians.",
    )
    assert len(got) == 1 and got[0][1] == 2, got


def test_a_date_is_no_toll(gaz: Gazetteer) -> None:
    got = _events(gaz, "SAFITA March 9 2016 Three people were killed in shelling on Safita.")
    assert [toll for _, toll, _ in got] == [3]


@pytest.mark.parametrize(
    ("total", "n", "shares"),
    [(1, 2, [1, 0]), (44, 3, [15, 15, 14]), (9, 2, [5, 4]), (0, 3, [0, 0, 0])],
)
def test_split_evenly(total: int, n: int, shares: list[int]) -> None:
    assert split_evenly(total, n) == shares
    assert sum(split_evenly(total, n)) == total


def test_a_title_repeated_at_the_top_of_the_body_is_no_second_event(gaz: Gazetteer) -> None:
    text = (
        "Shells kill four in Hama market\n\nShells kill four in Hama market Saturday 12 March "
        "2016 Shells fired by militants hit a market in Salamiyah on Friday killing four people."
    )
    events = process_document(Document("t", text, date(2016, 3, 12)), gaz).events
    assert [(e.place.name, e.fatalities, e.date_start) for e in events] == [
        ("As-Salamiyeh", 4, date(2016, 3, 11))
    ]


@pytest.mark.parametrize(
    ("text", "type_"),
    [
        ("Five civilians were killed in Saraqeb on Monday.", "violence_against_civilians"),
        ("Five soldiers were killed in Saraqeb on Monday.", "battle"),
        ("Five civilians and two rebels were killed in Saraqeb on Monday.", "battle"),
    ],
)
def test_deaths_with_no_happening_named(gaz: Gazetteer, text: str, type_: str) -> None:
    (event,) = process_document(Document("t", text, PUB), gaz).events
    assert event.type == type_


@pytest.mark.parametrize(
    ("text", "happening"),
    [
        ("Rescuers searched Saraqeb for survivors following the raid.", False),
        ("Loyalist troops have been unable to capture Saraqeb.", False),
        ("Barrel bombs are typically dropped on Saraqeb from helicopters.", False),
        ("The group carried out executions in Saraqeb during the war.", False),
        # near misses
        ("Troops captured Saraqeb on Monday.", True),
        ("Helicopters dropped barrel bombs on Saraqeb on Monday.", True),
    ],
)
def test_references_failures_and_generic_statements(
    gaz: Gazetteer, text: str, happening: bool
) -> None:
    assert bool(_events(gaz, text)) is happening, _events(gaz, text)


def test_the_link_list_after_an_article_makes_no_event(gaz: Gazetteer) -> None:
    text = (
        "Shelling hit Saraqeb on Monday killing three civilians. Source AFP Related News "
        "Car bomb kills nine in Jisr al-Shughur Strikes hit Maarat al-Numan"
    )
    assert [name for name, _, _ in _events(gaz, text)] == ["Saraqab"]


def test_the_attack_named_again_keeps_its_type(gaz: Gazetteer) -> None:
    text = (
        "A car bomb exploded near a market in the north on Monday killing nine people. "
        "The attack on the market in Azaz was claimed by the militants."
    )
    events = process_document(Document("t", text, PUB), gaz).events
    assert [(e.place.name, e.type) for e in events] == [("Azaz", "remote_violence")]


def test_a_toll_given_before_the_place_goes_to_the_happening_placed_next(gaz: Gazetteer) -> None:
    text = (
        "Eleven civilians were killed on Monday in air strikes on a town north of the city. "
        "The raids targeted a market and a school in Saraqeb, activists said."
    )
    assert [(toll, total) for _, toll, total in _events(gaz, text)] == [(11, None)]


def test_a_toll_is_not_carried_to_another_kind_of_happening(gaz: Gazetteer) -> None:
    text = (
        "Eleven civilians were killed on Monday in air strikes on a town north of the city. "
        "Rebels and troops clashed in Saraqeb on Monday."
    )
    assert [toll for _, toll, _ in _events(gaz, text)] == [None]


def test_an_agent_named_before_carries_over_to_a_sentence_without_one(gaz: Gazetteer) -> None:
    text = (
        "Government warplanes pounded rebel positions on Monday, activists said. "
        "The air strikes hit Saraqeb and killed four people."
    )
    events = process_document(Document("t", text, PUB), gaz).events
    assert [(e.place.name, e.actors) for e in events] == [("Saraqab", ("regime forces",))]


def test_a_sentence_with_its_own_agent_keeps_it(gaz: Gazetteer) -> None:
    text = (
        "Government warplanes pounded rebel positions on Monday, activists said. "
        "Rebel fighters shelled Saraqeb killing four people."
    )
    events = process_document(Document("t", text, PUB), gaz).events
    assert [e.actors for e in events] == [("rebels",)]


def test_a_new_paragraph_does_not_inherit_the_agents(gaz: Gazetteer) -> None:
    text = (
        "Government warplanes pounded rebel positions on Monday, activists said.\n\n"
        "Air strikes hit Saraqeb and killed four people."
    )
    events = process_document(Document("t", text, PUB), gaz).events
    assert [e.actors for e in events] == [()]


@pytest.mark.parametrize(
    ("text", "happening"),
    [
        ("Rights groups said the shelling of Saraqeb must stop.", False),
        ("The envoy said the attacks on Saraqeb have to end.", False),
        ("Rebels attacked Saraqeb on Monday and the army must now respond.", True),
        ("Helicopters continued to hit Saraqeb on Monday.", True),
    ],
)
def test_demands_are_no_happening(gaz: Gazetteer, text: str, happening: bool) -> None:
    assert bool(_events(gaz, text)) is happening, _events(gaz, text)


def test_a_toll_given_after_the_place_goes_to_the_happening_placed_before(gaz: Gazetteer) -> None:
    # "The raids killed ..." with no place of its own: the toll of the raids just placed, not a
    # second event at the province the town lies in
    text = (
        "Jets bombed the town of Saraqeb in Idlib province on Monday, activists said. "
        "The raids killed at least 14 people including three women, a medic said."
    )
    assert _events(gaz, text) == [("Saraqab", 14, None)]


def test_a_toll_given_after_two_places_is_split_over_them(gaz: Gazetteer) -> None:
    text = (
        "Helicopters dropped barrel bombs on Kafr Nabl and Maarat al-Numan on Monday. "
        "The bombs killed nine civilians, rescuers said."
    )
    got = _events(gaz, text)
    assert sorted(toll or 0 for _, toll, _ in got) == [4, 5]
    assert {total for _, _, total in got} == {9}


def test_a_toll_after_is_not_given_to_another_kind_of_happening(gaz: Gazetteer) -> None:
    # near miss: the sentence after names an explosion, the one before a battle: two happenings
    text = (
        "Rebels and troops clashed in Saraqeb in Idlib province on Monday. "
        "A car bomb killed at least 14 people, a medic said."
    )
    got = _events(gaz, text)
    assert ("Saraqab", None, None) in got and any(toll == 14 for _, toll, _ in got), got


def test_a_lede_toll_told_again_at_a_finer_place_is_counted_once(gaz: Gazetteer) -> None:
    # the lede gives the province and 16 dead; a later sentence the town inside it and the same
    # 16: one happening, told twice
    text = (
        "Air raids killed 16 people in Idlib province on Tuesday, a monitor said.\n"
        "The toll in the air strikes on the town of Saraqeb rose to 16, the monitor added."
    )
    got = _events(gaz, text)
    assert sum(toll or 0 for _, toll, _ in got) == 16, got
    assert [name for name, _, _ in got] == ["Saraqab"]


def test_a_different_toll_at_a_finer_place_is_another_happening(gaz: Gazetteer) -> None:
    # near miss: the town's toll differs from the province's, so neither is folded
    text = (
        "Air raids killed 16 people in Idlib province on Tuesday, a monitor said.\n"
        "Shelling on the town of Saraqeb killed five people on Tuesday, the monitor added."
    )
    got = _events(gaz, text)
    assert sorted(toll or 0 for _, toll, _ in got) == [5, 16], got


def test_other_dead_at_the_same_place_are_another_happening(gaz: Gazetteer) -> None:
    # "six other civilians": dead besides the 30 of the lede, so a second event with its own toll
    text = (
        "Air strikes on Hama killed 30 civilians on Tuesday, a monitor said.\n"
        "Six other civilians were killed in rocket fire on Hama on Tuesday, it added."
    )
    assert sorted(toll or 0 for _, toll, _ in _events(gaz, text)) == [6, 30]


def test_a_later_toll_at_the_same_place_without_other_is_the_same_happening(
    gaz: Gazetteer,
) -> None:
    # near miss: no "other", the same kind of happening: one event, the larger toll
    text = (
        "Air strikes on Hama killed 30 civilians on Tuesday, a monitor said.\n"
        "The air strikes on Hama also destroyed a school on Tuesday, residents said."
    )
    assert [toll for _, toll, _ in _events(gaz, text)] == [30]


def test_each_clause_keeps_the_toll_stated_after_its_place(gaz: Gazetteer) -> None:
    text = (
        "On Monday jets struck Kafr Nabl killing 11 civilians while shells on Saraqeb killed "
        "another three people."
    )
    assert _events(gaz, text) == [("Kafr Nobol", 11, None), ("Saraqab", 3, None)]


def test_a_toll_in_a_sentence_of_its_own_goes_to_the_happening_before(gaz: Gazetteer) -> None:
    # the toll comes in the next sentence, which names a source but no place
    text = "Rockets hit the centre of Latakia on Friday. Medics said five people were killed."
    assert [toll for _, toll, _ in _events(gaz, text)] == [5]


def test_a_war_toll_after_a_happening_is_not_its_toll(gaz: Gazetteer) -> None:
    # near miss: the next sentence gives the toll of the whole war
    text = (
        "Rockets hit the centre of Latakia on Friday. "
        "Some 40 medics have been killed since the conflict began in 2011."
    )
    assert [toll for _, toll, _ in _events(gaz, text)] == [None]


def test_a_toll_given_for_a_village_goes_to_the_village_named_next(gaz: Gazetteer) -> None:
    # the lede names only the province; the next sentence names the village that was hit
    text = (
        "At least nine civilians were killed on Monday in regime air raids on a rebel-held "
        "village in Idlib province, a monitor said. Helicopters dropped barrel bombs on the "
        "village of Kafr Nabl, the monitor added."
    )
    assert _events(gaz, text) == [("Kafr Nobol", 9, None)]


def test_a_toll_for_the_province_itself_stays_there(gaz: Gazetteer) -> None:
    # near miss: no "a village": the province's toll is not the village's
    text = (
        "At least nine civilians were killed on Monday in regime air raids across Idlib "
        "province, a monitor said. Helicopters dropped barrel bombs on the village of Kafr "
        "Nabl, the monitor added."
    )
    got = _events(gaz, text)
    assert ("Kafr Nobol", None, None) in got and any(t == 9 for _, t, _ in got), got


def test_two_weapons_and_two_counts_at_one_place_are_two_happenings(gaz: Gazetteer) -> None:
    text = (
        "At least eight people died in rebel shelling of Hama on Tuesday, a monitor said. "
        "Two people died in barrel bombs dropped from helicopters on Hama on Tuesday."
    )
    assert sorted(toll or 0 for _, toll, _ in _events(gaz, text)) == [2, 8]


def test_one_weapon_told_twice_at_one_place_is_one_happening(gaz: Gazetteer) -> None:
    # near miss: the same weapon, the toll restated: one event, one toll
    text = (
        "At least eight people died in rebel shelling of Hama on Tuesday, a monitor said. "
        "The shelling of Hama on Tuesday killed eight people, medics said."
    )
    assert [toll for _, toll, _ in _events(gaz, text)] == [8]


def test_a_part_of_a_toll_at_a_finer_place_is_taken_out_of_it(gaz: Gazetteer) -> None:
    # 12 in Homs, "seven of the dead" in a neighbourhood of Homs: 7 there, 5 left for the city
    text = (
        "Government air strikes on Homs killed at least 12 civilians on Tuesday, a monitor said. "
        "At least seven of the dead were killed in strikes on the Waer district, it added."
    )
    got = _events(gaz, text)
    assert sum(toll or 0 for _, toll, _ in got) == 12, got
    assert sorted(toll or 0 for _, toll, _ in got) == [5, 7], got


def test_a_count_of_other_dead_at_a_finer_place_is_not_taken_out(gaz: Gazetteer) -> None:
    # near miss: "seven other people", not "seven of the dead": both counts stand
    text = (
        "Government air strikes on Homs killed at least 12 civilians on Tuesday, a monitor said. "
        "Seven other people were killed in strikes on the Waer district, it added."
    )
    assert sorted(toll or 0 for _, toll, _ in _events(gaz, text)) == [7, 12]


@pytest.mark.parametrize(
    ("sentence", "actors"),
    [
        ("Air strikes by the Syrian military hit a bakery in the town.", ("regime forces",)),
        (
            "Syrian and Russian jets pounded the hills north of the town.",
            ("regime forces", "Russian air force"),
        ),
        # the masked holder ("on rebel-held") does not make the strikes a target of the quarter
        ("Government air strikes on rebel-held quarters killed nine.", ("regime forces",)),
        ("Government shelling hit the old souk.", ("regime forces",)),
        # near misses: the government speaking, a place the government holds
        ("The Syrian government said the talks would resume in Geneva.", ()),
        ("Rebels shelled government-held districts of the city.", ("rebels",)),
    ],
)
def test_the_side_that_struck(sentence: str, actors: tuple[str, ...]) -> None:
    assert actors_in(sentence) == actors


def test_deaths_in_a_happening_placed_nowhere_make_no_event_at_a_carried_place(
    gaz: Gazetteer,
) -> None:
    # "in the raids" refers back to a happening the article placed nowhere: the city named in
    # the sentence before is not where it happened
    text = (
        "In Hama, a military source described the hamlets east of the city. "
        "Eleven gunmen were killed in the raids, the source added."
    )
    assert _events(gaz, text) == []


def test_deaths_in_a_happening_of_their_own_keep_the_carried_place(gaz: Gazetteer) -> None:
    # near miss: no reference back, a happening of its own in the city named before
    text = (
        "In Hama, a military source described the hamlets east of the city. "
        "Gunmen stormed a checkpoint, killing eleven people, the source added."
    )
    assert _events(gaz, text) == [("Hama", 11, None)]


@pytest.mark.parametrize(
    ("text", "tolls"),
    [
        # a province's toll, then the dead at towns inside it: the province keeps the rest
        (
            "At least 30 people were killed in air strikes across Idlib province on Tuesday, a "
            "monitor said. Air strikes on Saraqeb killed 12 civilians on Tuesday. Air strikes "
            "on Kafr Nabl killed eight people on Tuesday.",
            [8, 10, 12],
        ),
        (
            "Shelling killed 20 people in Homs on Monday. Eleven civilians died in the shelling "
            "of the Waer district on Monday.",
            [9, 11],
        ),
        # near misses: the finer dead on another day, by another weapon; more finer dead than
        # the broad toll
        (
            "At least 30 people were killed in air strikes across Idlib province on Tuesday, a "
            "monitor said. Shelling of Kafr Nabl killed eight people on Tuesday.",
            [8, 30],
        ),
        (
            "At least 30 people were killed in air strikes across Idlib province on Tuesday, a "
            "monitor said. Shelling of Kafr Nabl killed eight people on Sunday.",
            [8, 30],
        ),
        (
            "Five people were killed in air strikes across Idlib province on Tuesday. Air "
            "strikes on Saraqeb killed 12 civilians on Tuesday.",
            [5, 12],
        ),
    ],
)
def test_a_broad_toll_keeps_the_dead_no_finer_place_accounts_for(
    gaz: Gazetteer, text: str, tolls: list[int]
) -> None:
    got = _events(gaz, text)
    assert sorted(t for _, t, _ in got if t) == tolls, got


@pytest.mark.parametrize(
    ("text", "tolls"),
    [
        # a toll that names no happening sums the dead of every kind at the places inside
        (
            "At least 25 people were killed in Homs on Monday, activists said. Air strikes on "
            "the Waer district killed 10 civilians on Monday.",
            [10, 15],
        ),
        # near miss: fighting in a city and shelling of one of its quarters are two happenings
        (
            "Clashes between rebels and soldiers killed 25 people in Homs on Monday, activists "
            "said. Shelling of the Waer district killed one civilian on Monday.",
            [1, 25],
        ),
    ],
)
def test_only_a_toll_naming_no_happening_sums_other_kinds(
    gaz: Gazetteer, text: str, tolls: list[int]
) -> None:
    got = _events(gaz, text)
    assert sorted(t for _, t, _ in got if t) == tolls, got


@pytest.mark.parametrize(
    ("text", "tolls"),
    [
        # one of the dead counted before at the same place: no death of its own
        (
            "A car bomb killed nine people in Hama on Monday, a monitor said. The blast hit a "
            "wedding party, and a bride who was one of those killed in the blast in Hama was "
            "buried on Tuesday.",
            [9],
        ),
        # near miss: another place, so the share stands where it happened
        (
            "A car bomb killed nine people in Hama on Monday, a monitor said. Another militant "
            "was killed in Saraqeb on Monday.",
            [1, 9],
        ),
    ],
)
def test_one_of_the_dead_told_before_is_counted_once(
    gaz: Gazetteer, text: str, tolls: list[int]
) -> None:
    events = process_document(Document("t", text, PUB), gaz).events
    assert sorted(e.fatalities for e in events if e.fatalities) == tolls, events


@pytest.mark.parametrize(
    ("text", "happening"),
    [
        # a participle describing someone, not what they did that day
        ("Residents welcomed an alliance battling to take Saraqeb.", False),
        ("An alliance was battling near Saraqeb on Tuesday.", True),
        ("A reporter witnessed an alliance battling near Saraqeb on Tuesday.", True),
        # the complement of a failure
        ("Loyalists have been unable to encircle the hills by capturing Saraqeb.", False),
        ("Loyalists encircled the hills by capturing Saraqeb on Monday.", True),
        # a weapon held, not used
        ("The depot in Saraqeb holds tanks and artillery.", False),
        ("Artillery hit Saraqeb on Monday.", True),
        # an agreement named, not coming into force
        ("The truce in Saraqeb collapsed on Monday.", False),
        ("A truce took hold in Saraqeb on Monday.", True),
        # deaths and happenings over a stretch since something else happened
        ("Dozens have been killed in Saraqeb since the talks broke off.", False),
        ("Dozens were killed in Saraqeb on Monday after the talks broke off.", True),
        ("Shelling has continued in Saraqeb since then.", False),
        ("Shelling continued in Saraqeb on Monday.", True),
        # what was said in the past, a year of its own written "mid-2013"
        ("Rebels have said in the past that their attacks on Saraqeb were retaliation.", False),
        ("Rebels said on Monday that their attacks on Saraqeb were retaliation.", True),
        # a definition, a reaction, an ending, a happening reported again, a figure of speech
        ("In Saraqeb barrel bombs are the weapons residents fear most.", False),
        ("Barrel bombs were dropped on Saraqeb on Monday.", True),
        ("The increased fighting has raised fears for civilians in Saraqeb.", False),
        ("The increased fighting has killed ten civilians in Saraqeb.", True),
        ("The committee for the cessation of hostilities met in Saraqeb.", False),
        ("Observers saw hostilities resume in Saraqeb on Monday.", True),
        ("Two monitors both reported the attacks in Saraqeb.", False),
        ("Two monitors reported attacks in Saraqeb on Monday.", True),
        ("The militia is battling for survival near Saraqeb.", False),
        ("The militia is battling for the hills near Saraqeb.", True),
        # a happening to come, one not done instead of another, one told before
        ("Rebels in Saraqeb prepared for fresh assaults on the army.", False),
        ("Rebels launched fresh assaults on the army in Saraqeb on Monday.", True),
        ("The militia in Saraqeb talks with the army rather than fighting it.", False),
        ("The militia in Saraqeb was fighting the army on Monday.", True),
        ("The truce zone around Saraqeb held on Monday.", False),
        # a headline run into the body says nothing of its own
        ("Army Strikes Scores of Terrorists across Country The army met in Saraqeb.", False),
        ("Army strikes hit scores of positions The army met in Saraqeb on Monday.", True),
        # a reason given by a happening told elsewhere, an ending, an agreement's institution
        ("The raids on Saraqeb were in retaliation for the execution of a pilot.", True),
        ("Officials in Saraqeb spoke in retaliation for the execution of a pilot.", False),
        ("Envoys called for pauses in the fighting around Saraqeb.", False),
        ("Envoys reported heavy fighting around Saraqeb on Monday.", True),
        ("The ceasefire deal was signed in Saraqeb on Monday.", False),
        ("Militants seized Saraqeb in mid-2013.", False),
        ("Militants seized Saraqeb on Monday.", True),
    ],
)
def test_named_but_not_reported(gaz: Gazetteer, text: str, happening: bool) -> None:
    assert bool(_events(gaz, text)) is happening, _events(gaz, text)
