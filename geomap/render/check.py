"""Check location resolution: every mention, what it resolved to, why, and what failed.

``write_check`` writes ``check.csv`` (one row a mention) and ``check.html``, a review page: the
summary (by status and document), then the mentions to look at first (unresolved, ambiguous,
fallback, low score or small margin over the runner-up), each in its sentence, with the chosen
place, the alternatives and the rule that decided; a small offline map shows the place and its
alternatives; the table sorts and filters in the page. Corrections applied and corrections that
no longer match anything are listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape

from geomap.extraction.places.corrections import NOT_A_PLACE
from geomap.extraction.places.mentions import margin as rival_margin
from geomap.model import Mention
from geomap.output.files import MENTION_COLUMNS, mention_row
from geomap.pipeline.run import ExtractResult
from geomap.render.assets import (
    basemap_geojson,
    json_for_html,
    leaflet_head_html,
    script_safe,
    template_text,
)
from geomap.render.evidence import describe_all, parse
from geomap.writing import atomic_write, csv_text, output_run

#: check.csv: the mentions.csv columns, with the priority first and the sentence's text.
CHECK_COLUMNS = (
    "priority",
    "doc",
    "sentence_index",
    "sentence",
    *(c for c in MENTION_COLUMNS if c not in ("doc", "sentence")),
)
#: Below these a resolved mention is "doubtful" and listed near the top.
LOW_SCORE = 0.7
SMALL_MARGIN = 0.1


@dataclass(frozen=True, slots=True)
class Row:
    priority: int  # 0 unresolved, 1 ambiguous, 2 fallback, 3 doubtful, 4 fine
    mention: Mention
    sentence: str
    margin: float
    sentence_start: int = 0

    @property
    def parts(self) -> tuple[str, str, str]:
        """The sentence split around the mention: before, the mention, after."""
        a = self.mention.start - self.sentence_start
        b = self.mention.end - self.sentence_start
        if 0 <= a <= b <= len(self.sentence):
            return self.sentence[:a], self.sentence[a:b], self.sentence[b:]
        return "", self.mention.surface, ""


def _priority(m: Mention, margin: float) -> int:
    if m.status == "unresolved":
        return 0
    if m.status == "ambiguous":
        return 1
    if m.status == "fallback":
        return 2
    if m.score < LOW_SCORE or margin < SMALL_MARGIN:
        return 3
    return 4


PRIORITY_LABELS = ("unresolved", "ambiguous", "fallback", "doubtful", "ok")


def rows_of(result: ExtractResult) -> list[Row]:
    """One row a mention, with the sentence it is in (from the extraction result: the
    articles are never read again; a mention whose sentence is missing shows its surface)."""
    held = {(doc, s.index): s for doc, sentences in result.sentences for s in sentences}
    rows = []
    for m in result.mentions:
        margin = rival_margin(m)
        s = held.get((m.doc, m.sentence))
        rows.append(
            Row(
                _priority(m, margin),
                m,
                s.text if s else m.surface,
                margin,
                s.start if s else m.start,
            )
        )
    rows.sort(key=lambda r: (r.priority, r.mention.doc, r.mention.start))
    return rows


def _csv(rows: Sequence[Row]) -> str:
    out = []
    for r in rows:
        row = mention_row(r.mention)
        row.update(
            {
                "priority": PRIORITY_LABELS[r.priority],
                "sentence_index": r.mention.sentence,
                "sentence": r.sentence,
                "margin": f"{r.margin:.3f}",
                "runners_up": "|".join(
                    f"{c.place.id} {c.place.name} ({c.place.governorate or c.place.country}) "
                    f"{c.score:.3f}"
                    for c in r.mention.runners_up
                ),
            }
        )
        out.append({k: row[k] for k in CHECK_COLUMNS})
    return csv_text(CHECK_COLUMNS, out)


def _place_record(p: Any) -> list[Any]:
    return [
        p.name,
        p.kind,
        p.governorate or p.country,
        round(p.lat, 5),
        round(p.lon, 5),
        p.precision_km,
    ]


def _names(gaz: Any, rules: Sequence[str]) -> dict[str, str]:
    """Place id -> name for the place ids among ``rules``' arguments the gazetteer knows."""
    if gaz is None or not rules:
        return {}
    out: dict[str, str] = {}
    for rule in rules:
        for value in parse(rule)[1].values():
            if value in gaz:
                out[value] = gaz.get(value).name
    return out


