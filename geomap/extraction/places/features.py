"""Resolve a named feature ("Quwatli Street", "the Faculty of Dentistry in Hama", "Base 46").

A feature spotted by its head noun (:mod:`geomap.extraction.places.heads`) is a place mention:

1. the gazetteer has the feature itself (its whole name, among the kinds its head allows):
   status "resolved", rule ``feature-named``;
2. else the place that holds it, status "fallback" with that place's precision, found, in
   order, as a place named right after it ("... in Hama", "... of Aleppo"; ``by=after``), a
   place whose possessive stands right before it ("Aleppo's Nile Street"; ``by=owner``), the
   nearest place named in the same sentence (``by=sentence``), the last event place of the two
   sentences before (``by=before``), or the city in focus (the document's; ``by=focus``): rule
   ``feature-fallback``. A numbered unit's base ("Brigade 137") the gazetteer names another
   way ("137th Mechanized Brigade") is taken when it lies near that place;
3. else "unresolved" (rule ``feature-unplaced``).

The mention keeps the feature's own name in ``Mention.feature`` and its rules, with their
arguments, in ``Mention.rules``; :mod:`geomap.render.evidence` renders them to words.

A feature named after a place the gazetteer knows ("the Tayyiba road") is a mention of that
place, spotted as such; :func:`mark_named_features` records the feature's name on it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from geomap.extraction.places.heads import (
    Head,
    family_words,
    head_by_id,
    head_of,
    head_patterns,
)
from geomap.extraction.places.resolve import Context, context_city, not_places, scaled
from geomap.extraction.places.spotting import Spot
from geomap.gazetteer.names import normalize_name
from geomap.gazetteer.store import Gazetteer, haversine_km
from geomap.model import Mention, Place

#: Rule ids.
NAMED = "feature-named"
FALLBACK = "feature-fallback"
UNPLACED = "feature-unplaced"
NAMED_AFTER_PLACE = "feature-of-place"

#: How many sentences back a place named before may hold a feature ("Fighting raged in X.
#: Later the rebels seized the Y checkpoint.").
BEFORE_SENTENCES = 2
#: How far (characters) a place named in the same sentence may stand from a feature, and how
#: many mentions back one of the sentences before is looked for (so that a document's work
#: stays linear in its length).
NEAR_CHARS = 400
NEAR_ITEMS = 40
#: How well the gazetteer must match a feature's whole name for the feature itself to be taken.
MIN_NAME_SCORE = 0.9
#: Kinds that can hold a feature (a country is too broad to say where it is).
CONTAINER_KINDS = frozenset(
    {
        "governorate",
        "district",
        "subdistrict",
        "city",
        "town",
        "village",
        "neighbourhood",
        "camp",
    }
)
# "... in Hama", ", of Aleppo", "near the town of X", "on the outskirts of X"
_HOLDER_AFTER = re.compile(
    r"\s*,?\s*(?:in|of|at|near|inside|outside|on\s+the\s+outskirts\s+of)\s+(?:the\s+)?"
    r"(?:(?:city|town|village|neighbou?rhood|district|province|countryside)\s+of\s+)?",
    re.I,
)
_OWNER_BEFORE = re.compile(r"['\u2019]s?\s+(?:(?:[a-z]+\s+){0,2})$")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_ORDINAL = {1: "st", 2: "nd", 3: "rd"}


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else _ORDINAL.get(n % 10, 'th')}"


def _names_to_try(surface: str, head: Head) -> list[str]:
    """The feature's name and, for a numbered one, its other spellings ("Base 46" = "46th
    Regiment" = "Regiment 46")."""
    name = _ARTICLE.sub("", surface.strip())
    out = [name]
    words = name.split()
    for n in (2, 1):  # the name with each head of the family ("X airbase" -> "X airport")
        if len(words) > n and " ".join(words[-n:]).lower() in head.words:
            out += [" ".join([*words[:-n], w]) for w in family_words(head)]
            break
    m = re.search(r"\d+", name)
    if m is not None:
        n = int(m.group(0))
        for h in head_by_id().values():
            if "head-number" in h.forms or "ordinal-head" in h.forms:
                word = h.words[0].title()
                out += [f"{_ordinal(n)} {word}", f"{word} {n}"]
    return list(dict.fromkeys(out))


