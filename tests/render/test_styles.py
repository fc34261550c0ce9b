"""One copy of each event type's style (geomap/render/styles.py): the figures, the report and the
map's JavaScript all take it from there."""

from __future__ import annotations

import re

from geomap.model import EVENT_TYPES
from geomap.render.assets import template_text
from geomap.render.styles import TYPE_STYLES, styles_json, type_label


def test_every_type_has_a_style_with_distinct_colours_and_shapes() -> None:
    assert list(styles_json()) == list(EVENT_TYPES)
    assert len({s.color for s in TYPE_STYLES.values()}) == len(EVENT_TYPES)
    assert len({s.shape for s in TYPE_STYLES.values()}) == len(EVENT_TYPES)
    for style in TYPE_STYLES.values():
        assert re.fullmatch(r"#[0-9a-f]{6}", style.color)
        assert style.one and style.many and style.one != style.many


def test_the_map_script_has_no_copy_of_the_styles() -> None:
    js = template_text("events_layer.js")
    assert "data.styles" in js
    for style in TYPE_STYLES.values():
        assert style.color not in js
        assert style.label not in js


def test_an_unknown_type_is_shown_as_it_is() -> None:
    assert type_label("battle") == "Battle"
    assert type_label("riot") == "riot"
