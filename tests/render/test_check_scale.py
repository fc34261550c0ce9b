"""The check page at scale (20,000 mentions) and its corrections, round-tripped through a run."""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

import pytest

from geomap.extraction.text import split_sentences
from geomap.gazetteer.store import Gazetteer
from geomap.model import Candidate, Mention
from geomap.pipeline.run import ExtractResult, run_extract
from geomap.render.check import write_check
from tests.browser import page_with_log
from tests.conftest import CORPUS

N_MENTIONS = 20_000


def synthetic_result(gaz: Gazetteer, n: int) -> tuple[ExtractResult, dict[str, str]]:
    """``n`` mentions of real gazetteer places, two a sentence, ten sentences a document."""
    places = [p for p in gaz.places if p.country == "SY"][:400]
    texts: dict[str, str] = {}
    mentions: list[Mention] = []
    k = 0
    doc_n = 0
    while k < n:
        doc = f"doc{doc_n:05d}"
        doc_n += 1
        parts: list[str] = []
        spots: list[tuple[int, int, int]] = []
        pos = 0
        for s in range(10):
            a, b = places[k % len(places)], places[(k * 7 + 3) % len(places)]
            sentence = f"Clashes were reported in {a.name} on day {s}, and shelling near {b.name}."
            i = sentence.index(a.name)
            j = sentence.rindex(b.name)
            spots.append((pos + i, pos + i + len(a.name), k % len(places)))
            spots.append((pos + j, pos + j + len(b.name), (k * 7 + 3) % len(places)))
            parts.append(sentence)
            pos += len(sentence) + 1
            k += 2
        text = " ".join(parts)
        texts[doc] = text
        sentences = split_sentences(text)
        for start, end, pi in spots:
            place = places[pi]
            sent = next(x for x, (a0, b0) in enumerate(sentences) if a0 <= start < b0)
            status = ("resolved", "fallback", "ambiguous", "unresolved")[pi % 4]
            rival = places[(pi + 1) % len(places)]
            mentions.append(
                Mention(
                    doc,
                    start,
                    end,
                    text[start:end],
                    sent,
                    "event",
                    status,
                    None if status == "unresolved" else place,
                    0.5 + (pi % 50) / 100,
                    f"rule {pi % 13}: exact name near the dateline city",
                    (Candidate(rival, 0.4, "same name elsewhere"),),
                )
            )
    return ExtractResult(mentions=mentions[:n]), texts