def _page_data(rows: Sequence[Row], gaz: Any = None) -> dict[str, Any]:
    """The page's data, compact: every sentence once, every place once, every reason once.

    ``m`` holds one array a mention: sentence index, start and end in the sentence, surface,
    role, status, score, margin, reason index, place id ("" when none), alternatives
    ([place id, score, reason index]...), priority, the named feature ("" when none), where a
    compositional phrase puts what it locates ("" when none), and the index among the reasons
    of the mention's rules in words (:mod:`geomap.render.evidence`).
    """
    sentences: list[list[str]] = []
    sentence_at: dict[tuple[str, int], int] = {}
    reasons: list[str] = []
    reason_at: dict[str, int] = {}
    places: dict[str, list[Any]] = {}
    shapes: dict[str, Any] = {}

    def reason(text: str) -> int:
        if text not in reason_at:
            reason_at[text] = len(reasons)
            reasons.append(text)
        return reason_at[text]

    def place(p: Any) -> str:
        if p.id not in places:
            places[p.id] = _place_record(p)
            shape = _shape(gaz, p.id)
            if shape is not None:
                shapes[p.id] = shape
        return str(p.id)

    mentions = []
    for r in rows:
        m = r.mention
        key = (m.doc, m.sentence)
        if key not in sentence_at:
            sentence_at[key] = len(sentences)
            sentences.append([m.doc, r.sentence])
        a = m.start - r.sentence_start
        b = m.end - r.sentence_start
        if not 0 <= a <= b <= len(r.sentence):
            a = b = -1
        mentions.append(
            [
                sentence_at[key],
                a,
                b,
                m.surface,
                m.role,
                m.status,
                round(m.score, 3),
                round(r.margin, 3),
                reason(m.reason),
                "" if m.place is None else place(m.place),
                [[place(c.place), round(c.score, 3), reason(c.reason)] for c in m.runners_up],
                r.priority,
                m.feature,
                _located(m),
                reason(describe_all(m.rules, _names(gaz, m.rules))),
            ]
        )
    return {
        "sentences": sentences,
        "reasons": reasons,
        "places": places,
        "shapes": shapes,
        "m": mentions,
    }


def _located(m: Mention) -> str:
    """Where a compositional phrase puts what the mention locates, in words ("" when none)."""
    if m.located is None:
        return ""
    return f"{m.located.lat:.4f}, {m.located.lon:.4f} \u00b1{m.located.precision_km:g} km"


def _shape(gaz: Any, place_id: str) -> Any:
    """The outline of a place (neighbourhoods, governorates) as GeoJSON, coordinates rounded."""
    if gaz is None:
        return None
    try:
        geom = gaz.shape(place_id)
    except Exception:  # no outline beats no page
        return None
    if geom is None:
        return None
    from shapely.geometry import mapping

    geom = geom.simplify(0.0005, preserve_topology=True)
    return _round_coords(mapping(geom))


def _round_coords(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, 4)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _round_coords(v) for k, v in obj.items()}
    return obj


def gazetteer_index(gaz: Any) -> list[list[str]]:
    """The search index of "this is place X": id, name, kind, where, other names ("|")."""
    if gaz is None:
        return []
    out = []
    for p in sorted(gaz.places, key=lambda p: p.id):
        others = sorted({n for n in gaz.names_of(p.id) if n.casefold() != p.name.casefold()})
        out.append([p.id, p.name, p.kind, p.governorate or p.country, "|".join(others)])
    return out


def _corrections(result: ExtractResult) -> list[list[str]]:
    """The corrections of the run, to start the page's corrections.csv with."""
    seen = [*result.corrections_used, *result.corrections_unused]
    rows = sorted(seen, key=lambda c: (getattr(c, "line", 0), c.doc, c.surface))
    return [[c.doc, c.surface, c.place_id, getattr(c, "note", "")] for c in rows]


