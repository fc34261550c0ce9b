"""Headless Chromium (Debian's package) driven by Playwright: map pictures and PDFs.

No browser is ever downloaded: Playwright is pointed at ``/usr/bin/chromium`` (or
``$GEOMAP_CHROMIUM``), and every request that is not a local file is refused, so what renders
is what works offline.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from geomap.errors import GeomapError

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = (
        os.environ.get("GEOMAP_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not path:
        raise GeomapError(
            "no chromium found: install Debian's chromium (make browser), or pass --no-png"
        )
    return path


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def offline_page(b: Any, *, width: int = 1280, height: int = 860) -> Any:
    """A page that refuses every request but local files and data: URIs."""
    context = b.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = context.new_page()

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("file:", "data:", "about:", "blob:")):
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    return page


def screenshot_maps(paths: Sequence[Path]) -> list[Path]:
    """A PNG beside each map file, taken once the map has drawn."""
    out: list[Path] = []
    with browser() as b:
        page = offline_page(b)
        for path in paths:
            page.goto(path.resolve().as_uri())
            page.wait_for_function("window.geomapReady === true", timeout=60_000)
            page.wait_for_timeout(300)
            png = path.with_suffix(".png")
            tmp = png.with_name(f".{png.stem}.tmp.png")
            page.screenshot(path=str(tmp))
            os.replace(tmp, png)
            out.append(png)
        page.context.close()
    return out


def print_pdf(html: Path, pdf: Path, *, title: str = "") -> None:
    """Print an HTML page to an A4 PDF with page numbers, atomically."""
    from html import escape

    footer = (
        "<div style='font-size:8px;width:100%;text-align:center;color:#555'>"
        f"{escape(title)} &middot; page <span class='pageNumber'></span> of "
        "<span class='totalPages'></span></div>"
    )
    with browser() as b:
        page = offline_page(b)
        page.goto(html.resolve().as_uri())
        page.wait_for_load_state("load")
        page.emulate_media(media="print")
        tmp = pdf.with_name(f".{pdf.stem}.tmp.pdf")
        page.pdf(
            path=str(tmp),
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template="<div></div>",
            footer_template=footer,
            margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
        )
        os.replace(tmp, pdf)
        page.context.close()
