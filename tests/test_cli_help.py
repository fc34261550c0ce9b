"""The command line explains itself: every option has help text, --kind lists the kinds, and
the progress bar shows only on a terminal and never with -q."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from geomap import cli
from geomap.model import PLACE_KINDS


def _actions(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _actions(sub, (*path, name))
        elif action.dest != "help":
            yield path, action


def test_every_option_has_help_text() -> None:
    missing = [(p, a.dest) for p, a in _actions(cli.build_parser()) if not a.help]
    assert missing == []


def test_an_unknown_kind_lists_the_valid_ones(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["resolve", "Aleppo", "--kind", "castle"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert all(kind in err for kind in PLACE_KINDS)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("tty", "quiet", "shown"), [(True, 0, True), (True, 1, False), (False, 0, False)]
)
def test_progress_bar_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tty: bool, quiet: int, shown: bool
) -> None:
    stream = _Tty() if tty else io.StringIO()
    monkeypatch.setattr(cli.sys, "stderr", stream)
    bar = cli._Progress(argparse.Namespace(quiet=quiet), "extracting")
    for n in range(1, 4):
        bar(n)
    bar.close()
    assert ("extracting" in stream.getvalue()) is shown


@pytest.mark.parametrize("command", ["extract", "check", "build"])
def test_a_folder_with_no_article_is_an_error(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "empty"
    corpus.mkdir()
    (corpus / "notes.md").write_text("not an article", encoding="utf-8")
    args = [command, str(corpus), "--out", str(tmp_path / "out")]
    assert cli.main(args + (["--no-png"] if command == "build" else [])) == 2
    assert "no .txt article" in capsys.readouterr().err
