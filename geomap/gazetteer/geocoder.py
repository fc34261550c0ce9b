"""geopy integration: the gazetteer as a geopy ``Geocoder``, and an opt-in online fallback.

``GazetteerGeocoder`` lets geopy users plug geomap's offline gazetteer in wherever a geopy
geocoder goes. ``OnlineFallback`` asks another geopy geocoder (Nominatim by default) for names
the gazetteer lacks: off unless asked for, every answer cached on disk, calls rate-limited with
geopy's ``RateLimiter``.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geomap.gazetteer.store import Gazetteer, haversine_km
from geomap.model import Candidate, Place

log = logging.getLogger(__name__)

USER_AGENT = "geomap/0.1 (offline-first Syria news geoparser)"


def parent_name(place: Place) -> str:
    parts = [
        place.district if place.kind not in ("district", "governorate") else "",
        place.governorate if place.kind != "governorate" else "",
        place.country,
    ]
    return ", ".join(p for p in parts if p)


def candidate_record(c: Candidate) -> dict[str, Any]:
    """A JSON-ready record of a candidate (``geomap resolve --json``)."""
    p = c.place
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "parent": parent_name(p),
        "parent_id": p.parent_id,
        "lat": p.lat,
        "lon": p.lon,
        "precision_km": p.precision_km,
        "score": c.score,
        "reason": c.reason,
        "source": p.source,
    }


class GazetteerGeocoder(Geocoder):
    """A geopy geocoder answered by the offline gazetteer (no network).

    >>> from geomap.gazetteer.geocoder import GazetteerGeocoder
    >>> GazetteerGeocoder().geocode("Salaheddin", near="Aleppo").raw["id"]
    'N0214'
    """

    def __init__(self, gazetteer: Gazetteer | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gazetteer = gazetteer or Gazetteer.load()

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        near: Any = None,
        kinds: Any = None,
        limit: int = 10,
        **_: Any,
    ) -> Location | list[Location] | None:
        found = self.gazetteer.lookup(str(query), near=near, kinds=kinds, limit=limit)
        locations = [self._location(c) for c in found]
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    def reverse(
        self, query: Any, *, exactly_one: bool = True, kinds: Any = None, **_: Any
    ) -> Location | list[Location] | None:
        lat, lon = (
            (float(query[0]), float(query[1]))
            if isinstance(query, tuple | list)
            else (float(query.latitude), float(query.longitude))
        )
        wanted = set(kinds) if kinds else {"neighbourhood", "camp", "village", "town", "city"}
        ranked = sorted(
            (haversine_km(lat, lon, p.lat, p.lon), p.id, p)
            for p in self.gazetteer.places
            if p.kind in wanted
        )
        locations = [
            self._location(Candidate(p, 1.0, f"{d:.1f} km away")) for d, _, p in ranked[:10]
        ]
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    @staticmethod
    def _location(c: Candidate) -> Location:
        address = ", ".join(x for x in (c.place.name, parent_name(c.place)) if x)
        return Location(address, (c.place.lat, c.place.lon), candidate_record(c))


MAX_CACHE_BYTES = 16 * 1024 * 1024
_RECORD_TYPES: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "name": str,
    "kind": str,
    "parent": str,
    "parent_id": str,
    "lat": (int, float),
    "lon": (int, float),
    "precision_km": (int, float),
    "score": (int, float),
    "reason": str,
    "source": str,
}


def _valid_record(record: Any) -> bool:
    if not isinstance(record, dict) or set(record) != set(_RECORD_TYPES):
        return False
    for key, tp in _RECORD_TYPES.items():
        value = record[key]
        if isinstance(value, bool) or not isinstance(value, tp):
            return False
        if isinstance(value, int | float) and not math.isfinite(value):
            return False
    return -90 <= record["lat"] <= 90 and -180 <= record["lon"] <= 180


def _default_cache() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "geomap" / "online-geocoder.json"


class OnlineFallback:
    """Ask an online geopy geocoder, cached on disk and rate-limited. Opt-in only.

    ``geocoder`` is any object with a geopy-style ``geocode(query, exactly_one=False)``
    (tests pass a fake one; the default is Nominatim, created only when first needed).
    """

    def __init__(
        self,
        geocoder: Any = None,
        *,
        cache_path: Path | None = None,
        min_delay_seconds: float = 1.0,
    ) -> None:
        self._geocoder = geocoder
        self.cache_path = cache_path or _default_cache()
        self.min_delay_seconds = min_delay_seconds
        self._rate_limited: Callable[..., Any] | None = None
        self._cache: dict[str, list[dict[str, Any]]] = self._read_cache()

    def _read_cache(self) -> dict[str, list[dict[str, Any]]]:
        """The cached answers; entries that are not exactly what :meth:`lookup` writes are
        dropped (the cache file is untrusted input), and an unreadable file is an empty cache."""
        try:
            with open(self.cache_path, "rb") as fh:
                raw = fh.read(MAX_CACHE_BYTES + 1)
            if len(raw) > MAX_CACHE_BYTES:
                return {}
            data = json.loads(raw.decode("utf-8"))
        except Exception:  # missing, unreadable, corrupt: start afresh
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            k: v
            for k, v in data.items()
            if isinstance(k, str) and isinstance(v, list) and all(_valid_record(r) for r in v)
        }

    def _call(self, query: str) -> Any:
        if self._rate_limited is None:
            if self._geocoder is None:
                from geopy.geocoders import Nominatim

                self._geocoder = Nominatim(user_agent=USER_AGENT, timeout=10)
            self._rate_limited = RateLimiter(
                self._geocoder.geocode, min_delay_seconds=self.min_delay_seconds, max_retries=1
            )
        return self._rate_limited(query, exactly_one=False)

    def lookup(self, name: str, *, limit: int = 5) -> list[dict[str, Any]]:
        key = " ".join(name.split()).casefold()
        if key not in self._cache:
            answers = self._call(name) or []
            self._cache[key] = [
                {
                    "id": f"online:{getattr(a, 'raw', {}).get('osm_id', i)}",
                    "name": str(a.address).split(",")[0],
                    "kind": "online",
                    "parent": str(a.address),
                    "parent_id": "",
                    "lat": float(a.latitude),
                    "lon": float(a.longitude),
                    "precision_km": 5.0,
                    "score": 0.5,
                    "reason": "online geocoder (not in the gazetteer)",
                    "source": "online geocoder",
                }
                for i, a in enumerate(answers)
            ]
            from geomap.writing import atomic_write

            atomic_write(
                self.cache_path,
                json.dumps(self._cache, ensure_ascii=False, sort_keys=True, indent=1),
            )
        return self._cache[key][:limit]


def online_lookup(name: str, *, limit: int = 5) -> list[dict[str, Any]]:
    """Records from Nominatim for a name the gazetteer lacks (network; cached)."""
    return OnlineFallback().lookup(name, limit=limit)
