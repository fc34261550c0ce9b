"""The offline gazetteer: load ``gazetteer/`` and look names up.

Lookup tiers, best first (the reason of each candidate says which matched):

1. the exact name or alias as written (score 1.0);
2. the normalised name (case, diacritics, apostrophes, hyphens, the article: 0.95);
3. the phonetic key (vowel and consonant alternations, doubled letters: 0.9);
4. the consonant skeleton, shared with the Arabic names of the sources (0.8);
5. fuzzy matching with rapidfuzz over normalised names (0.85 x similarity).

Ambiguity is kept: every place a name may refer to is a candidate. Prominence (country >
governorate > city > town > village) breaks near-ties, and ``near`` (a place, an id, a name or a
``(lat, lon)``) ranks candidates by distance. When every candidate of a small place (village,
town, neighbourhood) is far from ``near``, the near place itself is offered first, as a
city-level fallback, with the reason.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from geomap.errors import GazetteerError, UnknownPlace, decode_utf8
from geomap.gazetteer.names import (
    SHORT_SKELETON_MIN,
    SKELETON_MIN,
    arabic_skeleton,
    name_keys,
    normalize_name,
)
from geomap.model import Candidate, Place

log = logging.getLogger(__name__)

DATA_FILES = ("places.csv", "names.csv", "shapes.csv")
#: A name with a letter of the Arabic block is indexed by its consonant skeleton only.
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
PROMINENCE = {
    "country": 0.08,
    "city": 0.04,
    "governorate": 0.03,
    "camp": 0.02,
    "crossing": 0.02,
    "airport": 0.02,
    "base": 0.02,
    "town": 0.015,
    "neighbourhood": 0.01,
    "facility": 0.01,
    "landmark": 0.01,
    "district": 0.005,
    "subdistrict": 0.0,
    "village": 0.0,
    "region": 0.0,
}
#: Kinds of small places: a far-away candidate of these is implausible when ``near`` is given
#: (the one definition; :mod:`geomap.extraction.places.resolve` uses it too).
SMALL_KINDS = frozenset(
    {"village", "town", "neighbourhood", "camp", "facility", "landmark", "subdistrict"}
)
#: Beyond this distance (km) from ``near``, a small place is taken as a different place.
FAR_KM = 60.0
FUZZY_CUTOFF = 85.0
#: Fuzzy answers a gazetteer keeps (:meth:`Gazetteer._fuzzy`) before it starts over.
FUZZY_MEMO = 4096


def default_gazetteer_dir() -> Path:
    """``$GEOMAP_GAZETTEER``, else the project's ``gazetteer/`` beside the package."""
    env = os.environ.get("GEOMAP_GAZETTEER")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "gazetteer"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _version(directory: Path) -> str:
    h = hashlib.sha256()
    for name in DATA_FILES:
        path = directory / name
        if path.is_file():
            h.update(name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _float(row: dict[str, str], col: str, path: Path, line: int) -> float:
    try:
        return float(row[col])
    except (TypeError, ValueError) as exc:
        raise GazetteerError(
            f"{col} {row.get(col)!r} is not a number", path=str(path), line=line
        ) from exc


def csv_records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of a UTF-8 CSV file; invalid UTF-8 or a malformed row is a GazetteerError
    naming the file and line (lines count ``\\n`` only, as an editor does)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GazetteerError(f"cannot be read ({exc.strerror or exc})", path=str(path)) from exc
    text = decode_utf8(data, str(path), error=GazetteerError)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    while True:
        last = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise GazetteerError(f"malformed CSV ({exc})", path=str(path), line=last + 1) from None
        yield reader.line_num, row


def read_places(path: Path) -> dict[str, Place]:
    places: dict[str, Place] = {}
    for line, row in csv_records(path):
        try:
            place = Place(
                id=row["id"],
                name=row["name"],
                kind=row["kind"],
                lat=_float(row, "lat", path, line),
                lon=_float(row, "lon", path, line),
                precision_km=_float(row, "precision_km", path, line),
                country=row["country"],
                governorate=row["governorate"],
                district=row["district"],
                city_id=row["city_id"],
                parent_id=row["parent_id"],
                name_ar=row["name_ar"],
                source=row["source"],
                precision_note=row["precision_note"],
            )
        except GazetteerError:
            raise
        except (KeyError, ValueError) as exc:
            raise GazetteerError(str(exc), path=str(path), line=line) from exc
        if place.id in places:
            raise GazetteerError(f"id {place.id} is used twice", path=str(path), line=line)
        places[place.id] = place
    return places


class Gazetteer:
    """Places, their names, and indexes to look names up."""

    def __init__(
        self,
        places: dict[str, Place],
        names: Sequence[tuple[str, str]],
        shapes: dict[str, str],
        *,
        directory: Path | None = None,
        version: str = "",
        shape_lines: dict[str, int] | None = None,
    ) -> None:
        self.directory = directory
        self.version = version
        self._places = places
        self._shapes_wkt = shapes
        #: shapes.csv line of each shape, for messages
        self._shape_lines: dict[str, int] = dict(shape_lines or {})
        self._names: dict[str, list[str]] = defaultdict(list)
        for pid, name in names:
            self._names[pid].append(name)
        self._build_indexes()

    # -- loading -------------------------------------------------------------------------
    @classmethod
    def load(cls, directory: Path | None = None) -> Gazetteer:
        directory = Path(directory) if directory else default_gazetteer_dir()
        return _load_cached(str(directory.resolve()), _version(directory))

    @classmethod
    def _read(cls, directory: Path, version: str) -> Gazetteer:
        if not (directory / "places.csv").is_file():
            raise GazetteerError("no places.csv (run `make gazetteer`)", path=str(directory))
        places = read_places(directory / "places.csv")
        names: list[tuple[str, str]] = []
        names_path = directory / "names.csv"
        for line, row in csv_records(names_path):
            if row.get("place_id") not in places or row.get("name") is None:
                raise GazetteerError(
                    f"name {row.get('name')!r} points at no place {row.get('place_id')!r}",
                    path=str(names_path),
                    line=line,
                )
            names.append((row["place_id"], row["name"]))
        shapes: dict[str, str] = {}
        shape_lines: dict[str, int] = {}
        shapes_path = directory / "shapes.csv"
        if shapes_path.is_file():
            csv.field_size_limit(1 << 26)
            for line, row in csv_records(shapes_path):
                if not row.get("place_id") or row.get("wkt") is None:
                    raise GazetteerError(
                        "a shape needs place_id and wkt", path=str(shapes_path), line=line
                    )
                shapes[row["place_id"]] = row["wkt"]
                shape_lines[row["place_id"]] = line
        return cls(
            places, names, shapes, directory=directory, version=version, shape_lines=shape_lines
        )

    def _build_indexes(self) -> None:
        exact: dict[str, set[str]] = defaultdict(set)
        norm: dict[str, set[str]] = defaultdict(set)
        key: dict[str, set[str]] = defaultdict(set)
        skel: dict[str, set[str]] = defaultdict(set)
        short: dict[str, set[str]] = defaultdict(set)
        shown: dict[tuple[str, str], str] = {}
        for pid, names in self._names.items():
            for name in names:
                exact[name.casefold()].add(pid)
                if _ARABIC_LETTER.search(name):
                    s = arabic_skeleton(name)
                    if len(s) >= SKELETON_MIN:
                        skel[s].add(pid)
                        shown.setdefault((s, pid), name)
                    elif len(s) >= SHORT_SKELETON_MIN:
                        short[s].add(pid)
                    continue
                n = normalize_name(name)
                if not n:
                    continue
                norm[n].add(pid)
                shown.setdefault((n, pid), name)
                k, s = name_keys(name)
                key[k].add(pid)
                shown.setdefault((k, pid), name)
                if len(s) >= SKELETON_MIN:
                    skel[s].add(pid)
                    shown.setdefault((s, pid), name)
                elif len(s) >= SHORT_SKELETON_MIN:
                    short[s].add(pid)

        def freeze(d: dict[str, set[str]]) -> dict[str, tuple[str, ...]]:
            return {k: tuple(sorted(v)) for k, v in d.items()}

        self._exact = freeze(exact)
        self._norm = freeze(norm)
        self._key = freeze(key)
        self._skel = freeze(skel)
        self._short_skel = freeze(short)
        self._shown = shown
        self._fuzzy_choices = sorted(self._norm)
        self._fuzzy_memo: dict[str, tuple[tuple[str, float], ...]] = {}

    # -- access --------------------------------------------------------------------------
    @property
    def places(self) -> Iterable[Place]:
        return (self._places[k] for k in sorted(self._places))

    def __len__(self) -> int:
        return len(self._places)

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._places

    def get(self, place_id: str) -> Place:
        try:
            return self._places[place_id]
        except KeyError:
            raise UnknownPlace(f"no place with id {place_id!r}") from None

    def names_of(self, place_id: str) -> list[str]:
        return list(self._names.get(place_id, ()))

    def shape(self, place_id: str) -> Any:
        """The place's polygon (shapely), or None."""
        text = self._shapes_wkt.get(place_id)
        if not text:
            return None
        try:
            return _parse_wkt(text)
        except Exception as exc:  # shapely's GEOSException: bad WKT
            raise GazetteerError(
                f"the shape of {place_id} is not valid WKT ({exc})",
                path=str(self.directory / "shapes.csv") if self.directory else "shapes.csv",
                line=self._shape_lines.get(place_id),
            ) from None

    def name_index(self) -> dict[str, tuple[str, ...]]:
        """Normalised name -> place ids (see :func:`geomap.gazetteer.names.normalize_name`)."""
        return self._norm

    def key_index(self) -> dict[str, tuple[str, ...]]:
        """Phonetic key -> place ids (see :func:`geomap.gazetteer.names.name_keys`)."""
        return self._key

    def skeleton_index(self) -> dict[str, tuple[str, ...]]:
        """Consonant skeleton (Latin and Arabic names) -> place ids."""
        return self._skel

    def short_skeleton_index(self) -> dict[str, tuple[str, ...]]:
        """Consonant skeletons too short to tell a place alone ("mdr" of "Modira", three
        consonants) -> place ids of the names (Latin or Arabic) that have them: to be read only
        among the places near another one, or the quarters of one city
        (:mod:`geomap.extraction.places.resolve`)."""
        return self._short_skel

    def city_of(self, place: Place) -> Place | None:
        """The city a place belongs to (itself for a city), if known."""
        if place.kind == "city":
            return place
        if place.city_id and place.city_id in self._places:
            return self._places[place.city_id]
        return None

    # -- lookup --------------------------------------------------------------------------
    def _near_point(
        self, near: Place | str | tuple[float, float] | None
    ) -> tuple[float, float, float, Place | None] | None:
        if near is None:
            return None
        if isinstance(near, Place):
            return near.lat, near.lon, near.precision_km, near
        if isinstance(near, tuple):
            return float(near[0]), float(near[1]), 5.0, None
        if near in self._places:
            p = self._places[near]
            return p.lat, p.lon, p.precision_km, p
        found = self.lookup(near, limit=1)
        if not found:
            raise UnknownPlace(f"unknown place {near!r} given as near")
        p = found[0].place
        return p.lat, p.lon, p.precision_km, p

    def match(self, name: str) -> dict[str, tuple[float, str]]:
        """Place id -> (score, reason) for every place ``name`` may refer to, without context."""
        found: dict[str, tuple[float, str]] = {}

        def offer(ids: Iterable[str], score: float, why: str, index_key: str | None) -> None:
            for pid in ids:
                if pid in found and found[pid][0] >= score:
                    continue
                via = self._shown.get((index_key, pid), "") if index_key is not None else ""
                found[pid] = (score, f"{why} {via!r}" if via else why)

        raw = name.strip()
        offer(self._exact.get(raw.casefold(), ()), 1.0, "exact name", None)
        n = normalize_name(raw)
        if n:
            offer(self._norm.get(n, ()), 0.95, "normalised name", n)
            k, s = name_keys(raw)
            offer(self._key.get(k, ()), 0.9, "spelling variant of", k)
            if len(s) >= SKELETON_MIN:
                offer(self._skel.get(s, ()), 0.8, "same consonants as", s)
            if not found and len(n) >= 4:
                for choice, sim in self._fuzzy(n):
                    offer(
                        self._norm[choice],
                        round(0.85 * sim / 100, 4),
                        f"fuzzy {sim:.0f}% to",
                        choice,
                    )
        return found

    def _fuzzy(self, normalised: str) -> tuple[tuple[str, float], ...]:
        """The (at most 10) indexed names closest to ``normalised`` by rapidfuzz's ratio, at
        least :data:`FUZZY_CUTOFF`, with their similarity: a scan of every name (a few
        milliseconds), so the last :data:`FUZZY_MEMO` answers are kept (a misspelling tends to
        recur across a corpus)."""
        got = self._fuzzy_memo.get(normalised)
        if got is None:
            from rapidfuzz import fuzz, process

            got = tuple(
                (choice, sim)
                for choice, sim, _ in process.extract(
                    normalised,
                    self._fuzzy_choices,
                    scorer=fuzz.ratio,
                    limit=10,
                    score_cutoff=FUZZY_CUTOFF,
                )
            )
            if len(self._fuzzy_memo) >= FUZZY_MEMO:
                self._fuzzy_memo.clear()
            self._fuzzy_memo[normalised] = got
        return got

    def lookup(
        self,
        name: str,
        *,
        near: Place | str | tuple[float, float] | None = None,
        kinds: Iterable[str] | None = None,
        limit: int = 10,
    ) -> list[Candidate]:
        """Candidates for ``name``, best first; an empty list when nothing matches."""
        found = self.match(name)
        wanted = set(kinds) if kinds else None
        ctx = self._near_point(near)
        scored: list[tuple[float, str, Candidate]] = []
        far_small = 0
        for pid, (score, reason) in found.items():
            place = self._places[pid]
            if wanted is not None and place.kind not in wanted:
                continue
            total = score + PROMINENCE.get(place.kind, 0.0)
            why = reason
            if ctx is not None:
                lat, lon, prec, near_place = ctx
                d = haversine_km(lat, lon, place.lat, place.lon)
                if near_place is not None and near_place.id in (place.city_id, place.parent_id):
                    total += 0.1
                    why += f"; in {near_place.name}"
                else:
                    total += 0.1 * math.exp(-d / (2 * max(prec, 5.0)))
                    if place.kind in SMALL_KINDS | {"district"} and d > FAR_KM + place.precision_km:
                        total -= 0.15
                        far_small += 1
                    why += f"; {d:.0f} km from {near_place.name if near_place else 'near'}"
            scored.append((total, pid, Candidate(place, round(min(total, 1.0), 4), why, name)))
        scored.sort(key=lambda t: (-t[0], t[1]))
        if ctx is not None and scored and far_small == len(scored) and ctx[3] is not None:
            near_place = ctx[3]
            city = self.city_of(near_place) or near_place
            if wanted is None or city.kind in wanted:
                best = scored[0][2]
                fallback = Candidate(
                    city,
                    round(min(scored[0][0] + 0.01, 1.0), 4),
                    f"fallback to {city.name}: every place named {name!r} is more than "
                    f"{FAR_KM:.0f} km away (nearest: {best.place.name}, "
                    f"{best.place.governorate or best.place.country})",
                    name,
                )
                scored.insert(0, (scored[0][0] + 0.01, city.id, fallback))
        out: list[Candidate] = []
        seen: set[str] = set()
        for _, pid, cand in scored:
            if pid not in seen:
                seen.add(pid)
                out.append(cand)
        return out[:limit]


@lru_cache(maxsize=4096)
def _parse_wkt(text: str) -> Any:
    from shapely import wkt

    return wkt.loads(text)


#: Kinds of place that make up a city's districts on a map.
DISTRICT_KINDS = ("neighbourhood", "camp", "facility", "airport", "landmark")


def cities_with_districts(gaz: Gazetteer) -> list[str]:
    """Ids of the cities whose districts have polygons in the gazetteer, most districts first
    (for city outlines on maps): whatever cities the data covers, none named in the code."""
    counts: dict[str, int] = defaultdict(int)
    for p in gaz.places:
        if p.city_id and p.kind in DISTRICT_KINDS and gaz.shape(p.id) is not None:
            counts[p.city_id] += 1
    return sorted((c for c in counts if c in gaz), key=lambda c: (-counts[c], c))


@lru_cache(maxsize=4)
def _load_cached(directory: str, version: str) -> Gazetteer:
    """Load once per process, from the CSV files.

    There is no cache on disk: a cached index is untrusted input (it could be swapped for a
    crafted file), and reading the CSV files takes a fraction of a second.
    """
    return Gazetteer._read(Path(directory), version)