def _load_gazetteer(gazetteer_dir: Path | None) -> Any:
    from geomap.gazetteer.store import Gazetteer

    try:
        return Gazetteer.load(gazetteer_dir)
    except Exception as exc:  # the page without the search beats no page
        import logging

        logging.getLogger(__name__).warning("check page without the gazetteer search: %s", exc)
        return None


#: Mentions listed in the page's source for a reader without JavaScript.
NOSCRIPT_ROWS = 100


def _write_check(
    result: ExtractResult,
    out_dir: Path,
    *,
    gazetteer_dir: Path | None = None,
    gazetteer: Any = None,
) -> list[Path]:
    """check.csv and check.html for an extraction; returns the files written."""
    gaz = gazetteer if gazetteer is not None else _load_gazetteer(gazetteer_dir)
    rows = rows_of(result)
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = out_dir / "check.csv", out_dir / "check.html"
    atomic_write(csv_path, _csv(rows))
    status = Counter(m.status for m in result.mentions)
    by_doc: dict[str, Counter[str]] = {}
    for m in result.mentions:
        by_doc.setdefault(m.doc, Counter())[m.status] += 1
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    published = {d.id: d.published for d in result.documents}
    page = env.from_string(template_text("check.html.j2")).render(
        statuses=("resolved", "fallback", "ambiguous", "unresolved"),
        status=status,
        by_doc=sorted(by_doc.items()),
        doc_dates={doc: date_label(result, doc, published.get(doc)) for doc in by_doc},
        total=len(result.mentions),
        priorities=Counter(PRIORITY_LABELS[r.priority] for r in rows),
        rows=rows[:NOSCRIPT_ROWS],
        labels=PRIORITY_LABELS,
        corrections_used=result.corrections_used,
        corrections_unused=result.corrections_unused,
        not_a_place=NOT_A_PLACE,
        problems=result.problems,
        leaflet=leaflet_head_html(),
        script=script_safe(template_text("check.js")),
        data_json=json_for_html(_page_data(rows, gaz)),
        index_json=json_for_html(gazetteer_index(gaz)),
        corrections_json=json_for_html(_corrections(result)),
        basemap_json=json_for_html(basemap_geojson()),
    )
    atomic_write(html_path, page)
    return [csv_path, html_path]


def date_label(result: ExtractResult, doc: str, manifest: date | None) -> tuple[str, bool]:
    """The date a document's relative dates were read against, and whether the printed date
    disagrees with the manifest's (geomap.extraction.structure.effective_published)."""
    printed, used, basis = result.dates.get(doc, (None, manifest, "manifest"))
    if used is None:
        return "no date", True
    if basis == "printed-disagrees":
        return f"{used} printed; manifest {manifest}", True
    if basis == "printed":
        return f"{used} printed", False
    return f"{used} manifest", False


def summary(result: ExtractResult) -> str:
    status = Counter(m.status for m in result.mentions)
    lines = [
        f"{len(result.mentions)} mentions in {len(result.documents)} documents: "
        + ", ".join(f"{status[s]} {s}" for s in ("resolved", "fallback", "ambiguous", "unresolved"))
    ]
    for m in result.mentions:
        if m.status in ("unresolved", "ambiguous", "fallback"):
            where = m.place.name if m.place else "-"
            lines.append(f"  {m.status:<10} {m.doc}:{m.start} {m.surface!r} -> {where}: {m.reason}")
    if result.corrections_used:
        lines.append(f"{len(result.corrections_used)} corrections applied")
    for c in result.corrections_unused:
        lines.append(
            f"warning: correction {c.doc!r} {c.surface!r} -> {c.place_id} "
            f"({Path(c.path).name}:{c.line}) matched no mention"
        )
    return "\n".join(lines)


def write_check(
    result: ExtractResult,
    out_dir: Path,
    *,
    gazetteer_dir: Path | None = None,
    gazetteer: Any = None,
) -> list[Path]:
    """See :func:`_write_check`; the files are written as one :func:`geomap.output.files.output_run`
    (temporary files of a killed run removed first, stale files of the last run after).

    ``gazetteer`` (or ``gazetteer_dir``, default the bundled one) gives the page its search
    for "this is place X" and the outlines of the places on the small map.
    """
    with output_run(out_dir, "check"):
        return _write_check(result, out_dir, gazetteer_dir=gazetteer_dir, gazetteer=gazetteer)
