"""The toll ledger of one document: every death the article reports is counted once.

An article often gives a total, then tells it again or breaks it down: "At least 22 civilians
were killed in air strikes on the outskirts of X ... the highest toll was in Y where raids
killed 16 ... five more in Z and one in W". Read sentence by sentence, each of these counts
makes an event with a toll of its own, and the document's events add up to more deaths than the
article reports. The ledger walks the document's toll reports in the order the text gives them
(a report is one count: the toll of one event, or a count split over the events of a toll group)
and, for each, asks whether it is a part of a total reported before:

- a *breakdown* (rule ``toll:rule=breakdown``): a later count at places within the total's
  places (the same place of a total split over several, a place inside one, or a place near a
  city: "the outskirts of X"), on its days, of a compatible kind, that fits in what the total
  has left once its earlier parts are taken out. The part keeps its count (it says where the
  dead died); the total keeps the dead no part accounts for (rule ``toll:rule=total-less-parts``:
  its ``fatalities_total`` still says what the article reported), none when the parts account
  for all of them;
- a *restatement* (rule ``toll:rule=restated``): a later count at the very place of a total
  given for one place, no larger than it ("Ten civilians were killed in X on Wednesday ...
  earlier on Wednesday seven civilians were killed ... in the same neighbourhood"): the same dead
  told again, no toll of its own;
- *the same count again* (rule ``toll:rule=restated``): a count of at least
  :data:`SAME_COUNT` dead that equals one given before, on the same or the next day, for a
  happening placed elsewhere (a headline run into the body, a recap that names another place):
  no toll of its own; placed within the first's place, but of another kind or the next day (so
  that ``extract`` does not fold them), it is that toll told at a finer place, which keeps it
  (rule ``toll:rule=told-finer-after`` on the first);
- *a lede told again* (rule ``toll:rule=lede-told-again``): the article's first count, at one
  place, smaller than a count it gives after at the same place for the same kind of happening
  within two days ("Five children and four medical staff killed by airstrikes on a hospital
  in X ... airstrikes over the weekend that killed 13 people") is a part of the later one;
- *a toll for places told before* (rule ``toll:rule=to-places-told-before``): a toll given at
  a broad place for a kind of happening that the last sentence naming that kind placed at
  several places inside it, with no toll, is theirs, split ("rebels captured three villages
  south of X: A, B and C ... 86 soldiers were killed in fighting in the south X area");
- *who some of a total's dead were* (rules ``toll:rule=among-a-total`` and
  ``toll:rule=total-placed-after``): "six children were among those killed in raids on Y"
  after a larger total at X, Y within or around X, tells where that total's dead died: Y has
  it, and X's event joins Y's;
- *another source's count* (rule ``toll:rule=conservative-source``): a sentence that names no
  place of its own (its place was carried from before) and refers back to a happening ("the two
  air raids on the town ... have killed 19") with a count near a total of the same kind and days
  given before (at most twice as many) reports that total again: one event, with the most
  conservative count of the two (the issue's "the most conservative count from a named source").

Counts that say they are besides those counted before ("nine other civilians") are never parts
of a total, unless the counts they are besides are themselves parts of it: the breakdown goes
on ("... raids on X and Y killed 17 while shelling on Z killed another two" after a total of
19; "16 in X ... five more in Y" after a total of 22).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace

from geomap.gazetteer.store import haversine_km
from geomap.model import Event, Place

#: A place this near a city's centre may be "on the outskirts of" it, "around" it: a
#: breakdown of a toll given for the city may name it.
NEAR_CITY_KM = 25.0

#: A count this large given twice on the same days is one count told again, wherever the
#: second sentence places it; smaller counts recur by chance ("two killed in X ... two in Y").
SAME_COUNT = 10

#: Days between the article's first count and a larger one it gives after at the same place
#: for that count to be a part of the larger (a headline dated by publication, the happening
#: by its own days)
LEDE_DAYS = 2

#: A toll over this many days or more is a period's ("since mid-February"): it holds the
#: counts given before at its place on days within it
PERIOD_DAYS = 7

#: Sub-types that name no weapon: a toll of them sums the dead of any kind of happening.
_ANY_KIND = frozenset({"killing", "attack on civilians"})
_UNARMED = frozenset({"strategic", "protest"})


@dataclass
class _Report:
    """One count the article gives: the events (indexes) that share it, and what it covers."""

    members: list[int]
    count: int
    start: int  # the offset of its sentence
    #: parts taken out of it so far (indexes of reports)
    parts: list[int] = field(default_factory=list)
    restated: list[int] = field(default_factory=list)
    #: reports whose whole toll this one tells again at finer places (the same count)
    finer_of: list[int] = field(default_factory=list)
    #: reports of the same happening by another source, whose events join this one's
    merged: list[int] = field(default_factory=list)
    left: int = 0
    part_of: int | None = None


def _reports(events: Sequence[Event], skip: AbstractSet[str]) -> list[_Report]:
    groups: dict[str, list[int]] = {}
    for i, e in enumerate(events):
        if not e.fatalities and not e.fatalities_total:
            continue
        if e.id in skip:
            continue
        groups.setdefault(e.toll_group or f"event:{e.id}", []).append(i)
    out = []
    for members in groups.values():
        first = events[members[0]]
        count = first.fatalities_total if first.toll_group else first.fatalities
        if not count:
            continue
        start = min(s.start for i in members for s in events[i].sources[:1])
        out.append(_Report(members, count, start, left=count))
    out.sort(key=lambda r: (r.start, r.members[0]))
    return out


def _kinds_fit(total: Event, part: Event, *, weapon: bool = True) -> bool:
    """Whether the dead of ``part`` may be among those of ``total``: the same kind of happening,
    or a total (or a part) that names no weapon ("45 killed in X", "an attack on civilians").
    ``weapon``: the same weapon too (a count at the very place of the total: "seven died in
    shelling of X ... three died in barrel bombs dropped on X" are two happenings); a count at
    a finer place breaks down a total whose sentence may name several ("air strikes and
    artillery fire killed 19 across X ... air strikes on Y killed 17")."""
    if total.type in _UNARMED or part.type in _UNARMED:
        return False
    if total.sub_type in _ANY_KIND or part.sub_type in _ANY_KIND:
        return True
    if not weapon:
        return total.type == part.type
    return (total.type, total.sub_type) == (part.type, part.sub_type)


def _within(broad: Place, fine: Place, contains: Callable[[Place, Place], bool]) -> bool:
    """Whether ``fine`` is ``broad``, lies inside it, or lies around a city ``broad``."""
    if broad.id == fine.id or contains(broad, fine):
        return True
    return (
        broad.kind == "city"
        and fine.kind not in ("governorate", "country")
        and haversine_km(broad.lat, broad.lon, fine.lat, fine.lon) <= NEAR_CITY_KM
    )


def _overlap(a: Event, b: Event) -> bool:
    if None in (a.date_start, a.date_end, b.date_start, b.date_end):
        return a.date_start == b.date_start and a.date_end == b.date_end
    assert a.date_start and a.date_end and b.date_start and b.date_end
    return a.date_start <= b.date_end and b.date_start <= a.date_end


def _same_days(a: Event, b: Event) -> bool:
    """A breakdown tells the dead of the total's own days: a count of one day is no part of a
    month's toll the article gives besides it ("more than 100 killed in August ... on August
    10 shells killed 14")."""
    return (a.date_start, a.date_end) == (b.date_start, b.date_end)


def _fits(hi: int, lo: int) -> bool:
    """Two counts near enough to be one toll told by two sources (as ``merge`` tests them)."""
    lo, hi = sorted((lo, hi))
    return hi <= max(2 * lo, lo + 2)


def toll_ledger(
    events: list[Event],
    *,
    contains: Callable[[Place, Place], bool],
    others: AbstractSet[str] = frozenset(),
    parts: AbstractSet[str] = frozenset(),
    carried: AbstractSet[str] = frozenset(),
    refers_back: Callable[[str], bool] = lambda s: False,
    among: AbstractSet[str] = frozenset(),
    weapons: Callable[[str], AbstractSet[str]] = lambda s: frozenset(),
) -> list[Event]:
    """The events of one document with every death counted once (see the module docstring).

    ``contains(a, b)``: whether place ``a`` contains place ``b``; ``others``: ids of events whose
    count is "besides" those counted before; ``parts``: ids of events whose count is a part of
    a toll given before by its own words ("10 of the dead"), left to the caller; ``carried``:
    ids of events placed where the sentence before happened (their sentence names no place);
    ``refers_back(sentence)``: whether a sentence refers to a happening told before;
    ``among``: ids of events whose count is "among those killed" (who some of a total's dead
    were); ``weapons(sentence)``: the sub-types of the happenings a sentence names ("air
    strikes and artillery fire killed 19": the air strikes and the shelling), of which a
    breakdown's parts may be.
    """
    reports = _reports(events, parts)
    out = list(events)
    folds: list[tuple[int, int]] = []  # (event told at a coarser place, the event it is)
    for k, r in enumerate(reports):
        first = events[r.members[0]]
        if first.id in among:
            _placed_by_among(out, events, reports, k, contains, folds)
            continue
        _part_of_a_total(events, reports, k, contains, others, weapons)
        if r.part_of is None and r.count >= SAME_COUNT and first.id not in others:
            _same_count_again(events, reports, k, contains)
        if r.part_of is not None or len(r.members) != 1 or first.id not in carried:
            continue
        if not refers_back(first.sources[0].sentence):
            continue
        _another_sources_count(out, events, reports, k)
    gone: set[int] = set()
    for coarse, fine in folds:
        out[fine] = replace(
            out[fine],
            sources=out[fine].sources + out[coarse].sources,
            actors=out[fine].actors or out[coarse].actors,
        )
        gone.add(coarse)
    for t in reports:
        for k in t.merged:
            (i,) = reports[k].members
            (keep,) = t.members
            out[keep] = replace(
                out[keep],
                sources=out[keep].sources + out[i].sources,
                actors=out[keep].actors or out[i].actors,
            )
            gone.add(i)
        for rule, told in (("told-finer-after", t.finer_of), ("restated", t.restated)):
            for k in told:
                for i in reports[k].members:
                    out[i] = replace(
                        out[i],
                        fatalities=None,
                        fatalities_total=None,
                        toll_group="",
                        rules=(*out[i].rules, f"toll:rule={rule}"),
                    )
        if not t.parts:
            continue
        for k in t.parts:
            for i in reports[k].members:
                out[i] = replace(out[i], rules=(*out[i].rules, "toll:rule=breakdown"))
        _keep_what_is_left(out, events, t, [reports[k] for k in t.parts], contains)
    _lede_told_again(out, events, reports, contains)
    for r in reports:
        if r.part_of is None and not r.parts and not r.restated and len(r.members) == 1:
            _to_places_told_before(out, events, r, contains)
    for k, r in enumerate(reports):
        if r.part_of is None and len(r.members) == 1 and events[r.members[0]].id not in others:
            _recap(out, events, reports, k, contains)
    return [e for i, e in enumerate(out) if i not in gone]


def _part_of_a_total(
    events: Sequence[Event],
    reports: Sequence[_Report],
    k: int,
    contains: Callable[[Place, Place], bool],
    others: AbstractSet[str],
    weapons: Callable[[str], AbstractSet[str]],
) -> None:
    """Whether report ``k`` restates a one-place total before it or is a part of a total
    before it (the nearest that fits); marks both reports. A part is of the total's kind, or
    of a weapon the total's sentence names ("air strikes and artillery fire killed 19 ...
    artillery fire on Y killed two"); "air raids killed 16 in X ... shelling on Y killed
    five" are two happenings."""
    r = reports[k]
    r_events = [events[i] for i in r.members]
    for j in range(k - 1, -1, -1):
        t = reports[j]
        if t.part_of is not None or t.start >= r.start:
            continue
        t_events = [events[i] for i in t.members]
        total = t_events[0]
        if not all(_same_days(total, e) for e in r_events):
            continue
        if any(events[i].id in others for i in r.members) and not t.parts:
            continue  # "nine other civilians": dead besides those counted before
        same = all(any(e.place.id == x.place.id for x in t_events) for e in r_events)
        if (
            same
            and len(t.members) == 1
            and r.count <= t.count
            and all(_kinds_fit(total, e) for e in r_events)
        ):
            t.restated.append(k)
            r.part_of = j
            return
        if len(t.members) == 1 and (
            r.count == t.count or any(e.place.id == total.place.id for e in r_events)
        ):
            # the whole toll told at a finer place: one happening (``extract`` folds it);
            # another weapon at the very place: another happening
            continue
        named = weapons(total.sources[0].sentence)
        if r.count > t.left or not all(
            _kinds_fit(total, e) or (total.type == e.type and e.sub_type in named) for e in r_events
        ):
            continue
        if all(any(_within(x.place, e.place, contains) for x in t_events) for e in r_events):
            t.parts.append(k)
            t.left -= r.count
            r.part_of = j
            return


def _another_sources_count(
    out: list[Event], events: Sequence[Event], reports: Sequence[_Report], k: int
) -> None:
    """ "... killed at least 18 people ... the two air raids on the town have killed 19": a
    sentence placed where the one before happened, referring back to it, with a count near a
    one-place total of the same type and days is another source's count of that happening:
    its event joins the total's, which keeps the more conservative count."""
    r = reports[k]
    first = events[r.members[0]]
    for j in range(k - 1, -1, -1):
        t = reports[j]
        total = events[t.members[0]]
        if (
            len(t.members) == 1
            and t.part_of is None
            and total.type == first.type
            and _overlap(total, first)
            and _fits(t.count, r.count)
        ):
            t.merged.append(k)
            r.part_of = j
            if r.count < t.count:
                t.count = t.left = r.count
                i = t.members[0]
                out[i] = replace(
                    out[i],
                    fatalities=r.count,
                    rules=(*out[i].rules, "toll:rule=conservative-source"),
                )
            return


def _placed_by_among(
    out: list[Event],
    events: Sequence[Event],
    reports: Sequence[_Report],
    k: int,
    contains: Callable[[Place, Place], bool],
    folds: list[tuple[int, int]],
) -> None:
    """ "At least 45 people were killed in air strikes on areas around X ... at least six
    children were among those killed in air raids on parts of Y": the six are some of the 45,
    and the sentence tells where the 45 died: Y (inside X's place or around the city X) has
    the toll (rules ``toll:rule=among-a-total`` and ``toll:rule=total-placed-after``) and X's
    event is that happening told at a coarser place: its sources join Y's and it is no event
    of its own. With no such total before, the count stands."""
    r = reports[k]
    if len(r.members) != 1:
        return
    (i,) = r.members
    e = events[i]
    for j in range(k - 1, -1, -1):
        t = reports[j]
        if len(t.members) != 1 or t.part_of is not None or t.start >= r.start:
            continue
        (ti,) = t.members
        total = events[ti]
        if (
            t.count > r.count
            and _kinds_fit(total, e, weapon=False)
            and _overlap(total, e)
            and total.place.id != e.place.id
            and _within(total.place, e.place, contains)
        ):
            out[i] = replace(
                out[i],
                fatalities=t.count,
                rules=(*out[i].rules, "toll:rule=among-a-total", "toll:rule=total-placed-after"),
            )
            folds.append((ti, i))
            t.part_of = k
            r.part_of = j
            return


def _same_count_again(
    events: Sequence[Event],
    reports: Sequence[_Report],
    k: int,
    contains: Callable[[Place, Place], bool],
) -> None:
    """ "... clashes which claimed the lives of at least 30 militants ... [a headline run in]
    30 Terrorists Killed. Reports said jets targeted positions in Y": the same count of dead,
    given again on the same or the next day for a happening placed elsewhere, is the count told
    before (rule ``toll:rule=restated``). Counts at places within the first's are told more
    exactly, which ``extract`` folds."""
    r = reports[k]
    r_events = [events[i] for i in r.members]
    for j in range(k - 1, -1, -1):
        t = reports[j]
        t_events = [events[i] for i in t.members]
        if t.part_of is not None or t.count != r.count or t.start >= r.start:
            continue
        if any(e.type in _UNARMED for e in (*r_events, *t_events)):
            continue
        if not all(_days_apart(t_events[0], e) <= 1 for e in r_events):
            continue
        if all(any(_within(x.place, e.place, contains) for x in t_events) for e in r_events):
            if all(_same_days(x, e) and x.type == e.type for x in t_events for e in r_events):
                continue  # told more exactly: ``extract`` folds the first into the second
            # "... killed some 34 terrorists in X province. ... The elimination of 34 militants
            # has been confirmed, he said of air strikes near the village of Y": the finer
            # place has the toll, the first is that happening told before
            r.finer_of.append(j)
            t.part_of = k
            return
        t.restated.append(k)
        r.part_of = j
        return


def _lede_told_again(
    out: list[Event],
    events: Sequence[Event],
    reports: Sequence[_Report],
    contains: Callable[[Place, Place], bool],
) -> None:
    """ "Five children and four medical staff killed by airstrikes on a hospital in X
    province [the headline] ... A hospital in X province was destroyed by airstrikes over the
    weekend that killed 13 people": the article's first count, at one place, is a part of a
    larger count the article gives after at that place (or one inside it), of the same kind
    and weapon, for a few days (not a period's toll: "since mid-February"), within
    :data:`LEDE_DAYS` days (the headline is often dated by the day it was published): the
    later count has those dead (rule ``toll:rule=lede-told-again`` on the first)."""
    if not reports or len(reports[0].members) != 1 or reports[0].part_of is not None:
        return
    t = reports[0]
    (i,) = t.members
    first = events[i]
    for r in reports[1:]:
        if len(r.members) != 1 or r.part_of is not None:
            continue
        e = events[r.members[0]]
        if (
            (e.place.id == first.place.id or contains(first.place, e.place))
            and _kinds_fit(e, first)
            and e.sub_type not in _ANY_KIND
            and _span(e) <= LEDE_DAYS + 1
            and r.count > t.count
            and not _same_days(e, first)
            and _days_apart(e, first) <= LEDE_DAYS
        ):
            out[i] = replace(
                out[i],
                fatalities=None,
                fatalities_total=None,
                rules=(*out[i].rules, "toll:rule=lede-told-again"),
            )
            return


def _to_places_told_before(
    out: list[Event],
    events: Sequence[Event],
    r: _Report,
    contains: Callable[[Place, Place], bool],
) -> None:
    """ "Rebels captured three villages south of X: A, B and C ... At least 86 soldiers were
    killed in fighting in the south X area": a toll given at a broad place, for a kind of
    happening the last sentence before that named that kind placed at places inside it (on
    the same days) with no toll, is their toll: split over them, in the order the text names
    them, as a shared toll is (rule ``toll:rule=to-places-told-before``), and the broad place
    keeps none."""
    (i,) = r.members
    e = events[i]
    if e.type in _UNARMED or out[i].fatalities != r.count:
        return
    kind = [
        j
        for j, x in enumerate(events)
        if x.sources[0].start < e.sources[0].start
        and x.type == e.type
        and _overlap(x, e)
        and x.id != e.id
    ]
    if not kind:
        return
    last = max(events[j].sources[0].start for j in kind)
    told = [j for j in kind if events[j].sources[0].start == last]
    if len(told) < 2 or not all(
        out[j].fatalities is None
        and events[j].place.id != e.place.id
        and _within(e.place, events[j].place, contains)
        for j in told
    ):
        return
    base, rest = divmod(r.count, len(told))
    for n, j in enumerate(told):
        out[j] = replace(
            out[j],
            fatalities=base + (1 if n < rest else 0),
            fatalities_total=r.count,
            toll_group=f"{e.id}-told-before",
            sources=out[j].sources + e.sources,
            rules=(*out[j].rules, "toll:rule=to-places-told-before"),
        )
    out[i] = replace(
        out[i],
        fatalities=None,
        fatalities_total=None,
        toll_group="",
        rules=(*out[i].rules, "toll:rule=to-places-told-before"),
    )


def _inside(a: Event, b: Event) -> bool:
    """Whether ``a``'s days lie within ``b``'s."""
    if not (a.date_start and a.date_end and b.date_start and b.date_end):
        return False
    return b.date_start <= a.date_start and a.date_end <= b.date_end


def _span(e: Event) -> int:
    """The days an event's interval covers (large when undated): a period's toll covers many."""
    if not (e.date_start and e.date_end):
        return 10**6
    return (e.date_end - e.date_start).days + 1


def _days_apart(a: Event, b: Event) -> int:
    """Days between two events' intervals (0 when they overlap; large when undated)."""
    if not (a.date_start and a.date_end and b.date_start and b.date_end):
        return 10**6
    if a.date_start <= b.date_end and b.date_start <= a.date_end:
        return 0
    return min(abs((a.date_start - b.date_end).days), abs((b.date_start - a.date_end).days))


def _recap(
    out: list[Event],
    events: Sequence[Event],
    reports: Sequence[_Report],
    k: int,
    contains: Callable[[Place, Place], bool],
) -> None:
    """A later, larger total at a place that contains (not only lies near) the places of
    counts given before, on their days ("air strikes on Y killed 17 and shelling on Z two ...
    bombardment of the region has killed more than 100 people in the last two weeks"): those
    dead are among its own, so it keeps the dead they do not account for (rule
    ``toll:rule=total-less-earlier``). A period's toll ("X has been under bombardment since
    mid-February, which has killed 132 civilians") holds the counts given before at its place
    (or inside it) on days within the period ("seven died in shelling of X at dawn")."""
    r = reports[k]
    (i,) = r.members
    e = events[i]
    earlier = [
        j
        for q in reports[:k]
        for j in q.members
        if q.start < r.start
        and out[j].fatalities
        and _kinds_fit(e, events[j], weapon=False)
        and (
            (_same_days(e, events[j]) and contains(e.place, events[j].place))
            or (
                _span(e) >= PERIOD_DAYS
                and _inside(events[j], e)
                and (e.place.id == events[j].place.id or contains(e.place, events[j].place))
            )
        )
    ]
    dead = sum(out[j].fatalities or 0 for j in earlier)
    if not dead or dead >= r.count:
        return
    r.left = r.count - dead
    out[i] = replace(
        out[i],
        fatalities=r.left,
        fatalities_total=r.count,
        rules=(*out[i].rules, "toll:rule=total-less-earlier"),
    )


def _keep_what_is_left(
    out: list[Event],
    events: Sequence[Event],
    total: _Report,
    parts: Sequence[_Report],
    contains: Callable[[Place, Place], bool],
) -> None:
    """The total's events keep the dead no part accounts for: split over the total's places
    no part lies in (all of them when parts lie in every one)."""
    fine = [events[i].place for p in parts for i in p.members]
    open_ = [
        i for i in total.members if not any(_within(events[i].place, f, contains) for f in fine)
    ]
    targets = open_ or list(total.members)
    left = total.left
    base, rest = divmod(left, len(targets))
    for i in total.members:
        share = (base + (1 if targets.index(i) < rest else 0)) if i in targets else 0
        out[i] = replace(
            out[i],
            fatalities=share or None,
            fatalities_total=total.count if share else None,
            toll_group=out[i].toll_group if share and len(targets) > 1 else "",
            rules=(*out[i].rules, "toll:rule=total-less-parts"),
        )
