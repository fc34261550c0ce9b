"""The check page and CSV, corrections that stick, and the check command."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from geomap.cli import main
from geomap.gazetteer.store import Gazetteer
from geomap.pipeline.run import ExtractResult, run_extract
from geomap.render.check import CHECK_COLUMNS, write_check
from tests.browser import page_with_log
from tests.conftest import CORPUS

XSS = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


def test_check_csv_lists_problems_first(
    seeds_extract: tuple[Path, ExtractResult], tmp_path: Path
) -> None:
    _, result = seeds_extract
    csv_path, _ = write_check(result, tmp_path)
    rows = list(csv.DictReader(csv_path.read_text(encoding="utf-8").splitlines()))
    assert list(rows[0]) == list(CHECK_COLUMNS)
    assert len(rows) == len(result.mentions)
    order = ["unresolved", "ambiguous", "fallback", "doubtful", "ok"]
    assert [order.index(r["priority"]) for r in rows] == sorted(
        order.index(r["priority"]) for r in rows
    )
    badr = next(r for r in rows if r["surface"] == "Sheikh Badr")
    assert badr["status"] == "fallback" and badr["place_id"] == "C1007"
    assert "no neighbourhood" in badr["reason"]


def test_check_page_in_chromium(seeds_extract: tuple[Path, ExtractResult], tmp_path: Path) -> None:
    _, result = seeds_extract
    _, html = write_check(result, tmp_path)
    with page_with_log() as (page, errors, requests):
        page.goto(html.as_uri())
        page.wait_for_function("window.geomapCheckReady === true")
        first = page.locator("#mentions tbody tr").first
        assert "Sheikh Badr" in first.inner_text()
        assert "fallback" in first.inner_text()
        assert "no neighbourhood" in first.inner_text()
        # filter by status
        page.select_option("#f-status", "fallback")
        assert page.locator("#mentions tbody tr:not([hidden])").count() == 1
        page.select_option("#f-status", "")
        page.fill("#f-text", "Salaheddin")
        visible = page.locator("#mentions tbody tr:not([hidden])")
        assert visible.count() >= 1
        assert all("Salaheddin" in t for t in visible.all_inner_texts())
        page.fill("#f-text", "")
        # sort by score, descending after two clicks
        page.click("th[data-key=score]")
        page.click("th[data-key=score]")
        scores = [
            float(x)
            for x in page.eval_on_selector_all(
                "#mentions tbody tr", "rs => rs.map(r => r.dataset.score)"
            )
        ]
        assert scores == sorted(scores, reverse=True)
        page.locator("#mentions tbody tr").nth(2).click()
        assert "\u2192" in page.inner_text("#mini-caption")
        assert errors == []
        assert all(u.startswith(("file:", "data:", "about:")) for u in requests)


def test_corrections_change_the_next_run_and_show_in_the_page(
    tmp_path: Path, gaz: Gazetteer
) -> None:
    corrections = tmp_path / "corrections.csv"
    corrections.write_text(
        "doc,surface,place_id,note\n"
        "000_a20a687b110743f1,Sheikh Badr,N0218,analyst: the Mushhad side of the frontline\n"
        "*,Atlantis,C1007,no such name any more\n",
        encoding="utf-8",
    )
    result = run_extract(
        CORPUS, tmp_path / "out", gazetteer=gaz, use_cache=False, corrections_path=corrections
    )
    badr = next(m for m in result.mentions if m.surface == "Sheikh Badr")
    assert badr.place is not None and badr.place.id == "N0218"
    assert badr.status == "resolved" and badr.reason.startswith("correction")
    assert [c.surface for c in result.corrections_used] == ["Sheikh Badr"]
    assert [c.surface for c in result.corrections_unused] == ["Atlantis"]
    assert any("matched no mention" in p.message for p in result.problems)
    _, html = write_check(result, tmp_path / "check")
    page = html.read_text(encoding="utf-8")
    assert "applied: in 000_a20a687b110743f1" in page
    assert "matches nothing any more" in page and "Atlantis" in page


def test_check_escapes_article_text(tmp_path: Path, gaz: Gazetteer) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "x.txt").write_text(f"Clashes erupted in Homs {XSS} on Friday.\n", encoding="utf-8")
    result = run_extract(corpus, tmp_path / "out", gazetteer=gaz, use_cache=False, published=None)
    _, html = write_check(result, tmp_path / "check")
    text = html.read_text(encoding="utf-8")
    assert "<script>window.pwned" not in text and "<img src=x" not in text
    with page_with_log() as (page, errors, _):
        page.goto(html.as_uri())
        page.wait_for_function("window.geomapCheckReady === true")
        assert "<script>window.pwned=1</script>" in page.inner_text("#mentions")
        assert page.evaluate("window.pwned") is None
        assert errors == []


def test_check_page_shows_the_rules_of_a_mention_in_words(tmp_path: Path, gaz: Gazetteer) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "x.txt").write_text(
        "Artillery hit farmland 15 km northwest of Hama on Sunday.\n", encoding="utf-8"
    )
    result = run_extract(corpus, tmp_path / "out", gazetteer=gaz, use_cache=False, published=None)
    rules = [r for m in result.mentions for r in m.rules]
    assert any(r.startswith("bearing-distance:") for r in rules), rules
    _, html = write_check(result, tmp_path / "check")
    with page_with_log() as (page, errors, _):
        page.goto(html.as_uri())
        page.wait_for_function("window.geomapCheckReady === true")
        assert "rules: 15 km NW of Hama" in page.inner_text("#mentions")
        page.fill("#f-text", "15 km NW")  # the filter reads the rules' words too
        page.dispatch_event("#f-text", "input")
        assert "rules: 15 km NW of Hama" in page.inner_text("#mentions")
        assert errors == []


def test_check_command_and_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "check"
    assert main(["check", str(CORPUS), "--out", str(out)]) == 0
    assert (out / "check.csv").is_file() and (out / "check.html").is_file()
    corpus = tmp_path / "c"
    shutil.copytree(CORPUS, corpus)
    (corpus / "extra.txt").write_text(
        "Clashes erupted in the Zzyzx district on Friday, residents said.\n", encoding="utf-8"
    )
    status = main(["check", str(corpus), "--out", str(tmp_path / "c2"), "--strict"])
    err = capsys.readouterr().err
    assert "mentions in 6 documents" in err
    assert "'Zzyzx'" in err and "unresolved" in err
    assert status == 1
    assert main(["check", str(corpus), "--out", str(tmp_path / "c3")]) == 0


@pytest.mark.parametrize("rerun", [False, True])
def test_the_check_page_never_reads_the_articles_again(tmp_path: Path, rerun: bool) -> None:
    """The sentences come with the extraction result (and from the store on a rerun): the
    articles can be gone, or changed, by the time the page is written."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "manifest.csv").write_text("file,published\na.txt,2016-06-02\n", encoding="utf-8")
    text = "Warplanes struck Douma on Tuesday. Shelling hit the Bustan al-Qasr district of Aleppo."
    (corpus / "a.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_extract(corpus, out)
    if rerun:  # nothing new: the result is read back from the store
        result = run_extract(corpus, out)
    shutil.rmtree(corpus)
    csv_path, _ = write_check(result, tmp_path / "check")
    rows = list(csv.DictReader(csv_path.read_text(encoding="utf-8").splitlines()))
    by_surface = {r["surface"]: r["sentence"] for r in rows}
    assert by_surface["Douma"] == "Warplanes struck Douma on Tuesday."
    assert by_surface["Aleppo"] == "Shelling hit the Bustan al-Qasr district of Aleppo."
