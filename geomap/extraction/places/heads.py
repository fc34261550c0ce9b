"""Head nouns of named features that no list may have ("Quwatli Street", "the Faculty of
Dentistry", "Base 46"), as data: ``geomap/extraction/data/feature_heads.csv``.

Each row has an id, the head (singular and plural), the forms it takes (``name-head``: "X Road";
``head-of-name``: "Faculty of X"; ``head-number``: "Base 46"; ``ordinal-head``: "46th
Regiment"), the gazetteer kinds the whole feature may be found under, and how the head must be
written (``any``; ``lower``: "the Hama front", never the group "X Front"; ``title``: "the
Faculty of X"), and its family (heads that name the same feature: "X airbase" = "X airport").
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

FORMS = ("name-head", "head-of-name", "head-number", "ordinal-head")
CASES = ("any", "lower", "title")


@dataclass(frozen=True, slots=True)
class Head:
    id: str
    words: tuple[str, ...]  # the head and its plural, lower case
    forms: frozenset[str]
    kinds: tuple[str, ...]
    case: str
    family: str = ""  # heads of one family name the same feature ("airbase", "airport")

    def written_right(self, surface: str) -> bool:
        """Whether the head as written in the text has the case the row asks for."""
        if self.case == "lower":
            return surface == surface.lower()
        if self.case == "title":
            return surface[:1].isupper()
        return True


def parse_heads(text: str, where: str = "feature_heads.csv") -> tuple[Head, ...]:
    """The rows of a feature-heads CSV; ``ValueError`` naming the line of a bad row."""
    out: list[Head] = []
    seen: set[str] = set()
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        forms = frozenset(f for f in row["forms"].split("|") if f)
        if not row["id"] or row["id"] in seen:
            raise ValueError(f"{where}:{line}: missing or repeated id {row['id']!r}")
        if not forms or not forms <= set(FORMS):
            raise ValueError(f"{where}:{line}: forms must be among {FORMS}, got {row['forms']!r}")
        if row["case"] not in CASES:
            raise ValueError(f"{where}:{line}: case must be one of {CASES}")
        seen.add(row["id"])
        words = tuple(w for w in (row["head"].lower(), row["plural"].lower()) if w)
        kinds = tuple(row["kinds"].split("|"))
        out.append(
            Head(row["id"], words, forms, kinds, row["case"], row.get("family") or row["id"])
        )
    return tuple(out)


@cache
def heads() -> tuple[Head, ...]:
    data = resources.files("geomap.extraction").joinpath("data")
    return parse_heads(data.joinpath("feature_heads.csv").read_text(encoding="utf-8"))


@cache
def head_by_id() -> dict[str, Head]:
    return {h.id: h for h in heads()}


def _alternation(words: list[str]) -> str:
    # longest first, so that "oil field" wins over "field"; spaces match any run of spaces
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


@cache
def head_patterns() -> dict[str, re.Pattern[str]]:
    """One regex a form, matching any head of that form (case-insensitively; the row's case is
    checked on the match), the head in group ``head``."""
    out: dict[str, re.Pattern[str]] = {}
    for form in FORMS:
        words = sorted({w for h in heads() if form in h.forms for w in h.words})
        if not words:
            continue
        alt = _alternation(words)
        if form == "name-head":
            pattern = rf"(?<=\s)(?P<head>{alt})(?![\w-])"
        elif form == "head-of-name":
            pattern = rf"(?<![\w-])(?P<head>{alt})\s+of\s+(?:the\s+)?"
        elif form == "head-number":
            pattern = rf"(?<![\w-])(?P<head>{alt})\s+(?P<number>\d{{1,4}})(?![\w-])"
        else:
            pattern = rf"(?<![\w-])(?P<number>\d{{1,4}})(?:st|nd|rd|th)\s+(?P<head>{alt})(?![\w-])"
        out[form] = re.compile(pattern, re.I)
    return out


def family_words(head: Head) -> list[str]:
    """The singular heads of ``head``'s family, its own first."""
    return [head.words[0]] + [
        h.words[0] for h in heads() if h.family == head.family and h.id != head.id
    ]


def head_of(word: str, form: str) -> Head | None:
    """The row whose head (or plural) ``word`` is, among the rows of ``form``."""
    w = " ".join(word.lower().split())
    for h in heads():
        if form in h.forms and w in h.words:
            return h
    return None
