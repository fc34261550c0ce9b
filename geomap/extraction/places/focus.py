"""The region an article is about: the governorate (and district) most of its places are in.

Villages of one name lie in several governorates (two Maarzafs, in Hama and in Idleb). Where
nothing in a name's sentence, or the one before, tells them apart, the article does: a report
on the Idleb countryside that names Tamanaah and Kafr Nabl means the Idleb Maarzaf. The focus
is read from the exact names whose candidates all lie in one governorate (or district), the
model not calling them persons or organisations; a governorate named counts for itself, a city
or a village for its governorate (and its district). It is a tie-breaker: it only weighs
between namesakes in different governorates (or, in one governorate, different districts),
and less than what the sentence or the sentence before says.

Public API: :class:`RegionFocus`, :func:`region_focus`, :data:`FOCUS_RULE`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from geomap.model import Place

#: Rule id of a namesake chosen by the article's region: ``region-focus:level=governorate,
#: name=Idleb,named=2``.
FOCUS_RULE = "region-focus"

#: How many of the article's one-place names a region needs to be its focus.
MIN_NAMED = 2
#: A focus must be named at least this many times as often as the next region.
LEAD = 2.0

#: Kinds whose governorate and district a name speaks for.
_COUNTED_KINDS = frozenset(
    {
        "governorate",
        "district",
        "subdistrict",
        "city",
        "town",
        "village",
        "neighbourhood",
        "camp",
        "facility",
        "landmark",
        "airport",
        "base",
        "crossing",
        "region",
    }
)


@dataclass(frozen=True)
class RegionFocus:
    """The governorate and the district an article's places are mostly in ("" for none),
    and how many of its names are in each."""

    governorate: str = ""
    governorate_named: int = 0
    district: str = ""
    district_named: int = 0

    def rule(self, level: str) -> str:
        """The rule id with its arguments for a namesake chosen at ``level``."""
        if level == "governorate":
            name, named = self.governorate, self.governorate_named
        else:
            name, named = self.district, self.district_named
        return f"{FOCUS_RULE}:level={level},name={name},named={named}"

    def level_for(self, places: Iterable[Place]) -> str:
        """At which level the focus tells ``places`` apart: "governorate" where they lie in
        several governorates and one of them is the focus, "district" where they lie in one
        governorate but several districts and one is the focus district, else ""."""
        places = [p for p in places if p.country == "SY"]
        governorates = {p.governorate for p in places}
        if len(governorates) > 1:
            return "governorate" if self.governorate in governorates else ""
        districts = {p.district for p in places}
        if len(districts) > 1 and self.district in districts:
            return "district"
        return ""

    def holds(self, place: Place, level: str) -> bool:
        """Whether ``place`` lies in the focus region at ``level``."""
        if level == "governorate":
            return bool(self.governorate) and place.governorate == self.governorate
        if level == "district":
            return bool(self.district) and place.district == self.district
        return False


def region_focus(names: Iterable[Sequence[Place]]) -> RegionFocus:
    """The focus of an article whose names name the places of ``names`` (one group a name: its
    candidates). A name speaks for a governorate where all its candidates are Syrian places in
    that governorate (namesakes in one governorate still say which), and for a district where
    they all are in one district. The focus is the governorate spoken for at least
    :data:`MIN_NAMED` times and :data:`LEAD` times as often as any other; the same for the
    district, within that governorate."""
    governorates: Counter[str] = Counter()
    districts: Counter[tuple[str, str]] = Counter()
    for places in names:
        # (a crossing point beside a town's name has no governorate: it says nothing)
        group = [p for p in places if p.governorate or p.kind == "governorate"]
        if not group or any(p.country != "SY" or p.kind not in _COUNTED_KINDS for p in group):
            continue
        govs = {p.name if p.kind == "governorate" else p.governorate for p in group}
        if len(govs) != 1 or not (gov := govs.pop()):
            continue
        governorates[gov] += 1
        if any(p.kind == "governorate" for p in group):
            continue
        dists = {p.name if p.kind == "district" else p.district for p in group}
        if len(dists) == 1 and (district := dists.pop()):
            districts[(gov, district)] += 1
    gov, gov_n = _leader(governorates)
    if not gov:
        return RegionFocus()
    district, district_n = _leader(Counter({d: n for (g, d), n in districts.items() if g == gov}))
    return RegionFocus(gov, gov_n, district, district_n)


def _leader(counts: Counter[str]) -> tuple[str, int]:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] < MIN_NAMED:
        return "", 0
    if len(ranked) > 1 and ranked[0][1] < LEAD * ranked[1][1]:
        return "", 0
    return ranked[0]