@lru_cache(maxsize=4)
def _numbered(gaz: Gazetteer, version: str) -> dict[int, tuple[str, ...]]:
    """Places of a unit-base kind by the number in their names ("137th Mechanized Brigade")."""
    out: dict[int, set[str]] = {}
    for place in gaz.places:
        if place.kind not in ("base", "facility", "airport"):
            continue
        for name in gaz.names_of(place.id):
            for m in re.finditer(r"(?<!\w)(\d{1,4})(?:st|nd|rd|th)?(?!\w)", name):
                out.setdefault(int(m.group(1)), set()).add(place.id)
    return {n: tuple(sorted(ids)) for n, ids in out.items()}


#: How far a numbered unit's base may lie from the place holding the mention.
NUMBERED_KM = 60.0


def _numbered_base(ctx: Context, spot: Spot, head: Head, near: Place | None) -> Place | None:
    """ "Brigade 137" near Deir ez-Zor: the base whose name has that number (and a unit word)
    nearest the place in context, within :data:`NUMBERED_KM`."""
    m = re.search(r"\d{1,4}", spot.surface)
    if m is None or near is None:
        return None
    units = {w for h in head_by_id().values() if "head-number" in h.forms for w in h.words}
    found: list[tuple[float, str, Place]] = []
    for pid in _numbered(ctx.gaz, ctx.gaz.version).get(int(m.group(0)), ()):
        place = ctx.gaz.get(pid)
        words = set(normalize_name(place.name).split())
        if head.kinds and place.kind not in head.kinds or not words & units:
            continue
        d = haversine_km(near.lat, near.lon, place.lat, place.lon)
        if d <= NUMBERED_KM:
            found.append((d, pid, place))
    return min(found)[2] if found else None


def _lookup(gaz: Gazetteer, surface: str, head: Head, near: Place | None) -> Place | None:
    """The place the gazetteer has under the feature's name (or a spelling of its family)."""
    best: tuple[float, str, Place] | None = None
    for name in _names_to_try(surface, head):
        for cand in gaz.lookup(name, kinds=head.kinds, near=near, limit=3):
            if cand.score < MIN_NAME_SCORE:
                continue
            if (
                near is not None
                and haversine_km(near.lat, near.lon, cand.place.lat, cand.place.lon)
                > NUMBERED_KM + near.precision_km
            ):
                continue  # a feature of that name elsewhere
            key = (-cand.score, cand.place.id)
            if best is None or key < (best[0], best[1]):
                best = (-cand.score, cand.place.id, cand.place)
    return best[2] if best else None


def _named(ctx: Context, spot: Spot, head: Head, near: Place | None) -> Place | None:
    found = _lookup(ctx.gaz, spot.surface, head, near)
    if found is None and re.search(r"\d", spot.surface):
        return _numbered_base(ctx, spot, head, near)
    return found


def _holder_ok(m: Mention) -> bool:
    return (
        m.place is not None
        and m.status in ("resolved", "fallback")
        and m.place.country == "SY"
        and m.place.kind in CONTAINER_KINDS
        and not m.feature
    )


def _near(mentions: Sequence[Mention], lo: int, hi: int) -> Sequence[Mention]:
    """The mentions (sorted by start) that start in ``[lo, hi)``."""
    i = bisect.bisect_left(mentions, lo, key=_start)
    j = bisect.bisect_left(mentions, hi, key=_start)
    return mentions[i:j]


def _start(m: Mention) -> int:
    return m.start


def _container(
    ctx: Context,
    spot: Spot,
    sent: int,
    mentions: Sequence[Mention],
    recent: Sequence[tuple[int, Place]],
) -> tuple[Place | None, str, str]:
    """The place holding a feature the gazetteer lacks: (place, how found, words);
    ``mentions`` sorted by start."""
    text = ctx.doc.text
    after = _HOLDER_AFTER.match(text, spot.end)
    if after is not None:
        for m in _near(mentions, after.end(), after.end() + 1):
            if _holder_ok(m):
                return m.place, "after", f"'{text[spot.start : m.end]}'"
    for m in _near(mentions, spot.start - 80, spot.start):
        if m.end <= spot.start and spot.start - m.end <= 20 and _holder_ok(m):
            if _OWNER_BEFORE.match(text[m.end : spot.start]):
                return m.place, "owner", f"'{text[m.start : spot.end]}'"
    a, b = ctx.sentences[sent]
    window = _near(mentions, max(a, spot.start - NEAR_CHARS), min(b, spot.end + NEAR_CHARS))
    here = [m for m in window if m.sentence == sent and _holder_ok(m)]
    if here:
        m = min(here, key=lambda m: (abs(m.start - spot.start), m.start))
        assert m.place is not None
        return m.place, "sentence", f"{m.place.name} named in the same sentence"
    lo = ctx.sentences[max(0, sent - BEFORE_SENTENCES)][0]
    earlier = _near(mentions, lo, a)
    for m in reversed(earlier[-NEAR_ITEMS:]):  # the last event place before the sentence
        if sent - BEFORE_SENTENCES <= m.sentence < sent and _holder_ok(m) and m.role == "event":
            assert m.place is not None
            return m.place, "before", f"{m.place.name} named just before"
    city, why = context_city(ctx, spot, recent)
    if city is not None:
        return city, "focus", why
    return None, "", ""


