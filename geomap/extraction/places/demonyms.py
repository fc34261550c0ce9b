"""Words that are a place's adjective or its people's name, not a mention of the place.

"a Damascan suburb", "Aleppan families", "the Homsi rebels", "Hamawi fighters": the word is
the name of a country, a governorate or a city with an adjectival ending, and says whose a
thing is, not where an event happened. Such a word is never a mention, unless it is itself
the exact name of a place in the gazetteer (a village may bear such a name).

The stems are built once per gazetteer from the names of its prominent places (the name,
less its last one or two letters: "damascus" -> "damasc", "aleppo" -> "alepp"), so that a
word costs one set lookup per ending, never a pass over the gazetteer.

Public API: :func:`is_demonym`, :data:`DEMONYM_ENDINGS`.
"""

from __future__ import annotations

from functools import lru_cache

from geomap.gazetteer.names import normalize_name
from geomap.gazetteer.store import Gazetteer

#: Adjectival and demonym endings, longest first.
DEMONYM_ENDINGS = ("ian", "ene", "ine", "ese", "ite", "awi", "an", "wi", "is", "i")
#: Kinds whose names make demonyms.
DEMONYM_KINDS = frozenset({"country", "governorate", "city"})
#: The shortest stem a demonym is read from ("homs" of "Homsi").
MIN_STEM = 4


def is_demonym(gaz: Gazetteer, word: str) -> bool:
    """Whether ``word`` (one word) is a demonym or adjective of a prominent place's name and
    no place's exact name."""
    folded = normalize_name(word)
    if " " in folded or not folded or folded in gaz.name_index():
        return False
    stems = _stems(gaz, gaz.version)
    return any(
        folded.endswith(end) and folded[: -len(end)] in stems
        for end in DEMONYM_ENDINGS
        if len(folded) - len(end) >= MIN_STEM
    )


@lru_cache(maxsize=4)
def _stems(gaz: Gazetteer, version: str) -> frozenset[str]:
    # keyed by the gazetteer (by identity) and its data version, as the spotter is
    out: set[str] = set()
    for name, ids in gaz.name_index().items():
        if " " in name or not any(gaz.get(i).kind in DEMONYM_KINDS for i in ids):
            continue
        out.update(name[:k] for k in (len(name), len(name) - 1, len(name) - 2) if k >= MIN_STEM)
    return frozenset(out)
