"""Read a corpus: a directory of ``.txt`` articles with an optional ``manifest.csv``, or files.

Documents are streamed one at a time (memory does not grow with the corpus). Every user error
is a :class:`Problem` naming the file (and the manifest line) and the reason; the other documents
are still read. Nothing here raises for bad articles; a bad manifest *header* raises
:class:`~geomap.errors.InputError` because no row can be trusted then.

Decoding: a BOM decides (UTF-8, UTF-16, UTF-32); else UTF-8, with the stray invalid bytes of
mostly-UTF-8 text replaced by U+FFFD (a warning names the file, byte offset and line); only text
that is not UTF-8 at all is read as Windows-1252 (also a warning). Text with NUL characters is
taken as binary and skipped. Line ends are normalised to ``\\n`` and every offset geomap reports
refers to that normalised text.

Only regular files are read (a FIFO, a device or a socket named ``*.txt`` is a problem, never a
hang), at most ``max_bytes`` + 1 bytes; a symbolic link that leads out of the corpus directory is
refused unless ``follow_links`` (``--follow-links``) allows it. Articles in subfolders are read
with ``recursive`` (``--recursive``), else counted in one warning. File names are escaped in
every message (:func:`safe`), so a newline in a name cannot forge a line of the summary.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from geomap.errors import InputError, Problem, line_of, safe
from geomap.model import Document

log = logging.getLogger(__name__)

MANIFEST = "manifest.csv"
MANIFEST_REQUIRED = ("file",)
MANIFEST_COLUMNS = ("file", "published", "dateline", "outlet", "wire", "language")
#: Values a manifest writes for "we do not know" (the outlet is then empty, never named so).
UNKNOWN_VALUES = frozenset({"unknown", "n/a", "na", "none", "-", "?"})


def _known(value: str) -> str:
    return "" if value.casefold() in UNKNOWN_VALUES else value


#: Articles larger than this are skipped with a problem (a scraped page gone wrong, not an article).
MAX_ARTICLE_BYTES = 5_000_000
#: A manifest larger than this stops the run (it is not a list of articles).
MAX_MANIFEST_BYTES = 50_000_000
#: A manifest field longer than this stops the run (the csv module's default limit).
MAX_FIELD_CHARS = 131_072
#: Publication dates before this are refused (the corpus is about the Syrian war).
EARLIEST_DATE = date(1990, 1, 1)
#: How far after today a publication date may be (time zones, embargoed copy).
FUTURE_SLACK = timedelta(days=366)
#: Mostly-UTF-8 text has valid multi-byte characters (which Windows-1252 text almost never has)
#: and as many of them as invalid bytes, or invalid bytes under this share of the bytes; it is
#: read as UTF-8 with its invalid bytes replaced. Text without any is taken as Windows-1252.
MAX_INVALID_UTF8 = 0.01

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_ESCAPED = re.compile("[\udc80-\udcff]")
_NOT_MULTIBYTE = re.compile("[\x00-\x7f\udc80-\udcff]+")


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How a corpus directory is read (set by the CLI with :func:`reading`)."""

    follow_links: bool = False  # read links that lead out of the corpus directory
    recursive: bool = False  # read the articles in subfolders


_OPTIONS: ContextVar[ReadOptions | None] = ContextVar("geomap_read_options", default=None)


@contextmanager
def reading(*, follow_links: bool = False, recursive: bool = False) -> Iterator[ReadOptions]:
    """Within this block, :func:`read_corpus` reads with these options by default."""
    options = ReadOptions(follow_links=follow_links, recursive=recursive)
    token = _OPTIONS.set(options)
    try:
        yield options
    finally:
        _OPTIONS.reset(token)


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


def parse_published(value: str, *, path: str, line: int | None, today: date | None = None) -> date:
    """A publication date: a real date from 1990 to a year after today, or an InputError."""
    d = parse_date(value, path=path, line=line)
    latest = (today or date.today()) + FUTURE_SLACK
    if not EARLIEST_DATE <= d <= latest:
        raise InputError(
            f"publication date {value.strip()!r} is out of range (expected "
            f"{EARLIEST_DATE.isoformat()} to {latest.isoformat()})",
            path=path,
            line=line,
        )
    return d


class _Refused(Exception):
    """A file that is not read: the problem message."""


