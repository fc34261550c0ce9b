"""A gazetteer entry while the gazetteer is built: one place with its names (shared by
:mod:`geomap.gazetteer.build` and :mod:`geomap.gazetteer.sources`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from geomap.gazetteer.names import normalize_name

ARABIC = re.compile(r"[\u0600-\u06ff]")


_OF_NAME = re.compile(r"^(University|Citadel|Airport|Port|Stadium) of (.+)$", re.I)


_INTL = re.compile(r"^(.+?) International Airport$", re.I)


@dataclass
class Entry:
    id: str
    name: str
    kind: str
    lat: float
    lon: float
    precision_km: float
    source: str
    precision_note: str
    name_ar: str = ""
    parent_id: str = ""
    city_id: str = ""
    district: str = ""
    governorate: str = ""
    country: str = "SY"
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (lang, source)
    shape: Any = None

    def add_name(self, name: str, source: str) -> None:
        name = " ".join(name.split())
        if not name or name.casefold() in ("<null>", "unknown", "null"):
            return
        lang = "ar" if ARABIC.search(name) else "en"
        self.names.setdefault(name, (lang, source))
        # Word-order variants the press uses: "University of Aleppo" / "Aleppo University",
        # "Aleppo International Airport" / "Aleppo airport".
        m = _OF_NAME.match(name)
        if m:
            self.names.setdefault(f"{m.group(2)} {m.group(1)}", (lang, source + " (word order)"))
        m = _INTL.match(name)
        if m:
            self.names.setdefault(f"{m.group(1)} airport", (lang, source + " (short form)"))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalize_name(text)).strip("-").upper()
