"""Place labels for the offline basemap, from the gazetteer, embedded in each map as data.

The offline basemap has no place names: the map's script draws these by zoom (see
``templates/events_layer.js``), larger places first, never two on top of each other. To keep a
page small only what a reader of these events needs is embedded: Syria's governorate capitals
and the regional cities around it, the governorates (as region names), and the towns, villages
and city neighbourhoods near the events.

A label is ``[name, lat, lon, rank]``; the rank (``RANKS``) says what it is and from which zoom
it is drawn.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: rank -> (what, first zoom it is drawn at); the script holds the same zooms.
RANKS = {
    0: ("city", 0),
    1: ("governorate", 0),
    2: ("town", 9),
    3: ("village", 11),
    4: ("neighbourhood", 12),
}
#: How near an event a town, a village, a city (for its neighbourhoods) must be to be labelled.
TOWN_KM = 40.0
VILLAGE_KM = 8.0
CITY_KM = 15.0
#: The area the regional cities are taken from (Syria and its neighbours' border towns).
REGION = (31.5, 34.5, 38.0, 43.5)  # lat min, lon min, lat max, lon max


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dy = (lat2 - lat1) * 111.2
    dx = (lon2 - lon1) * 111.2 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, dy)


@lru_cache(maxsize=2)
def _candidates(gazetteer_dir: str | None) -> tuple[tuple[str, str, float, float, str, int], ...]:
    """(name, kind, lat, lon, city_id, priority) of the gazetteer's labellable places; priority
    0 for Syria's governorate capitals, 1 for any other place."""
    from geomap.gazetteer.store import Gazetteer

    try:
        gaz = Gazetteer.load(Path(gazetteer_dir) if gazetteer_dir else None)
    except Exception as exc:  # a map without labels is still a map
        log.warning("no place labels on the maps: %s", exc)
        return ()
    kinds = {"city", "governorate", "town", "village", "neighbourhood"}
    return tuple(
        (
            p.name,
            p.kind,
            p.lat,
            p.lon,
            p.city_id,
            0 if "governorate capital" in p.precision_note else 1,
        )
        for p in gaz.places
        if p.kind in kinds and p.name
    )


class _Near:
    """Which of some points lie within a distance of a set of event points (a coarse grid)."""

    def __init__(self, points: Iterable[tuple[float, float]], cell_deg: float = 0.5) -> None:
        self.cell = cell_deg
        self.grid: dict[tuple[int, int], list[tuple[float, float]]] = {}
        for lat, lon in points:
            self.grid.setdefault(self._key(lat, lon), []).append((lat, lon))

    def _key(self, lat: float, lon: float) -> tuple[int, int]:
        return (math.floor(lat / self.cell), math.floor(lon / self.cell))

    def within(self, lat: float, lon: float, km: float) -> bool:
        ky, kx = self._key(lat, lon)
        reach = int(km / (111.0 * self.cell)) + 1
        for dy in range(-reach, reach + 1):
            for dx in range(-reach, reach + 1):
                for plat, plon in self.grid.get((ky + dy, kx + dx), ()):
                    if _km(lat, lon, plat, plon) <= km:
                        return True
        return False


def labels_for(
    event_points: Iterable[tuple[float, float]], gazetteer_dir: Path | None = None
) -> list[list[Any]]:
    """The labels a map of events at ``event_points`` (lat, lon) embeds, in a stable order."""
    near = _Near(event_points)
    cands = _candidates(str(gazetteer_dir) if gazetteer_dir else None)
    out: list[list[Any]] = []
    lat0, lon0, lat1, lon1 = REGION
    for name, kind, lat, lon, city_id, priority in cands:
        rank = -1
        if kind == "city" and lat0 <= lat <= lat1 and lon0 <= lon <= lon1:
            rank = 0
        elif kind == "governorate":
            rank = 1
        elif kind == "town" and near.within(lat, lon, TOWN_KM):
            rank = 2
        elif kind == "village" and near.within(lat, lon, VILLAGE_KM):
            rank = 3
        elif kind == "neighbourhood" and city_id and near.within(lat, lon, CITY_KM):
            rank = 4
        if rank >= 0:
            out.append([name, round(lat, 4), round(lon, 4), rank, priority])
    # the script places them in this order: the first take the room
    out.sort(key=lambda r: (r[3], r[4], r[0], r[1], r[2]))
    return [r[:4] for r in out]
