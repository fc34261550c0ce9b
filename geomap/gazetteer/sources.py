"""The larger reference sources of the gazetteer build (package-private; see gazetteer_build).

* Who's On First, Syria (``reference/whosonfirst_sy``): about 10,600 GeoNames localities with
  Arabic names and many Latin spellings. A locality that is a place the build already has (near
  it, and sharing a name, a phonetic key, a consonant skeleton or a close spelling) gives that
  place its spellings as aliases; the others become villages of their own (``WOF-<wof id>``).
* Wikipedia's "Syrian Civil War detailed map" points (``reference/wikipedia_war_map``, CC BY-SA
  4.0): bases, airbases, hills, checkpoints, plants, oil and gas fields, dams, camps, crossings
  and villages; merged the same way, new ones as ``WM-<slug>``.

Filters are data, in ``gazetteer/curated/``: ``stopnames.csv`` (names that are common English
words or first names: never a new place's only name, never an alias from these sources) and
``generic_words.csv`` (words that alone name no particular place: "Military Checkpoint",
"Hill 5" and "Grain Silos" are left out).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from geomap.gazetteer.entries import ARABIC, Entry, slug
from geomap.gazetteer.names import SKELETON_MIN, arabic_skeleton, name_keys, normalize_name
from geomap.gazetteer.store import haversine_km


class Builder(Protocol):
    """What the sources need of :class:`geomap.gazetteer.build.Builder`."""

    ref: Path
    entries: dict[str, Entry]

    def add(self, entry: Entry) -> Entry: ...


WOF_FILE = "whosonfirst_sy/wof_sy_places.tsv"
WAR_MAP_FILE = "wikipedia_war_map/syria_war_map_points.csv"
WOF_LICENCE = "CC BY 4.0"
WAR_MAP_LICENCE = "CC BY-SA 4.0"
#: Kinds a populated place of these sources may be the same place as.
SETTLEMENT_KINDS = ("city", "town", "village", "neighbourhood", "camp")
#: Kinds a war-map point other than a settlement may be the same place as.
SITE_KINDS = ("base", "airport", "facility", "landmark", "camp", "crossing")
#: A name shared with a place this near (km, beyond the place's own precision) is that place.
SAME_NAME_KM = 5.0
#: A close spelling (rapidfuzz ratio of normalised names) this near (km) is that place.
CLOSE_SPELLING_KM = 3.0
CLOSE_SPELLING_RATIO = 85.0
#: A locality this near a village (km) with no name in common is a part of it, or the same
#: place under another name: merged (its main name only, not its every spelling). Never into a
#: town or city: the hamlets around one are not its names.
SAME_POINT_KM = 1.5
#: Kinds whose entries absorb a nameless-match locality that near.
ABSORBING_KINDS = ("village",)
#: A site (base, plant...) shares a name with a site this near (km): the same site.
SAME_SITE_KM = 10.0


# -- name keys and a point index -------------------------------------------------------------
def name_set(names: Iterable[str]) -> set[tuple[str, str]]:
    """The comparable keys of some names: normalised name, phonetic key, consonant skeleton
    (Latin and Arabic names give comparable skeletons)."""
    out: set[tuple[str, str]] = set()
    for n in names:
        if ARABIC.search(n):
            s = arabic_skeleton(n)
            if s:
                out.add(("s", s))
            continue
        norm = normalize_name(n)
        if not norm:
            continue
        key, skel = name_keys(n)
        out |= {("n", norm), ("k", key)}
        if skel:
            out.add(("s", skel))
    return out


def same_name(a: set[tuple[str, str]], b: set[tuple[str, str]], *, short_ok: bool) -> bool:
    """Whether two key sets share a name: the normalised name or phonetic key, or a consonant
    skeleton long enough to tell (a shorter one only when ``short_ok``: very near places)."""
    for kind, value in a & b:
        if kind in ("n", "k"):
            return True
        if len(value) >= SKELETON_MIN or (short_ok and len(value) >= 3):
            return True
    return False


class PointIndex:
    """Entries on a grid of 0.1 degree cells, for "which places lie near this point"."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Entry]] = defaultdict(list)

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return int(lat * 10 // 1), int(lon * 10 // 1)

    def add(self, e: Entry) -> None:
        self.cells[self._cell(e.lat, e.lon)].append(e)

    def near(self, lat: float, lon: float, km: float) -> list[tuple[float, Entry]]:
        """(distance, entry) within ``km`` (at most 20 km), nearest first."""
        ci, cj = self._cell(lat, lon)
        reach = 2 if km > 9 else 1
        out = []
        for i in range(ci - reach, ci + reach + 1):
            for j in range(cj - reach, cj + reach + 1):
                for e in self.cells.get((i, j), ()):
                    d = haversine_km(lat, lon, e.lat, e.lon)
                    if d <= km:
                        out.append((d, e))
        return sorted(out, key=lambda t: (t[0], t[1].id))


# -- filters (data in gazetteer/curated/) ------------------------------------------------------
_UNIT = re.compile(
    r"\b(division|brigade|regiment|battalion|guard|forces|branch|intelligence)\b", re.I
)
_UNIT_SITE = re.compile(r"\b(base|barracks|academy|airbase|airport)\b", re.I)


@dataclass
class NameFilter:
    stopnames: frozenset[str]
    generic: frozenset[str]
    first_names: frozenset[str]

    @classmethod
    def load(cls, curated: Path) -> NameFilter:
        def rows(rel: str) -> list[dict[str, str]]:
            with open(curated / rel, encoding="utf-8", newline="") as fh:
                return list(csv.DictReader(fh))

        stop = rows("stopnames.csv")
        names = frozenset(normalize_name(r["name"]) for r in stop if r["name"])
        return cls(
            names | frozenset(name_keys(n)[0] for n in names if len(n) >= 4),
            frozenset(normalize_name(r["word"]) for r in rows("generic_words.csv") if r["word"]),
            frozenset(normalize_name(r["name"]) for r in stop if "first name" in r["source"]),
        )

    def usable(self, name: str) -> bool:
        """A name these sources may give a place: not a stop name, not only generic words,
        numbers and articles (Arabic names always)."""
        if ARABIC.search(name):
            return True
        norm = normalize_name(name)
        if not norm or norm in self.stopnames or len(norm) < 3:
            return False
        if " " not in norm and name_keys(norm)[0] in self.stopnames:
            return False  # "Qanntar" sounds like "Center", "Al Qal'" like "Kill"
        words = norm.split()
        if words[0] in self.first_names and not any(w in self.generic for w in words):
            return False  # "Muhammad al-Khalaf": a person's name as much as a hamlet's
        if _UNIT.search(name) and not _UNIT_SITE.search(name):
            return False  # "Republican Guard Brigade": a unit (an actor), not a place
        return bool(self.proper_words(name))

    def proper_words(self, name: str) -> list[str]:
        """The words of ``name`` that are neither generic, nor numbers, nor articles."""
        return [
            w
            for w in normalize_name(name).split()
            if w not in self.generic and not re.fullmatch(r"[\dm]+|\d+m|[ivx]+", w) and len(w) > 1
        ]


def district_locator(
    entries: Iterable[Entry],
) -> Callable[[float, float], tuple[str, str, str] | None]:
    """(lat, lon) -> (district id, district, governorate) of the district a point of Syria
    lies in (or nearest to, within ~3 km), or None outside Syria."""
    from shapely import prepared
    from shapely.geometry import Point

    districts = sorted(
        (e for e in entries if e.kind == "district" and e.shape is not None),
        key=lambda e: e.id,
    )
    prepped = [(e, prepared.prep(e.shape)) for e in districts]

    def locate(lat: float, lon: float) -> tuple[str, str, str] | None:
        pt = Point(lon, lat)
        for e, p in prepped:
            if p.contains(pt):
                return e.id, e.name, e.governorate
        d, e = min(((e.shape.distance(pt), e) for e in districts), key=lambda t: (t[0], t[1].id))
        if d > 0.03:
            return None
        return e.id, e.name, e.governorate

    return locate


# -- Who's On First ------------------------------------------------------------------------------
def read_wof(reference: Path) -> list[dict[str, str]]:
    with open(reference / WOF_FILE, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return sorted(
        (
            r
            for r in rows
            if r["placetype"] == "locality" and not r["deprecated"] and not r["superseded_by"]
        ),
        key=lambda r: int(r["wof_id"]),
    )


def _wof_names(r: dict[str, str]) -> list[str]:
    seen: dict[str, None] = {}
    for n in [r["name"], *r["names_latin"].split("|"), *r["names_ar"].split("|")]:
        n = " ".join(n.replace("`", "\u2018").split())
        if n:
            seen.setdefault(n, None)
    return list(seen)


@dataclass
class Counts:
    added: dict[str, int]
    merged: dict[str, int]
    skipped: dict[str, int]

    @classmethod
    def new(cls) -> Counts:
        return cls(defaultdict(int), defaultdict(int), defaultdict(int))


def _match(
    index: PointIndex,
    lat: float,
    lon: float,
    names: list[str],
    kinds: tuple[str, ...],
    keysets: dict[str, set[tuple[str, str]]],
    *,
    same_km: float = SAME_NAME_KM,
) -> Entry | None:
    """The existing place (of ``kinds``) near the point that has one of ``names``."""
    from rapidfuzz import fuzz

    keys = name_set(names)
    cands = [
        (d, e)
        for d, e in index.near(lat, lon, same_km + 8.0)
        if e.kind in kinds and d <= same_km + min(e.precision_km, 8.0)
    ]
    for d, e in cands:
        if e.id not in keysets:
            keysets[e.id] = name_set(e.names)
        if same_name(keys, keysets[e.id], short_ok=d <= 2.0):
            return e
    latin = [normalize_name(n) for n in names if not ARABIC.search(n)]
    for d, e in cands:
        if d > CLOSE_SPELLING_KM:
            break
        theirs = [normalize_name(n) for n in e.names if not ARABIC.search(n)]
        if any(
            fuzz.ratio(a, b) >= CLOSE_SPELLING_RATIO
            for a in latin
            for b in theirs
            if len(a) >= 4 and len(b) >= 4
        ):
            return e
    return None


#: Places whose names the press uses most: an alias from these sources that sounds like one of
#: their names ("Hatlah" of a village, like the Hatla quarter) would stand in their way.
PROMINENT_KINDS = ("governorate", "district", "city", "town", "neighbourhood", "camp")


#: A prominent place abroad shadows the aliases that only sound like its name within this
#: distance (km) of them: the border towns the war's reports name ("Hermel", "Antakya");
#: farther away, only an alias spelled as it is.
SHADOW_ABROAD_KM = 150.0


@dataclass
class Shadows:
    """The names of prominent places, which an alias from these sources must not sound like.

    A Syrian place shadows every alias that sounds like one of its names (the press spells a
    Syrian name many ways); a place abroad the aliases spelled as it is and, near the border,
    those that sound like it. A village named "Barleen" far from Berlin keeps its name."""

    syrian: dict[str, set[str]]  # phonetic key -> ids
    abroad: dict[str, list[tuple[str, float, float]]]  # phonetic key -> (id, lat, lon)
    abroad_exact: dict[str, set[str]]  # folded name -> ids

    def owners(self, name: str, lat: float, lon: float) -> set[str]:
        key = name_keys(name)[0]
        near = {
            pid
            for pid, plat, plon in self.abroad.get(key, ())
            if haversine_km(lat, lon, plat, plon) <= SHADOW_ABROAD_KM
        }
        return (
            self.syrian.get(key, set()) | self.abroad_exact.get(normalize_name(name), set()) | near
        )


def prominent_keys(entries: Iterable[Entry]) -> Shadows:
    """The shadows of the prominent places among ``entries``."""
    syrian: dict[str, set[str]] = defaultdict(set)
    abroad: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    exact: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        if e.kind in PROMINENT_KINDS:
            for n in e.names:
                if not ARABIC.search(n) and normalize_name(n):
                    if e.country == "SY":
                        syrian[name_keys(n)[0]].add(e.id)
                    else:
                        abroad[name_keys(n)[0]].append((e.id, e.lat, e.lon))
                        exact[normalize_name(n)].add(e.id)
    return Shadows(syrian, abroad, exact)


def _unshadowed(names: list[str], pid: str, shadows: Shadows, lat: float, lon: float) -> list[str]:
    """The names that stand in the way of no prominent place (:class:`Shadows`)."""
    out = []
    for n in names:
        if not ARABIC.search(n):
            owners = shadows.owners(n, lat, lon)
            if owners and pid not in owners:
                continue
        out.append(n)
    return out


def _absorber(index: PointIndex, lat: float, lon: float) -> Entry | None:
    """The village this point lies at (within ``SAME_POINT_KM``), whatever its name."""
    for _d, e in index.near(lat, lon, SAME_POINT_KM):
        if e.kind in ABSORBING_KINDS:
            return e
    return None


def _main_names(names: list[str], main: str) -> list[str]:
    """What an absorbed record gives the village: its main name and Arabic names."""
    return [n for n in names if n == main or ARABIC.search(n)]


def add_whosonfirst(builder: Builder, flt: NameFilter, counts: Counts) -> None:

    index = PointIndex()
    for e in builder.entries.values():
        if e.country == "SY" and e.kind in SETTLEMENT_KINDS:
            index.add(e)
    keysets: dict[str, set[tuple[str, str]]] = {}
    locate = district_locator(builder.entries.values())
    shadow = prominent_keys(builder.entries.values())
    for r in read_wof(builder.ref):
        lat, lon = float(r["lat"]), float(r["lon"])
        src = f"Who's On First {r['wof_id']}" + (f", GeoNames {r['gn_id']}" if r["gn_id"] else "")
        src += f"; {WOF_LICENCE}"
        names = [n for n in _wof_names(r) if flt.usable(n)]
        if not names:
            counts.skipped["wof: only stop names or generic words"] += 1
            continue
        target = _match(index, lat, lon, names, SETTLEMENT_KINDS, keysets)
        if target is None and (target := _absorber(index, lat, lon)) is not None:
            names = _main_names(names, r["name"].replace("`", "\u2018"))
        if target is not None:
            counts.merged[f"wof -> {target.kind}"] += 1
            names = _unshadowed(names, target.id, shadow, lat, lon)
            for n in names:
                target.add_name(n, src)
            keysets.pop(target.id, None)
            if not target.name_ar:
                target.name_ar = next((n for n in names if ARABIC.search(n)), "")
            continue
        where = locate(lat, lon)
        if where is None:
            counts.skipped["wof: outside Syria"] += 1
            continue
        names = _unshadowed(names, "", shadow, lat, lon)
        latin = [n for n in names if not ARABIC.search(n)]
        if not latin:
            counts.skipped["wof: no usable Latin name"] += 1
            continue
        abandoned = r["gn_fcode"] == "PPLQ"
        name = r["name"].replace("`", "\u2018") if flt.usable(r["name"]) else latin[-1]
        e = builder.add(
            Entry(
                id=f"WOF-{r['wof_id']}",
                name=name,
                kind="village",
                lat=lat,
                lon=lon,
                precision_km=2.0 if abandoned else 1.5,
                source=src,
                precision_note=(
                    "abandoned village (GeoNames PPLQ): settlement point"
                    if abandoned
                    else "village or hamlet (GeoNames via Who's On First): settlement point"
                ),
                name_ar=next((n for n in names if ARABIC.search(n)), ""),
                parent_id=where[0],
                district=where[1],
                governorate=where[2],
            )
        )
        for n in names:
            e.add_name(n, src)
        index.add(e)
        counts.added["wof village"] += 1


# -- Wikipedia's war map ---------------------------------------------------------------------------
_PAREN = re.compile(r"\s*\(([^)]*)\)")
_AIR = re.compile(
    r"\b(air ?base|air ?field|air ?strip|airport|heliport|helicopter|air base)\b", re.I
)
_FACILITY = re.compile(
    r"\b(hospital|prison|academy|school|college|university|factory|plant|silos?|station|"
    r"company|refinery|storage|facilit\w*|zone|mill|works|bakery|stadium|tower|field|fields)\b",
    re.I,
)
_LANDMARK = re.compile(
    r"\b(cemetery|ruins?|castle|citadel|mosque|church|shrine|monastery|tomb)\b", re.I
)
_HILL_WORD = re.compile(
    r"\b(tall|tal|tell|tel|jabal|jebel|jabel|mount|mountain|mt|hill|hills|talat|tulul|tlul|"
    r"qarat|qurnat|ruwaysat|ruweisat|ruwayssat|kaff|dahr|ras|telat|tallat|tallet|zumlat)\b",
    re.I,
)


def _labels(label: str, flt: NameFilter, settlement: bool) -> list[str]:
    """The names in a map label: "Minakh (Menagh, Meng) Airbase" -> Minakh Airbase, Menagh
    Airbase, Meng Airbase; "A & B" -> A, B; elevations and years dropped. A settlement's
    parenthesis holds other names of it ("Kobani (Ayn al-Arab)"); another point's only when it
    is inside the label (the kind word follows) or names a kind itself ("(Ghazalan Camp)"):
    "4th Division (Mezzeh)" says where, not what."""
    out: list[str] = []
    parts = re.split(r"\s*/\s*" if settlement else r"\s+&\s+|\s+and\s+|&", label)
    for part in parts:
        bare = " ".join(_PAREN.sub(" ", part).split())
        bare = re.sub(r"\s+\d+\s*m?(-airstrip)?$", "", bare)
        if bare:
            out.append(bare)
        for m in _PAREN.finditer(part):
            after = part[m.end() :].strip()
            tail = f" {after}" if after and not settlement else ""
            for x in m.group(1).split(","):
                x = x.strip()
                if not x or re.search(r"\d", x):
                    continue
                if settlement or tail:
                    out.append(x + tail)
                elif len(flt.proper_words(x)) < len(normalize_name(x).split()):
                    out.append(x)  # "(Ghazalan Camp)": a kind word, so a name of the point
    seen: dict[str, None] = {}
    for n in out:
        seen.setdefault(n, None)
    return list(seen)


def war_map_kind(feature: str, mark: str, label: str) -> str:
    low = label.lower()
    if feature == "settlement":
        return "village"
    if feature == "hill":
        return "landmark"
    if feature == "crossing":
        return "crossing"
    if feature == "airbase" or _AIR.search(low):
        return "airport" if ("int'l" in low or "international" in low) else "base"
    if feature == "camp":
        return "base" if "_base" in mark or "training" in low or "military" in low else "camp"
    if feature in ("industry", "oil", "dam"):
        return "facility"
    if feature in ("base", "checkpoint"):
        if _LANDMARK.search(low):
            return "landmark"
        if feature == "base" and _FACILITY.search(low):
            return "facility"
        return "base"
    return "landmark"


_PRECISION = {
    "settlement": (1.5, "village point (Wikipedia war map, mid-2017)"),
    "hill": (1.0, "hill point (Wikipedia war map)"),
    "base": (1.0, "military position point (Wikipedia war map)"),
    "checkpoint": (0.5, "checkpoint point (Wikipedia war map)"),
    "airbase": (2.0, "airfield point (Wikipedia war map); the runways extend ~2 km"),
    "industry": (1.0, "plant point (Wikipedia war map)"),
    "oil": (3.0, "oil or gas field point (Wikipedia war map); fields extend several km"),
    "dam": (1.5, "dam point (Wikipedia war map)"),
    "camp": (1.0, "camp point (Wikipedia war map)"),
    "crossing": (1.0, "crossing point (Wikipedia war map)"),
}

_AIR_VARIANTS = ("airbase", "air base", "airport", "military airport", "airfield")


def _site_variants(name: str, kind: str) -> Iterator[str]:
    """Other ways the press names an airbase or a camp: "Jirah Airbase" -> "Jirah airport" ...,
    "Al-Hawl Refugee Camp" -> "Al-Hawl camp"."""
    if kind == "camp":
        m = re.match(r"^(.+?)\s+(?:refugee\s+|idps?\s+|displacement\s+)?camp$", name, re.I)
        if m:
            yield f"{m.group(1)} camp"
            yield f"{m.group(1)} refugee camp"
            yield f"{m.group(1)} displacement camp"
        return
    if kind != "base":
        return
    m = re.match(r"^(.+?)\s+(?:military\s+)?(?:air ?base|airport|airfield)$", name, re.I)
    if m and not re.search(r"\d", m.group(1)):
        for v in _AIR_VARIANTS:
            yield f"{m.group(1)} {v}"


def read_war_map(reference: Path) -> list[dict[str, str]]:
    with open(reference / WAR_MAP_FILE, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return sorted(rows, key=lambda r: (r["label"], float(r["lat"]), float(r["lon"]), r["mark"]))


def add_war_map(builder: Builder, flt: NameFilter, counts: Counts) -> None:

    settlements = PointIndex()
    sites = PointIndex()
    for e in builder.entries.values():
        if e.country != "SY":
            continue
        if e.kind in SETTLEMENT_KINDS:
            settlements.add(e)
        if e.kind in SITE_KINDS or e.kind == "landmark":
            sites.add(e)
    keysets: dict[str, set[tuple[str, str]]] = {}
    locate = district_locator(builder.entries.values())
    shadow = prominent_keys(builder.entries.values())
    for r in read_war_map(builder.ref):
        feature, label = r["feature"], r["label"].strip()
        if feature == "settlement" and not r["mark"].startswith("m."):
            counts.skipped["war map: a city's or battle's picture, not a point"] += 1
            continue
        lat, lon = float(r["lat"]), float(r["lon"])
        src = f"Wikipedia Syrian Civil War detailed map, point '{label}'; {WAR_MAP_LICENCE}"
        kind = war_map_kind(feature, r["mark"], label)
        names = [n for n in _labels(label, flt, feature == "settlement") if flt.usable(n)]
        if feature == "hill":
            names = [n for n in names if _HILL_WORD.search(n)]
        if not names:
            counts.skipped[f"war map {feature}: no proper name"] += 1
            continue
        if kind == "village":
            target = _match(settlements, lat, lon, names, SETTLEMENT_KINDS, keysets)
            if target is None and (target := _absorber(settlements, lat, lon)) is not None:
                names = names[:1]
        else:
            target = _match(
                sites, lat, lon, names, SITE_KINDS, keysets, same_km=SAME_SITE_KM
            ) or _match(settlements, lat, lon, names, SETTLEMENT_KINDS, keysets, same_km=2.0)
        if target is not None:
            counts.merged[f"war map {feature} -> {target.kind}"] += 1
            names = _unshadowed(names, target.id, shadow, lat, lon)
            for n in names:
                target.add_name(n, src)
                for v in _site_variants(n, target.kind):
                    target.add_name(v, src + " (word variant)")
            keysets.pop(target.id, None)
            continue
        where = locate(lat, lon)
        if where is None:
            counts.skipped[f"war map {feature}: outside Syria"] += 1
            continue
        names = _unshadowed(names, "", shadow, lat, lon)
        if not names:
            counts.skipped[f"war map {feature}: sounds like a prominent place"] += 1
            continue
        prec, note = _PRECISION.get(feature, (1.0, "point (Wikipedia war map)"))
        base_id = f"WM-{slug(names[0])[:40].strip('-')}"
        pid, k = base_id, 2
        while pid in builder.entries:
            pid, k = f"{base_id}-{k}", k + 1
        e = builder.add(
            Entry(
                id=pid,
                name=names[0],
                kind=kind,
                lat=lat,
                lon=lon,
                precision_km=prec,
                source=src,
                precision_note=note,
                parent_id=where[0],
                district=where[1],
                governorate=where[2],
            )
        )
        for n in names:
            e.add_name(n, src)
            for v in _site_variants(n, kind):
                e.add_name(v, src + " (word variant)")
        (settlements if kind == "village" else sites).add(e)
        counts.added[f"war map {feature} ({kind})"] += 1


def report(counts: Counts) -> list[str]:
    lines = []
    for title, d in (
        ("added", counts.added),
        ("merged", counts.merged),
        ("skipped", counts.skipped),
    ):
        for k in sorted(d):
            lines.append(f"{title}: {k}: {d[k]}")
    return lines
