"""Data the evaluation uses: actor name normalisation, the crowd labels' vocabularies.

Kept as plain tables so that a reader can check (and extend) them without reading code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: Canonical actor -> the names (lower case) that mean the same for scoring. A name not listed
#: is compared as itself (lower case, a leading "the" dropped). "unknown" means no actor.
ACTOR_ALIASES: dict[str, tuple[str, ...]] = {
    "regime forces": (
        "regime",
        "regime troops",
        "government forces",
        "government troops",
        "government",
        "government loyalists",
        "pro-government forces",
        "loyalist forces",
        "syrian army",
        "syrian arab army",
        "syrian forces",
        "syrian government",
        "syrian government forces",
        "syrian regime",
        "syrian air force",
        "syrian troops",
        "army",
        "assad forces",
        "assad regime",
    ),
    "russian air force": (
        "russia",
        "russian forces",
        "russian troops",
        "russian aircraft",
        "russian warplanes",
        "russian military",
    ),
    "islamic state": (
        "isis",
        "isil",
        "is",
        "daesh",
        "islamic state group",
        "islamic state of iraq",
    ),
    "nusra front": (
        "al-nusra front",
        "jabhat al-nusra",
        "al-nusra",
        "nusra",
        "jabhat fateh al-sham",
        "fateh al-sham",
    ),
    "rebels": (
        "opposition",
        "armed opposition",
        "armed opposition groups",
        "opposition forces",
        "insurgents",
        "militants",
        "terrorists",
        "terrorist groups",
        "free syrian army",
        "fsa",
    ),
    "kurdish forces": (
        "ypg",
        "kurdish fighters",
        "kurdish militia",
        "syrian democratic forces",
        "sdf",
        "self administration forces",
    ),
    "us-led coalition": (
        "international coalition",
        "international coalition forces",
        "coalition",
        "us forces",
        "us-led forces",
    ),
    "jaish al-islam": ("jaysh al-islam", "army of islam"),
    "jaish al-fatah": ("army of conquest", "jaish al-fateh", "jaysh al-fatah"),
    "hezbollah": ("hizbollah", "hizballah"),
}

#: Names that carry no actor.
NO_ACTOR = frozenset({"", "unknown", "unidentified", "none"})

_ALIAS = {alias: canon for canon, names in ACTOR_ALIASES.items() for alias in (canon, *names)}


def normalise_actor(name: str) -> str:
    key = re.sub(r"^the\s+", "", " ".join(name.casefold().split()))
    return _ALIAS.get(key, key)


def actor_set(names: list[str] | tuple[str, ...] | str) -> frozenset[str]:
    """The normalised set of actor names (``a|b`` strings are split)."""
    if isinstance(names, str):
        names = names.split("|")
    return frozenset(n for n in (normalise_actor(x) for x in names) if n not in NO_ACTOR)


#: FA-KES ``cause_of_death`` -> the event types consistent with it (ACLED types).
#: ``unknown`` agrees with any violent type.
CAUSE_TYPES: dict[str, tuple[str, ...]] = {
    "shelling": ("remote_violence",),
    "explosion": ("remote_violence",),
    "chemical and toxic gases": ("remote_violence",),
    "chemical": ("remote_violence",),
    "shooting": ("battle", "violence_against_civilians"),
    "execution": ("violence_against_civilians",),
    "unknown": ("battle", "remote_violence", "violence_against_civilians"),
}

#: FA-KES ``governorate`` label -> the gazetteer's governorate names it covers
#: (``damascus`` in the labels also covers Rural Damascus).
LABEL_GOVERNORATES: dict[str, tuple[str, ...]] = {
    "aleppo": ("Aleppo",),
    "damascus": ("Damascus", "Rural Damascus"),
    "idlib": ("Idleb",),
    "deir ezzor": ("Deir-ez-Zor",),
    "raqqa": ("Ar-Raqqa",),
    "homs": ("Homs",),
    "hasakeh": ("Al-Hasakeh",),
    "hama": ("Hama",),
    "daraa": ("Dar'a",),
    "lattakia": ("Lattakia",),
    "quneitra": ("Quneitra",),
    "tartous": ("Tartous",),
    "sweida": ("As-Sweida",),
}


def ranked(counts: Mapping[Any, int]) -> dict[Any, int]:
    """``counts`` largest first, ties in the order of their keys' text: the same order on
    every run (``Counter.most_common`` keeps ties in the order they were first counted, which
    follows set iteration and so the string hash seed)."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))))
