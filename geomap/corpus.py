"""Read a corpus: a directory of ``.txt`` articles with an optional ``manifest.csv``, or files.

Documents are streamed one at a time (memory does not grow with the corpus). Every user error
is a :class:`Problem` naming the file (and the manifest line) and the reason; the other documents
are still read. Nothing here raises for bad articles; a bad manifest *header* raises
:class:`~geomap.errors.InputError` because no row can be trusted then.

Decoding: UTF-8 (a BOM is dropped), then Windows-1252, then Latin-1 with a warning; text with
NUL bytes is taken as binary and skipped. Line ends are normalised to ``\\n`` and every offset
geomap reports refers to that normalised text.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geomap.errors import InputError
from geomap.model import Document

log = logging.getLogger(__name__)

MANIFEST = "manifest.csv"
MANIFEST_REQUIRED = ("file",)
MANIFEST_COLUMNS = ("file", "published", "dateline", "outlet", "wire", "language")
#: Articles larger than this are skipped with a problem (a scraped page gone wrong, not an article).
MAX_ARTICLE_BYTES = 5_000_000


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one input: where, and why."""

    path: str
    message: str
    line: int | None = None
    severity: str = "error"  # "error": the document was not processed; "warning": it was

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True, slots=True)
class ManifestRow:
    file: str
    published: date | None
    dateline: str
    outlet: str
    wire: str
    line: int


def parse_date(value: str, *, path: str, line: int | None) -> date:
    """A YYYY-MM-DD date, or an InputError naming where it came from."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InputError(
            f"invalid date {value!r} (expected a real date YYYY-MM-DD)", path=path, line=line
        ) from exc


def read_manifest(path: Path) -> tuple[dict[str, ManifestRow], list[Problem]]:
    """Rows of a manifest by file name, and the problems of the rows that were dropped."""
    problems: list[Problem] = []
    rows: dict[str, ManifestRow] = {}
    text = decode_bytes(path.read_bytes(), str(path))[0]
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [c for c in MANIFEST_REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"manifest has no column {', '.join(missing)} (columns: {', '.join(header)})",
            path=str(path),
            line=1,
        )
    for record in reader:
        line = reader.line_num
        name = (record.get("file") or "").strip()
        if not name:
            problems.append(Problem(str(path), "row has no file name", line))
            continue
        if Path(name).name != name or name in (".", ".."):
            problems.append(Problem(str(path), f"file {name!r} is not a plain file name", line))
            continue
        if name in rows:
            problems.append(
                Problem(
                    str(path),
                    f"duplicate row for {name!r} (first on line "
                    f"{rows[name].line}); this row is ignored",
                    line,
                )
            )
            continue
        published: date | None = None
        raw = (record.get("published") or "").strip()
        if raw:
            try:
                published = parse_date(raw, path=str(path), line=line)
            except InputError as exc:
                problems.append(Problem(str(path), str(exc).split(": ", 1)[-1], line))
                published = None
        rows[name] = ManifestRow(
            file=name,
            published=published,
            line=line,
            dateline=(record.get("dateline") or "").strip(),
            outlet=(record.get("outlet") or "").strip(),
            wire=(record.get("wire") or "").strip(),
        )
    return rows, problems


def decode_bytes(data: bytes, where: str) -> tuple[str, list[Problem]]:
    """Decode article bytes; the problems are warnings (the text is still usable)."""
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
            log.info("%s: not UTF-8, read as Windows-1252", where)
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors="replace")
            problems.append(
                Problem(
                    where,
                    f"undecodable bytes at offset {exc.start}; replaced with U+FFFD",
                    severity="warning",
                )
            )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problems


def read_article(
    path: Path, *, max_bytes: int = MAX_ARTICLE_BYTES
) -> tuple[str | None, list[Problem]]:
    """The text of one article, or None and the problem that stopped it."""
    where = str(path)
    try:
        if path.is_dir():
            return None, [Problem(where, "is a directory, not an article")]
        size = path.stat().st_size
        if size > max_bytes:
            return None, [Problem(where, f"too large ({size:,} bytes > {max_bytes:,}); skipped")]
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(where, "vanished before it could be read")]
    except PermissionError:
        return None, [Problem(where, "cannot be read (permission denied)")]
    except OSError as exc:
        return None, [Problem(where, f"cannot be read ({exc.strerror or exc})")]
    if b"\x00" in data:
        return None, [Problem(where, "looks binary (contains NUL bytes); skipped")]
    text, problems = decode_bytes(data, where)
    if not text.strip():
        return None, [*problems, Problem(where, "is empty")]
    return text, problems


def list_articles(corpus: Path) -> list[Path]:
    if corpus.is_file():
        return [corpus]
    if not corpus.exists():
        raise InputError("no such file or directory", path=str(corpus))
    return sorted((p for p in corpus.iterdir() if p.name.endswith(".txt")), key=lambda p: p.name)


def read_corpus(
    corpus: Path | Iterable[Path],
    *,
    published: date | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Iterator[Document | Problem]:
    """Stream the documents of a corpus (directory, single file or list of files) and problems.

    ``published`` is used for files the manifest does not date. A document with no date at all
    is still read (``published`` None): the dates that need it stay unresolved and flagged.
    """
    paths: list[Path]
    manifest: dict[str, ManifestRow] = {}
    if isinstance(corpus, Path):
        paths = list_articles(corpus)
        mpath = corpus / MANIFEST if corpus.is_dir() else corpus.parent / MANIFEST
        if mpath.is_file():
            manifest, problems = read_manifest(mpath)
            yield from problems
            present = {p.name for p in paths}
            for name, row in sorted(manifest.items()):
                if name not in present and corpus.is_dir():
                    yield Problem(str(mpath), f"lists {name!r}, which is not in {corpus}", row.line)
    else:
        paths = sorted(corpus, key=lambda p: p.name)
    seen: set[str] = set()
    for path in paths:
        doc_id = path.name[: -len(".txt")] if path.name.endswith(".txt") else path.name
        if doc_id in seen:
            yield Problem(str(path), f"a document with id {doc_id!r} was already read; skipped")
            continue
        seen.add(doc_id)
        text, problems = read_article(path, max_bytes=max_bytes)
        yield from problems
        if text is None:
            continue
        entry = manifest.get(path.name)
        yield Document(
            id=doc_id,
            text=text,
            path=str(path),
            published=entry.published if entry and entry.published else published,
            dateline=entry.dateline if entry else "",
            outlet=entry.outlet if entry else "",
            wire=entry.wire if entry else "",
        )
