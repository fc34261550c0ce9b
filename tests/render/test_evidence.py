"""Rules rendered into words: templates filled from the rule's arguments, never parsed back."""

from __future__ import annotations

import pytest

from geomap.render.evidence import WORDS, describe, describe_all, parse


@pytest.mark.parametrize(
    ("rule", "rid", "args"),
    [
        ("trigger:id=shell-v", "trigger", {"id": "shell-v"}),
        (
            "bearing-distance:anchor=C9,bearing=NE,km=12",
            "bearing-distance",
            {"anchor": "C9", "bearing": "NE", "km": "12"},
        ),
        ("competing-span", "competing-span", {}),
        ("odd:lonely", "odd", {"0": "lonely"}),
    ],
)
def test_parse_splits_id_and_arguments(rule: str, rid: str, args: dict[str, str]) -> None:
    assert parse(rule) == (rid, args)


def test_a_known_rule_reads_as_words_with_place_names() -> None:
    said = describe("bearing-distance:anchor=C9,bearing=NE,km=12", {"C9": "Tall Rifaat"})
    assert said == "12 km NE of Tall Rifaat (C9)"


def test_an_unknown_rule_is_shown_as_its_id_and_arguments() -> None:
    assert describe("stance:rel=nsubj,group=rebels") == "stance (rel=nsubj, group=rebels)"
    assert describe("lonely") == "lonely"


def test_toll_and_actor_rules_read_as_words() -> None:
    assert describe("toll:rule=told-again") == "death toll by rule told-again"
    assert describe("actor:rel=told-after") == "actor read from told-after"


def test_a_known_rule_missing_an_argument_is_not_dropped() -> None:
    assert describe("bearing:anchor=C4") == "bearing (anchor=C4)"


def test_several_rules_keep_their_order() -> None:
    text = describe_all(["trigger:id=raid-v", "", "merge:reports=3"])
    assert text == "trigger raid-v of the event lexicon; merged from 3 reports"


@pytest.mark.parametrize("rid", sorted(WORDS))
def test_every_template_fills_from_its_arguments(rid: str) -> None:
    import string

    fields = [f for _, f, _, _ in string.Formatter().parse(WORDS[rid]) if f]
    rule = rid + (":" + ",".join(f"{f}=x{i}" for i, f in enumerate(fields)) if fields else "")
    said = describe(rule)
    assert "{" not in said and "=" not in said
    assert all(f"x{i}" in said for i in range(len(fields)))