def _read_regular(path: Path, max_bytes: int, root: Path | None, follow_links: bool) -> bytes:
    """The bytes of a regular file (at most ``max_bytes``), or _Refused / OSError.

    Never blocks on a FIFO (opened non-blocking, then fstat), never reads a device, never reads
    more than ``max_bytes`` + 1 bytes (a file that grows is caught too).
    """
    if root is not None and not follow_links and path.is_symlink():
        target = path.resolve()
        base = root.resolve()
        if target != base and base not in target.parents:
            raise _Refused(
                f"is a link to {safe(target)}, outside the corpus {safe(root)}; skipped "
                "(--follow-links reads it)"
            )
    st = os.stat(path)  # before opening: a device is never opened
    if stat.S_ISDIR(st.st_mode):
        raise _Refused("is a directory, not an article")
    if not stat.S_ISREG(st.st_mode):
        raise _Refused(f"is not a regular file ({_kind(st.st_mode)}); skipped")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)  # what was opened, if it was swapped after the stat
        if not stat.S_ISREG(st.st_mode):
            raise _Refused(f"is not a regular file ({_kind(st.st_mode)}); skipped")
        if st.st_size > max_bytes:
            raise _Refused(f"too large ({st.st_size:,} bytes > {max_bytes:,}); skipped")
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise _Refused(f"too large (more than {max_bytes:,} bytes); skipped")
    return data


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _csv_rows(text: str, where: str) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, cells) of each CSV record; lines count ``\\n`` only.

    A malformed record (a field over the csv module's size limit...) is an InputError naming
    its line: the rows after it cannot be trusted.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(
                f"malformed CSV ({exc}); fix the row and run again", path=where, line=last + 1
            ) from None
        longest = max((len(c) for c in cells), default=0)
        if longest > MAX_FIELD_CHARS:  # whatever csv.field_size_limit another module has set
            raise InputError(
                f"a field of {longest:,} characters (more than {MAX_FIELD_CHARS:,}): not a "
                "manifest row; fix the row and run again",
                path=where,
                line=last + 1,
            )
        yield last + 1, reader.line_num, cells
        last = reader.line_num


def read_manifest(
    path: Path, *, root: Path | None = None, follow_links: bool = False
) -> tuple[dict[str, ManifestRow], list[Problem]]:
    """Rows of a manifest by file name, and the problems of the rows that were dropped."""
    problems: list[Problem] = []
    rows: dict[str, ManifestRow] = {}
    where = str(path)
    try:
        data = _read_regular(path, MAX_MANIFEST_BYTES, root, follow_links)
    except _Refused as exc:
        raise InputError(f"manifest {exc}", path=where) from None
    except OSError as exc:
        raise InputError(f"cannot read the manifest ({exc.strerror or exc})", path=where) from exc
    text, problems = decode_bytes(data, where)
    records = _csv_rows(text, where)
    first = next(records, None)
    header = [c.strip() for c in first[2]] if first else []
    missing = [c for c in MANIFEST_REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"manifest has no column {', '.join(missing)} (columns: {', '.join(header)})",
            path=where,
            line=1,
        )
    for line, last, cells in records:
        if not any(c.strip() for c in cells):
            continue
        if any("\n" in c for c in cells):
            problems.append(
                Problem(
                    where,
                    f"a quoted field runs from line {line} to line {last} (an unclosed "
                    f'quote?): lines {line}-{last} are ignored; close the quote (")',
                    line,
                )
            )
            continue
        record = dict(zip(header, cells, strict=False))
        if len(cells) > len(header):
            problems.append(
                Problem(
                    where,
                    f"row has {len(cells)} cells, the header {len(header)}; extra cells ignored",
                    line,
                    severity="warning",
                )
            )
        _manifest_row(where, line, record, rows, problems)
    return rows, problems


def _manifest_row(
    where: str,
    line: int,
    record: dict[str, str],
    rows: dict[str, ManifestRow],
    problems: list[Problem],
) -> None:
    name = (record.get("file") or "").strip()
    if not name:
        problems.append(Problem(where, "row has no file name", line))
        return
    if Path(name).name != name or name in (".", ".."):
        problems.append(Problem(where, f"file {name!r} is not a plain file name", line))
        return
    if name in rows:
        problems.append(
            Problem(
                where,
                f"duplicate row for {name!r} (first on line {rows[name].line}); this row is "
                "ignored",
                line,
            )
        )
        return
    published: date | None = None
    raw = (record.get("published") or "").strip()
    if raw:
        try:
            published = parse_published(raw, path=where, line=line)
        except InputError as exc:
            problems.append(Problem(where, exc.message, line))
    rows[name] = ManifestRow(
        file=name,
        published=published,
        line=line,
        dateline=(record.get("dateline") or "").strip(),
        outlet=_known((record.get("outlet") or "").strip()),
        wire=(record.get("wire") or "").strip(),
    )


def decode_bytes(data: bytes, where: str) -> tuple[str, list[Problem]]:
    """Decode article bytes; the problems are warnings (the text is still usable)."""
    problems: list[Problem] = []
    for bom, codec in _BOMS:
        if data.startswith(bom) and codec != "utf-8-sig":
            try:
                return _lines(data[len(bom) :].decode(codec)), problems
            except UnicodeDecodeError as exc:
                problems.append(
                    Problem(
                        where,
                        f"invalid {codec.upper()} at byte offset {exc.start + len(bom)}; "
                        "replaced with U+FFFD",
                        severity="warning",
                    )
                )
                return _lines(data[len(bom) :].decode(codec, errors="replace")), problems
    try:
        return _lines(data.decode("utf-8-sig")), problems
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", errors="surrogateescape")
    bad = len(_ESCAPED.findall(escaped))
    multibyte = len(escaped) - sum(len(m) for m in _NOT_MULTIBYTE.findall(escaped))
    first = _ESCAPED.search(escaped)
    assert first is not None
    offset = len(escaped[: first.start()].encode("utf-8", errors="surrogateescape"))
    line = line_of(data, offset)
    if multibyte and (multibyte >= bad or bad <= MAX_INVALID_UTF8 * len(data)):
        text = _ESCAPED.sub("\ufffd", escaped).removeprefix("\ufeff")
        problems.append(
            Problem(
                where,
                f"{bad} invalid UTF-8 byte(s), the first 0x{data[offset]:02x} at byte offset "
                f"{offset} (line {line}), replaced with U+FFFD; the rest is UTF-8",
                line,
                severity="warning",
            )
        )
        return _lines(text), problems
    try:
        text = data.decode("cp1252")
        problems.append(
            Problem(
                where,
                f"not UTF-8 (first invalid byte at offset {offset}, line {line}); read as "
                "Windows-1252",
                line,
                severity="warning",
            )
        )
    except UnicodeDecodeError as exc:
        text = data.decode("cp1252", errors="replace")
        problems.append(
            Problem(
                where,
                f"not UTF-8, and undecodable bytes for Windows-1252 at offset {exc.start} "
                f"(line {line_of(data, exc.start)}); replaced with U+FFFD",
                line_of(data, exc.start),
                severity="warning",
            )
        )
    return _lines(text), problems


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_article(
    path: Path,
    *,
    max_bytes: int = MAX_ARTICLE_BYTES,
    root: Path | None = None,
    follow_links: bool = False,
) -> tuple[str | None, list[Problem]]:
    """The text of one article, or None and the problem that stopped it.

    ``root``: the corpus directory; a link that leads out of it is refused unless
    ``follow_links``.
    """
    where = str(path)
    try:
        data = _read_regular(path, max_bytes, root, follow_links)
    except _Refused as exc:
        return None, [Problem(where, str(exc))]
    except FileNotFoundError:
        return None, [Problem(where, "vanished before it could be read")]
    except PermissionError:
        return None, [Problem(where, "cannot be read (permission denied)")]
    except OSError as exc:
        return None, [Problem(where, f"cannot be read ({exc.strerror or exc})")]
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return None, [Problem(where, "looks binary (contains NUL bytes); skipped")]
    text, problems = decode_bytes(data, where)
    if "\x00" in text:
        return None, [Problem(where, "looks binary (contains NUL characters); skipped")]
    if not text.strip():
        return None, [*problems, Problem(where, "is empty")]
    return text, problems


def list_articles(corpus: Path, *, recursive: bool = False) -> list[Path]:
    """The ``.txt`` files of a corpus directory (or the file itself), sorted."""
    return _scan(corpus, recursive=recursive, follow_links=False)[0]


def _scan(corpus: Path, *, recursive: bool, follow_links: bool) -> tuple[list[Path], list[Problem]]:
    if not corpus.exists() and not corpus.is_symlink():
        raise InputError("no such file or directory", path=str(corpus))
    if not corpus.is_dir():
        return [corpus], []
    top: list[Path] = []
    nested: list[Path] = []
    seen_dirs: set[tuple[int, int]] = set()
    stack = [corpus]
    while stack:
        directory = stack.pop()
        try:
            st = directory.stat()
            if (st.st_dev, st.st_ino) in seen_dirs:  # a link loop
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            entries = sorted(directory.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            if directory == corpus:
                raise InputError(
                    f"cannot list the corpus ({exc.strerror or exc})", path=str(corpus)
                ) from exc
            continue
        for p in entries:
            if p.name.endswith(".txt"):
                (top if directory == corpus else nested).append(p)
            elif p.is_dir() and not p.name.startswith("."):
                if p.is_symlink() and not follow_links:
                    continue
                stack.append(p)
    problems: list[Problem] = []
    if nested and not recursive:
        problems.append(
            Problem(
                str(corpus),
                f"{len(nested)} .txt file(s) in subfolders are not read (--recursive reads them)",
                severity="warning",
            )
        )
        nested = []
    paths = sorted(top, key=lambda p: p.name) + sorted(
        nested, key=lambda p: p.relative_to(corpus).as_posix()
    )
    return paths, problems


def _doc_id(file_name: str) -> str:
    """A document's id: its file's name without ``.txt``."""
    return file_name[: -len(".txt")] if file_name.endswith(".txt") else file_name


def read_corpus(
    corpus: Path | Iterable[Path],
    *,
    published: date | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
    follow_links: bool | None = None,
    recursive: bool | None = None,
) -> Iterator[Document | Problem]:
    """Stream the documents of a corpus (directory, single file or list of files) and problems.

    ``published`` is used for files the manifest does not date. A document with no date at all
    is still read (``published`` None): the dates that need it stay unresolved and flagged.
    ``follow_links`` and ``recursive`` default to the options of :func:`reading`.
    """
    options = _OPTIONS.get() or ReadOptions()
    follow = options.follow_links if follow_links is None else follow_links
    deep = options.recursive if recursive is None else recursive
    paths: list[Path]
    manifest: dict[str, ManifestRow] = {}
    root: Path | None = None
    if isinstance(corpus, Path):
        paths, scan_problems = _scan(corpus, recursive=deep, follow_links=follow)
        yield from scan_problems
        root = corpus if corpus.is_dir() else None
        mpath = corpus / MANIFEST if corpus.is_dir() else corpus.parent / MANIFEST
        if os.path.lexists(mpath):  # a FIFO or a link named manifest.csv is reported too
            manifest, problems = read_manifest(mpath, root=mpath.parent, follow_links=follow)
            yield from problems
            present = {p.name for p in paths}
            for name, row in sorted(manifest.items()):
                if name not in present and corpus.is_dir():
                    yield Problem(
                        str(mpath), f"lists {name!r}, which is not in {safe(corpus)}", row.line
                    )
            del present
    else:
        paths = sorted(corpus, key=lambda p: p.name)
    # held while the corpus is read: plain strings, not Path objects (a few hundred bytes
    # less an article at 200,000 articles)
    names = [str(p) for p in paths]
    del paths
    # the ids that more than one file would give, found once by sorting them; only those
    # ids' first paths are remembered while reading (not a dict of every article)
    ids = sorted(_doc_id(os.path.basename(name)) for name in names)
    twice = {a for a, b in zip(ids, ids[1:], strict=False) if a == b}
    del ids
    seen: dict[str, str] = {}
    for name in names:
        path = Path(name)
        doc_id = _doc_id(path.name)
        if doc_id in seen:
            yield Problem(
                str(path),
                f"a document with id {doc_id!r} was already read (from {safe(seen[doc_id])}); "
                "skipped",
            )
            continue
        if doc_id in twice:
            seen[doc_id] = name
        text, problems = read_article(path, max_bytes=max_bytes, root=root, follow_links=follow)
        yield from problems
        if text is None:
            continue
        entry = manifest.pop(path.name, None)
        yield Document(
            id=doc_id,
            text=text,
            path=str(path),
            published=entry.published if entry and entry.published else published,
            dateline=entry.dateline if entry else "",
            outlet=entry.outlet if entry else "",
            wire=entry.wire if entry else "",
        )
