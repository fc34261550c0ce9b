"""Analyst corrections: "in this document (or any), this name means this place".

``gazetteer/corrections.csv`` has the columns ``doc,surface,place_id,note``; ``doc`` is a
document id or ``*`` for every document. A correction applies to every whole-word occurrence of
its surface (any case) in the documents it names, whether or not the spotter found the name
there, and overrides the resolution (status "resolved", reason
"correction: <note> (corrections.csv:<line>)").

The place id ``none`` (:data:`NOT_A_PLACE`) says the name is no place there: its occurrences
give no mention at all (a person, a newspaper, a word that looks like a village's name).
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geomap.errors import InputError, Problem, decode_utf8, safe

log = logging.getLogger(__name__)

REQUIRED = ("doc", "surface", "place_id")
#: The place id of a "not a place" correction.
NOT_A_PLACE = "none"


@dataclass(frozen=True, slots=True)
class Correction:
    """An analyst's correction: in ``doc`` (or "*"), ``surface`` means ``place_id``."""

    doc: str
    surface: str
    place_id: str
    note: str = ""
    path: str = ""  # the file it was read from, and its line (1-based), for messages
    line: int = 0

    @property
    def not_a_place(self) -> bool:
        """True when the correction says the name is no place (place id ``none``)."""
        return self.place_id == NOT_A_PLACE

    def applies_to(self, doc_id: str) -> bool:
        return self.doc in ("*", doc_id)

    def matches(self, doc_id: str, surface: str) -> bool:
        return self.applies_to(doc_id) and self.surface.casefold() == surface.casefold()

    def occurrences(self, text: str) -> Iterator[tuple[int, int]]:
        """Whole-word occurrences of the surface in ``text``, any case."""
        pattern = re.compile(r"(?<!\w)" + re.escape(self.surface) + r"(?!\w)", re.IGNORECASE)
        for m in pattern.finditer(text):
            yield m.start(), m.end()

    @property
    def where(self) -> str:
        return f"{safe(Path(self.path).name or 'corrections.csv')}:{self.line}"

    def reason(self) -> str:
        return f"correction: {self.note or 'analyst correction'} ({self.where})"


def load_corrections(path: Path | str, *, gazetteer: Any = None) -> list[Correction]:
    """Corrections from a CSV with columns doc, surface, place_id (and an optional note).

    Raises :class:`geomap.errors.InputError` naming the file and line of a malformed row. A
    correction to a place the gazetteer does not know, and the repeat of a correction, are
    dropped with one warning each naming ``corrections.csv:line`` (see :func:`read_corrections`).
    """
    kept, problems = read_corrections(path, gazetteer=gazetteer)
    for p in problems:
        log.warning("%s", p)
    return kept


def read_corrections(
    path: Path | str, *, gazetteer: Any = None
) -> tuple[list[Correction], list[Problem]]:
    """The usable corrections of a file, and the problems of those dropped (warnings).

    ``gazetteer`` (anything that answers ``place_id in gazetteer``) defaults to the gazetteer
    in the same directory, when there is one (``gazetteer/corrections.csv``): a correction to
    an unknown place id is then reported once, here, and not once per document.
    """
    path = Path(path)
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read corrections ({exc.strerror or exc})", path=where) from exc
    text = decode_utf8(data, where)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    out: list[Correction] = []
    problems: list[Problem] = []
    first: dict[tuple[str, str], Correction] = {}
    known = gazetteer if gazetteer is not None else _gazetteer_beside(path)
    last = 0
    try:
        fields = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in fields]
        if missing:
            raise InputError(
                f"corrections need columns doc, surface, place_id (missing {', '.join(missing)})",
                path=where,
                line=1,
            )
        last = reader.line_num
        for row in reader:
            line = last + 1
            last = reader.line_num
            extra = row.get(None)
            if extra:  # more cells than columns
                raise InputError(
                    f"a correction has {len(fields) + len(extra)} cells, the header {len(fields)}",
                    path=where,
                    line=line,
                )
            surface = (row.get("surface") or "").strip()
            place_id = (row.get("place_id") or "").strip()
            if not surface or not place_id:
                raise InputError(
                    "a correction needs a surface and a place_id", path=where, line=line
                )
            c = Correction(
                (row.get("doc") or "").strip() or "*",
                surface,
                place_id,
                (row.get("note") or "").strip(),
                where,
                line,
            )
            if known is not None and not c.not_a_place and place_id not in known:
                problems.append(
                    Problem(
                        where,
                        f"correction of {surface!r} names unknown place id {place_id!r}; ignored",
                        line,
                        severity="warning",
                    )
                )
                continue
            key = (c.doc, surface.casefold())
            if key in first:
                before = first[key]
                same = before.place_id == place_id
                problems.append(
                    Problem(
                        where,
                        f"{'repeats' if same else 'contradicts'} the correction of {surface!r} "
                        f"on line {before.line} ({before.place_id}"
                        f"{'' if same else ', not ' + place_id}); this row is ignored",
                        line,
                        severity="warning",
                    )
                )
                continue
            first[key] = c
            out.append(c)
    except csv.Error as exc:
        raise InputError(f"malformed corrections file: {exc}", path=where, line=last + 1) from exc
    return out, problems


def correction_problems(path: Path | str, *, gazetteer: Any = None) -> list[Problem]:
    """The problems :func:`read_corrections` reports (for ``check --strict``)."""
    return read_corrections(path, gazetteer=gazetteer)[1]


def _gazetteer_beside(path: Path) -> Any:
    """The place ids of the gazetteer in the directory of ``path``, or None."""
    if not (path.parent / "places.csv").is_file():
        return None
    from geomap.gazetteer.store import Gazetteer

    try:
        return Gazetteer.load(path.parent)
    except InputError:  # reported when the gazetteer itself is loaded
        return None
