"""Roles of place mentions: the context rules, each with invented sentences and near misses."""

from __future__ import annotations

import pytest

from geomap.extraction.places.roles import (
    CONTEXT_RULES,
    RELATED_RULE,
    promote_event_places,
    related_links_start,
    role_of,
    share_list_roles,
)
from geomap.model import Mention, Place

TOWN = Place("T1", "Zzyzx", "town", 35.0, 37.0, 2.0, country="SY")

# (text before the place, text after it, the rule expected or "" for an event place)
CASES = [
    # where a reporting source sits
    ("Earlier, an official source at ", " governorate told the agency", "source-at"),
    ("according to local sources in the southern ", " province.", "source-at"),
    ("The agency's correspondent in ", " reported that", "source-at"),
    ("Water sources ran dry in ", " last week", ""),  # near miss: "ran dry in" is no source
    ("Shells fell at dawn on ", " killing two", ""),
    # where people went
    ("the wounded were evacuated to a ", " clinic overnight", "destination"),
    ("The families were on their way to neighboring ", " when the bus stopped", "destination"),
    ("Hundreds fled into ", " as the front moved", "destination"),
    ("Rockets were fired into ", " at noon", ""),  # near miss: fired into is the target
    # the government by the name of its seat
    ("the militia is accused of coordinating with ", " against the rebels", "seat-of-government"),
    ("The new border deal was rejected by ", " on Monday", "seat-of-government"),
    ("Clashes erupted on the road with ", " on Monday", ""),  # near miss
    # the ends of a route
    ("a motorway connecting ", " with the coast", "route-ends"),
    ("the supply line linking the border with ", " was cut", "route-ends"),
    ("", " links the two fronts of the east", "route-ends"),
    ("Jets struck a convoy on the road to ", " at night", ""),  # near miss: no "linking"
    # a place at risk
    ("the rebels remain the gravest threat to ", " and its airport", "at-risk"),
    ("New trenches were dug to protect ", " from a fresh assault", "at-risk"),
    ("The army rushed reinforcements to ", " overnight", ""),  # near miss: a movement
    # a comparison
    ("a tactic much like the one used in ", " two years ago", "comparison"),
    ("The blast was similar in size to the one that hit ", " in May", ""),  # a happening
    # a purpose
    ("they stockpiled shells to launch raids on the towns of ", " and its suburbs", "purpose"),
    ("Insurgents launched raids on the towns of ", " at dawn", ""),  # it happened
    # unspecified, ongoing violence
    ("families displaced by the violence in ", " arrived on foot", "background-violence"),
    ("amid growing violence across parts of ", ", aid groups said", "background-violence"),
    ("Violent clashes broke out in ", " late on Sunday", ""),  # a happening
    # a place that only locates another
    ("Families fled the farming villages near ", " before dawn", "locator"),
    ("Shells hit Jisreen and Zamalka near ", " on Friday", "locator"),
    ("The raid took place in Binnish northeast ", ", activists said", "locator"),
    ("the village, which lies more than 60 km (35 miles) from the city of ", ".", "locator"),
    ("a hamlet located 5 km north of ", " was emptied", "locator"),
    ("Shells fell 5 km north of ", " on Monday", ""),  # where the shells fell: the event
    ("Rebels located in ", " fired mortars", ""),  # not a position relative to it
    ("Heavy clashes near ", " killed four fighters", ""),  # a happening near it
    ("Fighting raged near the capital ", " overnight", ""),
    ("Rebels shelled eastern ", " on Friday", ""),
    # where the shooters were
    ("gunmen stationed in ", " fired mortars at the market", "firing-position"),
    ("Mortars fell on the market in ", " at night", ""),
    # who holds a place
    ("The government controls most of ", " and its airport", "holds-place"),
    ("Rebels are still present in ", " despite the truce", "holds-place"),
    ("the town is a former stronghold of ", " fighters", "holds-place"),
    ("A doctor was shot in the rebel stronghold of ", " on Friday", ""),  # where it happened
    ("Government forces took control of ", " on Friday", ""),  # a happening
    ("Loyalist units regained control of most of ", " after a week", ""),
    ("Army Controls Several Villages in ", " Province", ""),  # headline: a capture
    # who holds a part of a place: "held/controlled by" after it
    ("to shield the sectors of ", " province held by the army", "holds-place"),
    ("civilians in the parts of ", " still controlled by rebels", "holds-place"),
    ("Most of ", " city held by the opposition was calm", "holds-place"),
    ("Rebels seized parts of ", " held by the army", ""),  # a capture: a happening
    ("Jets bombed areas of ", " controlled by rebels", ""),  # an attack
    ("the road to ", " held by rebels", ""),  # no part of the place
    # a person
    ("according to a resident of ", " who asked not to be named", "describes-person"),
    ("the spokesman of the council in ", " said", "describes-person"),
    ("Residents fled the shelling of ", " on Friday", ""),
    # an activist speaks for the quarter under fire: near miss
    ("one activist from the quarter of ", " gave a different toll", ""),
    # a side or a seat
    ("A pro-", " newspaper said", "side-or-seat"),
    ("", "-based monitor said", "side-or-seat"),
]


