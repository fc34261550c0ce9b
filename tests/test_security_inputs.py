"""Security findings 8-10: special files, tracebacks instead of clear errors, silent loss.

Each test reproduces the attack or the fault and checks it is now refused or reported: with the
file's name (and line), the other documents still processed, and an exit status that says what
failed.
"""

from __future__ import annotations

import csv
import errno
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from geomap.cli import main
from geomap.errors import GazetteerError, InputError, Problem
from geomap.gazetteer.store import Gazetteer
from geomap.gazetteer.validate import validate
from geomap.model import Document
from geomap.pipeline.corpus import read_corpus, read_manifest

from .conftest import CORPUS, ROOT

ARTICLE = "ALEPPO - Regime forces shelled the Hanano district of Aleppo on Thursday.\n"


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the block takes longer than ``seconds``."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _read(path: Path, **kw: object) -> tuple[list[Document], list[Problem]]:
    docs: list[Document] = []
    problems: list[Problem] = []
    with deadline(30):
        for item in read_corpus(path, **kw):  # type: ignore[arg-type]
            (docs if isinstance(item, Document) else problems).append(item)  # type: ignore[arg-type]
    return docs, problems


def _reasons(problems: list[Problem]) -> dict[str, str]:
    return {Path(p.path).name: p.message for p in problems}


# -- finding 8: special files ------------------------------------------------------------------


