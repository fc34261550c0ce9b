"""Static figures of the situation report (matplotlib): events and fatalities on a time axis, and a
choropleth of Aleppo and Damascus neighbourhoods by number of events.

Figures are written as SVG (inline in the HTML) and PNG (Markdown, PDF) with fixed metadata, so
the same events give the same bytes.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import matplotlib as mpl
import matplotlib.dates as mdates
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from geomap.model import EVENT_TYPES
from geomap.render.styles import TYPE_STYLES

#: The style of every figure, applied while it is drawn and saved (never set globally: the
#: figures use no pyplot and leave matplotlib's global state as they found it).
STYLE: dict[Any, Any] = {"svg.hashsalt": "geomap", "svg.fonttype": "none", "font.size": 9}


def _save(fig: Any) -> tuple[str, bytes]:
    svg = io.StringIO()
    fig.savefig(
        svg, format="svg", metadata={"Date": None, "Creator": "geomap"}, bbox_inches="tight"
    )
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=130, metadata={"Software": "geomap"}, bbox_inches="tight")
    text = svg.getvalue()
    return text[text.index("<svg") :], png.getvalue()


def _bin(day: date, span_days: int) -> tuple[date, int]:
    """The start and width (days) of the bar a day falls in: a day, a week or a month."""
    if span_days <= 90:
        return day, 1
    if span_days <= 730:
        start = day - timedelta(days=day.weekday())
        return start, 7
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, (following - start).days


def timeline(features: Sequence[dict[str, Any]]) -> tuple[str, bytes]:
    """Stacked bars of events by type on a real time axis (a bar a day up to 90 days, a week up
    to two years, a month beyond), the reported fatalities (shares of tolls) as a line."""
    with mpl.rc_context(STYLE):
        return _timeline(features)


def _timeline(features: Sequence[dict[str, Any]]) -> tuple[str, bytes]:
    dated = [
        (date.fromisoformat(f["properties"]["date_end"]), f)
        for f in features
        if f["properties"].get("date_end")
    ]
    fig = Figure(figsize=(8.0, 3.0))
    ax = fig.subplots()
    if not dated:
        ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return _save(fig)
    first = min(d for d, _ in dated)
    last = max(d for d, _ in dated)
    span = (last - first).days + 1
    counts = {t: Counter() for t in EVENT_TYPES}  # type: dict[str, Counter[date]]
    deaths: Counter[date] = Counter()
    width = 1
    for day, f in dated:
        start, width = _bin(day, span)
        counts[f["properties"]["type"]][start] += 1
        deaths[start] += f["properties"].get("fatalities") or 0
    bins = sorted({b for c in counts.values() for b in c})
    bottom = dict.fromkeys(bins, 0)
    for t in EVENT_TYPES:
        if not counts[t]:
            continue
        xs = sorted(counts[t])
        widths = [_bin(x, span)[1] * 0.85 for x in xs]
        ax.bar(
            [float(mdates.date2num(x)) for x in xs],
            [counts[t][x] for x in xs],
            bottom=[bottom[x] for x in xs],
            width=widths,
            align="edge",
            color=TYPE_STYLES[t].color,
            label=TYPE_STYLES[t].short,
        )
        for x in xs:
            bottom[x] += counts[t][x]
    unit = {1: "day", 7: "week"}.get(width, "month")
    ax.set_ylabel(f"events a {unit}")
    pad = timedelta(days=max(1, span // 40))
    end = last + timedelta(days=_bin(last, span)[1]) + pad
    ax.set_xlim(float(mdates.date2num(first - pad)), float(mdates.date2num(end)))
    ax.xaxis_date()
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.spines[["top", "right"]].set_visible(False)
    if any(deaths.values()):
        ax2 = ax.twinx()
        xs = sorted(deaths)
        ax2.plot(
            [float(mdates.date2num(x)) + _bin(x, span)[1] / 2 for x in xs],
            [deaths[x] for x in xs],
            color="#222",
            marker="o",
            markersize=3,
            linewidth=0 if len(xs) > 1 and span > 3 * len(xs) else 1.2,
            label="reported fatalities",
        )
        ax2.set_ylabel(f"fatalities a {unit}")
        ax2.spines[["top"]].set_visible(False)
        lines, labels = ax.get_legend_handles_labels()
        l2, lb2 = ax2.get_legend_handles_labels()
        ax.legend(lines + l2, labels + lb2, fontsize=7, loc="upper left", frameon=False)
    else:
        ax.legend(fontsize=7, loc="upper left", frameon=False)
    return _save(fig)


def choropleth(cities: Sequence[tuple[str, Any]]) -> tuple[str, bytes]:
    """One panel a city: its neighbourhoods shaded by number of events.

    ``cities`` is a sequence of (city name, GeoDataFrame with a ``count`` column).
    """
    with mpl.rc_context(STYLE):
        return _choropleth(cities)


def _choropleth(cities: Sequence[tuple[str, Any]]) -> tuple[str, bytes]:
    n = max(len(cities), 1)
    fig = Figure(figsize=(4.2 * n, 4.0))
    axes = fig.subplots(1, n)
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
    sm = ScalarMappable(cmap="OrRd", norm=Normalize(vmin=0, vmax=vmax))
    fig.colorbar(sm, ax=axes_list, shrink=0.7, label="events in the neighbourhood")
    return _save(fig)
