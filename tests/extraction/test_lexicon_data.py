"""The trigger lexicon as data (geomap/extraction/data/triggers.csv): every row's invented example
fires
it and its invented near miss does not; lemmas are matched in all their inflections."""

from __future__ import annotations

import pytest

from geomap.extraction.events.extract import Parse, actors_in, find_triggers
from geomap.extraction.lexicon import actor_rows, noun_forms, trigger_entries, verb_forms
from geomap.extraction.nlp import analyse_if_enabled

ENTRIES = trigger_entries()
TYPES = {
    "battle",
    "remote_violence",
    "violence_against_civilians",
    "protest",
    "strategic",
}


def _ids(sentence: str, *, parsed: bool = False) -> set[str]:
    """The triggers of a sentence; ``parsed``: with the language model's parse (a row whose
    object must be a place fires only with it)."""
    if not parsed:
        return {h.trigger.id for h in find_triggers(sentence)}
    analysis = analyse_if_enabled(sentence, [(0, len(sentence))])
    return {h.trigger.id for h in find_triggers(sentence, Parse(analysis, 0, 2016))}


def test_rows_are_well_formed() -> None:
    ids = [e.id for e in ENTRIES]
    assert len(ids) == len(set(ids))
    for e in ENTRIES:
        assert e.type in TYPES, e.id
        assert e.pos in ("verb", "noun", "verb-phrase", "noun-phrase"), e.id
        assert e.example and e.near_miss, e.id


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_example_fires(entry: object) -> None:
    parsed = entry.object == "place"  # type: ignore[attr-defined]
    assert entry.id in _ids(entry.example, parsed=parsed)  # type: ignore[attr-defined]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_near_miss_does_not(entry: object) -> None:
    assert entry.id not in _ids(entry.near_miss)  # type: ignore[attr-defined]
    if entry.object == "place":  # type: ignore[attr-defined]
        assert entry.id not in _ids(entry.near_miss, parsed=True)  # type: ignore[attr-defined]


def test_inflections() -> None:
    assert verb_forms("pound") == ("pound", "pounds", "pounded", "pounded", "pounding")
    assert verb_forms("seize")[2:] == ("seized", "seized", "seizing")
    assert verb_forms("take")[2] == "took"
    assert verb_forms("blow")[3] == "blown"
    assert verb_forms("drop")[2] == "dropped"
    assert verb_forms("rally")[1:3] == ("rallies", "rallied")
    assert noun_forms("clash") == ("clash", "clashes")
    assert noun_forms("casualty") == ("casualty", "casualties")


@pytest.mark.parametrize(
    ("sentence", "type_"),
    [
        ("Gunners continued to pound the ridge above the valley.", "remote_violence"),
        ("A strike hit a fuel truck on the highway.", "remote_violence"),
        ("Commandos raided a safe house at dawn.", "battle"),
        ("Militiamen stormed the customs office.", "battle"),
        ("The captors executed two hostages.", "violence_against_civilians"),
        ("Unknown gunmen abducted a surgeon from his clinic.", "violence_against_civilians"),
        ("A bomber blew himself up outside the stadium.", "remote_violence"),
        ("Loyalist units recaptured the crossing after a week.", "battle"),
        ("Tribal fighters retook the grain silos.", "battle"),
        ("Sappers are blowing up the bridges behind them.", "remote_violence"),
        ("Mortars are pounding the old souk.", "remote_violence"),
    ],
)
def test_inflected_forms_fire(sentence: str, type_: str) -> None:
    assert type_ in {h.trigger.type for h in find_triggers(sentence)}


@pytest.mark.parametrize(
    ("sentence", "types"),
    [
        # one happening: the most specific trigger wins
        ("A car bomb attack on the ferry terminal killed nine.", {"remote_violence"}),
        ("A suicide attack hit the recruitment centre.", {"remote_violence"}),
        ("Helicopters attacked the hamlet with barrel bombs.", {"remote_violence"}),
        ("A chemical attack on the suburb left dozens choking.", {"remote_violence"}),
        ("Drones attacked a convoy near the lake.", {"remote_violence"}),
        # not a battle, not an air strike
        ("An aid convoy entered the besieged enclave on Sunday.", set()),
        ("A fire struck tents in the displacement camp.", set()),
        # two happenings in two clauses keep their own types
        (
            "Rebels attacked a checkpoint, while artillery shelled the market.",
            {"battle", "remote_violence"},
        ),
    ],
)
def test_one_happening_one_type(sentence: str, types: set[str]) -> None:
    assert {h.trigger.type for h in find_triggers(sentence)} == types


