"""Death tolls in sentences: digits, words, sums, vague quantities, the wounded left out."""

from __future__ import annotations

import pytest

from geomap.extraction.events.tolls import fatalities, find_tolls, parse_number

CASES = [
    ("a rocket which killed a girl and wounded four others", 1),
    ("14 civilians and five soldiers killed in clashes", 19),
    ("at least 17 fighters and 8 troops died in the battle", 25),
    ("96 people died, including 50 civilians, 30 soldiers and 16 militants", 96),
    ("killing at least 13 people among them three women", 13),
    ("over 300 residents have died and over 900 were hurt", 300),
    ("three men were killed at dawn, including one hit by a sniper", 3),
    # a vague quantity states no toll (the dev gold codes none: "dozens", "scores", "many")
    ("dozens of villagers were killed", None),
    ("hundreds of civilians died", None),
    ("killing scores of fighters", None),
    ("many people were killed in the raid", None),
    # a period's toll is no event's
    ("more than 300 people were killed there in the last month", None),
    ("300 people were killed there last Monday", 300),
    ("the death toll rose to 35", 35),
    ("killing twenty-two soldiers", 22),
    ("Government troops executed six men", 6),
    ("Four students were killed", 4),
    ("killed 2 policemen", 2),
    ("a man and a woman were killed", 2),
    ("an air strike killed 1,200 people, the ministry said", 1200),
    ("killing a dozen fighters", 12),
    ("three children were among the dead", 3),
    ("Five children and four medical staff killed by airstrikes on a clinic", 9),
    ("two medics were killed when the ambulance was hit", 2),
    # the hurt after "left"/"killing" are no dead, wherever the count stands in the sentence
    ("medics said the clashes left three people wounded", 0),
    ("the shelling killed two civilians and left three people wounded", 2),
    ("the shelling left three people dead", 3),
    # a relative clause on the victims
    (
        "a total of 70 militants who were later identified as nationals of several foreign "
        "states were eliminated in the area",
        70,
    ),
    ("12 gunmen who had stormed the village at dawn before the army arrived were killed", 12),
    (
        "at least 86 members of the government forces and their allies who include members of "
        "several foreign militias were killed in fighting",
        86,
    ),
    # near miss: the count of a clause before the relative one
    (
        "he said 40 people fled the town before the army arrived at dawn on Monday and those "
        "who stayed were killed",
        None,
    ),
    # a side's claim of the dead it made is no toll; a claim of the attack is no such claim
    ("its news agency claimed its fighters killed 30 soldiers in the attack", None),
    ("the Nusra-affiliated agency claimed Nusra fighters killed 30 soldiers", None),
    ("the group claimed to have killed 12 soldiers", None),
    # an accusation is a report of the dead
    ("the opposition claimed that Russian jets hit an outpost killing 12 fighters", 12),
    # commas stripped: the dead of "killed", the hurt after them
    ("a suicide bomber killed 30 people injured 90 on Monday", 30),
    ("the group claimed responsibility for the bombing, which killed 12 people", 12),
    ("the blast claimed the lives of four workers", 4),
    ("a claim was made, and 12 people were killed in the blast", 12),
    # the wounded counted and no dead named: a toll of 0 (the report says who was hurt)
    ("seven people were wounded", 0),
    ("a mortar round fell on the bakery, injuring two workers", 0),
    ("another one was hurt in the blast near the stadium", 0),
    ("the shells left six wounded in the old souk", 0),
    ("nine villagers, among them a boy, were injured by the rocket", 0),
    # near misses: a death named or implied, or no count of the hurt
    ("three people died and seven people were wounded", 3),
    ("seven people were wounded, some of them fatally", None),
    ("casualties were reported among the wounded", None),
    ("the wounded were taken to the hospital in Jableh", None),
    ("the wounded man spoke to reporters", None),
    ("the bombardment caused no human casualties", 0),
    # a count with no victim noun where the clause ends; a share of the dead; a long toll phrase
    ("a shell hit the bus depot, killing 9.", 9),
    ("the raid killed 11 and wounded 30 in the old quarter", 11),
    ("at least six of the dead were hit near the bakery in Jisr", 6),
    ("the death toll from Monday's mortar fire on the eastern suburbs was put at 13", 13),
    # near misses: a vague word, a count that names something else, no dead
    ("killing some of the sheep", None),
    ("many of the dead were buried in Tal Hamis", None),
    ("the strike killed 9 goats", None),
    ("the toll road at 5 junctions was closed", None),
    ("three rebels were arrested", None),
    ("19 civilians fled", None),
    ("no one was killed", 0),  # a report that nobody died: a toll of 0, not unknown
    ("the attack killed at least 40 Islamic State fighters", 40),
    ("leaving 7 people dead", 7),
    ("ten soldiers died in the ambush", 10),
    ("a car bomb killed 18 people and wounded 40", 18),
    ("thirty-one civilians were killed in air strikes", 31),
    ("fifty demonstrators were shot dead", 50),
    ("a boy was killed", 1),
    ("five members of one family were killed", 5),
    # one more dead, and one victim named in the singular
    ("another young conscript was shot dead near the checkpoint", 1),
    ("a further gunman was killed at the roadblock", 1),
    ("an insurgent died of his wounds", 1),
    # near misses: "another" with no victim, or another one hurt
    ("another mortar round fell near the mill", None),
    ("another farmer was wounded by the blast", 0),
    # the count of the dead, not the speaker before a reporting verb
    ("a militia commander told reporters that four guards were killed", 4),
    ("a farmer said seven villagers died in the raid", 7),
    # near miss: the speaker is the victim when no other count follows
    ("a militia commander was killed in the ambush", 1),
    # a list of victims whose commas were stripped
    ("a shepherd a teacher and two boys were killed by the mine", 4),
    # near miss: one of the dead told before is no count of its own beyond that share
    ("a nurse who was one of those killed worked at the clinic", 1),
    # a relative named by a possessive is one more victim
    ("a woman and her son were killed when the shell hit the house", 2),
    ("a farmer and his daughter died in the raid", 2),
    # near miss: the relative is hurt, not dead; or only hurt
    ("a boy was killed and his father wounded by the mine", 1),
    ("a woman and her husband were wounded in the blast", 0),
    # near miss: a victim noun that is the first half of a hyphenated word counts nobody
    ("a shell fell on a rebel-held district, killing three people", 3),
    ("the strikes hit a rebel-held village", None),
    # a noun of killing with its victims; a side's own dead
    ("the elimination of 12 gunmen was confirmed by the ministry", 12),
    ("the killing of five farmers angered the villagers", 5),
    ("the brigade has lost 29 fighters in the battle", 29),
    ("one hundred conscripts were killed", 100),
    # near misses: a thing lost, "a number of" or "a total of" (no count of one)
    ("the brigade lost two tanks", None),
    ("the regime lost its grip on the town", None),
    ("killing a number of militants", None),
    ("a total of 40 insurgents were killed", 40),
    # the dead named after the verb, "along with" those before
    ("12 soldiers died in the ambush on the road along with four militiamen", 16),
    # near misses: a vague count or no count after "along with"
    ("12 soldiers died in the ambush along with dozens of militiamen", 12),
    ("12 soldiers died in the ambush along with their commander", 12),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_tolls(sentence: str, expected: int | None) -> None:
    assert fatalities(sentence) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,700", 1700),
        ("22", 22),
        ("twenty-two", 22),
        ("ninety nine", 99),
        ("a", 1),
        ("a dozen", 12),
        ("two dozen", 24),
        ("dozens", 12),
        ("hundreds", 100),
        ("eleven", 11),
        ("one hundred", 100),
        ("two hundred", 200),
    ],
)
def test_numbers(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("sentence", "among"),
    [
        ("six children were among those killed in the raids on the town", True),
        ("three women were among the dead", True),
        ("six children were killed among other people in the town", False),
    ],
)
def test_among_the_dead(sentence: str, among: bool) -> None:
    (toll,) = find_tolls(sentence)
    assert toll.among is among


def test_also_wounded_adds_to_an_earlier_toll() -> None:
    # "also" ties the hurt to a toll the text gave before: no toll of 0 of its own
    assert fatalities("Eleven more villagers were also injured in the raid on Tel Kazal") is None
    assert fatalities("Eleven more villagers were injured in the raid on Tel Kazal") == 0
