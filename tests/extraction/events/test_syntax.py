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
        # a battle names the side fought
        (
            "Kurdish fighters clashed with insurgents in Saraqeb on Sunday.",
            ("Kurdish forces", "rebels"),
            "actor:rel=opponent",
        ),
    ],
)
def test_event_actors_from_the_parse(
    gaz: Gazetteer, text: str, actors: tuple[str, ...], rule: str
) -> None:
    (found,) = _actors(gaz, text)
    assert found[1] == actors
    assert rule in found[2]


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
    assert found[1] == ("rebels",) and found[2] == ()
