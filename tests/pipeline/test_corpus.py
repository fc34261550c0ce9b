"""Reading corpora: encodings, bad files and bad manifests give problems, never tracebacks."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from geomap.errors import InputError, Problem
from geomap.model import Document
from geomap.pipeline.corpus import read_corpus, read_manifest

TEXT = "ALEPPO, Syria - Clashes erupted in the Salaheddin district on Thursday."


def _read(path: Path, **kw: object) -> tuple[list[Document], list[Problem]]:
    docs: list[Document] = []
    problems: list[Problem] = []
    for item in read_corpus(path, **kw):  # type: ignore[arg-type]
        (docs if isinstance(item, Document) else problems).append(item)  # type: ignore[arg-type]
    return docs, problems


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), TEXT),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TEXT),
        (
            "Regime forces shelled Daraa\u2019s old town \u2013 activists".encode("cp1252"),
            "Regime forces shelled Daraa\u2019s old town \u2013 activists",
        ),
        (
            "Caf\u00e9 in Hama, d\u00e9j\u00e0 vu".encode("latin-1"),
            "Caf\u00e9 in Hama, d\u00e9j\u00e0 vu",
        ),
        (
            "\u0642\u0635\u0641 \u0639\u0644\u0649 \u062d\u0644\u0628".encode(),
            "\u0642\u0635\u0641 \u0639\u0644\u0649 \u062d\u0644\u0628",
        ),
        (b"line one\r\nline two\r\n", "line one\nline two\n"),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "latin1", "arabic", "crlf"],
)
def test_encodings_are_decoded(tmp_path: Path, data: bytes, expected: str) -> None:
    (tmp_path / "a.txt").write_bytes(data)
    docs, problems = _read(tmp_path)
    assert [d.text for d in docs] == [expected]
    if data.isascii() or data.decode("utf-8", errors="ignore").encode() in (data, data[3:]):
        assert problems == []
    else:  # not UTF-8 at all: read as Windows-1252, and said so
        assert [(p.severity, "Windows-1252" in p.message) for p in problems] == [("warning", True)]


def test_undecodable_bytes_warn_with_file_name_and_go_on(tmp_path: Path) -> None:
    # 0x81 is undefined in Windows-1252 and invalid in UTF-8.
    (tmp_path / "bad.txt").write_bytes(b"Shelling in Homs \x81\x8d today")
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    docs, problems = _read(tmp_path)
    assert [d.id for d in docs] == ["bad", "good"]
    assert len(problems) == 1
    assert problems[0].severity == "warning"
    assert "bad.txt" in str(problems[0]) and "undecodable" in problems[0].message


def test_bad_files_are_reported_and_others_processed(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "x.txt").mkdir()
    (tmp_path / "huge.txt").write_bytes(b"a" * 2000)
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    unreadable = tmp_path / "secret.txt"
    unreadable.write_text(TEXT, encoding="utf-8")
    unreadable.chmod(0)
    docs, problems = _read(tmp_path, max_bytes=1000)
    expected_docs = ["good"] + (["secret"] if os.access(unreadable, os.R_OK) else [])
    assert [d.id for d in docs] == expected_docs
    reasons = {Path(p.path).name: p.message for p in problems}
    assert "empty" in reasons["empty.txt"]
    assert "empty" in reasons["blank.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "directory" in reasons["x.txt"]
    assert "too large" in reasons["huge.txt"]
    if "secret" not in expected_docs:  # root can read anything
        assert "permission" in reasons["secret.txt"]
    assert all(p.severity == "error" for p in problems)


def test_a_file_that_vanishes_mid_run_is_reported(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    items = read_corpus(tmp_path)
    first = next(items)
    assert isinstance(first, Document) and first.id == "a"
    (tmp_path / "b.txt").unlink()
    rest = list(items)
    assert [type(i).__name__ for i in rest] == ["Problem", "Document"]
    assert "vanished" in rest[0].message and rest[0].path.endswith("b.txt")  # type: ignore[union-attr]


MANIFEST_HEADER = "file,published,dateline,outlet\n"


def test_manifest_dates_and_fields(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        MANIFEST_HEADER + 'a.txt,2012-07-26,"ALEPPO, Syria",Arab News\n', encoding="utf-8"
    )
    docs, problems = _read(tmp_path, published=date(2016, 9, 30))
    assert problems == []
    a, b = docs
    assert (a.published, a.dateline, a.outlet) == (date(2012, 7, 26), "ALEPPO, Syria", "Arab News")
    assert b.published == date(2016, 9, 30)  # --published for files the manifest does not date


@pytest.mark.parametrize(
    ("rows", "line", "fragment"),
    [
        ("a.txt,2012-02-30,,\n", 2, "invalid date '2012-02-30'"),
        ("a.txt,2012-07-26,,\na.txt,2012-07-27,,\n", 3, "duplicate row"),
        ("a.txt,2012-07-26,,\nmissing.txt,2012-07-26,,\n", 3, "'missing.txt', which is not in"),
        ("../etc/passwd,2012-07-26,,\n", 2, "not a plain file name"),
    ],
    ids=["impossible-date", "duplicate", "unknown-file", "path"],
)
def test_bad_manifest_rows_name_the_line(
    tmp_path: Path, rows: str, line: int, fragment: str
) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(MANIFEST_HEADER + rows, encoding="utf-8")
    docs, problems = _read(tmp_path)
    assert [d.id for d in docs] == ["a"]  # the article is still processed
    assert len(problems) == 1, problems
    assert problems[0].line == line
    assert problems[0].path.endswith("manifest.csv")
    assert fragment in problems[0].message


def test_manifest_without_file_column_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text("name,published\na.txt,2012-07-26\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"manifest.csv:1: manifest has no column file"):
        read_manifest(path)


def test_missing_corpus_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(read_corpus(tmp_path / "nope"))


def test_example_corpus_reads_with_manifest() -> None:
    corpus = Path(__file__).resolve().parents[2] / "corpus" / "seeds"
    docs, problems = _read(corpus)
    assert problems == []
    assert len(docs) == 5
    assert all(d.published is not None for d in docs)
    assert docs[1].dateline == "ALEPPO, Syria"


@pytest.mark.parametrize("value", ["unknown", "Unknown", "n/a", "-"])
def test_an_unknown_outlet_is_no_outlet_name(tmp_path: Path, value: str) -> None:
    (tmp_path / "a.txt").write_text("Shelling hit Homs.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        f"file,published,outlet,wire\na.txt,2016-05-01,{value},AFP\n", encoding="utf-8"
    )
    (doc,) = [d for d in read_corpus(tmp_path) if isinstance(d, Document)]
    assert doc.outlet == "" and doc.wire == "AFP"