@pytest.fixture()
def hostile_corpus(tmp_path: Path) -> Path:
    """The example corpus plus a FIFO, a link to /dev/zero and a link to a file outside."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "zero.txt").symlink_to("/dev/zero")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (corpus / "passwd.txt").symlink_to(secret)
    (corpus / "inside.txt").symlink_to(corpus / "000_a20a687b110743f1.txt")
    return corpus


def test_a_fifo_is_reported_and_never_waited_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")  # nobody ever writes to it: reading it would block forever
    docs, problems = _read(tmp_path)
    assert [d.id for d in docs] == ["a"]
    assert "not a regular file (a FIFO)" in _reasons(problems)["pipe.txt"]


def test_a_link_to_dev_zero_is_refused_not_read_until_memory_runs_out(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    docs, problems = _read(tmp_path)
    assert [d.id for d in docs] == ["a"]
    assert "outside the corpus" in _reasons(problems)["zero.txt"]
    # even when links may be followed, a device is never read
    docs, problems = _read(tmp_path, follow_links=True)
    assert [d.id for d in docs] == ["a"]
    assert "not a regular file (a device)" in _reasons(problems)["zero.txt"]


def test_a_link_out_of_the_corpus_is_refused_unless_allowed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (corpus / "passwd.txt").symlink_to(tmp_path / "secret.txt")
    (corpus / "inside.txt").symlink_to(corpus / "a.txt")  # inside the corpus: fine
    docs, problems = _read(corpus)
    assert sorted(d.id for d in docs) == ["a", "inside"]
    message = _reasons(problems)["passwd.txt"]
    assert "is a link to" in message and "secret.txt" in message and "--follow-links" in message
    docs, _ = _read(corpus, follow_links=True)
    assert sorted(d.id for d in docs) == ["a", "inside", "passwd"]


def test_a_growing_file_is_read_up_to_the_limit_only(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(b"a" * 5000)
    docs, problems = _read(tmp_path, max_bytes=1000)
    assert docs == [] and "too large" in problems[0].message


def test_extract_reports_special_files_and_processes_the_rest(
    hostile_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with deadline(120):
        status = main(["extract", str(hostile_corpus), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 1  # the job ran, some documents failed
    assert "6 processed, 3 failed" in err  # the 5 articles and the inside link
    assert "pipe.txt" in err and "FIFO" in err
    assert "zero.txt" in err and "passwd.txt" in err and "outside the corpus" in err
    assert "root:x:0:0" not in (tmp_path / "out" / "mentions.csv").read_text(encoding="utf-8")
    assert "Traceback" not in err


# -- finding 9: clear errors (exit 2, file:line), never a traceback ----------------------------


def _gazetteer_copy(tmp_path: Path) -> Path:
    target = tmp_path / "gaz"
    shutil.copytree(ROOT / "gazetteer", target)
    return target


def _corpus(tmp_path: Path, manifest: str | bytes | None = None) -> Path:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "b.txt").write_text(ARTICLE, encoding="utf-8")
    if isinstance(manifest, str):
        (corpus / "manifest.csv").write_text(manifest, encoding="utf-8")
    elif manifest is not None:
        (corpus / "manifest.csv").write_bytes(manifest)
    return corpus


@pytest.mark.parametrize("raise_limit", [False, True], ids=["csv-default", "limit-raised"])
def test_a_huge_manifest_field_stops_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], raise_limit: bool
) -> None:
    old = csv.field_size_limit()
    if raise_limit:  # as loading the gazetteer does
        csv.field_size_limit(1 << 26)
    try:
        corpus = _corpus(
            tmp_path, "file,published,outlet\na.txt,2012-07-26,x\nb.txt,2012-07-26," + "x" * 200_000
        )
        with pytest.raises(InputError, match=r"manifest.csv:3: .*200,000 characters"):
            read_manifest(corpus / "manifest.csv")
        assert main(["extract", str(corpus), "--out", str(tmp_path / "o")]) == 2
    finally:
        csv.field_size_limit(old)
    err = capsys.readouterr().err
    assert "manifest.csv:3:" in err and "Traceback" not in err


def test_invalid_utf8_in_places_csv_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gaz = _gazetteer_copy(tmp_path)
    places = gaz / "places.csv"
    lines = places.read_bytes().splitlines(keepends=True)
    lines[6] = lines[6].replace(b",", b",\xff", 1)
    places.write_bytes(b"".join(lines))
    with pytest.raises(GazetteerError, match=r"places.csv:7: invalid UTF-8"):
        Gazetteer._read(gaz, "test")
    assert main(["--gazetteer", str(gaz), "resolve", "Aleppo"]) == 2
    assert "places.csv:7: invalid UTF-8" in capsys.readouterr().err
    assert main(["--gazetteer", str(gaz), "gazetteer", "validate"]) == 1
    out = capsys.readouterr().out
    assert f"{places}:7: invalid UTF-8" in out
    assert main(["--gazetteer", str(gaz), "gazetteer", "stats"]) == 2
    assert "places.csv:7: invalid UTF-8" in capsys.readouterr().err


def test_bad_wkt_in_shapes_csv_is_reported_with_its_line(tmp_path: Path) -> None:
    gaz = _gazetteer_copy(tmp_path)
    shapes = gaz / "shapes.csv"
    lines = shapes.read_text(encoding="utf-8").splitlines(keepends=True)
    pid = lines[2].split(",", 1)[0]
    lines[2] = f'{pid},"POLYGON((36.1 35.2, 36.3"\n'
    shapes.write_text("".join(lines), encoding="utf-8")
    problems = validate(gaz)
    assert any(p.startswith(f"{shapes}:3:") and "not valid WKT" in p for p in problems)
    loaded = Gazetteer._read(gaz, "test")
    with pytest.raises(GazetteerError, match=r"shapes.csv:3: the shape of .* is not valid WKT"):
        loaded.shape(pid)


def test_an_out_that_is_a_file_stops_before_extracting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _corpus(tmp_path)
    (tmp_path / "out").write_text("not a directory", encoding="utf-8")
    assert main(["extract", str(corpus), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "out: is a file, not a directory" in err and "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in read-only directories")
def test_a_read_only_out_stops_before_extracting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _corpus(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        assert main(["extract", str(corpus), "--out", str(out)]) == 2
    finally:
        out.chmod(0o755)
    assert "cannot write in the output directory" in capsys.readouterr().err


def test_a_full_disk_is_found_before_extracting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import geomap.pipeline.run

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def never(*args: object, **kw: object) -> None:
        raise AssertionError("the extraction started")

    monkeypatch.setattr(os, "fsync", full)
    monkeypatch.setattr(geomap.pipeline.run, "run_extract", never)
    corpus = _corpus(tmp_path)
    assert main(["extract", str(corpus), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "cannot write in the output directory (No space left on device)" in err
    assert "Traceback" not in err
    assert list((tmp_path / "out").iterdir()) == []  # the probe file is gone


def test_a_write_error_names_the_file_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import geomap.writing

    real = geomap.writing.atomic_open

    @contextmanager
    def full(path: Path, *args: Any, **kw: Any) -> Iterator[Any]:
        if path.name == "mentions.csv":  # the disk fills up while the outputs are written
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        with real(path, *args, **kw) as fh:
            yield fh

    monkeypatch.setattr(geomap.writing, "atomic_open", full)
    corpus = _corpus(tmp_path)
    assert main(["extract", str(corpus), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'out'}/mentions.csv: No space left on device" in err
    assert "Traceback" not in err


def test_eval_with_a_missing_prediction_folder_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", str(tmp_path / "nope"), "--gold", str(ROOT / "tests" / "gold")]) == 2
    err = capsys.readouterr().err
    assert "nope" in err and "Traceback" not in err


@pytest.mark.parametrize("day", ["0001-01-01", "1850-06-01", "2099-01-01", "9999-12-31"])
def test_an_absurd_manifest_date_is_a_problem_naming_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], day: str
) -> None:
    corpus = _corpus(tmp_path, f"file,published\na.txt,2012-07-26\nb.txt,{day}\n")
    docs, problems = _read(corpus)
    assert [d.id for d in docs] == ["a", "b"]  # the document is not lost
    assert docs[1].published is None
    assert [(p.line, "out of range" in p.message) for p in problems] == [(3, True)]
    status = main(["extract", str(corpus), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 1 and "manifest.csv:3:" in err and day in err
    assert "2 processed" in err and "Traceback" not in err


def test_an_absurd_published_option_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _corpus(tmp_path)
    assert (
        main(["extract", str(corpus), "--out", str(tmp_path / "o"), "--published", "0001-01-01"])
        == 2
    )
    assert "--published: publication date '0001-01-01' is out of range" in capsys.readouterr().err


# -- finding 10: nothing lost without a word ---------------------------------------------------

ARABIC = "\u0642\u0635\u0641 \u0639\u0644\u0649 \u062d\u0644\u0628"


def test_one_stray_byte_does_not_turn_utf8_into_mojibake(tmp_path: Path) -> None:
    head = f"ALEPPO - Regime forces shelled Aleppo\u2019s Hanano district.\n{ARABIC}\n".encode()
    (tmp_path / "a.txt").write_bytes(head + b"Clashes \xff in Homs.\n")
    docs, problems = _read(tmp_path)
    assert "Aleppo\u2019s" in docs[0].text and ARABIC in docs[0].text  # not "Aleppoâ€™s"
    assert docs[0].text.endswith("Clashes \ufffd in Homs.\n")
    (p,) = problems
    assert p.severity == "warning" and p.path.endswith("a.txt") and p.line == 3
    assert f"byte offset {len(head) + 8}" in p.message and "line 3" in p.message


def test_text_that_is_not_utf8_at_all_is_windows_1252_and_said_so(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("Shelling in Daraa\u2019s old town\n".encode("cp1252"))
    docs, problems = _read(tmp_path)
    assert docs[0].text == "Shelling in Daraa\u2019s old town\n"
    assert [(p.severity, "read as Windows-1252" in p.message) for p in problems] == [
        ("warning", True)
    ]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_decoded(tmp_path: Path, codec: str) -> None:
    text = f"ALEPPO - Shelling in Aleppo.\n{ARABIC}\n"
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    (tmp_path / "a.txt").write_bytes(data)
    docs, problems = _read(tmp_path)
    assert [d.text for d in docs] == [text] and problems == []


def test_an_unclosed_quote_in_the_manifest_is_reported_with_its_line(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path,
        'file,published,outlet\na.txt,2012-07-26,"Arab News\nb.txt,2012-07-27,x\n'
        "c.txt,2012-07-28,y\n",
    )
    (corpus / "c.txt").write_text(ARTICLE, encoding="utf-8")
    docs, problems = _read(corpus)
    assert [d.id for d in docs] == ["a", "b", "c"]  # the articles are still read
    (p,) = problems
    assert p.path.endswith("manifest.csv") and p.line == 2
    assert "unclosed" in p.message and "lines 2-4" in p.message


def test_a_line_separator_in_a_field_does_not_shift_line_numbers(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path, "file,published,outlet\na.txt,2012-07-26,Arab\u2028News\nb.txt,2012-02-30,x\n"
    )
    docs, problems = _read(corpus)
    assert docs[0].outlet == "Arab\u2028News"
    assert [(p.line, "2012-02-30" in p.message) for p in problems] == [(3, True)]


def test_undecodable_manifest_bytes_are_reported(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path, b"file,published,outlet\na.txt,2012-07-26,Arab News\n" + b"b.txt,,\xff\n"
    )
    docs, problems = _read(corpus)
    assert [d.id for d in docs] == ["a", "b"]
    (p,) = problems
    assert p.path.endswith("manifest.csv") and p.line == 3 and p.severity == "warning"


def test_a_newline_in_a_file_name_cannot_forge_summary_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "x\n  documents: 99 processed, 0 failed\n.txt").write_bytes(b"")
    assert main(["extract", str(corpus), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "x\\n  documents: 99 processed, 0 failed\\n.txt: error: is empty" in err
    assert not any(line.startswith("  documents: 99") for line in err.splitlines())


def _gazetteer_with_corrections(tmp_path: Path, rows: str | bytes) -> Path:
    gaz = _gazetteer_copy(tmp_path)
    path = gaz / "corrections.csv"
    if isinstance(rows, str):
        path.write_text("doc,surface,place_id,note\n" + rows, encoding="utf-8")
    else:
        path.write_bytes(b"doc,surface,place_id,note\n" + rows)
    return gaz


def test_a_correction_to_an_unknown_place_is_reported_once_at_load_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    gaz = _gazetteer_with_corrections(tmp_path, "*,Aleppo,NO-SUCH-ID,a typo\n")
    corpus = _corpus(tmp_path)
    (corpus / "c.txt").write_text(ARTICLE, encoding="utf-8")
    args = ["--gazetteer", str(gaz), "check", str(corpus), "--out", str(tmp_path / "o")]
    with caplog.at_level("WARNING"):
        status = main(args)
    warnings = [r.getMessage() for r in caplog.records if "NO-SUCH-ID" in r.getMessage()]
    assert len(warnings) == 1, warnings  # not once per document
    assert "corrections.csv:2: warning: correction of 'Aleppo' names unknown place" in warnings[0]
    assert status == 0
    capsys.readouterr()
    assert main([*args, "--strict"]) == 1
    assert "1 correction(s) ignored" in capsys.readouterr().err


def test_a_repeated_correction_is_reported_with_both_lines(tmp_path: Path) -> None:
    from geomap.extraction.places.corrections import read_corrections

    path = tmp_path / "corrections.csv"
    path.write_text(
        "doc,surface,place_id,note\n*,Aleppo,C1007,first\n*,Homs,C1009,x\n*,aleppo,C1001,second\n",
        encoding="utf-8",
    )
    kept, problems = read_corrections(path, gazetteer=Gazetteer.load())
    assert [c.line for c in kept] == [2, 3]
    (p,) = problems
    assert p.line == 4 and "contradicts the correction of 'aleppo' on line 2" in p.message


def test_invalid_utf8_in_corrections_names_the_real_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gaz = _gazetteer_with_corrections(tmp_path, b"*,Aleppo,C1007,ok\n*,Homs,C1009,caf\xe9\n")
    corpus = _corpus(tmp_path)
    assert (
        main(["--gazetteer", str(gaz), "extract", str(corpus), "--out", str(tmp_path / "o")]) == 2
    )
    err = capsys.readouterr().err
    assert "corrections.csv:3: invalid UTF-8" in err and "Traceback" not in err


def test_articles_in_subfolders_are_counted_or_read_with_recursive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "2012" / "07").mkdir(parents=True)
    (corpus / "2012" / "07" / "d.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "2012" / "e.txt").write_text(ARTICLE, encoding="utf-8")
    docs, problems = _read(corpus)
    assert [d.id for d in docs] == ["a", "b"]
    assert [(p.severity, "2 .txt file(s) in subfolders" in p.message) for p in problems] == [
        ("warning", True)
    ]
    docs, problems = _read(corpus, recursive=True)
    assert [d.id for d in docs] == ["a", "b", "d", "e"] and problems == []
    out = tmp_path / "o"
    assert main(["extract", str(corpus), "--out", str(out), "--recursive"]) == 0
    assert "4 processed" in capsys.readouterr().err
