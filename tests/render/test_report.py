"""The situation report: HTML, Markdown and PDF."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from geomap.errors import InputError
from geomap.pipeline.run import ExtractResult, run_extract
from geomap.render.report import md, write_report
from tests.browser import page_with_log

XSS = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


@pytest.fixture(scope="module")
def report(
    seeds_extract: tuple[Path, ExtractResult], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, ExtractResult]:
    out, result = seeds_extract
    target = tmp_path_factory.mktemp("report")
    write_report(out, target, title="Test report")
    return target, result


def test_markdown_escapes_table_cells() -> None:
    assert md("a|b *c* <d> [e](f)") == r"a\|b \*c\* \<d\> \[e\]\(f\)"
    assert md("two\nlines") == "two lines"


def test_report_files_and_content(report: tuple[Path, ExtractResult]) -> None:
    out, result = report
    html = (out / "report.html").read_text(encoding="utf-8")
    text = (out / "report.md").read_text(encoding="utf-8")
    days = _detailed_days(result)
    for day in days:
        assert f"Day: {day}" in html and f"## Day: {day}" in text
        assert (out / "maps" / "dates" / f"{day}.png").is_file()
    every = {e.date_end.isoformat() for e in result.events if e.date_end}
    for day in every - set(days):  # the quieter days are left out, and the report says so
        assert f"Day: {day}" not in html
    assert f"The {len(days)} busiest of {len(every)} days" in html
    assert f"{len(result.events)}</b>events" in html
    with page_with_log() as (page, errors, requests):
        page.goto((out / "report.html").as_uri())
        page.wait_for_timeout(1500)
        assert errors == []
        local = ("file:", "data:", "about:", "blob:")
        assert [u for u in requests if not u.startswith(local)] == []
    assert (out / "data" / "events.geojson").is_file() and (out / "data" / "geomap.gpkg").is_file()
    assert "![Overview map](maps/index.png)" in text


def _detailed_days(result: ExtractResult) -> list[str]:
    """The days the report details: the busiest MAX_DAYS, in date order."""
    from collections import Counter

    from geomap.render.report import MAX_DAYS

    n = Counter(e.date_end.isoformat() for e in result.events if e.date_end)
    return sorted(sorted(n, key=lambda d: (-n[d], d))[:MAX_DAYS])


def test_report_pdf_pages(report: tuple[Path, ExtractResult]) -> None:
    out, result = report
    pdf = out / "report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )
    days = _detailed_days(result)
    starts = []
    for n in range(1, pages + 1):
        page_text = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        first = next((line for line in page_text.splitlines() if line.strip()), "")
        if first.startswith("Day: "):
            starts.append(first.removeprefix("Day: ").strip())
        assert f"page {n} of {pages}" in page_text  # page numbers in the footer
    assert starts == days  # every day begins a page of its own, in order
    assert pages >= len(days) + 3  # summary, overview, days, resolution
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(out / "page")], check=True)
    import matplotlib.image as mpimg

    for png in sorted(out.glob("page-*.png")):
        assert float(mpimg.imread(png)[..., :3].std()) > 0.01, png  # not blank


def test_report_period_and_escaping(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "manifest.csv").write_text(
        f'file,published,outlet\nx.txt,2013-06-07,"{XSS}"\ny.txt,2013-07-20,AFP\n', encoding="utf-8"
    )
    (corpus / "x.txt").write_text(f"Clashes erupted in Homs on Friday. {XSS}\n", encoding="utf-8")
    (corpus / "y.txt").write_text(
        "Regime forces shelled the Hanano district of Aleppo on Saturday, activists said.\n",
        encoding="utf-8",
    )
    out = tmp_path / "r"
    with pytest.raises(InputError, match="not an extract folder"):  # the report never extracts
        write_report(corpus, out, png=False)
    run_extract(corpus, tmp_path / "x")
    write_report(
        tmp_path / "x",
        out,
        date_from=date(2013, 6, 1),
        date_to=date(2013, 6, 30),
        title=XSS,
        png=False,
    )
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Day: 2013-06-07" in html and "2013-07-20" not in html
    assert "<script>window.pwned" not in html and "<img src=x" not in html
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in text and "\\<script\\>" in text
    with page_with_log() as (page, errors, requests):
        page.goto((out / "report.html").as_uri())
        page.wait_for_timeout(500)
        assert page.evaluate("window.pwned") is None
        assert "<script>window.pwned=1</script>" in page.inner_text("h1")
        assert errors == []
        assert all(u.startswith(("file:", "data:", "about:")) for u in requests)


def test_build_draws_each_map_once_and_a_period_gets_maps_of_its_own(tmp_path: Path) -> None:
    from geomap.cli import main
    from tests.conftest import CORPUS

    out = tmp_path / "b"
    assert main(["build", str(CORPUS), "--out", str(out), "--no-png"]) == 0
    drawn = sorted(
        p.relative_to(out / "report" / "maps") for p in (out / "report" / "maps").rglob("*.html")
    )
    assert drawn and Path("index.html") in drawn
    for rel in drawn:  # the report's maps are the ones build drew, copied byte for byte
        assert (out / "report" / "maps" / rel).read_bytes() == (out / rel).read_bytes(), rel
    # a period that leaves events out: the report draws its own maps, with its title
    days = sorted(p.stem for p in (out / "dates").glob("*.html"))
    write_report(out, tmp_path / "r", date_from=date.fromisoformat(days[-1]), png=False)
    index = (tmp_path / "r" / "maps" / "index.html").read_text(encoding="utf-8")
    assert index != (out / "index.html").read_text(encoding="utf-8")
    assert "<title>Situation report</title>" in index
