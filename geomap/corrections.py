"""Analyst corrections: "in this document (or any), this name means this place".

``gazetteer/corrections.csv`` has the columns ``doc,surface,place_id,note``; ``doc`` is a
document id or ``*`` for every document. A correction applies to every whole-word occurrence of
its surface (any case) in the documents it names, whether or not the spotter found the name
there, and overrides the resolution (status "resolved", reason
"correction: <note> (corrections.csv:<line>)").
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from geomap.errors import InputError

REQUIRED = ("doc", "surface", "place_id")


@dataclass(frozen=True, slots=True)
class Correction:
    """An analyst's correction: in ``doc`` (or "*"), ``surface`` means ``place_id``."""

    doc: str
    surface: str
    place_id: str
    note: str = ""
    path: str = ""  # the file it was read from, and its line (1-based), for messages
    line: int = 0

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
        return f"{Path(self.path).name or 'corrections.csv'}:{self.line}"

    def reason(self) -> str:
        return f"correction: {self.note or 'analyst correction'} ({self.where})"


def load_corrections(path: Path | str) -> list[Correction]:
    """Corrections from a CSV with columns doc, surface, place_id (and an optional note).

    Raises :class:`geomap.errors.InputError` naming the file and line of a malformed row.
    """
    path = Path(path)
    out: list[Correction] = []
    try:
        fh = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(
            f"cannot read corrections ({exc.strerror or exc})", path=str(path)
        ) from exc
    with fh:
        reader = csv.DictReader(fh)
        try:
            fields = reader.fieldnames or []
            missing = [c for c in REQUIRED if c not in fields]
            if missing:
                raise InputError(
                    f"corrections need columns doc, surface, place_id (missing "
                    f"{', '.join(missing)})",
                    path=str(path),
                    line=1,
                )
            for row in reader:
                extra = row.get(None)
                if extra:  # more cells than columns
                    raise InputError(
                        f"a correction has {len(fields) + len(extra)} cells, the header "
                        f"{len(fields)}",
                        path=str(path),
                        line=reader.line_num,
                    )
                surface = (row.get("surface") or "").strip()
                place_id = (row.get("place_id") or "").strip()
                if not surface or not place_id:
                    raise InputError(
                        "a correction needs a surface and a place_id",
                        path=str(path),
                        line=reader.line_num,
                    )
                out.append(
                    Correction(
                        (row.get("doc") or "").strip() or "*",
                        surface,
                        place_id,
                        (row.get("note") or "").strip(),
                        str(path),
                        reader.line_num,
                    )
                )
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(
                f"malformed corrections file: {exc}", path=str(path), line=reader.line_num
            ) from exc
    return out