def resolve_feature(
    ctx: Context,
    spot: Spot,
    sent: int,
    mentions: Sequence[Mention],
    recent: Sequence[tuple[int, Place]] = (),
) -> Mention | None:
    """The mention of a named feature (``spot.how == "feature"``), given the document's other
    mentions (and ``recent``, the (offset, city) of the resolved ones: see
    :func:`geomap.extraction.places.resolve.recent_city`); None when its name is a group's or
    an outlet's."""
    head = head_by_id()[spot.head]
    name = _ARTICLE.sub("", spot.surface.strip())
    words = normalize_name(name).split()
    if not words or " ".join(words[:-1]) in not_places() or words[0] in not_places():
        return None
    holder, how, why = _container(ctx, spot, sent, mentions, recent)
    base = Mention(
        ctx.doc.id,
        spot.start,
        spot.end,
        spot.surface,
        sent,
        "event",
        "unresolved",
        None,
        0.0,
        "",
        feature=name,
    )
    found = _named(ctx, spot, head, holder)
    if found is not None:
        return replace(
            base,
            status="resolved",
            place=found,
            score=scaled(1.0),
            reason=f"the {head.id} '{name}' is in the gazetteer as {found.name}",
            rules=(f"{NAMED}:head={head.id},place={found.id}",),
        )
    if holder is not None:
        return replace(
            base,
            status="fallback",
            place=holder,
            score=0.6,
            reason=(
                f"fallback to {holder.name} at its precision ({holder.precision_km:g} km): "
                f"no source has the {head.id} '{name}'; it is in {holder.name} ({why})"
            ),
            rules=(f"{FALLBACK}:head={head.id},container={holder.id},by={how}",),
        )
    return replace(
        base,
        reason=f"no source has the {head.id} '{name}', and no place in context holds it",
        rules=(f"{UNPLACED}:head={head.id}",),
    )


def mark_named_features(
    text: str, mentions: list[Mention], gaz: Gazetteer | None = None
) -> list[Mention]:
    """A place name followed by a head noun ("the Tayyiba road", "Aleppo Road") names a feature
    of that place: the mention keeps its place and records the feature's name, unless the
    gazetteer has the feature itself under a name of the head's family ("X airbase" as "X
    Airport"): then the mention grows over the head and names the feature."""
    pat = head_patterns().get("name-head")
    if pat is None:
        return mentions
    out: list[Mention] = []
    for m in mentions:
        hit = pat.match(text, m.end + 1) if text[m.end : m.end + 1] == " " else None
        head = head_of(hit.group("head"), "name-head") if hit is not None else None
        if (
            hit is None
            or head is None
            or not head.written_right(hit.group("head"))
            or m.feature
            or m.place is None
            or m.place.kind == "country"
        ):
            out.append(m)
            continue
        feature = f"{m.surface} {hit.group('head')}"
        found = _lookup(gaz, feature, head, m.place) if gaz is not None else None
        if found is not None and found.id != m.place.id:
            # "Deir ez-Zor airbase": the gazetteer has the feature itself (as "... Airport")
            out.append(
                replace(
                    m,
                    end=hit.end(),
                    surface=text[m.start : hit.end()],
                    place=found,
                    status="resolved",
                    feature=feature,
                    reason=f"{m.reason}; the {head.id} '{feature}' is in the gazetteer as "
                    f"{found.name}",
                    rules=(*m.rules, f"{NAMED}:head={head.id},place={found.id}"),
                )
            )
            continue
        out.append(
            replace(
                m,
                feature=feature,
                rules=(*m.rules, f"{NAMED_AFTER_PLACE}:head={head.id},place={m.place.id}"),
            )
        )
    return out