def test_chemical_weapon_sub_type() -> None:
    hits = find_triggers("Medics said sarin was used in the valley.")
    assert [(h.trigger.type, h.trigger.sub_type) for h in hits] == [
        ("remote_violence", "chemical weapon")
    ]


@pytest.mark.parametrize(
    ("sentence", "actors"),
    [
        # a source is not an actor, nor are the victims
        (
            "An official at the port authority said insurgents fired rockets, killing two "
            "fishermen.",
            ("rebels",),
        ),
        ("A source in the governor's office said militants shelled the bakery.", ("rebels",)),
        # who holds the place did not act
        ("Government jets struck the rebel-held village of the plain.", ("regime forces",)),
        ("Russian planes bombed the opposition-controlled market.", ("Russian air force",)),
        ("Troops shelled districts held by the rebels.", ("regime forces",)),
        # the by-phrase of a passive trigger is the agent
        ("Nine farmers were killed by regime air strikes, monitors said.", ("regime forces",)),
        # the Observatory and the state agency report; civilians never act
        ("Civilians were wounded in the blast, the Observatory said.", ()),
        ("Residents fled as shells fell, according to SANA.", ()),
        # a generic word after a named group is that group
        ("IS fighters ambushed a Kurdish militia patrol.", ("Islamic State", "Kurdish forces")),
        ("Jaish al-Islam rebels overran a checkpoint.", ("Jaish al-Islam",)),
        # the target of one side is not a second actor; a side that speaks is a source
        ("Army units targeted gatherings of militants near the lake.", ("regime forces",)),
        ("Warplanes hit a bakery in the village, insurgents said.", ()),
    ],
)
def test_actors(sentence: str, actors: tuple[str, ...]) -> None:
    assert actors_in(sentence) == actors


def test_actor_rows_are_data() -> None:
    names = [name for name, _, _ in actor_rows()]
    assert len(names) == len(set(names))
    assert "civilians" not in names


@pytest.mark.parametrize(
    ("pattern", "needle"),
    [
        ("rebels?", "rebel"),
        ("Jaish al[- ]Islam", "jaish al"),
        ("Russian?(?: warplanes| jets)?", "russia"),
        ("Kurdish (?:fighters|forces)", "kurdish "),
        ("(?-i:IS)(?= (?:militants|fighters))", ""),
        ("U\\.S\\.-led coalition", "u"),
    ],
)
def test_an_alias_needle_is_its_literal_start(pattern: str, needle: str) -> None:
    from geomap.extraction.lexicon import _needle

    assert _needle(pattern) == needle


def test_no_actor_is_skipped_by_its_needles() -> None:
    """Every alias written in a sentence, in any case, is found with its actor's needles as it
    is without them (the needles only skip patterns that cannot match)."""
    import re as _re

    from geomap.extraction.lexicon import ACTOR_NEEDLES, ACTORS, actor_rows

    patterns = dict(ACTORS)
    for name, _kind, aliases in actor_rows():
        for alias in aliases:
            if _re.search(r"[\\\[\](){}?*+|]", alias):
                continue  # a pattern, not a plain name
            for written in (alias, alias.upper(), alias.lower(), alias.replace("al-", "Al ")):
                sentence = f"Yesterday {written} fighters shelled the town."
                if not patterns[name].search(sentence):
                    continue
                needles = ACTOR_NEEDLES[name]
                assert needles is None or any(n in sentence.lower() for n in needles), (
                    name,
                    written,
                )


@pytest.mark.parametrize(
    "sentence",
    [
        "A rebel commander, speaking on condition of anonymity, told reporters the road was cut.",
        "The Observatory said warplanes hit Tal Rifaat.",
        "Residents reported heavy shelling overnight.",
        "According to local medics, six died in Saraqib.",
        "Citing a security official, the agency gave a toll of four.",
        "A source close to the army said the convoy was hit.",
        "Jets struck rebel-held Darayya and IS-controlled areas.",
        "The town, held by the rebels since 2013, was shelled.",
        "Villages under the control of Kurdish fighters were shelled.",
        "Jets hit regime strongholds near Qardaha.",
        "An anti-ISIL operation began near Manbij.",
        "The convoy moved north on Monday without incident.",  # a near miss: none can match
    ],
)
def test_a_masking_pattern_skipped_cannot_match(sentence: str) -> None:
    """actors_in searches a sentence with a masking pattern (the Observatory that said, a
    source, a holder of a place) only when it holds one of the pattern's obligatory words:
    every pattern that matches an invented sentence is among those it searches."""
    from geomap.extraction.events.extract import _MASK_NEEDLES, _masking

    may = _masking(sentence.lower())
    matching = {p for p, _needles in _MASK_NEEDLES if p.search(sentence)}
    assert matching <= may
    if "convoy moved" in sentence:
        assert not may
    else:
        assert matching
