"""Writing files safely: atomically (a temporary file, then a rename), recorded in the output
folder's manifest, and CSV cells a spreadsheet cannot run as formulas.

The base layer: any stage that writes a file uses it (the gazetteer builder, the writers of
:mod:`geomap.output.files`, the renderers).
"""

from __future__ import annotations

import contextlib
import csv
import filecmp
import io
import json
import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

#: A spreadsheet reads a cell that starts with one of these as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text instead of running it as a formula.

    A string that starts with ``= + - @``, a tab or a carriage return gets an apostrophe in
    front (spreadsheets hide it and treat the cell as text); so does one that already starts
    with apostrophes before such a character, so that :func:`spreadsheet_value` undoes it
    exactly. Numbers, and strings that are plain numbers such as ``-0.50000``, are kept.
    """
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_START):
        return value if _NUMBER.fullmatch(value) else "'" + value
    if _NEUTRALISED.match(value):
        return "'" + value
    return value


def spreadsheet_value(cell: str) -> str:
    """The value written as ``cell`` by :func:`spreadsheet_cell` (read back from our CSVs)."""
    return cell[1:] if _NEUTRALISED.match(cell) else cell


def spreadsheet_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: spreadsheet_cell(v) for k, v in row.items()}


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file geomap wrote, with the spreadsheet apostrophes taken off."""
    with open(path, encoding="utf-8", newline="") as fh:
        return [
            {k: spreadsheet_value(v) if isinstance(v, str) else v for k, v in row.items()}
            for row in csv.DictReader(fh)
        ]


#: Temporary files geomap writes beside an output (``atomic_path``: ``.NAME.XXXXXXXX.tmp.EXT``;
#: SQLite's ``-journal``/``-wal``/``-shm`` beside a GeoPackage; older versions' ``.NAME.tmp.EXT``).
TEMP_NAME = re.compile(
    r"\.[^/]+\.tmp\.(?:html|png|pdf|csv|geojson|gpkg|json|md|pickle|parquet)"
    r"(?:-journal|-wal|-shm)?"
)
#: The record of the files a run wrote, in its output folder.
MANIFEST_NAME = ".geomap-files.json"
_SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``.

    A run killed midway leaves the previous file intact (and a temporary file that the next run
    removes, see :func:`clean_temp_files`); the temporary file is removed on error. The file
    is recorded by the :func:`output_run` it belongs to.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=path.parent
    )
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if _same_file_content(tmp_path, path):
            tmp_path.unlink()  # a rerun that changes nothing rewrites nothing
        else:
            os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        for side in _SQLITE_SIDE_FILES:
            tmp_path.with_name(tmp_path.name + side).unlink(missing_ok=True)
        raise
    _record_write(path)


def _same_file_content(new: Path, old: Path) -> bool:
    """Whether ``old`` is a regular file with exactly the bytes of ``new``."""
    try:
        if not old.is_file() or old.is_symlink() or old.stat().st_size != new.stat().st_size:
            return False
        return filecmp.cmp(new, old, shallow=False)
    except OSError:
        return False


def atomic_copy(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` through a temporary file renamed into place."""
    with atomic_path(dst) as tmp:
        shutil.copyfile(src, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())


def clean_temp_files(root: Path) -> list[Path]:
    """Remove the temporary files a killed run left under ``root`` (only names of ours)."""
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for folder, _dirs, names in os.walk(root):
        for name in names:
            if TEMP_NAME.fullmatch(name):
                path = Path(folder) / name
                if path.is_symlink() or path.is_file():
                    path.unlink(missing_ok=True)
                    removed.append(path)
    if removed:
        log.info("removed %d temporary files of an earlier run under %s", len(removed), root)
    return removed


class OutputRun:
    """The files one stage (extract, maps, check, report) writes into a folder, recorded in
    ``MANIFEST_NAME`` there under the stage's name."""

    def __init__(self, root: Path, stage: str) -> None:
        self.root = root
        self.stage = stage
        self.written: set[str] = set()
        self._lock = threading.Lock()

    def covers(self, path: Path) -> bool:
        return path == self.root or self.root in path.parents

    def record(self, path: Path) -> None:
        rel = path.relative_to(self.root)
        if any(part.startswith(".") for part in rel.parts):
            return  # caches, manifests, temporary files: not outputs
        with self._lock:
            self.written.add(rel.as_posix())


_RUNS: list[OutputRun] = []


def _record_write(path: Path) -> None:
    if not _RUNS:
        return
    resolved = path.resolve()
    for run in _RUNS:
        if run.covers(resolved):
            run.record(resolved)


def _read_manifest(root: Path) -> dict[str, list[str]]:
    path = root / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        stages = data["stages"]
        return {
            str(k): [f for f in v if isinstance(f, str)]
            for k, v in stages.items()
            if isinstance(v, list)
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("%s unreadable (%s): no stale file is removed this time", path, exc)
        return {}


def _stale_path(root: Path, rel: str) -> Path | None:
    """``root / rel`` if ``rel`` names a file inside ``root`` that a run of ours may remove."""
    parts = Path(rel).parts
    if (
        not parts
        or Path(rel).is_absolute()
        or any(p in ("..", "") or p.startswith(".") for p in parts)
    ):
        return None
    path = root / rel
    if path.is_symlink() or not path.is_file():
        return None
    if root not in path.resolve().parents:
        return None
    return path


@contextlib.contextmanager
def output_run(out_dir: Path, stage: str) -> Iterator[OutputRun | None]:
    """One stage writing into ``out_dir``: first remove the temporary files a killed run left
    there, then record every file written through :func:`atomic_path`; at the end remove the
    files this stage wrote last time and not this time (only those listed in the record, never
    anything else) and write the new record (``out_dir/.geomap-files.json``, atomically).

    Inside a run that already covers ``out_dir`` (the report's maps), this does nothing: the
    outer run records the files. A stage that fails keeps every file and records both lists.
    """
    root = out_dir.resolve()
    if any(run.covers(root) for run in _RUNS):
        yield None
        return
    clean_temp_files(root)
    stages = _read_manifest(root)
    previous = set(stages.get(stage, []))
    run = OutputRun(root, stage)
    _RUNS.append(run)
    ok = False
    try:
        yield run
        ok = True
    finally:
        _RUNS.remove(run)
        if ok:
            for rel in sorted(previous - run.written):
                path = _stale_path(root, rel)
                if path is not None:
                    path.unlink(missing_ok=True)
                    log.info("removed %s: an earlier run wrote it, this one did not", path)
            files = run.written
        else:
            files = previous | run.written
        if files or previous:
            stages[stage] = sorted(files)
            atomic_write(
                root / MANIFEST_NAME,
                json.dumps({"stages": dict(sorted(stages.items()))}, indent=1) + "\n",
            )


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    with atomic_path(path) as tmp:
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with open(tmp, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())


def atomic_write(path: Path, data: str | bytes) -> None:
    with atomic_open(path, "wb" if isinstance(data, bytes) else "w") as fh:
        fh.write(data)


def csv_text(
    columns: Sequence[str], rows: Iterable[dict[str, Any]], *, spreadsheet: bool = True
) -> str:
    """CSV text; with ``spreadsheet`` (the default) no cell can run as a formula."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(spreadsheet_row(row) if spreadsheet else row)
    return buf.getvalue()


def write_csv(
    path: Path,
    columns: Sequence[str],
    rows: Iterable[dict[str, Any]],
    *,
    spreadsheet: bool = True,
) -> None:
    """Write a CSV file atomically; see :func:`csv_text` for ``spreadsheet``."""
    atomic_write(path, csv_text(columns, rows, spreadsheet=spreadsheet))