@pytest.fixture(scope="module")
def big_page(gaz: Gazetteer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    result, texts = synthetic_result(gaz, N_MENTIONS)
    assert len(result.mentions) == N_MENTIONS
    _, html = write_check(result, tmp_path_factory.mktemp("big"), texts=texts, gazetteer=gaz)
    return html


def test_check_page_is_small_and_fast_at_20000_mentions(big_page: Path) -> None:
    size = big_page.stat().st_size
    print(f"check.html at {N_MENTIONS} mentions: {size / 1e6:.1f} MB")
    assert size < 12_000_000
    with page_with_log() as (page, errors, requests):
        t0 = time.perf_counter()
        page.goto(big_page.as_uri())
        page.wait_for_function("window.geomapCheckReady === true", timeout=30_000)
        opened = time.perf_counter() - t0
        rows = page.locator("#mentions tbody tr").count()
        assert 0 < rows <= 100  # a page of rows, not 20,000
        keystrokes = []
        for q in ("a", "al", "ale", "alep", "rule 7", ""):
            keystrokes.append(
                page.evaluate(
                    """(q) => {
                    const t = performance.now(), f = document.getElementById('f-text');
                    f.value = q; f.dispatchEvent(new Event('input'));
                    document.body.offsetHeight;  // the layout of the new rows
                    return performance.now() - t; }""",
                    q,
                )
            )
        page.fill("#f-text", "rule 7:")
        assert "of 20000 mentions" in page.inner_text("#f-count")
        assert all("rule 7:" in t for t in page.locator("#mentions tbody tr").all_inner_texts())
        page.click("#p-next")
        assert "page 2 of" in page.inner_text("#p-info")
        t1 = time.perf_counter()
        page.click("th[data-key=score]")
        sorted_in = time.perf_counter() - t1
        print(
            f"open {opened:.2f} s, filter keystrokes {[round(k) for k in keystrokes]} ms, "
            f"sort {sorted_in * 1000:.0f} ms"
        )
        assert opened < 3.0
        assert max(keystrokes) < 200
        assert errors == []
        assert all(u.startswith(("file:", "data:", "about:", "blob:")) for u in requests)


def test_sentence_shown_once_with_every_mention_marked(big_page: Path) -> None:
    with page_with_log() as (page, errors, _):
        page.goto(big_page.as_uri())
        page.wait_for_function("window.geomapCheckReady === true", timeout=30_000)
        page.fill("#f-text", "doc00003")
        cells = page.locator("#mentions td.sent")
        rows = page.locator("#mentions tbody tr")
        assert rows.count() == 20 and cells.count() == 10  # two mentions, one sentence cell
        assert cells.first.locator("mark").count() == 2
        assert cells.first.locator("mark.cur").count() == 1
        # the place id a correction needs is on the row
        first = rows.first.inner_text()
        assert any(ch.isdigit() for ch in first)
        assert errors == []


def test_corrections_download_round_trip(tmp_path: Path, gaz: Gazetteer) -> None:
    """Pick "not a place", "this is..." and "right" on the page; the downloaded file, dropped
    into the gazetteer folder, changes the next run."""
    gdir = tmp_path / "gazetteer"
    shutil.copytree(Path(__file__).resolve().parents[2] / "gazetteer", gdir)
    (gdir / "corrections.csv").write_text("doc,surface,place_id,note\n", encoding="utf-8")
    result = run_extract(CORPUS, tmp_path / "one", gazetteer_dir=gdir, use_cache=False)
    _, html = write_check(result, tmp_path / "check", gazetteer_dir=gdir)
    badr = next(m for m in result.mentions if m.surface == "Sheikh Badr")
    resolved = [m for m in result.mentions if m.status == "resolved" and m.surface != "Sheikh Badr"]
    gone, kept = resolved[0], resolved[-1]
    assert gone.surface != kept.surface
    with page_with_log() as (page, errors, _):
        page.goto(html.as_uri())
        page.wait_for_function("window.geomapCheckReady === true")

        page.fill("#f-text", "Sheikh Badr")
        row = page.locator("#mentions tbody tr").first
        row.get_by_role("button", name="this is\u2026").click()
        row.get_by_role("searchbox").fill("N0218")
        row.locator(".hits li").first.click()
        for m, button in ((gone, "not a place"), (kept, "right")):
            page.fill("#f-text", m.surface)
            page.locator(
                f'#mentions tbody tr[data-doc="{m.doc}"][data-surface="{m.surface}"]'
            ).first.get_by_role("button", name=button).click()
        assert "3 corrections picked" in page.inner_text("#fix-count")
        with page.expect_download() as info:
            page.click("#fix-download")
        info.value.save_as(gdir / "corrections.csv")
        assert errors == []
    rows = list(csv.DictReader((gdir / "corrections.csv").read_text(encoding="utf-8").splitlines()))
    assert {r["place_id"] for r in rows} == {"N0218", "none", kept.place.id if kept.place else ""}
    again = run_extract(CORPUS, tmp_path / "two", gazetteer_dir=gdir, use_cache=False)
    badr2 = next(m for m in again.mentions if m.surface == "Sheikh Badr" and m.doc == badr.doc)
    assert badr2.place is not None and badr2.place.id == "N0218"
    assert badr2.reason.startswith("correction")
    assert not [m for m in again.mentions if m.doc == gone.doc and m.surface == gone.surface]
    k2 = next(m for m in again.mentions if m.doc == kept.doc and m.surface == kept.surface)
    assert k2.place is not None and kept.place is not None and k2.place.id == kept.place.id
    assert len(again.corrections_used) == 3 and not again.corrections_unused
