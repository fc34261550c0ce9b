"""Headless Chromium (Debian's package) driven by Playwright: map pictures and PDFs.

No browser is ever downloaded: Playwright is pointed at ``/usr/bin/chromium`` (or
``$GEOMAP_CHROMIUM``), and every request that is not a local file is refused, so what renders
is what works offline.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from geomap.errors import GeomapError
from geomap.writing import atomic_path

log = logging.getLogger(__name__)

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
            with atomic_path(png) as tmp:
                page.screenshot(path=str(tmp))
            out.append(png)
        page.context.close()
    return out


#: Injected into a map before a picture for print: no control a reader of paper cannot use
#: (zoom, layers, the time panel, switches, buttons, the title the report already gives); the
#: legend, the labels and a scale stay.
PRINT_MAP_CSS = """
.leaflet-control-zoom, .leaflet-control-layers, .geomap-panel, .geomap-title,
.leaflet-control-container button, .leaflet-control-container input,
.leaflet-control-container select { display: none !important; }
.geomap-legend { pointer-events: none; }
.leaflet-control-scale-line { background: rgba(255,255,255,.85); font-size: 12px; }
"""

#: Adds a metric scale to the page's Leaflet map when it has none (folium keeps the map in a
#: global variable).
_PRINT_MAP_JS = """() => {
  const value = k => { try { return window[k]; } catch (e) { return null; } };
  const maps = Object.keys(window).map(value).filter(v => window.L && v instanceof L.Map);
  if (document.querySelector('.leaflet-control-scale')) { return 0; }  // the map has one
  for (const m of maps) { L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(m); }
  return maps.length;
}"""


def screenshot_print_maps(
    pairs: Sequence[tuple[Path, Path]], *, width: int = 1200, height: int = 780
) -> list[Path]:
    """Static pictures of maps for print: for each (map page, PNG) the map drawn without its
    interactive controls (see :data:`PRINT_MAP_CSS`), with its legend, labels and a scale."""
    out: list[Path] = []
    with browser() as b:
        page = offline_page(b, width=width, height=height)
        for html, png in pairs:
            page.goto(html.resolve().as_uri())
            page.wait_for_function("window.geomapReady === true", timeout=60_000)
            page.add_style_tag(content=PRINT_MAP_CSS)
            page.evaluate(_PRINT_MAP_JS)
            page.wait_for_timeout(300)
            png.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(png) as tmp:
                page.screenshot(path=str(tmp))
            out.append(png)
        page.context.close()
    return out


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) ?\((D:[^)]*)\)")
_PDF_ID = re.compile(rb"/ID ?\[ ?<([0-9A-Fa-f]*)> ?<([0-9A-Fa-f]*)> ?\]")


def pdf_date(when: datetime, length: int) -> bytes | None:
    """``when`` as a PDF date string of exactly ``length`` bytes, or None if no form fits."""
    stamp = when.astimezone(UTC).strftime("D:%Y%m%d%H%M%S")
    for tz in ("+00'00'", "+00'00", "Z", ""):
        if len(stamp) + len(tz) == length:
            return (stamp + tz).encode("ascii")
    return None


def source_date(default: datetime | None = None) -> datetime:
    """``$SOURCE_DATE_EPOCH`` when set, else ``default``, else 2000-01-01 (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return default or datetime(2000, 1, 1, tzinfo=UTC)


def _pdf_string(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")


def _shift_xref(data: bytes, edits: Sequence[tuple[int, int]]) -> bytes | None:
    """``data`` (already edited) with its xref offsets moved by ``edits`` (old position, delta).

    Handles the one classic cross-reference table Chromium writes; None for anything else.
    """
    end = _STARTXREF.search(data)
    if end is None:
        return None

    def shift(offset: int) -> int:
        return offset + sum(delta for pos, delta in edits if pos < offset)

    xref = shift(int(end.group(1)))
    head = re.compile(rb"xref\s+(\d+) (\d+)\s+").match(data, xref)
    if head is None or int(head.group(1)) != 0:
        return None
    pos = head.end()
    entries = []
    for _ in range(int(head.group(2))):
        m = _XREF_ENTRY.match(data, pos)
        if m is None:
            return None
        offset = int(m.group(1))
        new = shift(offset) if m.group(3) == b"n" else offset
        entries.append((m.start(1), b"%010d" % new))
        pos = m.end() + 2
    if not data[pos:].lstrip().startswith(b"trailer") or b"/Prev" in data[pos : end.start()]:
        return None
    out = bytearray(data)
    for at, digits in entries:
        out[at : at + 10] = digits
    return bytes(out[: end.start(1)]) + b"%d" % xref + data[end.end(1) :]


def deterministic_pdf(data: bytes, when: datetime, base: Path | None = None) -> bytes:
    """The PDF with its dates set to ``when``, a content /ID and links relative to ``base``.

    Chromium writes the time of printing, and a link to a file of the report (``check.html``,
    ``data/...``) as an absolute ``file://`` URI naming the folder it was printed in: both make
    two runs differ (and the second leaks the build machine's path). Dates and /ID are replaced
    by values of the same length; the links are made relative and the cross-reference table
    moved to match.
    """

    def date(m: re.Match[bytes]) -> bytes:
        new = pdf_date(when, len(m.group(2)))
        if new is None:
            log.warning("PDF date %r left as it is: no fixed date of its length", m.group(2))
            return m.group(0)
        return m.group(0).replace(m.group(2), new)

    data = _PDF_DATE.sub(date, data)
    if base is not None:
        prefix = b"/URI (" + _pdf_string(base.resolve().as_uri().rstrip("/") + "/")
        edits = []
        pos = data.find(prefix)
        while pos >= 0:
            edits.append((pos + 6, -(len(prefix) - 6)))
            pos = data.find(prefix, pos + 1)
        if edits:
            relative = data.replace(prefix, b"/URI (")
            shifted = _shift_xref(relative, edits)
            if shifted is None:
                log.warning("PDF links left absolute: unexpected cross-reference table")
            else:
                data = shifted
    digest = hashlib.sha256(_PDF_ID.sub(b"", data)).hexdigest().upper().encode("ascii")

    def ident(m: re.Match[bytes]) -> bytes:
        out = m.group(0)
        for g in (1, 2):
            old = m.group(g)
            if old:
                new = (digest * (len(old) // len(digest) + 1))[: len(old)]
                out = out.replace(old, new, 1)
        return out

    return _PDF_ID.sub(ident, data)


def print_pdf(html: Path, pdf: Path, *, title: str = "", when: datetime | None = None) -> None:
    """Print an HTML page to an A4 PDF with page numbers, atomically.

    The PDF's dates are ``when`` (see :func:`source_date`), so that the same page gives the
    same bytes.
    """
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
        data = page.pdf(
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template="<div></div>",
            footer_template=footer,
            margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
        )
        page.context.close()
    with atomic_path(pdf) as tmp:
        tmp.write_bytes(deterministic_pdf(data, source_date(when), html.parent))
