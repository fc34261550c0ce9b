"""Agents, patients and background read off the parse (geomap.extraction.events.syntax):
invented sentences, each construction with near misses that must not fire."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.extraction import nlp
from geomap.extraction.events import syntax
from geomap.extraction.events.extract import actors_in
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document


def _token(text: str, word: str) -> tuple[nlp.Analysis, int, tuple[int, int]]:
    analysis = nlp.analyse(text)
    start = text.index(word)
    i = syntax.head_token(analysis, start, start + len(word))
    assert i is not None
    return analysis, i, (start, start + len(word))


@pytest.mark.parametrize(
    ("text", "trigger", "rel", "actors"),
    [
        ("Insurgents shelled the outskirts of Tadmur overnight.", "shelled", "nsubj", ("rebels",)),
        (
            "The outskirts of Tadmur were shelled by Kurdish fighters.",
            "shelled",
            "by",
            ("Kurdish forces",),
        ),
        (
            "Russian air strikes pounded a bakery in Saraqeb.",
            "air strikes",
            "modifier",
            ("Russian air force",),
        ),
        (
            "The regime shelling of the farms wounded two farmers.",
            "shelling",
            "modifier",
            ("regime forces",),
        ),
        ("The shelling by Hezbollah hit the ridge.", "shelling", "by", ("Hezbollah",)),
        (
            "Militants stormed the depot and seized three tanks.",
            "seized",
            "shared-nsubj",
            ("rebels",),
        ),
        (
            "Government helicopters continued to bomb the valley.",
            "bomb",
            "shared-nsubj",
            ("regime forces",),
        ),
        (
            "Insurgents hit the convoy with rocket launchers.",
            "rocket launchers",
            "instrument-nsubj",
            ("rebels",),
        ),
        (
            "Coalition jets carried out strikes on the silo.",
            "strikes",
            "support-nsubj",
            ("US-led coalition",),
        ),
    ],
)
def test_agent_of_a_trigger(text: str, trigger: str, rel: str, actors: tuple[str, ...]) -> None:
    analysis, i, span = _token(text, trigger)
    found = syntax.agent(analysis, i, span)
    assert found is not None
    assert found.rule() == f"actor:rel={rel}"
    assert actors_in(text[found.start : found.end]) == actors


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        # a passive subject is what was hit, never who acted
        ("Four soldiers were shelled near the dam.", "shelled"),
        # a trigger noun's own words ("mortar" of "mortar rounds") name no agent
        ("Mortar rounds landed near the dam.", "Mortar rounds"),
        # a bare noun with only an adjective of manner: an agent with no armed group
        ("A car bomb exploded outside the bakery.", "exploded"),
    ],
)
def test_no_armed_agent(text: str, trigger: str) -> None:
    analysis, i, span = _token(text, trigger)
    found = syntax.agent(analysis, i, span)
    assert found is None or actors_in(text[found.start : found.end]) == ()


def test_patients_are_what_was_hit() -> None:
    text = "Insurgents attacked an army post near the dam."
    analysis, i, _ = _token(text, "attacked")
    spans = [text[a:b] for a, b in syntax.patients(analysis, i)]
    assert spans == ["an army post near the dam"]


PUB = date(2015, 9, 20)


def _actors(gaz: Gazetteer, text: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    events = process_document(Document("t", text, PUB), gaz).events
    return sorted(
        (e.place.name, e.actors, tuple(r for r in e.rules if r.startswith("actor:")))
        for e in events
    )


@pytest.mark.parametrize(
    ("text", "actors", "rule"),
    [
        # the target of the attack is no actor
        (
            "Insurgents attacked an army post in Saraqeb with mortars on Sunday.",
            ("rebels",),
            "actor:rel=instrument-nsubj",
        ),
        # the source is no actor
        (
            "The army said insurgents shelled Saraqeb on Sunday, killing three civilians.",
            ("rebels",),
            "actor:rel=nsubj",
        ),
        # the agent of a passive trigger
        (
            "Saraqeb was bombed by government warplanes on Sunday.",
            ("regime forces",),
            "actor:rel=by",
        ),
        # the victims of a killing verb are no actors of an air strike
        ("Ten insurgents were killed in air strikes on Saraqeb on Sunday.", (), ""),
        # a protest with no group named: its protesters
        (
            "Hundreds of residents protested in Saraqeb on Friday.",
            ("protesters",),
            "actor:rel=protest",
        ),
        # a battle names the side fought
        (
            "Kurdish fighters clashed with insurgents in Saraqeb on Sunday.",
            ("Kurdish forces", "rebels"),
            "actor:rel=opponent",
        ),
        # ... also through the object of "launched"
        (
            "The militants launched an assault against government troops in Saraqeb on Sunday.",
            ("rebels", "regime forces"),
            "actor:rel=opponent",
        ),
        # near miss: the object of an attack verb is what was hit, not a side it names
        (
            "The militants attacked government troops in Saraqeb on Sunday.",
            ("rebels",),
            "actor:rel=nsubj",
        ),
        # a clash keeps the side another targeted: both sides fought
        (
            "Fierce clashes raged in Saraqeb on Sunday as the army targeted gatherings of "
            "insurgents.",
            ("regime forces", "rebels"),
            "actor:rel=sentence",
        ),
        # near miss: a blow one side dealt ("destroyed", "killing") names its target no side
        (
            "Army units destroyed a bulldozer in Saraqeb on Sunday killing dozens of insurgents.",
            ("regime forces",),
            "actor:rel=nsubj",
        ),
        # the press's word for jihadists, beside a jihadist group, is that group
        ("Daesh terrorists shelled Saraqeb on Sunday.", ("Islamic State",), "actor:rel=nsubj"),
        (
            "In a fresh statement ISIL militants bombed a checkpoint in Saraqeb on Sunday.",
            ("Islamic State",),
            "actor:rel=nsubj",
        ),
        # a clause inside the place phrase is no part of what was hit
        (
            "Mortar shells fell on Saraqeb where Nusra Front gunmen opened fire on a bakery on "
            "Sunday.",
            ("Nusra Front",),
            "actor:rel=sentence",
        ),
        # ... nor a clause inside the object of the verb the trigger is the subject of
        (
            "Another shelling took place in Saraqeb where Nusra Front gunmen opened fire on a "
            "bakery on Sunday.",
            ("Nusra Front",),
            "actor:rel=sentence",
        ),
        (
            "A unit of the Syrian armed forces shelled Saraqeb on Sunday.",
            ("regime forces",),
            "actor:rel=nsubj",
        ),
        # the United States' aircraft; near miss: rebels it backs are rebels
        (
            "U.S. aircraft bombed a bridge in Saraqeb on Sunday.",
            ("US-led coalition",),
            "actor:rel=nsubj",
        ),
        ("US-backed insurgents shelled Saraqeb on Sunday.", ("rebels",), "actor:rel=nsubj"),
        # a group named as what was hit is no actor ("the headquarters of X")
        ("Jets bombed the headquarters of the Nusra Front in Saraqeb on Sunday.", (), ""),
        # a named group's coalition "of terrorist groups" is that group
        (
            "The Jaish al-Fatah coalition of terrorist groups shelled Saraqeb on Sunday.",
            ("Jaish al-Fatah",),
            "actor:rel=nsubj",
        ),
        # the source cited is no actor
        (
            "Insurgents shelled Saraqeb on Sunday, state media reported citing a source at the "
            "police command.",
            ("rebels",),
            "actor:rel=nsubj",
        ),
    ],
)
def test_event_actors_from_the_parse(
    gaz: Gazetteer, text: str, actors: tuple[str, ...], rule: str
) -> None:
    (found,) = _actors(gaz, text)
    assert found[1] == actors
    assert rule in found[2] if rule else found[2] == ()


def test_jihadist_words_stay_generic_beside_another_agent(gaz: Gazetteer) -> None:
    # near miss: "insurgents" with an agent of its own, in a sentence that names ISIL elsewhere
    found = _actors(gaz, "ISIL fighters shelled Saraqeb on Sunday and insurgents shelled Binnish.")
    assert [a for _, a, _ in found] == [("rebels",), ("Islamic State",)]


def test_actor_carries_over_only_without_an_agent(gaz: Gazetteer) -> None:
    text = (
        "Government warplanes bombed Saraqeb on Sunday. "
        "Warplanes also bombed Binnish later. "
        "Insurgents shelled Taftanaz on Sunday."
    )
    events = process_document(Document("t", text, PUB), gaz).events
    found = [(e.actors, tuple(r for r in e.rules if r.startswith("actor:"))) for e in events]
    assert found == [
        (("regime forces",), ("actor:rel=nsubj",)),
        (("regime forces",), ("actor:rel=carried",)),  # "warplanes": an agent of no side
        (("rebels",), ("actor:rel=nsubj",)),  # its own agent, not the one carried
    ]


def test_without_the_model_the_sentence_names_the_actors(
    gaz: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEOMAP_NLP", "off")
    (found,) = _actors(gaz, "Insurgents shelled Saraqeb on Sunday.")
    assert found[1] == ("rebels",) and found[2] == ("actor:rel=sentence",)


@pytest.mark.parametrize(
    ("text", "trigger", "rule"),
    [
        ("The militia did not storm the granary on Friday.", "storm", "negated"),
        ("The ministry denied that jets had bombed the granary.", "bombed", "negated"),
        ("Officials said the brigade would storm the granary.", "storm", "modal"),
        ("The convoy must not be shelled again.", "shelled", "negated"),
        ("The brigade did not carry out air strikes on the valley.", "air strikes", "negated"),
        ("Commanders threatened to storm the granary.", "storm", "intent"),
        ("The brigade vowed to recapture the ridge.", "recapture", "intent"),
        ("The granary is shelled daily.", "shelled", "habitual"),
        ("The ridge is regularly bombed by helicopters.", "bombed", "habitual"),
        ("In 2013 the brigade captured the ridge.", "captured", "past-year"),
        ("The ridge has been besieged since 2012.", "besieged", "since"),
        ("Insurgents have been shelling the valley for months.", "shelling", "stretch"),
        # near misses: a happening of the news day
        ("The militia stormed the granary on Friday, not the mill.", "stormed", None),
        ("Jets bombed the granary, the ministry said.", "bombed", None),
        ("The brigade managed to storm the granary.", "storm", None),
        ("Helicopters bombed the ridge on Monday.", "bombed", None),
        ("In 2016 the brigade captured the ridge.", "captured", None),  # the report's year
        ("Insurgents shelled the valley for an hour.", "shelled", None),
        ("Insurgents shelled the valley in recent days.", "shelled", None),
        ("The shelling of the valley did not stop for hours.", "shelling", None),
        ("Heavy shelling could be heard across the valley overnight.", "shelling", None),
        ("The brigade did not halt its shelling of the valley.", "shelling", None),
    ],
)
def test_background_clause(text: str, trigger: str, rule: str | None) -> None:
    analysis, i, _ = _token(text, trigger)
    why = syntax.background(analysis, i, 2016)
    if rule is None:
        assert why is None
    else:
        assert why is not None and why.startswith(f"background:rule={rule}")


@pytest.mark.parametrize(
    ("text", "events"),
    [
        ("Insurgents did not shell Saraqeb on Sunday, the ministry said.", 0),
        ("The army said it would shell Saraqeb on Sunday.", 0),
        ("Militants threatened to storm Saraqeb.", 0),
        ("Insurgents shelled Saraqeb on Sunday, the ministry said.", 1),
    ],
)
def test_background_clause_makes_no_event(gaz: Gazetteer, text: str, events: int) -> None:
    assert len(process_document(Document("t", text, PUB), gaz).events) == events


@pytest.mark.parametrize(
    ("text", "trigger", "words"),
    [
        ("Five farmers died in insurgent shelling of the orchards.", "shelling", "insurgent"),
        ("Two bakers were hurt by Kurdish artillery near the mill.", "artillery", "Kurdish"),
        # near misses: no noun or adjective right before, or a break between
        ("Five farmers died in the shelling of the orchards.", "shelling", None),
        ("Shelling of the orchards wounded two farmers.", "Shelling", None),
    ],
)
def test_prenominal_words_before_a_trigger_noun(text: str, trigger: str, words: str | None) -> None:
    analysis = nlp.analyse(text)
    found = syntax.prenominal(analysis, text.index(trigger))
    if words is None:
        assert found is None
    else:
        assert found is not None and text[found.start : found.end].strip() == words


@pytest.mark.parametrize(
    ("text", "actors", "rules"),
    [
        # the agent of the happening a later sentence refers back to ("the raids")
        (
            "Air strikes hit a hospital in Saraqeb on Sunday killing ten civilians. The "
            "Britain-based monitor said the raids were carried out by Russian warplanes.",
            ("Russian air force",),
            ("actor:rel=told-after",),
        ),
        # near misses: another happening, with no reference back; an event with its own agent
        (
            "Air strikes hit a hospital in Saraqeb on Sunday killing ten civilians. The "
            "Britain-based monitor said insurgents later shelled a village nearby.",
            (),
            (),
        ),
        (
            "Government jets bombed a hospital in Saraqeb on Sunday killing ten civilians. The "
            "Britain-based monitor said the raids were carried out by Russian warplanes.",
            ("regime forces",),
            ("actor:rel=nsubj",),
        ),
    ],
)
def test_actor_told_after_the_event(
    gaz: Gazetteer, text: str, actors: tuple[str, ...], rules: tuple[str, ...]
) -> None:
    (found,) = _actors(gaz, text)
    assert found[1:] == (actors, rules)


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # a happening told twice: the generic word of the second telling is the group named
        (
            "Nusra Front gunmen shelled Saraqeb on Wednesday. A police source said terrorists "
            "fired two rocket shells on Saraqeb on Wednesday.",
            ("Nusra Front",),
        ),
        # near misses: both named in one sentence; no group named in either
        (
            "Nusra Front gunmen and other insurgents shelled Saraqeb on Wednesday.",
            ("Nusra Front", "rebels"),
        ),
        (
            "The militants shelled Saraqeb on Wednesday. A police source said terrorists fired "
            "two rocket shells on Saraqeb on Wednesday.",
            ("rebels",),
        ),
    ],
)
def test_a_group_told_again_by_a_generic_word(
    gaz: Gazetteer, text: str, actors: tuple[str, ...]
) -> None:
    (found,) = _actors(gaz, text)
    assert found[1] == actors


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # the last armed agent carries over to a happening of another kind with none of its own
        (
            "Government troops clashed with insurgents in Saraqeb on Sunday. Artillery fire "
            "later hit the insurgents supply routes in Binnish.",
            [("Bennsh", ("regime forces",)), ("Saraqab", ("regime forces", "rebels"))],
        ),
        # near miss: protesters are no armed agent to carry
        (
            "Hundreds of residents protested in Saraqeb on Friday. Artillery fire later hit "
            "Binnish.",
            [("Bennsh", ()), ("Saraqab", ("protesters",))],
        ),
        # the side whose supply routes were hit, or that was killed, is a target, not an actor
        (
            "Artillery fire later hit the insurgents supply routes in Binnish on Sunday.",
            [("Bennsh", ())],
        ),
        ("Artillery fire hit Binnish on Sunday killing a number of insurgents.", [("Bennsh", ())]),
    ],
)
def test_agents_carried_and_targets_left_out(
    gaz: Gazetteer, text: str, actors: list[tuple[str, tuple[str, ...]]]
) -> None:
    assert [(place, found) for place, found, _ in _actors(gaz, text)] == actors


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # who repelled an attack fought it; a battle carried over keeps both sides
        (
            "Government troops repelled an attack by ISIL militants on Saraqeb on Sunday. The "
            "attack took place near Binnish.",
            [
                ("Bennsh", ("Islamic State", "regime forces")),
                ("Saraqab", ("Islamic State", "regime forces")),
            ],
        ),
        # near miss: who reported an attack did not fight it
        (
            "Government troops reported an attack by ISIL militants on Saraqeb on Sunday.",
            [("Saraqab", ("Islamic State",))],
        ),
    ],
)
def test_who_repelled_an_attack_fought_it(
    gaz: Gazetteer, text: str, actors: list[tuple[str, tuple[str, ...]]]
) -> None:
    assert [(place, found) for place, found, _ in _actors(gaz, text)] == actors


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # a possessive whose apostrophe the copy lost: the army's air force
        ("The armys air force carried out sorties over Saraqeb on Sunday.", ("regime forces",)),
        # two states' aircraft, each named by its adjective
        (
            "Russian and Syrian planes bombed Saraqeb on Sunday.",
            ("Russian air force", "regime forces"),
        ),
        ("Syrian air strikes hit Saraqeb on Sunday.", ("regime forces",)),
        ("A girl was shot by a government sniper in Saraqeb on Sunday.", ("regime forces",)),
        # near miss: "Syrian" before a word that names no armed force of the state
        ("Syrian rebels shelled Saraqeb on Sunday.", ("rebels",)),
    ],
)
def test_the_state_named_by_its_adjective(
    gaz: Gazetteer, text: str, actors: tuple[str, ...]
) -> None:
    (found,) = _actors(gaz, text)
    assert found[1] == actors


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # an air strike with no agent of its own: of the sides named before, the one that flies
        (
            "Clashes between government troops and insurgents raged in Saraqeb on Sunday. Air "
            "strikes later hit Binnish.",
            [("Bennsh", ("regime forces",)), ("Saraqab", ("regime forces", "rebels"))],
        ),
        (
            "Clashes between government troops and insurgents raged in Saraqeb on Sunday. A "
            "strike hit Binnish, insurgents said.",
            [("Bennsh", ("regime forces",)), ("Saraqab", ("regime forces", "rebels"))],
        ),
        # near miss: shelling, which both sides do, carries both
        (
            "Clashes between government troops and insurgents raged in Saraqeb on Sunday. "
            "Shelling later hit Binnish.",
            [("Bennsh", ("regime forces", "rebels")), ("Saraqab", ("regime forces", "rebels"))],
        ),
        # near miss: a side without aircraft is no air strike's actor
        (
            "Insurgents stormed Saraqeb on Sunday. Air strikes later hit Binnish.",
            [("Bennsh", ()), ("Saraqab", ("rebels",))],
        ),
        # near miss: the agent named is the actor, whatever it flies
        (
            "Insurgents bombed a bakery in Saraqeb on Sunday.",
            [("Saraqab", ("rebels",))],
        ),
    ],
)
def test_an_air_strike_is_flown_by_a_side_with_aircraft(
    gaz: Gazetteer, text: str, actors: list[tuple[str, tuple[str, ...]]]
) -> None:
    assert [(place, found) for place, found, _ in _actors(gaz, text)] == actors


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # an agent of no side named ("a sniper", "unidentified gunmen"): nothing carried over
        (
            "Government warplanes bombed Saraqeb on Sunday. A man was killed by a sniper in "
            "Binnish on Monday.",
            [("Bennsh", ()), ("Saraqab", ("regime forces",))],
        ),
        (
            "Government warplanes bombed Saraqeb on Sunday. Unidentified gunmen attacked a "
            "checkpoint in Binnish on Monday.",
            [("Bennsh", ()), ("Saraqab", ("regime forces",))],
        ),
        # near miss: killed by the weapon of a happening, with no agent of its own
        (
            "Government warplanes bombed Saraqeb on Sunday. A man was killed by an air strike "
            "in Binnish on Monday.",
            [("Bennsh", ("regime forces",)), ("Saraqab", ("regime forces",))],
        ),
        # "anti-ISIL": what the operation fought, not who did it
        (
            "Syrian jets in an anti-ISIL operation bombed Saraqeb on Sunday.",
            [("Saraqab", ("regime forces",))],
        ),
        # "the group", "it": the group named just before
        (
            "The Nusra Front warned of attacks. Its leader spoke on Saturday. The group has "
            "carried out such barrages before, including on Monday when it shelled Binnish.",
            [("Bennsh", ("Nusra Front",))],
        ),
        (
            "Jaish al-Islam warned of attacks on Saraqeb. On Monday it fired dozens of rockets "
            "at Binnish.",
            [("Bennsh", ("Jaish al-Islam",))],
        ),
        # near miss: "a group" is a new one, not the one named before
        (
            "Nusra Front fighters entered Idlib. A Kurdish group shelled Saraqeb on Sunday.",
            [("Saraqab", ())],
        ),
        # a trigger noun's modifier that names no one leaves the verb's subject its agent
        (
            "Government troops carried out heavy shelling on Saraqeb on Sunday.",
            [("Saraqab", ("regime forces",))],
        ),
    ],
)
def test_who_an_agent_names_again_or_names_no_side(
    gaz: Gazetteer, text: str, actors: list[tuple[str, tuple[str, ...]]]
) -> None:
    assert [(place, found) for place, found, _ in _actors(gaz, text)] == actors


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # "dead on both sides": the side named in the sentence before is the other side
        (
            "In recent days insurgents have captured a number of villages near Saraqeb. The army "
            "has hit back near Binnish on Sunday sparking fierce fighting that has left dozens "
            "dead on both sides.",
            [("Bennsh", ("regime forces", "rebels"))],
        ),
        # near miss: without "both sides" a hit back names one side
        (
            "Insurgents shelled Saraqeb on Saturday. The army hit back in Binnish on Sunday, "
            "sparking fighting that left dozens dead.",
            [("Bennsh", ("regime forces",)), ("Saraqab", ("rebels",))],
        ),
        # a group the article says fights alongside another: the ally is a side of its battles
        (
            "The insurgents are fighting alongside the Nusra Front. Insurgents captured Saraqeb "
            "from government troops on Saturday. Insurgents shelled Binnish on Sunday.",
            [
                ("Bennsh", ("rebels",)),  # near miss: shelling is no battle
                ("Saraqab", ("rebels", "regime forces", "Nusra Front")),
            ],
        ),
        # near miss: fighting a group makes it no ally
        (
            "Insurgents captured Saraqeb from government troops on Saturday. The insurgents are "
            "fighting the Nusra Front.",
            [("Saraqab", ("rebels", "regime forces"))],
        ),
    ],
)
def test_the_other_side_and_allies_told_elsewhere(
    gaz: Gazetteer, text: str, actors: list[tuple[str, tuple[str, ...]]]
) -> None:
    assert [(place, found) for place, found, _ in _actors(gaz, text)] == actors


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # ground taken, with the losses of the side that lost it: both sides
        (
            "The Syrian army on Wednesday established full control of Saraqeb leaving numbers "
            "of terrorists dead.",
            ("regime forces", "rebels"),
        ),
        # near misses: a side named in a clause of its own, or driven out with no losses told
        (
            "Kurdish fighters on Friday took full control of Saraqeb after ISIL retreated, "
            "leaving many dead.",
            ("Kurdish forces",),
        ),
        ("Government troops seized Saraqeb driving out the insurgents.", ("regime forces",)),
        (
            "Government troops captured Saraqeb, which insurgents had besieged, killing dozens.",
            ("regime forces",),
        ),
    ],
)
def test_ground_taken_names_the_side_that_lost_it(
    gaz: Gazetteer, text: str, actors: tuple[str, ...]
) -> None:
    (found,) = _actors(gaz, text)
    assert found[1] == actors


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # "X said it ...": the pronoun is who said it
        ("The army said it shelled Saraqeb on Sunday.", ("regime forces",)),
        ("Insurgents said they shelled Saraqeb on Sunday.", ("rebels",)),
        (
            "The Faylaq Al Sham faction, part of the rebel alliance, said it had begun a new "
            "offensive on Saraqeb on Sunday.",
            ("Faylaq al-Sham", "rebels"),
        ),
        # near miss: a monitor that says what it counted acted in nothing
        ("The Observatory said it counted 20 air strikes on Saraqeb on Sunday.", ()),
        # the Arabic article written apart from the name
        ("Jabhat al Nusra fighters shelled Saraqeb on Sunday.", ("Nusra Front",)),
    ],
)
def test_the_speaker_of_a_pronoun_agent(gaz: Gazetteer, text: str, actors: tuple[str, ...]) -> None:
    (found,) = _actors(gaz, text)
    assert found[1] == actors


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # the press's word for jihadists in a battle: the one group the article named before
        (
            "The Nusra Front lost 100 fighters near Aleppo. Clashes between the government "
            "forces and terrorists reached Saraqeb on Thursday.",
            ("regime forces", "Nusra Front"),
        ),
        # near misses: "rebels" is no press's word; two groups named leave it generic
        (
            "The Nusra Front lost 100 fighters near Aleppo. Clashes between the government "
            "forces and rebels reached Saraqeb on Thursday.",
            ("regime forces", "rebels"),
        ),
        (
            "The Nusra Front and Jaish al-Islam lost 100 fighters near Aleppo. Clashes between "
            "the government forces and terrorists reached Saraqeb on Thursday.",
            ("regime forces", "rebels"),
        ),
        # near miss: who fired rockets elsewhere is not the group the article named
        (
            "ISIL terrorists shelled Deir Ezzor on Sunday. Terrorists fired rockets on Saraqeb "
            "on Monday.",
            ("rebels",),
        ),
    ],
)
def test_the_press_word_for_the_one_group_named(
    gaz: Gazetteer, text: str, actors: tuple[str, ...]
) -> None:
    found = [a for place, a, _ in _actors(gaz, text) if place == "Saraqab"]
    assert found == [actors]


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # a battle told with one side and no agent: the other is who the article last said fought
        (
            "U.S. aircraft bombed Binnish on Friday. Ten ISIL militants were killed during "
            "fights in Saraqeb on Saturday.",
            [("Bennsh", ("US-led coalition",)), ("Saraqab", ("Islamic State", "US-led coalition"))],
        ),
        # near miss: a battle with an agent of its own keeps its one side
        (
            "U.S. aircraft bombed Binnish on Friday. ISIL militants stormed Saraqeb on Saturday.",
            [("Bennsh", ("US-led coalition",)), ("Saraqab", ("Islamic State",))],
        ),
    ],
)
def test_a_battle_with_one_side_told_takes_the_side_that_fought_before(
    gaz: Gazetteer, text: str, actors: list[tuple[str, tuple[str, ...]]]
) -> None:
    assert [(place, found) for place, found, _ in _actors(gaz, text)] == actors
