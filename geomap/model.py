"""Frozen value types that flow through the pipeline.

Article -> sentences -> mentions -> resolved places -> events -> merged events.
One coordinate order in the code: (lat, lon). GeoJSON's [lon, lat] is made in
``geomap.output.files`` only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from geomap.errors import UnknownName

#: Place kinds, broadest first. ``precision_km`` of a place says how far its point may be from
#: where something named by it happened.
PLACE_KINDS = (
    "country",
    "governorate",
    "district",
    "subdistrict",
    "city",
    "town",
    "village",
    "neighbourhood",
    "camp",
    "crossing",
    "airport",
    "base",
    "facility",
    "landmark",
    "region",
)

#: ACLED event types (the gold uses these names).
EVENT_TYPES = (
    "battle",
    "remote_violence",
    "violence_against_civilians",
    "protest",
    "strategic",
)

#: Roles a place mention can play in its article.
ROLES = ("event", "dateline", "context")

#: How a mention was resolved.
STATUSES = ("resolved", "fallback", "ambiguous", "unresolved")

#: Date precision codes, finest first (after UCDP's date_prec).
DATE_PRECISIONS = ("day", "days", "week", "month", "year", "unknown")


def check_choice(what: str, value: str, valid: tuple[str, ...]) -> str:
    if value not in valid:
        raise UnknownName(what, value, valid)
    return value


def check_coordinates(lat: float, lon: float) -> None:
    if not (isinstance(lat, int | float) and isinstance(lon, int | float)):
        raise ValueError(f"coordinates must be numbers, got lat={lat!r} lon={lon!r}")
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError(f"coordinates must be finite, got lat={lat!r} lon={lon!r}")
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude must be in [-90, 90], got {lat!r}")
    if not -180.0 <= lon <= 180.0:
        raise ValueError(f"longitude must be in [-180, 180], got {lon!r}")


@dataclass(frozen=True, slots=True)
class Place:
    """One real place in the gazetteer."""

    id: str  # stable id, e.g. "N0214" (OCHA pcode) or "cur-aleppo-airport"
    name: str  # display name (English)
    kind: str  # one of PLACE_KINDS
    lat: float
    lon: float
    precision_km: float  # radius within which the real place lies around (lat, lon)
    country: str = "SY"  # ISO 3166-1 alpha-2
    governorate: str = ""  # English name of the governorate ("" outside Syria or for countries)
    district: str = ""
    city_id: str = ""  # id of the city a neighbourhood/camp/facility belongs to
    parent_id: str = ""  # id of the direct parent (city, district, governorate, country)
    name_ar: str = ""
    source: str = ""  # the source record, e.g. "OCHA city_neighbourhoods 2016 N0214"
    precision_note: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a place needs an id")
        check_choice("place kind", self.kind, PLACE_KINDS)
        check_coordinates(self.lat, self.lon)
        if not (math.isfinite(self.precision_km) and self.precision_km >= 0):
            raise ValueError(f"precision_km must be >= 0, got {self.precision_km!r}")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name may refer to, with how well it matched and why."""

    place: Place
    score: float  # 0..1, higher is better
    reason: str  # e.g. "exact name", "normalised alias 'salah al din'", "fuzzy 91 'salahedin'"
    matched: str = ""  # the gazetteer name or alias that matched
    #: Ids of the scoring rules that fired (``reason`` is their prose): later stages test
    #: these, never the prose.
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of a place name in a document, and what it resolved to."""

    doc: str
    start: int  # character offsets into the document text, text[start:end] == surface
    end: int
    surface: str
    sentence: int  # index of the sentence in the document
    role: str  # one of ROLES
    status: str  # one of STATUSES
    place: Place | None
    score: float
    reason: str  # the rule or evidence that decided
    runners_up: tuple[Candidate, ...] = ()
    #: the name of the feature the mention names ("Quwatli Street", "Base 46") when its place
    #: is the feature or, with status "fallback", the place that holds it; "" for other names
    feature: str = ""
    #: ids of the rules that decided, each with its arguments ("feature-fallback:head=street,
    #: container=C2987,by=after"): later stages test these, never the prose of ``reason``
    rules: tuple[str, ...] = ()
    #: where a compositional phrase puts what it locates ("12 km southeast of X", "north of
    #: X"): a point or an area computed from the mention's place (its anchor), with an honest
    #: ``precision_km``; None when the name is not the anchor of such a phrase
    located: Place | None = None

    def __post_init__(self) -> None:
        check_choice("mention role", self.role, ROLES)
        check_choice("mention status", self.status, STATUSES)
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad offsets {self.start}..{self.end}")
        if self.status in ("resolved", "fallback") and self.place is None:
            raise ValueError(f"a {self.status} mention needs a place")


@dataclass(frozen=True, slots=True)
class Source:
    """Where an event is reported: the sentence of a document that says so."""

    doc: str
    sentence: str  # the sentence text
    start: int  # offsets of the sentence in the document
    end: int
    outlet: str = ""
    published: date | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One event at one place, with every report of it."""

    id: str
    type: str  # one of EVENT_TYPES
    sub_type: str
    date_start: date | None
    date_end: date | None
    date_precision: str  # one of DATE_PRECISIONS
    place: Place
    geo_precision: str  # "point", "neighbourhood", "city", "governorate", "country", ...
    fatalities: int | None
    actors: tuple[str, ...]
    sources: tuple[Source, ...]
    attributed_to: tuple[str, ...] = ()  # who the article says reported it ("the Observatory")
    #: the toll the report gives for the whole happening when ``fatalities`` is this place's
    #: share of it ("shelling on X and Y killed 9": 5 at X, 4 at Y, total 9 on both)
    fatalities_total: int | None = None
    #: the id shared by the events whose tolls are shares of one reported total ("" if none)
    toll_group: str = ""
    #: ids of the rules that made the event, each with its arguments ("trigger:id=T012",
    #: "place:status=fallback", then its place mention's rules): data, rendered at the edge
    rules: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_choice("event type", self.type, EVENT_TYPES)
        check_choice("date precision", self.date_precision, DATE_PRECISIONS)
        if self.date_start and self.date_end and self.date_end < self.date_start:
            raise ValueError(f"date_end {self.date_end} before date_start {self.date_start}")
        if self.fatalities is not None and self.fatalities < 0:
            raise ValueError(f"fatalities must be >= 0, got {self.fatalities}")
        if self.fatalities_total is not None and self.fatalities_total < (self.fatalities or 0):
            raise ValueError(
                f"fatalities_total {self.fatalities_total} below the share {self.fatalities}"
            )


