"""Score the candidates of a spotted name in its context and decide what it names.

For every span the spotter finds (:mod:`geomap.extraction.places.spotting`), candidates are scored
with:

- how well the span matched (exact name, normalised, phonetic key, skeleton);
- the place's prominence (a city before a village of the same name);
- cue words around it: "district", "neighbourhood", "camp", "crossing", "province", "airport",
  "the town of", with coordination ("the Bustan and Karm Jabal quarters");
- the city in context: "X of CITY" / "CITY's X", a city named in the four sentences before,
  else the document's focus (its Syrian dateline city and most-named city). Neighbourhoods of
  that city win; small places far from it lose.
- the other places of the sentence: a small place near one of them wins (a village spelt as
  another place's alias stays in the running for it), a namesake far from all of them loses;
- names shared by a governorate, its capital and its district: the governorate or the city,
  never a same-named village or the district, unless a cue word says so.

A name cued as a neighbourhood with no such neighbourhood in the context city falls back to the
city ("fallback", city precision): never to a same-named village elsewhere. A name left with
rivals far apart and close in score, or with a low score, is "ambiguous" (the best is kept, the
rivals listed).
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

from geomap.extraction.places.containment import contain, governorate_of_capital
from geomap.extraction.places.demonyms import is_demonym
from geomap.extraction.places.focus import FOCUS_RULE, RegionFocus
from geomap.extraction.places.spotting import GENERIC, Spot
from geomap.extraction.text import sentence_index
from geomap.gazetteer.names import (
    ARABIC_ARTICLES,
    SHORT_SKELETON_MIN,
    name_keys,
    normalize_name,
)
from geomap.gazetteer.store import PROMINENCE, SMALL_KINDS, Gazetteer, haversine_km
from geomap.model import Candidate, Document, Mention, Place

NEIGHBOURHOOD_KINDS = frozenset({"neighbourhood", "camp", "facility", "landmark"})
_CUES_AFTER: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = tuple(
    (re.compile(p, re.I), frozenset(k))
    for p, k in (
        (
            r"^\W{0,3}(districts?)\b",  # a city's quarter, or a district of a governorate
            ("neighbourhood", "camp", "facility", "landmark", "district"),
        ),
        (
            r"^\W{0,3}(neighbou?rhood|quarter|suburb|area)s?\b",
            ("neighbourhood", "camp", "facility", "landmark"),
        ),
        (
            r"^\W{0,3}((?:(?:palestinian|refugee|displacement|displaced|idp|tent|makeshift|"
            r"border|transit|informal)\s+){0,3}camp)s?\b",
            ("camp", "neighbourhood"),
        ),
        (r"^\W{0,3}((border\s+)?(crossing|border post|gate))s?\b", ("crossing",)),
        (r"^\W{0,3}(province|governorate)\b", ("governorate",)),
        # "Ain Daqneh town", "the X and Y villages"
        (r"^\s(town|village|hamlet|towns|villages)\b", ("town", "village", "city")),
        (
            r"^\W{0,3}((military\s+|international\s+)?(airport|air\s?base|airfield|air field))\b",
            ("airport", "base"),
        ),
    )
)
_CUES_BEFORE: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = tuple(
    (re.compile(p, re.I), frozenset(k))
    for p, k in (
        # "the district of X" (no name before "district"): a quarter or an admin district
        (r"\b(?:the|a)\s+(district)\s+of\s+(the\s+)?$", ("neighbourhood", "camp", "district")),
        # "the Midan district of Damascus": what follows is the city
        (
            r"\b(district|neighbou?rhood|quarter|suburb)s?\s+of\s+(the\s+)?$",
            ("neighbourhood", "camp"),
        ),
        # "the town of X"; "the cities of Aleppo and X", "the villages of X, Y and Z": the
        # cue reaches over the names listed before
        (
            r"\b(town|village|city|hamlet|villages|towns|cities)\s+of\s+"
            r"(?:(?:(?:al|el)-)?[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,2}"
            r"(?:\s*,\s*|\s+and\s+))*$",
            ("town", "village", "city"),
        ),
        (r"\bcamp\s+of\s+$", ("camp",)),
        (r"\b(province|governorate)\s+of\s+$", ("governorate",)),
        (r"\bcrossing\s+(of|at)\s+$", ("crossing",)),
    )
)
# Between a name and a cue after it may stand other names of the same list: "the Mushhad and
# Jabal quarters", "the Midan, Qadam and Tadamon districts".
_LIST_TAIL = re.compile(
    r"^(?:(?:\s*,\s*|\s+and\s+|\s+&\s+)(?:the\s+)?[A-Z][\w'\u2019-]*"
    r"(?:\s+(?:(?:" + "|".join(ARABIC_ARTICLES) + r")-)?[A-Z][\w'\u2019-]*){0,3})*"
)
FAR_KM = 60.0
# Words used in person names: "Bashar al-Assad", "Abu Qais al-Shami", "President Assad".
PERSON = re.compile(
    r"\b(?:[A-Z][a-z]+\s+(?:al|el|Al|El|bin|ibn)[-\s]|(?:President|Mr|Mrs|Gen|"
    r"General|Col|Colonel|Minister|Sheikh|spokesman|leader)\.?\s+"
    r"(?:[A-Z][a-z]+\s+)?)([A-Z][a-z]{2,})"
)


@dataclass(frozen=True)
class Context:
    """What a document tells about the names in it (made once, before any name is resolved;
    what the resolution learns as it goes, the cities named so far, is passed to
    :func:`resolve` as ``recent``)."""

    doc: Document
    gaz: Gazetteer
    sentences: list[tuple[int, int]]
    focus: list[Place]
    city_mentions: list[tuple[int, Place]]  # (offset, city) of unambiguous city mentions
    persons: frozenset[str]  # folded words used in person names in this document
    anchors: list[tuple[int, int, Place]]  # (sentence, offset, place) of one-place names
    #: (sentence, offset, candidate ids) of every spotted name
    spotted: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)
    #: the governorate and district the article's places are mostly in
    region: RegionFocus = field(default_factory=RegionFocus)
    #: offset -> candidate ids of the names spelt exactly (spotted or competing spans): what
    #: a container may be (:mod:`geomap.extraction.places.containment`)
    exact: dict[int, tuple[str, ...]] = field(default_factory=dict)
    #: ``anchors`` and ``spotted`` by sentence, each as (offset, item) in offset order
    by_sentence: dict[str, dict[int, list[tuple[int, object]]]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index: dict[str, dict[int, list[tuple[int, object]]]] = {}
        for what, items in (("anchors", self.anchors), ("spotted", self.spotted)):
            by: dict[int, list[tuple[int, object]]] = {}
            for item in items:
                by.setdefault(item[0], []).append((item[1], item))
            index[what] = by
        object.__setattr__(self, "by_sentence", index)

    def same_sentence(self, what: str, sent: int, offset: int) -> list[object]:
        """The items of ``anchors`` or ``spotted`` in sentence ``sent`` other than the one at
        ``offset``; in a sentence with very many names, only the :data:`NEAR_ITEMS` nearest on
        each side (so that a document's work stays linear in its length)."""
        items = self.by_sentence[what].get(sent, [])
        if len(items) > 2 * NEAR_ITEMS:
            i = bisect.bisect_left(items, offset, key=_first)
            items = items[max(0, i - NEAR_ITEMS) : i + NEAR_ITEMS + 1]
        return [item for a, item in items if a != offset]


def recent_city(
    recent: Sequence[tuple[int, Place]], lo: int, hi: int, *, towns: bool = False
) -> Place | None:
    """The city of the last mention resolved at an offset in ``[lo, hi)``; ``recent`` is the
    (offset, city or town) of the mentions resolved so far, in offset order. A town counts
    only with ``towns``."""
    i = bisect.bisect_left(recent, hi, key=_first)
    while i > 0 and recent[i - 1][0] >= lo:
        i -= 1
        if towns or recent[i][1].kind == "city":
            return recent[i][1]
    return None


#: In a sentence with many names, how many on each side count as "named in the same sentence".
NEAR_ITEMS = 20


def _first(item: tuple[int, object]) -> int:
    return item[0]


GOVERNORATE_CUE = frozenset({"governorate"})
#: Rule id: a governorate named by its capital's spelling with a cue ("the province of X").
CAPITAL_GOVERNORATE_RULE = "capital-governorate"


_CUE_PREFIX = re.compile(r"(?:province|governorate)\s+of\s", re.I)


def _cue_kinds(text: str, spot: Spot) -> frozenset[str]:
    words = spot.surface.split()
    if _CUE_PREFIX.match(spot.surface):  # the span starts with its cue: "province of X"
        return GOVERNORATE_CUE
    if len(words) > 1:  # a cue inside the name: "Yarmouk camp", "Idlib province"
        for pattern, kinds in _CUES_AFTER:
            if pattern.match(" " + words[-1]):
                return kinds
    after = text[spot.end : spot.end + 160]
    tail = _LIST_TAIL.match(after)
    rest = after[tail.end() :] if tail else after
    for pattern, kinds in _CUES_AFTER:
        if pattern.match(after) or (tail and tail.end() and pattern.match(rest)):
            return kinds
    before = text[max(0, spot.start - 40) : spot.start]
    for pattern, kinds in _CUES_BEFORE:
        if pattern.search(before):
            return kinds
    return frozenset()


_AREA_AFTER = re.compile(r"^\W{0,3}areas?\b", re.I)


def _area_cue(text: str, spot: Spot) -> bool:
    """Whether the neighbourhood cue after a name is only "area(s)" ("the Kadin and Tirtyah
    areas"): a word said of villages too, so a village near a place the same sentence names
    is not made a quarter of the city in context by it."""
    after = text[spot.end : spot.end + 160]
    tail = _LIST_TAIL.match(after)
    rest = after[tail.end() :] if tail else after
    return bool(_AREA_AFTER.match(after) or _AREA_AFTER.match(rest))


def context_city(
    ctx: Context, spot: Spot, recent: Sequence[tuple[int, Place]] = (), *, towns: bool = False
) -> tuple[Place | None, str]:
    """The city a name is read against: local mention, "X of CITY"/"CITY's X", the city of
    a mention resolved just before (``recent``: see :func:`recent_city`; a town too with
    ``towns``), or focus."""
    text = ctx.doc.text
    after = text[spot.end : spot.end + 60]
    m = re.match(r"^[\w\s,'\u2019-]{0,30}?\b(?:of|in)\s+(?:the\s+)?(?:city\s+of\s+)?", after)
    cities = ctx.city_mentions  # in text order
    if m:
        i = bisect.bisect_left(cities, spot.end + m.end(), key=_first)
        if i < len(cities) and cities[i][0] == spot.end + m.end():
            city = cities[i][1]
            return city, f"'{spot.surface} ... of/in {city.name}'"
        # "the area of X east of Tabqa", "X in Talbiseh": a town named so locates the name too
        sent = sentence_index(ctx.sentences, spot.start)
        for item in ctx.same_sentence("anchors", sent, spot.start):
            offset, place = item[1], item[2]  # type: ignore[index]
            if offset == spot.end + m.end() and place.kind == "town" and place.country == "SY":
                return place, f"'{spot.surface} ... of/in {place.name}'"
    i = bisect.bisect_left(cities, spot.start, key=_first)
    while i > 0 and cities[i - 1][0] >= spot.start - 25:
        i -= 1
        offset, city = cities[i]
        if re.match(r"^[\w-]+(?: [\w-]+)?['\u2019]s\s+$", text[offset : spot.start]):
            return city, f"'{city.name}'s {spot.surface}'"
    sent = sentence_index(ctx.sentences, spot.start)
    lo = ctx.sentences[max(0, sent - 4)][0]
    just_before = recent_city(recent, lo, spot.start, towns=towns)
    if just_before is not None:
        return just_before, f"{just_before.name} named just before"
    if ctx.focus:
        return ctx.focus[0], f"document focus {ctx.focus[0].name}"
    return None, ""


#: Rule id of a small place near or in another place named in the same sentence.
NEAR_NAMED_RULE = "near-named-place"
#: Rule id of a small place in the governorate (or of the city) named in the same sentence.
SAME_GOVERNORATE_RULE = "same-governorate"

#: Rule id of a small place near (or in the governorate of) a small place named in the
#: sentence before.
NEAR_PREVIOUS_RULE = "near-previous-place"


def _score(
    ctx: Context, spot: Spot, cue: frozenset[str], city: Place | None
) -> list[tuple[float, Candidate]]:
    gaz = ctx.gaz
    out: list[tuple[float, Candidate]] = []
    sent = sentence_index(ctx.sentences, spot.start)
    anchors = [item[2] for item in ctx.same_sentence("anchors", sent, spot.start)]  # type: ignore[index]
    previous = (
        [item[2] for item in ctx.same_sentence("anchors", sent - 1, -1)]  # type: ignore[index]
        if sent > 0
        else []
    )
    options = [(pid, spot.score, f"{spot.how} match") for pid in spot.ids]
    options += [(pid, 0.85, "spelling variant") for pid in spot.variants]
    towns = any(gaz.get(pid).kind in ("town", "city") for pid, _, _ in options)
    # namesakes in several governorates (or districts): the article's region weighs
    level = ctx.region.level_for(
        p for p in (gaz.get(pid) for pid, _, _ in options) if p.kind in SMALL_KINDS
    )
    for pid, base, how in options:
        place = gaz.get(pid)
        score = base + PROMINENCE.get(place.kind, 0.0)
        why = [how]
        rules: list[str] = []
        if place.kind in SMALL_KINDS:
            near = next(
                (
                    a
                    for a in anchors
                    if a.id != place.id
                    and (
                        haversine_km(a.lat, a.lon, place.lat, place.lon) < 25
                        or (a.kind == "governorate" and a.name == place.governorate)
                        or (a.kind == "district" and a.name == place.district)
                    )
                ),
                None,
            )
            if near is not None:
                score += 0.08
                why.append(f"near or in {near.name}, named in the same sentence")
                rules.append(NEAR_NAMED_RULE)
                if any(
                    a.kind in ("governorate", "city")
                    and a.country == "SY"
                    and (a.name if a.kind == "governorate" else a.governorate) == place.governorate
                    for a in anchors
                ):
                    score += 0.06
                    why.append("in the governorate named in the same sentence")
                    rules.append(SAME_GOVERNORATE_RULE)
            else:
                before = next(
                    (
                        a
                        for a in previous
                        if a.id != place.id
                        and a.kind in SMALL_KINDS
                        and (
                            haversine_km(a.lat, a.lon, place.lat, place.lon) < 25
                            or (a.governorate and a.governorate == place.governorate)
                        )
                    ),
                    None,
                )
                if before is not None:
                    score += 0.06
                    why.append(f"near or with {before.name}, named in the sentence before")
                    rules.append(NEAR_PREVIOUS_RULE)
        if level and place.kind in SMALL_KINDS and ctx.region.holds(place, level):
            score += REGION_BONUS
            region = ctx.region.governorate if level == "governorate" else ctx.region.district
            why.append(f"in {region}, where the article's other places are")
            rules.append(ctx.region.rule(level))
        if not cue and place.kind == "crossing" and towns:
            score -= 0.08
            why.append("a crossing, but no cue word says so")
        if cue:
            if place.kind in cue:
                score += 0.15
                why.append(f"cue fits {place.kind}")
            elif place.kind in SMALL_KINDS or place.kind == "district":
                score -= 0.1
        if city is not None and (place.country == "SY" or place.kind in SMALL_KINDS):
            d = haversine_km(city.lat, city.lon, place.lat, place.lon)
            if place.city_id == city.id:
                score += 0.15
                why.append(f"in {city.name}")
            elif place.kind in SMALL_KINDS and d > FAR_KM:
                score -= 0.2
                why.append(f"{d:.0f} km from {city.name}")
            elif d < 30:
                score += 0.05
        out.append(
            (
                score,
                Candidate(place, scaled(score), "; ".join(why), spot.surface, tuple(rules)),
            )
        )
    capital = any(
        c.place.kind == "city"
        and any(o.place.kind == "governorate" and o.place.name == c.place.name for _, o in out)
        for _, c in out
    )
    if capital and not cue:
        # "Hama", "Idleb": the governorate and its capital; a village of that name needs a cue
        out = [
            (
                score - CAPITAL_NAMESAKE,
                replace(
                    c,
                    score=scaled(score - CAPITAL_NAMESAKE),
                    reason=f"{c.reason}; a governorate capital's name, no cue for a village",
                ),
            )
            if c.place.kind in SMALL_KINDS
            else (score, c)
            for score, c in out
        ]
    governorates = {c.place.name for _, c in out if c.place.kind == "governorate"}
    if governorates and "district" not in cue:
        # "Rural Damascus": the governorate; its district of the same name needs the word
        out = [
            (
                score - CAPITAL_NAMESAKE,
                replace(
                    c,
                    score=scaled(score - CAPITAL_NAMESAKE),
                    reason=f"{c.reason}; a governorate's name, no cue for its district",
                ),
            )
            if c.place.kind == "district" and c.place.name in governorates
            else (score, c)
            for score, c in out
        ]
    if any(NEAR_NAMED_RULE in c.rules for _, c in out):
        # a list of places near one another: a namesake far from every one of them loses
        out = [
            (
                score - FAR_FROM_LIST,
                replace(
                    c,
                    score=scaled(score - FAR_FROM_LIST),
                    reason=f"{c.reason}; far from the places named with it",
                ),
            )
            if c.place.kind in SMALL_KINDS and NEAR_NAMED_RULE not in c.rules
            else (score, c)
            for score, c in out
        ]
    out.sort(key=lambda t: (-t[0], t[1].place.id))
    return out


#: What a small place loses, without a cue word, where its name is a governorate's and its
#: capital's; and what a district loses where it bears its governorate's name.
CAPITAL_NAMESAKE = 0.1

#: What a small place loses where a namesake of it lies near a place the same sentence names.
FAR_FROM_LIST = 0.1

#: What a small place gains over its namesakes where it lies in the article's region
#: (:mod:`geomap.extraction.places.focus`): enough to break a tie (the margin of an
#: ambiguous name is 0.05), less than a place named in the sentence before gives (0.06).
REGION_BONUS = 0.055

#: The highest raw score a candidate can reach (match + prominence + cue + city bonuses);
#: reported scores are raw / MAX_RAW, in [0, 1].
MAX_RAW = 1.0 + 0.08 + 0.15 + 0.15


def scaled(raw: float) -> float:
    return round(min(max(raw / MAX_RAW, 0.0), 1.0), 3)


def rival(best: Place, other: Place) -> bool:
    """Whether two candidates are really different places (not one inside the other)."""
    if best.id == other.parent_id or other.id == best.parent_id:
        return False  # "Rural Damascus" the governorate and its district of that name
    d = haversine_km(best.lat, best.lon, other.lat, other.lon)
    return d > max(best.precision_km, other.precision_km) + 5.0


# "Assad regime", "Assad's forces", "pro-Assad", "Assad-Russian": a person, not a village.
_NOT_A_PLACE_AFTER = re.compile(
    r"(?:['\u2019]s)?(?:\s+(?:regime|forces|government|troops|"
    r"loyalists?|supporters|family|clan|era|rule|administration|"
    r"militias?)\b|-[A-Z])"
)
_NOT_A_PLACE_BEFORE = re.compile(r"\b(?:pro|anti)-$", re.I)
_LOCATIVE = re.compile(
    r"\b(in|near|at|from|to|outside|around|into|towards?|of|across|between|"
    r"hit|hits|shelled|shelling|bombed|bombing|bombarded|pounded|struck|stormed|raided|"
    r"captured|seized|took|retook|entered|attacked|besieged|targeted|overran)"
    r"\s+(the\s+)?$",
    re.I,
)
_ON_BEFORE = re.compile(r"\bon\s+(?:the\s+)?$", re.I)
# "X was shelled", "X had been hit": the name is what was attacked
_PASSIVE_ATTACK = re.compile(
    r"\s+(?:was|were|is|are|has\s+been|had\s+been|have\s+been)\s+(?:\w+ly\s+|also\s+|again\s+)?"
    r"(?:shelled|bombed|bombarded|hit|struck|attacked|captured|seized|stormed|targeted|pounded|"
    r"besieged|raided|overrun|retaken|recaptured|liberated|taken|shelled)\b",
    re.I,
)
#: Kinds a spelling variant (phonetic key, skeleton) may name without a cue word: a variant
#: of a village or crossing name is too often a person or a common word.
VARIANT_KINDS = frozenset(
    {
        "region",
        "neighbourhood",
        "camp",
        "facility",
        "landmark",
        "city",
        "town",
        "governorate",
        "country",
        "airport",
        "base",
    }
)


#: Rule id of a quarter's name read in the city in context, where the gazetteer has it only
#: for other cities' quarters ("Tishreen" in an article on Damascus): ``quarter-here:city=C1001``.
QUARTER_HERE_RULE = "quarter-here"


def _quarter_here(
    ctx: Context, spot: Spot, sent: int, cue: frozenset[str], recent: Sequence[tuple[int, Place]]
) -> Mention | None:
    """A one-word name the gazetteer has only as quarters of cities the article does not name,
    read as the quarter of the city in context spelt so (:func:`_local_lookup`); None where
    that city has none, or the word is a person's or a group's."""
    gaz = ctx.gaz
    surface = spot.surface.strip()
    ids = (*spot.ids, *spot.variants)
    if (
        spot.how != "name"
        or cue
        or " " in surface
        or not ids
        or not all(gaz.get(i).kind in NEIGHBOURHOOD_KINDS for i in ids)
        or fold_word(surface) in ctx.persons
        or fold_word(surface) in not_places()
    ):
        return None
    city, why = context_city(ctx, spot, recent)
    if city is None or any(gaz.get(i).city_id == city.id for i in ids):
        return None
    found = _local_lookup(ctx, spot, city)
    if found is None:
        return None
    return _local_mention(
        ctx,
        sent,
        found,
        f"a quarter's name, looked up in {city.name} ({why})",
        rules=(f"{QUARTER_HERE_RULE}:city={city.id}",),
    )


def _local_mention(
    ctx: Context,
    sent: int,
    found: tuple[Spot, Candidate],
    why: str,
    runners_up: tuple[Candidate, ...] = (),
    rules: tuple[str, ...] = (),
) -> Mention:
    """The event mention of a name :func:`_local_lookup` found among a city's quarters."""
    wide, cand = found
    return Mention(
        ctx.doc.id,
        wide.start,
        wide.end,
        wide.surface,
        sent,
        "event",
        "resolved",
        cand.place,
        cand.score,
        f"{why}: {cand.reason}",
        runners_up,
        rules=rules,
    )


#: Rule id of a spelling whose consonants are those of a place near another place the same
#: sentence names ("Mesraba and Madira": Modira, beside Mesraba), where the spelling alone
#: names no place near: ``near-spelling:near=C2344``.
NEAR_SPELLING_RULE = "near-spelling"
#: How near (km) to a place the sentence names such a namesake in spelling must lie.
NEAR_SPELLING_KM = 20.0
#: Kinds of the places read so and of the places they lie near: villages among villages and
#: towns (a city's quarters have their own lookup, :func:`_local_lookup`).
NEAR_SPELLING_KINDS = frozenset({"village", "town"})
#: Skeletons shared by more places than this are not read this way (too common).
NEAR_SPELLING_MAX = 400


def _near_spelling(ctx: Context, spot: Spot, sent: int, cue: frozenset[str]) -> Spot | None:
    """A one-word spelling variant ("Madira", "Kafyra", "Khalsa") read as the place near a
    place named in the same sentence whose name has its consonants, where none of the places
    it matched lies near one; only in a list of names or after a locative or attack word
    ("Mesraba and Madira", "shelled Madira"), never for a person's name. None otherwise."""
    surface = spot.surface.strip()
    if spot.how not in ("key", "skeleton", "short") or " " in surface:
        return None
    if cue and "village" not in cue and not _area_cue(ctx.doc.text, spot):
        return None  # cued as a quarter, a camp, a crossing ...: not a village's spelling
    gaz = ctx.gaz
    anchors = [
        a
        for a in (item[2] for item in ctx.same_sentence("anchors", sent, spot.start))  # type: ignore[index]
        if a.country == "SY" and a.kind in NEAR_SPELLING_KINDS
    ]
    folded = fold_word(surface)
    text = ctx.doc.text
    if (
        not anchors
        or folded in ctx.persons
        or folded in not_places()
        or _NOT_A_PLACE_AFTER.match(text, spot.end)  # "Assad's forces"
        or _NOT_A_PLACE_BEFORE.search(text[max(0, spot.start - 6) : spot.start])
    ):
        return None  # a person's name, a group's or an outlet's
    matched = [gaz.get(i) for i in (*spot.ids, *spot.variants)] if spot.how != "short" else []
    if any(_within(a, p, NEAR_SPELLING_KM) for a in anchors for p in matched if a.id != p.id):
        return None  # a key match near already: the usual scoring decides
    skel = name_keys(surface)[1]
    ids = gaz.skeleton_index().get(skel) or gaz.short_skeleton_index().get(skel, ())
    if not ids or len(ids) > NEAR_SPELLING_MAX:
        return None
    near: list[tuple[float, str, str]] = []  # (km, place id, anchor id)
    for pid in ids:
        p = gaz.get(pid)
        if p.country != "SY" or p.kind not in NEAR_SPELLING_KINDS:
            continue
        d, a = min(
            ((haversine_km(a.lat, a.lon, p.lat, p.lon), a.id) for a in anchors if a.id != pid),
            default=(float("inf"), ""),
        )
        if d < NEAR_SPELLING_KM:
            near.append((d, pid, a))
    if not near:
        return None
    # a word of a longer name no list has ("Hweijet Saqer", "Nusra Front", "Ruweiset
    # al-Jaoureh") is not a name of its own: a capitalised word beside it must name one place
    starts = {item[1] for item in ctx.same_sentence("anchors", sent, spot.start)}  # type: ignore[index]
    prev = _WORD_BEFORE.search(text, max(0, spot.start - 30), spot.start)
    nxt = _NEXT_WORD.match(text, spot.end)
    if (prev is not None and not _ends_a_name(text, prev, starts)) or (
        nxt is not None and nxt.start(1) not in starts
    ):
        return None
    before = text[max(0, spot.start - 30) : spot.start]
    if not (
        _in_name_list(ctx, spot)
        or _LOCATIVE.search(before)
        or _PASSIVE_ATTACK.match(text, spot.end)
    ):
        return None
    near.sort()
    return replace(
        spot,
        ids=tuple(pid for _, pid, _ in near),
        variants=(),
        how="skeleton",
        score=0.85,
        rules=(*spot.rules, f"{NEAR_SPELLING_RULE}:near={near[0][2]}"),
    )


def _ends_a_name(text: str, word: re.Match[str], starts: set[int]) -> bool:
    """Whether the capitalised ``word`` before a name ends a name of one place that starts at
    one of ``starts`` ("Deir Qaq" of "Deir Qaq Sarjeh": a list without commas)."""
    return any(
        a <= word.start() and word.end(1) - a <= 40 and _NAME_RUN.fullmatch(text, a, word.end(1))
        for a in starts
    )


_NAME_RUN = re.compile(r"[A-Z][\w'\u2019]*(?:[\s-]+(?:(?:al|el)-)?[A-Z][\w'\u2019]*)*")

#: The next word, where it is capitalised or joined by the Arabic article ("X al-Y").
_NEXT_WORD = re.compile(r"[\s-]+((?:(?:al|el|ad|ar|as|ash|at|az|an)[\s-])?[A-Z])")


#: How many other places of one governorate a sentence must name for a spelling variant of a
#: place in it to be read there, however far the city in context is.
SAME_GOVERNORATE_NAMED = 2


def _governorate_named(ctx: Context, spot: Spot, sent: int, place: Place) -> bool:
    """Whether the sentence of ``spot`` names at least :data:`SAME_GOVERNORATE_NAMED` other
    places (one-place names) in the governorate of ``place`` ("in Bosra al-Sham, Atman al-Hrak
    and al-Yadouda": the other two in Daraa): a list of one governorate's places, where a
    variant spelling of one of them is not a namesake far off."""
    if place.country != "SY" or not place.governorate:
        return False
    same = {
        a.id
        for a in (item[2] for item in ctx.same_sentence("anchors", sent, spot.start))  # type: ignore[index]
        if a.id != place.id
        and a.country == "SY"
        and (a.name if a.kind == "governorate" else a.governorate) == place.governorate
    }
    return len(same) >= SAME_GOVERNORATE_NAMED


def _within(a: Place, b: Place, km: float) -> bool:
    return haversine_km(a.lat, a.lon, b.lat, b.lon) < km


def _admissible(ctx: Context, spot: Spot, cue: frozenset[str]) -> Spot | None:
    """Drop the candidates a span cannot plausibly name; None when none is left."""
    gaz = ctx.gaz
    ids = spot.ids
    if spot.how == "cue":
        return spot if "neighbourhood" in cue else None
    parts = spot.surface.split()
    if (
        spot.how != "name"
        and len(parts) > 1
        and _particle(parts[0])
        and not _WORD_BEFORE.search(ctx.doc.text, max(0, spot.start - 30), spot.start)
    ):
        # "Al Nabek": the article and an exact name of the place ("Nabek") is that name
        named = gaz.name_index().get(normalize_name(" ".join(parts[1:])), ())
        if set(named) & set(spot.ids):
            spot = replace(spot, how="name", score=0.95)
    words = normalize_name(spot.surface).split() or [""]
    if spot.how != "name" and (
        _particle(spot.surface.split()[-1])
        or (
            _particle(spot.surface.split()[0])
            and _WORD_BEFORE.search(ctx.doc.text, max(0, spot.start - 30), spot.start)
        )
    ):
        return None  # "Busra al" or "al Harir" of "Busra al Harir": a piece of a longer name
    if " ".join(words) in not_places() or fold_word(" ".join(words)) in not_places():
        return None
    word = spot.surface.split()[0] if spot.surface.split() else ""
    single = " " not in spot.surface.strip()
    if single and not cue and not spot.rules and fold_word(word) in ctx.persons:
        return None  # (a name admitted as one of a list, "Atman al-Hrak", is no person's)
    if single and not cue:
        # a neighbourhood of a city the article never names is not what a lone word means
        focus_ids = {c.id for c in ctx.focus}
        ids = tuple(
            i
            for i in ids
            if gaz.get(i).kind not in NEIGHBOURHOOD_KINDS or gaz.get(i).city_id in focus_ids
        )
        if not ids:
            return None
    if single and not cue and all(gaz.get(i).kind in SMALL_KINDS for i in ids):
        text = ctx.doc.text
        if _NOT_A_PLACE_AFTER.match(text, spot.end) or _NOT_A_PLACE_BEFORE.search(
            text[max(0, spot.start - 6) : spot.start]
        ):
            return None
    if spot.how != "name":
        kept = tuple(
            i
            for i in ids
            if (gaz.get(i).kind in VARIANT_KINDS or gaz.get(i).kind in cue)
            and _variant_country_ok(gaz.get(i))
        )
        if (
            not kept
            and spot.how == "key"
            and not any(gaz.get(i).kind in VARIANT_KINDS for i in spot.variants)
        ):
            kept = tuple(i for i in ids if gaz.get(i).kind == "village")
            before = ctx.doc.text[max(0, spot.start - 30) : spot.start]
            attacked = (
                _LOCATIVE.search(before)
                or _ON_BEFORE.search(before)
                or _PASSIVE_ATTACK.match(ctx.doc.text, spot.end)
            )
            words = normalize_name(spot.surface).split()
            if words and words[0] in GENERIC and len(words) > 1 and attacked:
                pass  # "on Kafr Nabouda": a village's generic first word and a locative
            elif (not single or _in_name_list(ctx, spot) or attacked) and _near_anchor(
                ctx, spot, kept
            ):
                pass  # in a list of places near it ("in X, Y and Z"), or hit near one
            else:
                kept = ()
        ids = kept
        if spot.how == "skeleton" and not cue and len(name_keys(spot.surface)[1]) < 5:
            return None
    elif single and not cue and all(gaz.get(i).kind == "village" for i in ids):
        before = ctx.doc.text[max(0, spot.start - 30) : spot.start]
        if (
            not _LOCATIVE.search(before)
            and not _PASSIVE_ATTACK.match(ctx.doc.text, spot.end)
            and not _near_anchor(ctx, spot, ids)
        ):
            return None
    variants = tuple(
        i
        for i in spot.variants
        if (
            gaz.get(i).kind in VARIANT_KINDS
            or gaz.get(i).kind in cue
            # a village spelt as another place's name, near a place the sentence names: a
            # list of villages ("X, Y and Z") where the spelling of one matches a town far off
            or (
                spot.how == "name"
                and gaz.get(i).kind == "village"
                and _near_anchor(ctx, spot, (i,))
            )
        )
        and _variant_country_ok(gaz.get(i))
    )
    if not cue and any(gaz.get(i).kind in PROMINENT_KINDS for i in ids):
        variants = ()  # "Iran" the country, not a neighbourhood spelt "Iran" by a variant
    if not ids and not variants:
        return None
    if ids == spot.ids and variants == spot.variants:
        return spot
    return Spot(
        spot.start, spot.end, spot.surface, ids, spot.score, spot.how, spot.descriptive, variants
    )


#: Countries whose places a spelling variant may name (the press spells them many ways);
#: a city further abroad is named by its own spelling ("Lamia" is no spelling of Lima).
VARIANT_COUNTRIES = frozenset({"SY", "LB"})


def _variant_country_ok(place: Place) -> bool:
    return place.kind == "country" or place.country in VARIANT_COUNTRIES


#: Words that join the words of one name: the Arabic article, "bin", "ibn", "of".
_PARTICLES = frozenset(ARABIC_ARTICLES) | {"bin", "ibn", "of"}
#: Kinds an exact name of which is not made ambiguous by another place's spelling variant.
PROMINENT_KINDS = frozenset({"country", "governorate", "city"})


@cache
def not_places() -> frozenset[str]:
    """Names of groups, news agencies and outlets that look like place names ("Hamas" = "Hama"
    + s, "SANA" = Al Sina'a): data in ``geomap/extraction/data/not_places.csv``."""
    data = resources.files("geomap.extraction").joinpath("data")
    text = data.joinpath("not_places.csv").read_text(encoding="utf-8")
    return frozenset(row["name"] for row in csv.DictReader(io.StringIO(text)))


def group_name_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` writes a name of :func:`not_places` of several words ("Islamic State in
    Iraq and Levant", "al-Qaeda in Iraq"): the places inside are part of a group's name."""
    pattern = _group_names()
    return [m.span() for m in pattern.finditer(text)] if pattern is not None else []


@cache
def _group_names() -> re.Pattern[str] | None:
    names = sorted((n for n in not_places() if " " in n), key=len, reverse=True)
    if not names:
        return None
    joined = "|".join(r"[\s'\u2019-]+".join(map(re.escape, n.split())) for n in names)
    return re.compile(rf"\b(?:{joined})\b", re.I)


_NAME_BEFORE = re.compile(r"[A-Z][\w'\u2019-]*[\s,]*(?:(?:and|&)\s+)?$")
_NAME_AFTER = re.compile(r"[\s,]*(?:(?:and|&)\s+)?(?:(?:al|el)-)?[A-Z]")
#: A sentence with more than this share of capitalised words is a title ("Rebels Shell X").
TITLE_SHARE = 0.6


def _in_name_list(ctx: Context, spot: Spot) -> bool:
    """Whether a span stands in a run of names ("in Kadin, Salma Dourin and Tirtyah"), in a
    sentence that is not a title set in capitals."""
    text = ctx.doc.text
    sent = sentence_index(ctx.sentences, spot.start)
    starts = {
        item[1]  # type: ignore[index]
        for item in ctx.same_sentence("spotted", sent, spot.start)
        if any(ctx.gaz.get(i).country == "SY" for i in item[2])  # type: ignore[index]
    }
    lo = max(0, spot.start - 40)
    before = _NAME_BEFORE.search(text[lo : spot.start])
    after = _NAME_AFTER.match(text, spot.end)
    joined = any(m is not None and re.search(r",|\band\b|&", m.group(0)) for m in (before, after))
    multi = " " in spot.surface.strip()
    if not (
        (multi and (before is not None or after is not None))
        or joined  # "X, Y and Z": a list, whatever the neighbours are
        or (before is not None and {lo + before.start(), lo + before.start() - 3} & starts)
        or (after is not None and after.end() - 1 - _particle_len(text, after) in starts)
    ):
        return False  # "Lamia Hariri": two capitalised words, neither a place, are a person
    a, b = ctx.sentences[sent]
    words = re.findall(r"[A-Za-z][\w'\u2019-]*", text[a:b])
    caps = sum(1 for w in words if w[0].isupper())
    return len(words) > 0 and caps / len(words) <= TITLE_SHARE


def _particle_len(text: str, m: re.Match[str]) -> int:
    """How many characters of an article ("al-") the match of :data:`_NAME_AFTER` ends
    with (a spotted name starts at its article or at its capital)."""
    head = text[m.start() : m.end() - 1]
    cut = re.search(r"(?:al|el)-$", head)
    return len(cut.group(0)) if cut else 0


def _near_anchor(ctx: Context, spot: Spot, ids: tuple[str, ...]) -> bool:
    """Whether a candidate lies within 25 km of another place named in the same sentence
    ("Douma, Zamalka and Darayya")."""
    sent = sentence_index(ctx.sentences, spot.start)
    others = [
        ctx.gaz.get(i)
        for item in ctx.same_sentence("spotted", sent, spot.start)
        for i in item[2][:3]  # type: ignore[index]
    ]
    return any(
        haversine_km(a.lat, a.lon, p.lat, p.lon) < 25
        for a in others
        for p in (ctx.gaz.get(i) for i in ids)
        if a.id != p.id and a.kind not in ("country", "governorate")
    )


def _particle(word: str) -> bool:
    return word.casefold().strip("-'\u2019") in _PARTICLES


#: How well a name cued as a neighbourhood must match one of the context city's to be taken.
LOCAL_MIN_SCORE = 0.85
_WORD_BEFORE = re.compile(r"([A-Z][\w'\u2019]*)[\s-]+$")


def _local_lookup(ctx: Context, spot: Spot, city: Place) -> tuple[Spot, Candidate] | None:
    """A neighbourhood of ``city`` that a cued name spells loosely ("Bab Sbaa" for
    "Bab As-Sebaa"); the span grows over a generic word just before it ("Bab", "Sheikh")."""
    text = ctx.doc.text
    spans = [spot]
    before = _WORD_BEFORE.search(text[max(0, spot.start - 20) : spot.start])
    if before and normalize_name(before.group(1)) in GENERIC:
        start = spot.start - len(before.group(0))
        spans.insert(0, Spot(start, spot.end, text[start : spot.end], (), 0.0, spot.how))
    for wide in spans:
        for cand in ctx.gaz.lookup(
            wide.surface, near=city, kinds=("neighbourhood", "camp"), limit=3
        ):
            if cand.place.city_id == city.id and cand.score >= LOCAL_MIN_SCORE:
                return wide, cand
    # the one quarter of the city whose name has the consonants of the word, however short
    # ("Maghayir": mgr, the Arabic name of Bab al-Maqam's al-Maghayir)
    skel = name_keys(spot.surface)[1]
    gaz = ctx.gaz
    ids = gaz.skeleton_index().get(skel, ()) or gaz.short_skeleton_index().get(skel, ())
    here = [
        gaz.get(i)
        for i in ids
        if gaz.get(i).city_id == city.id and gaz.get(i).kind in ("neighbourhood", "camp")
    ]
    if len(skel) >= SHORT_SKELETON_MIN and len(here) == 1:
        reason = f"the one quarter of {city.name} with the consonants of '{spot.surface}'"
        return spot, Candidate(here[0], LOCAL_MIN_SCORE, reason, spot.surface)
    return None


def persons_in(text: str, places: Sequence[tuple[int, int]] = ()) -> frozenset[str]:
    """Folded words used in person names in ``text`` ("Assad" of "Bashar al-Assad"); not the
    name after a place ("Aleppo al-Baath", a list whose comma was lost): ``places`` are the
    spans of the names spotted as places."""
    starts = {a for a, _ in places}
    return frozenset(
        fold_word(m.group(1))
        for m in PERSON.finditer(text)
        if m.start() not in starts or not _PLACE_THEN_ARTICLE.match(m.group(0))
    )


#: The first alternative of :data:`PERSON`: a name, then the article ("X al-").
_PLACE_THEN_ARTICLE = re.compile(r"[A-Z][a-z]+\s+(?:al|el|Al|El)[-\s]")


def fold_word(word: str) -> str:
    w = normalize_name(word)
    return w[:-1] if w.endswith("s") and len(w) > 4 else w


_SIDE = (
    r"(?:(?:north|south|east|west)(?:ern)?|(?:north|south)-?(?:east|west)(?:ern)?|"
    r"central|rural|far)"
)
# "Aleppo countryside", "Idlib's southern countryside", "the Damascus suburbs"
_COUNTRYSIDE_AFTER = re.compile(
    rf"(?:['\u2019]s)?\s+(?:{_SIDE}\s+)?(?:countryside|suburbs|rural areas|hinterland)\b", re.I
)
# "the western countryside of Aleppo", "rural Idlib", "the suburbs of Damascus"
_COUNTRYSIDE_BEFORE = re.compile(
    r"(?:\b(?:countryside|suburbs|rural areas|hinterland)\s+of\s+(?:the\s+)?|\brural\s+)$", re.I
)


def _countryside(ctx: Context, m: Mention) -> Mention:
    """A city or governorate named as countryside ("Aleppo countryside", "rural Idlib") is the
    governorate around it; the countryside of a city that is a governorate of its own is the
    rural governorate around it ("Damascus countryside" = Rural Damascus)."""
    p = m.place
    if p is None or p.country != "SY" or p.kind not in ("city", "town", "governorate"):
        return m
    text = ctx.doc.text
    after = _COUNTRYSIDE_AFTER.match(text, m.end)
    if not after and not _COUNTRYSIDE_BEFORE.search(text, max(0, m.start - 40), m.start):
        return m
    gov_name = p.name if p.kind == "governorate" else p.governorate
    index = ctx.gaz.name_index()
    gov = None
    for name in (f"Rural {gov_name}", gov_name):
        ids = [
            i for i in index.get(normalize_name(name), ()) if ctx.gaz.get(i).kind == "governorate"
        ]
        if ids:
            gov = ctx.gaz.get(ids[0])
            break
    if gov is None:
        return m
    end = after.end() if after else m.end
    return replace(
        m,
        end=end,
        surface=text[m.start : end],
        status="resolved",
        place=gov,
        reason=f"{m.reason}; {COUNTRYSIDE_RULE}: {gov.name}",
    )


#: Rule id in the reason of a mention read as the countryside around a place.
COUNTRYSIDE_RULE = "countryside-of"


_DISTRICT_OF = re.compile(r"\bDistrict\s+of\s+(?:the\s+)?$")


def _admin_context(
    ctx: Context, spot: Spot, sent: int, district: Place, city: Place | None
) -> bool:
    """Whether "district" next to a name means the administrative district: its governorate
    is named in the sentence ("the district of X in Rural Damascus"), it is written "the
    District of X", or it lies near the city in context (else "the X district" is a quarter
    of that city)."""
    if _DISTRICT_OF.search(ctx.doc.text, max(0, spot.start - 20), spot.start):
        return True
    named = {item[2].id for item in ctx.same_sentence("anchors", sent, spot.start)}  # type: ignore[index]
    if district.parent_id in named:
        return True
    return city is not None and (
        haversine_km(city.lat, city.lon, district.lat, district.lon) <= FAR_KM
        and district.name != city.name
    )


def resolve(
    ctx: Context, spot: Spot, sent: int, recent: Sequence[tuple[int, Place]] = ()
) -> Mention | None:
    """The mention ``spot`` makes, or None; ``recent`` is the (offset, city) of the mentions
    resolved before it, in offset order."""
    if " " not in spot.surface.strip() and is_demonym(ctx.gaz, spot.surface):
        return None  # "a Damascan suburb": whose, not where
    m = _resolve(ctx, spot, sent, recent)
    if m is None:
        return None
    text = ctx.doc.text
    word = _WORD_BEFORE.search(text, max(0, spot.start - 30), spot.start)
    placed = (
        bool(_cue_kinds(text, spot))
        or bool(_IN_BEFORE.search(text, max(0, spot.start - 30), spot.start))
        or bool(
            (hit := _LOCATIVE.search(text, max(0, spot.start - 30), spot.start))
            and hit.group(1).lower() != "of"  # "struck X", "shelling X"
        )
        # in a list, unless a first name stands before it ("Mohammad Khalili")
        or (_in_name_list(ctx, spot) and (word is None or word.start() in ctx.exact))
    )
    return contain(ctx, spot, sent, _countryside(ctx, m), placed=placed)


#: A preposition of place right before a name ("of" is not one: "a colleague of Harah").
_IN_BEFORE = re.compile(
    r"\b(?:in|at|near|into|on|from|to|around|outside|(?:area|region|vicinity|outskirts)\s+of)"
    r"\s+(?:the\s+)?$",
    re.I,
)


def _resolve(
    ctx: Context, spot: Spot, sent: int, recent: Sequence[tuple[int, Place]]
) -> Mention | None:
    text = ctx.doc.text
    cue = _cue_kinds(text, spot)
    near_spelt = _near_spelling(ctx, spot, sent, cue)
    if near_spelt is None and spot.how == "short":
        return None  # a short skeleton names a place only near another one
    admissible = near_spelt or _admissible(ctx, spot, cue)
    if admissible is None:
        return _quarter_here(ctx, spot, sent, cue, recent)
    spot = admissible
    city, city_why = context_city(ctx, spot, recent)
    ranked = _score(ctx, spot, cue, city)
    runners = tuple(c for _, c in ranked[1:6])

    def mention(
        status: str,
        place: Place | None,
        score: float,
        reason: str,
        runners_up: tuple[Candidate, ...] = runners,
        rules: tuple[str, ...] = (),
    ) -> Mention:
        return Mention(
            ctx.doc.id,
            spot.start,
            spot.end,
            spot.surface,
            sent,
            "event",
            status,
            place,
            scaled(score) if status != "fallback" else round(score, 3),
            reason,
            runners_up,
            rules=rules,
        )

    # "the District of Yabroud": an administrative district (named after its capital town),
    # not a neighbourhood of the city in context
    admin_district = "district" in cue and any(
        c.place.kind == "district" and _admin_context(ctx, spot, sent, c.place, city)
        for _, c in ranked
    )
    wants_neighbourhood = (
        "neighbourhood" in cue
        and not admin_district
        and not (_area_cue(text, spot) and any(NEAR_NAMED_RULE in c.rules for _, c in ranked))
    )
    all_small = all(c.place.kind in SMALL_KINDS | {"district"} for _, c in ranked)
    if city is not None and not spot.descriptive and all_small and wants_neighbourhood:
        local = [c for _, c in ranked if c.place.city_id == city.id]
        if not local:  # a neighbourhood of another city the article names?
            for other in ctx.focus:
                here = [
                    (s, c)
                    for s, c in ranked
                    if c.place.city_id == other.id and c.place.kind in NEIGHBOURHOOD_KINDS
                ]
                if here:
                    local = [c for _, c in here]
                    ranked = here + [(s, c) for s, c in ranked if (s, c) not in here]
                    city_why = f"a neighbourhood of {other.name}, named in the article"
                    break
        if not local:
            found = _local_lookup(ctx, spot, city)
            if found is not None:
                return _local_mention(
                    ctx,
                    sent,
                    found,
                    f"cued as a neighbourhood, looked up in {city.name} ({city_why})",
                    tuple(c for _, c in ranked[:5]),
                )
            # "They seized the Sahel district", after a town is named: the town's quarter
            home, home_why = context_city(ctx, spot, recent, towns=True)
            if home is not None and home.kind == "town":
                city, city_why = home, home_why
            nearest = min(
                (c.place for _, c in ranked),
                key=lambda p: (haversine_km(city.lat, city.lon, p.lat, p.lon), p.id),
                default=None,
            )
            elsewhere = (
                (
                    f"; the only places so named are elsewhere (nearest: {nearest.name}, "
                    f"{nearest.governorate or nearest.country}, "
                    f"{haversine_km(city.lat, city.lon, nearest.lat, nearest.lon):.0f} km)"
                )
                if nearest
                else ""
            )
            return mention(
                "fallback",
                city,
                0.6,
                f"fallback to {city.name} at city precision: no neighbourhood "
                f"'{spot.surface}' in {city.name} ({city_why}){elsewhere}",
                tuple(c for _, c in ranked[:5]),
            )
    if not ranked:
        return mention(
            "unresolved",
            None,
            0.0,
            "no gazetteer place by this name, and no city in context to fall back to",
            (),
        )
    best_score, best = ranked[0]
    if cue == GOVERNORATE_CUE and best.place.kind in ("city", "town"):
        # "the province of Idlib" where "Idlib" spells only the city: its governorate
        gov = governorate_of_capital(ctx.gaz, best.place)
        if gov is not None:
            best = Candidate(
                gov,
                best.score,
                f"{best.reason}; {CAPITAL_GOVERNORATE_RULE}: the governorate of {best.place.name}",
                best.matched,
                (*best.rules, CAPITAL_GOVERNORATE_RULE),
            )
            ranked = [(best_score, best)] + [(s, c) for s, c in ranked[1:] if c.place.id != gov.id]
    if best.place.kind in ("district", "subdistrict", "governorate") and (
        not cue or admin_district
    ):
        # "Afrin": the town rather than the district named after it, when nothing says district
        town = next(
            (
                c
                for s, c in ranked[1:]
                if c.place.kind in ("town", "city")
                and best.place.name in (c.place.district, c.place.governorate)
            ),
            None,
        )
        if town is not None:
            ranked = [(best_score, town)] + [(s, c) for s, c in ranked if c is not town]
            best = town
        elif best.place.kind == "district" and "district" not in cue:
            # "Rural Damascus": the governorate rather than its district of the same name
            parent = next(
                (
                    c
                    for _, c in ranked[1:]
                    if c.place.kind == "parenternorate" and c.place.id == best.place.parent_id
                ),
                None,
            )
            if parent is not None:
                ranked = [(best_score, parent)] + [(s, c) for s, c in ranked if c is not parent]
                best = parent
    rivals = [(s, c) for s, c in ranked[1:] if rival(best.place, c.place)]
    margin = best_score - rivals[0][0] if rivals else best_score
    reason = best.reason + (f"; context: {city_why}" if city_why else "")
    if rivals and margin < 0.05:
        return mention(
            "ambiguous",
            best.place,
            best_score,
            f"ambiguous: {len(rivals) + 1} places score within 0.05; {reason}",
        )
    if best_score < 0.6:
        return mention("ambiguous", best.place, best_score, f"low score; {reason}")
    if (
        spot.how in ("key", "skeleton")
        and city is not None
        and best.place.kind in SMALL_KINDS
        and haversine_km(city.lat, city.lon, best.place.lat, best.place.lon) > FAR_KM
        and NEAR_NAMED_RULE not in best.rules
        and best.place.city_id not in {c.id for c in ctx.focus}  # a city the article names
        and not _governorate_named(ctx, spot, sent, best.place)
    ):
        before = text[max(0, spot.start - 30) : spot.start]
        if (
            " " not in spot.surface.strip()
            and spot.how == "key"
            and not spot.variants
            and not (
                _LOCATIVE.search(before)
                or _ON_BEFORE.search(before)
                or _PASSIVE_ATTACK.match(text, spot.end)
            )
        ):
            # one capitalised word that only sounds like a small place far off, with no
            # preposition or attack verb before it ("Deal", "Hashim"): a person or a word
            return None
        return mention(
            "ambiguous",
            best.place,
            best_score,
            f"ambiguous: only a spelling variant of a small place far from {city.name}; {reason}",
        )
    # the decisions a reader should see among the best candidate's rules
    shown = tuple(r for r in best.rules if r.startswith(f"{FOCUS_RULE}:"))
    if near_spelt is not None:
        shown = (*shown, *(r for r in spot.rules if r.startswith(f"{NEAR_SPELLING_RULE}:")))
    return mention("resolved", best.place, best_score, reason, rules=shown)
