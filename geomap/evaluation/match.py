"""The evaluation's matching rule and its diagnosis of what failed (see
``geomap.evaluation.score``)."""

from __future__ import annotations

import re
from typing import Any

from geomap.gazetteer.store import haversine_km

Pair = tuple[dict[str, Any], str]


def _occurrences(text: str, surfaces: list[str], surface: str) -> list[int]:
    pat = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")
    longer = [s for s in surfaces if len(s) > len(surface) and surface in s]
    covered = [
        (m.start(), m.end())
        for s in longer
        for m in re.finditer(r"(?<!\w)" + re.escape(s) + r"(?!\w)", text)
    ]
    return [
        m.start()
        for m in pat.finditer(text)
        if not any(a <= m.start() and m.end() <= b for a, b in covered)
    ]


def sentence_at(text: str, start: int, end: int | None = None) -> str:
    """The sentence (or line) of ``text`` around ``start``..``end``, on one line."""
    end = start if end is None else end
    a = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    b = min(stops) + 1 if stops else len(text)
    return " ".join(text[a:b].split())


def _within(place: dict[str, str], lat: float, lon: float) -> tuple[bool, float]:
    d = haversine_km(float(place["lat"]), float(place["lon"]), lat, lon)
    return d <= float(place["tolerance_km"]), d


def why_not(
    props: dict[str, Any], g: dict[str, str], places: dict[str, dict[str, str]]
) -> list[str]:
    """What keeps an extracted event from matching gold event ``g`` (empty: it matches)."""
    out = []
    if props["type"] not in g["types"].split("|"):
        out.append("type")
    if not _within(places[g["place"]], props["lat"], props["lon"])[0]:
        out.append("place")
    ds, de = props.get("date_start"), props.get("date_end")
    if ds is None or de is None or not (g["date_start"] <= ds and de <= g["date_end"]):
        out.append("date")
    return out


def _matches(
    props: dict[str, Any],
    doc: str,
    g: dict[str, str],
    places: dict[str, dict[str, str]],
    *,
    check_date: bool = True,
) -> bool:
    if g["doc"] != doc:
        return False
    fails = why_not(props, g, places)
    return not fails or (not check_date and fails == ["date"])


def _describe(props: dict[str, Any]) -> str:
    return f"{props['type']} at {props['place_name']} {props['date_start']}..{props['date_end']}"


def _sources_in(props: dict[str, Any], doc: str) -> list[dict[str, Any]]:
    return [s for s in props["sources"] if s["doc"] == doc]


def _evidence_span(text: str, g: dict[str, str]) -> tuple[int, int] | None:
    i = text.find(g["evidence"]) if g["evidence"] else -1
    return (i, i + len(g["evidence"])) if i >= 0 else None


def _from_sentence(props: dict[str, Any], doc: str, span: tuple[int, int] | None) -> bool:
    return span is not None and any(
        s["start"] < span[1] and span[0] < s["end"] for s in _sources_in(props, doc)
    )


def _diagnose_miss(
    g: dict[str, str], pairs: list[Pair], places: dict[str, dict[str, str]], text: str
) -> tuple[str, str]:
    """A class and an explanation for a required gold event nothing matched."""
    span = _evidence_span(text, g)
    same = [(p, d) for p, d in pairs if d == g["doc"]]
    near = [(p, d) for p, d in same if _from_sentence(p, d, span)]
    if not near:
        near_any = min(same, key=lambda pd: len(why_not(pd[0], g, places)), default=None)
        if near_any is None:
            return "no event in the article", ""
        fails = why_not(near_any[0], g, places)
        if len(fails) == 1 and span is not None:
            return f"no event from its sentence (one elsewhere has wrong {fails[0]})", (
                f"closest: {_describe(near_any[0])}"
            )
        return "no event from its sentence", ""
    best = min(near, key=lambda pd: (len(why_not(pd[0], g, places)), pd[0]["id"]))[0]
    fails = why_not(best, g, places)
    d = _within(places[g["place"]], best["lat"], best["lon"])[1]
    return "wrong " + "+".join(fails), f"extracted {_describe(best)} ({d:.0f} km off)"


def _diagnose_spurious(
    props: dict[str, Any],
    doc: str,
    gold: list[dict[str, str]],
    places: dict[str, dict[str, str]],
    texts: dict[str, str],
) -> str:
    text = texts.get(doc, "")
    here = [
        g for g in gold if g["doc"] == doc and _from_sentence(props, doc, _evidence_span(text, g))
    ]
    if not here:
        return "no gold event in its sentence"
    fails = min((why_not(props, g, places) for g in here), key=len)
    return "gold event in its sentence, wrong " + "+".join(fails)
