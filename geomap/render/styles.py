"""How each event type is drawn: one copy, used by the figures (matplotlib) and, through the
map's data, by the events layer's JavaScript (``templates/events_layer.js``)."""

from __future__ import annotations

from dataclasses import dataclass

from geomap.model import EVENT_TYPES


@dataclass(frozen=True, slots=True)
class TypeStyle:
    color: str  # CSS colour, also matplotlib's
    shape: str  # the map symbol: circle, triangle, diamond, square, hexagon
    label: str  # the map legend's words
    short: str  # a figure's legend, a popup's type
    one: str  # the report's words for one event of the type ...
    many: str  # ... and for several

    def as_json(self) -> dict[str, str]:
        return {"color": self.color, "shape": self.shape, "label": self.label, "short": self.short}


TYPE_STYLES: dict[str, TypeStyle] = {
    "battle": TypeStyle("#d62728", "circle", "Battle", "Battle", "battle", "battles"),
    "remote_violence": TypeStyle(
        "#ff7f0e",
        "triangle",
        "Remote violence (shelling, air strikes, explosions)",
        "Remote violence",
        "attack from afar (shelling, air strike, bomb)",
        "attacks from afar (shelling, air strikes, bombs)",
    ),
    "violence_against_civilians": TypeStyle(
        "#7b2d8e",
        "diamond",
        "Violence against civilians",
        "Violence against civilians",
        "act of violence against civilians",
        "acts of violence against civilians",
    ),
    "protest": TypeStyle("#1f77b4", "square", "Protest", "Protest", "protest", "protests"),
    "strategic": TypeStyle(
        "#2ca02c",
        "hexagon",
        "Strategic development",
        "Strategic development",
        "strategic development",
        "strategic developments",
    ),
}

assert set(TYPE_STYLES) == set(EVENT_TYPES)


def styles_json() -> dict[str, dict[str, str]]:
    """The styles as the map's data carries them, in EVENT_TYPES order."""
    return {t: TYPE_STYLES[t].as_json() for t in EVENT_TYPES}


def type_label(event_type: str) -> str:
    """A type's short words; an unknown type (from a hand-made file) as it is."""
    style = TYPE_STYLES.get(event_type)
    return style.short if style else event_type