@dataclass(frozen=True, slots=True)
class Document:
    """One article: its text and what the manifest says of it."""

    id: str  # file name without ".txt"
    text: str
    published: date | None = None  # None: relative dates cannot be resolved (flagged, not guessed)
    dateline: str = ""  # from the manifest ("BEIRUT", "ALEPPO, Syria"); "" when unknown
    outlet: str = ""
    wire: str = ""
    path: str = ""  # where it was read from, for messages


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A temporal expression found in text, resolved against a publication date.

    ``start``/``end`` are offsets into the text that was searched. ``date_start``/``date_end`` are
    None when the expression needs a publication date that is missing (``precision`` "unknown").
    """

    start: int
    end: int
    surface: str
    date_start: date | None
    date_end: date | None
    precision: str  # one of DATE_PRECISIONS
    rule: str  # which rule matched, e.g. "weekday", "day-month", "range", "relative-week"

    def __post_init__(self) -> None:
        check_choice("date precision", self.precision, DATE_PRECISIONS)
        if self.date_start and self.date_end and self.date_end < self.date_start:
            raise ValueError(f"date_end {self.date_end} before date_start {self.date_start}")


def parse_rule(rule: str) -> tuple[str, dict[str, str]]:
    """A rule of ``Mention.rules`` / ``Event.rules`` as its id and arguments:
    ``"bearing:anchor=C1,bearing=SW"`` -> ``("bearing", {"anchor": "C1", "bearing": "SW"})``;
    an argument without ``=`` is kept under its position (``"0"``, ``"1"`` ...)."""
    rid, _, rest = rule.partition(":")
    args: dict[str, str] = {}
    for i, part in enumerate(p for p in rest.split(",") if p):
        key, eq, value = part.partition("=")
        if eq:
            args[key.strip()] = value.strip()
        else:
            args[str(i)] = part.strip()
    return rid.strip(), args


def geo_precision(place: Place, *, fallback: bool = False) -> str:
    """How precisely an event placed at ``place`` is known."""
    if fallback:
        return "city"
    return {
        "country": "country",
        "governorate": "governorate",
        "district": "district",
        "subdistrict": "district",
        "city": "city",
        "town": "city",
        "village": "city",
        "neighbourhood": "neighbourhood",
        "region": "governorate",
    }.get(place.kind, "point")
