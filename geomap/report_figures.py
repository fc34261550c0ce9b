"""Static figures of the situation report (matplotlib): events and fatalities per day, and a
choropleth of Aleppo and Damascus neighbourhoods by number of events.

Figures are written as SVG (inline in the HTML) and PNG (Markdown, PDF) with fixed metadata, so
the same events give the same bytes.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from geomap.model import EVENT_TYPES  # noqa: E402

TYPE_COLORS = {
    "battle": "#d62728",
    "remote_violence": "#ff7f0e",
    "violence_against_civilians": "#7b2d8e",
    "protest": "#1f77b4",
    "strategic": "#2ca02c",
}
TYPE_LABELS = {
    "battle": "Battle",
    "remote_violence": "Remote violence",
    "violence_against_civilians": "Violence against civilians",
    "protest": "Protest",
    "strategic": "Strategic development",
}

plt.rcParams["svg.hashsalt"] = "geomap"
plt.rcParams["svg.fonttype"] = "none"
plt.rcParams["font.size"] = 9


def _save(fig: Any) -> tuple[str, bytes]:
    svg = io.StringIO()
    fig.savefig(
        svg, format="svg", metadata={"Date": None, "Creator": "geomap"}, bbox_inches="tight"
    )
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=130, metadata={"Software": "geomap"}, bbox_inches="tight")
    plt.close(fig)
    text = svg.getvalue()
    return text[text.index("<svg") :], png.getvalue()


def timeline(features: Sequence[dict[str, Any]], days: Sequence[str]) -> tuple[str, bytes]:
    """Stacked bars of events per day by type, reported fatalities as a line."""
    fig, ax = plt.subplots(figsize=(8.0, 3.0))
    counts = {t: Counter() for t in EVENT_TYPES}  # type: dict[str, Counter[str]]
    deaths: Counter[str] = Counter()
    for f in features:
        p = f["properties"]
        day = p.get("date_end") or "undated"
        counts[p["type"]][day] += 1
        deaths[day] += p.get("fatalities") or 0
    x = list(range(len(days)))
    bottom = [0] * len(days)
    for t in EVENT_TYPES:
        values = [counts[t][d] for d in days]
        if any(values):
            ax.bar(x, values, bottom=bottom, color=TYPE_COLORS[t], label=TYPE_LABELS[t], width=0.7)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("events")
    ax.set_xticks(x, days, rotation=45, ha="right")
    ax.spines[["top", "right"]].set_visible(False)
    if any(deaths.values()):
        ax2 = ax.twinx()
        ax2.plot(
            x,
            [deaths[d] for d in days],
            color="#222",
            marker="o",
            linewidth=1.2,
            label="reported fatalities",
        )
        ax2.set_ylabel("reported fatalities")
        ax2.spines[["top"]].set_visible(False)
        lines, labels = ax.get_legend_handles_labels()
        l2, lb2 = ax2.get_legend_handles_labels()
        ax.legend(lines + l2, labels + lb2, fontsize=7, loc="upper left", frameon=False)
    elif any(bottom):
        ax.legend(fontsize=7, loc="upper left", frameon=False)
    return _save(fig)


def choropleth(cities: Sequence[tuple[str, Any]]) -> tuple[str, bytes]:
    """One panel a city: its neighbourhoods shaded by number of events.

    ``cities`` is a sequence of (city name, GeoDataFrame with a ``count`` column).
    """
    n = max(len(cities), 1)
    fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 4.0))
    axes_list = list(axes) if n > 1 else [axes]
    vmax = max([int(g["count"].max()) for _, g in cities if len(g)] + [1])
    for ax, (name, frame) in zip(axes_list, cities, strict=False):
        frame.plot(
            column="count",
            ax=ax,
            cmap="OrRd",
            vmin=0,
            vmax=vmax,
            edgecolor="#777",
            linewidth=0.3,
            legend=False,
        )
        ax.set_title(name)
        ax.set_axis_off()
    sm = plt.cm.ScalarMappable(cmap="OrRd", norm=plt.Normalize(vmin=0, vmax=vmax))
    fig.colorbar(sm, ax=axes_list, shrink=0.7, label="events in the neighbourhood")
    return _save(fig)