@pytest.mark.parametrize(("before", "after", "rule"), CASES)
def test_context_rules(before: str, after: str, rule: str) -> None:
    decision = role_of(TOWN, False, before, after)
    assert decision.rule == rule, decision
    assert decision.role == ("context" if rule else "event")


def test_every_rule_has_a_case_and_a_what() -> None:
    ids = {r.id for r in CONTEXT_RULES}
    assert ids <= {rule for _, _, rule in CASES}
    assert all(r.what for r in CONTEXT_RULES)


def test_places_outside_syria_and_datelines_come_first() -> None:
    abroad = Place("T2", "Qwertz", "city", 41.0, 29.0, 5.0, country="TR")
    assert role_of(abroad, False, "shells fell on ").role == "context"
    assert role_of(TOWN, True, "a source at ").role == "dateline"


@pytest.mark.parametrize(
    ("kind", "precision_km", "role"),
    [
        ("region", 180.0, "context"),  # a river's whole course: no event is placed at it
        ("region", 400.0, "context"),  # a desert
        ("governorate", 120.0, "event"),  # near miss: the widest governorate still places one
        ("region", 12.0, "event"),  # near miss: a valley or a plain
    ],
)
def test_places_wider_than_a_governorate_are_context(
    kind: str, precision_km: float, role: str
) -> None:
    wide = Place("T3", "Qwertzy", kind, 35.5, 39.0, precision_km, country="SY")
    decision = role_of(wide, False, "gunmen crossed the ", " at night and shelled")
    assert decision.role == role, decision


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Shells hit Zzyzx. Related News Army retakes hills near Qwertz", 17),
        ("Shells hit Zzyzx.\n14 Related Four villages join the truce", 20),
        ("Shells hit Zzyzx. The related reports said nothing more.", None),
        ("Shells hit Zzyzx. Related reports followed.", None),  # lower case after: prose
    ],
)
def test_related_links_start(text: str, start: int | None) -> None:
    assert related_links_start(text) == start


def test_related_links_share_the_events_pattern() -> None:
    """The events stage stops at the same list of other articles."""
    from geomap.extraction.events import extract
    from geomap.extraction.places import roles

    assert roles.RELATED_LINKS.pattern == extract.RELATED.pattern
    assert RELATED_RULE == "related-links"


def _mention(surface: str, role: str, start: int) -> Mention:
    return Mention("t", start, start + len(surface), surface, 0, role, "resolved", TOWN, 0.9, "")


def test_an_event_place_promotes_the_same_name_only() -> None:
    """'Zzyzx' as an event place makes every 'Zzyzx' one; 'Zzyzx city' in a statement of who
    holds it, another name for the place, keeps its context role."""
    out = promote_event_places(
        [
            _mention("Zzyzx", "event", 0),
            _mention("Zzyzx", "context", 40),
            _mention("Zzyzx city", "context", 80),
        ]
    )
    assert [m.role for m in out] == ["event", "event", "context"]
    assert out[1].rules == ("role:event=event-place-elsewhere",)


def _listed(text: str, first: str, second: str, rules: tuple[str, ...]) -> list[Mention]:
    a, b = text.index(first), text.index(second, text.index(first) + len(first))
    ma = Mention(
        "t", a, a + len(first), first, 0, "context", "resolved", TOWN, 0.9, "", rules=rules
    )
    mb = Mention("t", b, b + len(second), second, 0, "event", "resolved", TOWN, 0.9, "")
    return share_list_roles(text, [ma, mb])


@pytest.mark.parametrize(
    ("text", "rules", "role"),
    [
        ("Rebels hold most of Qwer and Asdf.", ("role:context=holds-place",), "context"),
        (
            "They are present in Qwer in the south, and Asdf.",
            ("role:context=holds-place",),
            "context",
        ),
        ("fled to Qwer, Asdf", ("role:context=destination",), "context"),
        # near misses: more than list glue between them; a context role no rule gave
        ("Rebels hold most of Qwer and jets bombed Asdf.", ("role:context=holds-place",), "event"),
        ("Shells from Qwer hit Asdf.", ("role:context=firing-position",), "event"),
        ("Qwer and Asdf", (), "event"),
    ],
)
def test_a_list_shares_the_context_role(text: str, rules: tuple[str, ...], role: str) -> None:
    second = _listed(text, "Qwer", "Asdf", rules)[1]
    assert second.role == role
    if role == "context":
        assert second.rules == (f"role:context=list:of={rules[0].split('=')[1]}",)
