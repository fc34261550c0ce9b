"""Bad input, untrusted text, faults: clear errors, nothing lost, nothing half-written."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.cli import main
from geomap.errors import GazetteerError
from geomap.extraction.events.dates import find_time_expressions
from geomap.extraction.places.mentions import find_mentions
from geomap.gazetteer.names import name_keys, normalize_name
from geomap.gazetteer.store import Gazetteer
from geomap.gazetteer.validate import validate
from geomap.model import Document

from .conftest import CORPUS, ROOT

ARTICLE = "ALEPPO - Regime forces shelled the Hanano district of Aleppo on Thursday.\n"


def test_bad_files_give_a_summary_and_a_failing_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(CORPUS, corpus)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    (corpus / "dir.txt").mkdir()
    status = main(["extract", str(corpus), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 1
    assert "5 processed, 3 failed" in err
    for name, reason in (
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("dir.txt", "directory"),
    ):
        assert name in err and reason in err
    assert "Traceback" not in err
    docs = (tmp_path / "out" / "documents.csv").read_text(encoding="utf-8")
    assert "failed" in docs and "binary" in docs
    assert json.loads((tmp_path / "out" / "events.geojson").read_text(encoding="utf-8"))


def test_a_manifest_without_file_column_stops_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("name,published\na.txt,2012-07-26\n", encoding="utf-8")
    assert main(["extract", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "manifest.csv:1:" in err and "Traceback" not in err


def test_an_impossible_date_names_the_manifest_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,published\na.txt,2012-02-30\n", encoding="utf-8")
    main(["extract", str(tmp_path), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert "manifest.csv:2" in err and "2012-02-30" in err


def test_a_bad_published_option_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert (
        main(["extract", str(tmp_path), "--out", str(tmp_path / "o"), "--published", "yesterday"])
        == 2
    )
    assert "--published" in capsys.readouterr().err


def _gazetteer_copy(tmp_path: Path) -> Path:
    target = tmp_path / "gaz"
    shutil.copytree(ROOT / "gazetteer", target)
    return target


def test_validate_names_file_and_line_of_bad_edits(tmp_path: Path) -> None:
    gaz = _gazetteer_copy(tmp_path)
    places = gaz / "places.csv"
    lines = places.read_text(encoding="utf-8").splitlines(keepends=True)
    header, first, second = lines[0], lines[1], lines[2]
    cols = header.strip().split(",")
    row = dict(zip(cols, next(__import__("csv").reader([first])), strict=True))
    bad_coord = first.replace(row["lat"], "123.45000", 1)
    dup = second
    lines[1] = bad_coord
    lines.append(dup)  # the same id twice
    lines.append("broken,row\n")
    places.write_text("".join(lines), encoding="utf-8")
    (gaz / "corrections.csv").write_text(
        "doc,surface,place_id,note\n*,Foo,NOPE,x\n", encoding="utf-8"
    )
    problems = validate(gaz)
    text = "\n".join(problems)
    assert f"{places}:2:" in text and "out of range" in text
    assert f"{places}:{len(lines) - 1}:" in text and "used twice" in text
    assert f"{places}:{len(lines)}:" in text
    assert f"{gaz / 'corrections.csv'}:2:" in text and "NOPE" in text


def test_loading_a_malformed_gazetteer_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gaz = _gazetteer_copy(tmp_path)
    places = gaz / "places.csv"
    lines = places.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",", ",not-a-number", 5)
    places.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"places.csv:4:"):
        Gazetteer._read(gaz, "test")
    assert main(["--gazetteer", str(gaz), "resolve", "Aleppo"]) == 2
    assert "places.csv:4:" in capsys.readouterr().err


def test_a_malformed_correction_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gaz = _gazetteer_copy(tmp_path)
    (gaz / "corrections.csv").write_text(
        "doc,surface,place_id,note\n*,,C1007,no surface\n", encoding="utf-8"
    )
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert (
        main(
            ["--gazetteer", str(gaz), "extract", str(tmp_path / "c"), "--out", str(tmp_path / "o")]
        )
        == 2
    )
    assert "corrections.csv:2:" in capsys.readouterr().err


def test_document_ids_cannot_write_outside_the_output(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name in ("...txt", "..%2F..%2Fevil.txt", "-rf.txt"):
        (corpus / name).write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "deep" / "out"
    before = {p for p in tmp_path.rglob("*")}
    assert main(["build", str(corpus), "--out", str(out), "--no-png"]) == 0
    created = {p for p in tmp_path.rglob("*")} - before
    assert created and all(out in p.parents or p == out or p in out.parents for p in created)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


def test_a_killed_run_leaves_the_previous_outputs_intact(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    for i in range(600):
        (big / f"a{i:04d}.txt").write_text(texts[i % 5] + f"\nIndex {i}.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert (
        main(["extract", str(CORPUS), "--out", str(out), "--no-cache", "--published", "2012-07-26"])
        == 0
    )
    previous = _snapshot(out)
    for delay in (1.0, 2.5):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "geomap",
                "extract",
                str(big),
                "--out",
                str(out),
                "--no-cache",
                "--published",
                "2012-07-26",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = _snapshot(out)
        for name, data in now.items():
            if name.startswith("."):
                continue  # a temporary file the killed run could not remove
            if data != previous.get(name):
                # a file that changed was replaced whole by a complete new one
                if name.endswith(".geojson"):
                    json.loads(data)
                elif name.endswith(".csv"):
                    assert data.endswith(b"\n")
        assert json.loads(now["events.geojson"])["type"] == "FeatureCollection"
    assert os.path.exists(out / "geomap.gpkg")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_the_extractor_never_crashes_and_offsets_point_at_surfaces(text: str) -> None:
    gaz = Gazetteer.load()
    doc = Document("h", text, date(2013, 6, 5))
    for m in find_mentions(doc, gaz):
        assert text[m.start : m.end] == m.surface
    from geomap.pipeline.documents import process_document

    result = process_document(doc, gaz)
    for e in result.events:
        for s in e.sources:
            assert text[s.start : s.end] == s.sentence


WORDS = st.sampled_from(
    [
        "Aleppo",
        "Salaheddin",
        "on",
        "Thursday",
        "clashes",
        "in",
        "the",
        "district",
        "19-20",
        "July",
        "overnight",
        "shelled",
        "Homs",
        "camp",
        "Yarmouk",
        "killed",
        "three",
        "rebels",
        ",",
        ".",
        "\n",
        "Syria's",
    ]
)


@settings(max_examples=80, deadline=None)
@given(st.lists(WORDS, max_size=40))
def test_the_extractor_on_war_report_like_text(words: list[str]) -> None:
    text = " ".join(words)
    doc = Document("w", text, date(2012, 7, 26))
    for m in find_mentions(doc, Gazetteer.load()):
        assert text[m.start : m.end] == m.surface


@settings(max_examples=150, deadline=None)
@given(
    st.text(max_size=200),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)) | st.none(),
)
def test_the_date_resolver_never_crashes(text: str, published: date | None) -> None:
    for t in find_time_expressions(text, published):
        assert text[t.start : t.end] == t.surface
        if t.date_start and t.date_end:
            assert t.date_start <= t.date_end


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_the_normaliser_never_crashes_and_is_idempotent(name: str) -> None:
    n = normalize_name(name)
    assert normalize_name(n) == n
    key, skeleton = name_keys(name)
    assert isinstance(key, str) and isinstance(skeleton, str)


def test_a_place_outside_syria_is_reported(tmp_path: Path) -> None:
    gaz = _gazetteer_copy(tmp_path)
    places = gaz / "places.csv"
    lines = places.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.startswith("C1007,"))
    lines[n] = lines[n].replace("36.20311,37.14087", "33.90000,35.70000")  # Mount Lebanon
    places.write_text("".join(lines), encoding="utf-8")
    problems = validate(gaz)
    assert any(f"places.csv:{n + 1}:" in p and "outside Syria's boundary" in p for p in problems), (
        problems
    )
