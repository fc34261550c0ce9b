"""Offline web assets: pinned Leaflet and a Natural Earth basemap, shipped as package data.

The files in ``geomap/render/assets/`` are made by ``scripts/vendor_assets.py`` from the npm
packages
leaflet@1.9.4 and world-atlas@2.0.2 and committed; nothing is fetched at run time.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

LEAFLET_VERSION = "1.9.4"


@cache
def asset_text(name: str) -> str:
    return resources.files("geomap.render").joinpath("assets", name).read_text(encoding="utf-8")


@cache
def template_text(name: str) -> str:
    return resources.files("geomap.render").joinpath("templates", name).read_text(encoding="utf-8")


def script_safe(text: str) -> str:
    """Text that cannot end a <script> or <style> element early."""
    return text.replace("</", "<\\/")


def leaflet_head_html() -> str:
    """Inline <style> and <script> tags for Leaflet, so a page shows a map with no network."""
    return (
        f"<style>{script_safe(asset_text('leaflet.css'))}</style>\n"
        f"<script>{script_safe(asset_text('leaflet.js'))}</script>\n"
    )


@cache
def basemap_geojson() -> dict[str, Any]:
    """Countries of the region (Natural Earth 1:50m, public domain, via world-atlas)."""
    data: dict[str, Any] = json.loads(asset_text("basemap_countries.geojson"))
    return data


def json_for_html(obj: Any) -> str:
    """JSON that is safe inside an HTML <script type="application/json"> element."""
    text = json.dumps(
        obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
