"""The rules that made an event or a mention, rendered into words for a reader.

Extraction records its decisions as data: each rule as ``id:key=value,key=value``
(``Event.rules``, ``Mention.rules``; see :mod:`geomap.model`). This module is the one place
that turns them into words, for the maps' popups and the check page: a template per rule id
(:data:`WORDS`), filled with the rule's arguments. A rule without a template (a newer extractor,
or an events.geojson from elsewhere) is shown as its id and arguments, never dropped. Nothing
reads these words back.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping

from geomap.model import parse_rule

#: Read a rule into its id and arguments (the one parser, :func:`geomap.model.parse_rule`).
parse = parse_rule

#: rule id -> what it says, with the rule's arguments as ``{name}`` fields.
WORDS: Mapping[str, str] = {
    "trigger": "trigger {id} of the event lexicon",
    "place": "place mention {status}",
    "merge": "merged from {reports} reports",
    "toll": "death toll by rule {rule}",
    "actor": "actor read from {rel}",
    "actor-named": "the press's word for jihadists read as {group}, the one group the article "
    "named before",
    "actor-air": "an air strike: of the sides the {from} named, those that fly aircraft",
    "bearing": "{bearing} of {anchor}",
    "bearing-distance": "{km} km {bearing} of {anchor}",
    "distance-only": "{km} km from {anchor} (no bearing given)",
    "outskirts": "on the outskirts of {anchor}",
    "part-of": "the {side} part of {anchor}",
    "between": "the midpoint between {anchor} and {and}",
    "feature-of-place": "a {head} at {place}",
    "feature-named": "the {head} the gazetteer has as {place}",
    "feature-fallback": "a {head} no list has, placed at what holds it: {container} ({by})",
    "feature-unplaced": "a {head} no list has, and no place holds it",
    "competing-span": "a shorter name, tried where the longer span named no place",
    "same-name-earlier": "the same name as at character {at} ({place})",
    "quarter-here": "a quarter's name, read as the quarter of {city} spelt so",
    "near-spelling": "a spelling with the consonants of a place near {near}, named in the same "
    "sentence",
    "region-focus": "of its namesakes, the one in the {level} of {name}, where {named} of the "
    "article's other places are",
    "capital-governorate": "the governorate named by its capital's name",
    "near-named-place": "near a place named in the same sentence",
    "near-previous-place": "near a place named in the sentence before",
    "contained-in": "of its namesakes, the one in {container}, which the sentence says holds it "
    "({by})",
    "contained-spelling": "the one place in {container} spelt with the name's consonants, "
    "which the sentence says holds it ({by})",
    "container-fallback": "placed at {container}, which the sentence says holds it ({by}): no "
    "place so named lies there",
    "there": "placed by 'there': {surface}, named just before",
    "retold": "the type from the sentence after, which tells it again: trigger {trigger}",
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def describe(rule: str, names: Mapping[str, str] | None = None) -> str:
    """One rule in words; place ids among its arguments become names where ``names`` (place
    id -> name) knows them."""
    rid, args = parse_rule(rule)
    if names:
        args = {k: f"{names[v]} ({v})" if v in names else v for k, v in args.items()}
    template = WORDS.get(rid)
    if template is not None and _fields(template) <= set(args):
        return template.format(**args)
    shown = ", ".join(f"{k}={v}" for k, v in args.items())
    return f"{rid} ({shown})" if shown else rid


def describe_all(rules: Iterable[str], names: Mapping[str, str] | None = None) -> str:
    """Several rules in words, in their order, as one line ("" for none)."""
    return "; ".join(describe(r, names) for r in rules if r)
