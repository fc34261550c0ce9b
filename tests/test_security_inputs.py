"""Security findings 8-10: special files, tracebacks instead of clear errors, silent loss.

Each test reproduces the attack or the fault and checks it is now refused or reported: with the
file's name (and line), the other documents still processed, and an exit status that says what
failed.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from geomap.cli import main
from geomap.corpus import Problem, read_corpus
from geomap.model import Document

from .conftest import CORPUS

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
