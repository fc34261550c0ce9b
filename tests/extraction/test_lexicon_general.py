"""General frames that replaced phrases of the example articles: each fires on invented
sentences in other wording, and a near miss does not."""

from __future__ import annotations

import pytest

from geomap.extraction.events.extract import find_triggers
from geomap.extraction.events.tolls import fatalities


def _subtypes(sentence: str) -> set[tuple[str, str]]:
    return {(h.trigger.type, h.trigger.sub_type) for h in find_triggers(sentence)}


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        ("The army rushed fresh troops to the outskirts of Hama.", True),
        ("Moscow is sending additional jets to its base near Latakia.", True),
        ("Ankara sent in more tanks across the border overnight.", True),
        ("The ministry dispatched units to the eastern front.", True),
        ("Aid workers sent food parcels to the besieged town.", False),
        ("He was sending messages to his family.", False),
    ],
)
def test_deployment_frame(sentence: str, fires: bool) -> None:
    assert (("strategic", "deployment") in _subtypes(sentence)) is fires


@pytest.mark.parametrize(
    ("sentence", "fires"),
    [
        ("The government announced a large-scale offensive on the rebel-held east.", True),
        ("Loyalist forces began their long-awaited offensive against the town.", True),
        ("The coalition is starting a new campaign against the militants.", True),
        ("The offensive was widely criticised by aid groups.", False),
    ],
)
def test_offensive_frame(sentence: str, fires: bool) -> None:
    # a begun offensive is coded as the fighting it starts (as the development gold does)
    assert (("battle", "armed clash") in _subtypes(sentence)) is fires


@pytest.mark.parametrize(
    ("sentence", "toll"),
    [
        ("Shelling killed 4 citizens in the market.", 4),
        ("Seven villagers were killed when the shell landed.", 7),
        ("Three passengers died after the bus was hit.", 3),
        # vague: no toll (the dev gold codes none); the wounded only: a toll of 0
        ("dozens of inhabitants were killed", None),
        ("Five villagers were wounded in the raid.", 0),
        ("The clashes left at least 14 extremists dead.", 14),
        ("Troops killed 9 terrorists near the dam.", 9),
        ("At least 6 civilians among them two girls and an elderly man were killed.", 6),
        ("The battle has cost the lives of 40 fighters and 12 soldiers.", 52),
        ("mortar fire claiming the lives of two students", 2),
        ("a car bomb claiming seven lives", 7),
        ("Four residents were martyred in the shelling.", 4),
        ("The strike claimed no lives.", 0),
        ("Shells caused material damage without any casualties.", 0),
        ("Nine gunmen were arrested after the raid.", None),
    ],
)
def test_victim_nouns(sentence: str, toll: int | None) -> None:
    assert fatalities(sentence) == toll
