"""Make geomap/render/assets/ from pinned npm packages (run by a developer, output committed).

    mkdir -p /tmp/npm && cd /tmp/npm && npm pack leaflet@1.9.4 world-atlas@2.0.2
    for f in *.tgz; do tar xzf "$f" && mv package "${f%.tgz}"; done
    python scripts/vendor_assets.py /tmp/npm

Writes leaflet.js, leaflet.css (its images inlined as data: URIs) and their licence, and
basemap_countries.geojson: Natural Earth 1:50m countries (public domain, via world-atlas)
clipped to the region around Syria and simplified. Maps inline these files, so a map works
with no network and no npm at run time.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import sys
from pathlib import Path

REGION = (24.0, 27.0, 52.0, 43.0)  # lon_min, lat_min, lon_max, lat_max
ASSETS = Path(__file__).resolve().parent.parent / "geomap" / "render" / "assets"


def main(npm_dir: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import box

    leaflet = npm_dir / "leaflet-1.9.4"
    shutil.copyfile(leaflet / "dist" / "leaflet.js", ASSETS / "leaflet.js")
    shutil.copyfile(leaflet / "LICENSE", ASSETS / "LICENSE-leaflet.txt")
    css = (leaflet / "dist" / "leaflet.css").read_text(encoding="utf-8")

    def inline(m: re.Match[str]) -> str:
        data = (leaflet / "dist" / m.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode()})"

    css = re.sub(r"url\((images/[\w-]+\.png)\)", inline, css)
    (ASSETS / "leaflet.css").write_text(css, encoding="utf-8")

    atlas = npm_dir / "world-atlas-2.0.2"
    shutil.copyfile(atlas / "LICENSE", ASSETS / "LICENSE-world-atlas.txt")
    world = gpd.read_file(atlas / "countries-50m.json", layer="countries")
    region = world[world.intersects(box(*REGION))].copy()
    region["geometry"] = region.geometry.intersection(box(*REGION)).simplify(0.02)
    features = []
    for _, row in region.sort_values("name").iterrows():
        geom = row.geometry.__geo_interface__
        features.append({"type": "Feature", "properties": {"name": row["name"]},
                         "geometry": json.loads(json.dumps(geom), parse_float=lambda x:
                                                round(float(x), 3))})
    out = {"type": "FeatureCollection", "features": features}
    (ASSETS / "basemap_countries.geojson").write_text(
        json.dumps(out, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {ASSETS}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
