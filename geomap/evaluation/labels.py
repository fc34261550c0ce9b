"""Cheap checks of an extraction against the FA-KES crowd labels (all dev articles).

For each article the *main event* is the extracted event with the most sources in that article,
then the earliest in its text. The checks:

- governorate: the main event lies in the labelled governorate (``LABEL_GOVERNORATES``);
- toll: some event of the article reports the labelled toll ``nb_civilians + nb_noncivilians``
  (and, separately, either count alone), over the articles whose labelled toll is not zero.
  A label counts the dead of the article's main incident, so an event is compared by the toll
  the article reports for its happening (:func:`reported_tolls`): a toll split over several
  places ("strikes on X and Y killed 44" -> 22 and 22) by its reported total (the sum of its
  group's shares), never by one place's share;
- type: the main event's type is consistent with ``cause_of_death`` (``CAUSE_TYPES``);
- printed date: the date an article prints near its top disagrees with the manifest's
  ``published`` by more than a day (a property of the data, not of the extraction).

The labels are noisy (``../shared/devset/README.md``): read these figures as evidence.
Run: ``python -m geomap.evaluation.labels PRED_DIR --devset ../shared/devset/fakes_dev``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from geomap.evaluation.tables import CAUSE_TYPES, LABEL_GOVERNORATES, ranked
from geomap.gazetteer.store import default_gazetteer_dir

_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_MON = r"(?P<mon>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*)\.?"
#: Printed dates: ISO, "10 July 2016", "July 10 2016", "Jul 262016" (glued), "10.10.2017".
_DATE_PATTERNS = (
    re.compile(r"\b(?P<y>20[01]\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    re.compile(r"\b(?P<d>\d{1,2})\s+" + _MON + r",?\s+(?P<y>20[01]\d)\b", re.I),
    re.compile(r"\b" + _MON + r"\s+(?P<d>\d{1,2}),?\s+(?P<y>20[01]\d)\b", re.I),
    re.compile(r"\b" + _MON + r"\s+(?P<d>\d{1,2})(?P<y>20[01]\d)\b", re.I),
    re.compile(r"\b(?P<d>\d\d)\.(?P<m>\d\d)\.(?P<y>20[01]\d)\b"),
)


def printed_date(text: str, window: int = 300) -> date | None:
    """The first date printed in the first ``window`` characters, if any."""
    head = text[:window]
    found: list[tuple[int, date]] = []
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(head):
            g = m.groupdict()
            month = int(g["m"]) if g.get("m") else _MONTHS.index(g["mon"][:3].lower()) + 1
            try:
                found.append((m.start(), date(int(g["y"]), month, int(g["d"]))))
            except ValueError:
                continue
    return min(found)[1] if found else None


@dataclass
class LabelReport:
    articles: int = 0
    with_events: int = 0
    governorate_right: int = 0
    governorate_share: float = 0.0
    governorate_errors: dict[str, int] = field(default_factory=dict)
    toll_articles: int = 0
    toll_total_right: int = 0
    toll_total_share: float = 0.0
    toll_either_right: int = 0
    toll_either_share: float = 0.0
    type_right: int = 0
    type_share: float = 0.0
    type_any_right: int = 0
    type_any_share: float = 0.0
    dates_printed: int = 0
    dates_disagree: int = 0
    #: doc -> what disagreed
    notes: dict[str, list[str]] = field(default_factory=dict)

    def figures(self) -> dict[str, float]:
        return {
            k: round(float(getattr(self, k)), 4)
            for k in ("governorate_share", "toll_total_share", "toll_either_share", "type_share")
        }

    def table(self, *, articles: bool = False) -> str:
        n = self.articles
        lines = [
            f"articles                                {n} ({self.with_events} with an event)",
            f"main event in the labelled governorate  {self.governorate_share:.3f} "
            f"({self.governorate_right}/{n})",
            f"some event reports the labelled toll    {self.toll_total_share:.3f} "
            f"({self.toll_total_right}/{self.toll_articles})",
            f"  ... or the civilian/other count alone {self.toll_either_share:.3f} "
            f"({self.toll_either_right}/{self.toll_articles})",
            f"main event type fits cause of death     {self.type_share:.3f} "
            f"({self.type_right}/{n})",
            f"  ... some event's type fits            {self.type_any_share:.3f} "
            f"({self.type_any_right}/{n})",
            f"printed date found / off by > 1 day     {self.dates_printed} / {self.dates_disagree}",
        ]
        lines += [f"  governorate: {k} {v}" for k, v in self.governorate_errors.items()]
        if articles:
            for doc in sorted(self.notes):
                lines += [f"  {doc}: {x}" for x in self.notes[doc]]
        return "\n".join(lines)


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _governorates(gazetteer_dir: Path) -> dict[str, str]:
    return {r["id"]: r["governorate"] for r in _read(gazetteer_dir / "places.csv")}


def main_event(features: list[dict[str, Any]], doc: str) -> dict[str, Any] | None:
    """The event with the most sources in ``doc``, then the earliest in its text."""

    def key(f: dict[str, Any]) -> tuple[int, int, str]:
        src = [s for s in f["properties"]["sources"] if s["doc"] == doc]
        return (-len(src), min(s["start"] for s in src), f["properties"]["id"])

    mine = [f for f in features if any(s["doc"] == doc for s in f["properties"]["sources"])]
    return min(mine, key=key)["properties"] if mine else None


def reported_tolls(features: list[dict[str, Any]]) -> set[int]:
    """The tolls an article's events report for their happenings: an event's own toll, or, for
    a share of a toll split over several places, the total the article reported (the sum of
    the group's shares), never the share alone."""
    out: set[int] = set()
    for f in features:
        p = f["properties"]
        total = p.get("fatalities_total")
        toll = total if total is not None else p.get("fatalities")
        if toll is not None:
            out.add(int(toll))
    return out


def check_labels(
    features: list[dict[str, Any]],
    devset: Path,
    *,
    gazetteer_dir: Path | None = None,
) -> LabelReport:
    gov_of = _governorates(gazetteer_dir or default_gazetteer_dir())
    labels = {r["file"].removesuffix(".txt"): r for r in _read(devset / "labels.csv")}
    published = {
        r["file"].removesuffix(".txt"): r["published"] for r in _read(devset / "manifest.csv")
    }
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for f in features:
        for doc in {s["doc"] for s in f["properties"]["sources"]}:
            by_doc.setdefault(doc, []).append(f)
    rep = LabelReport()
    gov_errors: Counter[str] = Counter()

    def note(doc: str, text: str) -> None:
        rep.notes.setdefault(doc, []).append(text)

    for doc in sorted(labels):
        lab = labels[doc]
        rep.articles += 1
        feats = by_doc.get(doc, [])
        rep.with_events += bool(feats)
        main = main_event(feats, doc)
        want = LABEL_GOVERNORATES.get(lab["governorate"], (lab["governorate"].title(),))
        got = gov_of.get(main["place_id"], "") if main else ""
        if main is None:
            gov_errors["no event"] += 1
            note(doc, "no event")
        elif got in want:
            rep.governorate_right += 1
        else:
            cls = "no governorate (country or abroad)" if not got else "another governorate"
            gov_errors[cls] += 1
            note(
                doc,
                f"main event at {main['place_name']} ({got or 'no governorate'}); "
                f"label {lab['governorate']}",
            )
        civ, non = int(lab["nb_civilians"] or 0), int(lab["nb_noncivilians"] or 0)
        tolls = reported_tolls(feats)
        if civ + non > 0:
            rep.toll_articles += 1
            rep.toll_total_right += (civ + non) in tolls
            rep.toll_either_right += bool(({civ + non, civ, non} - {0}) & tolls)
            if (civ + non) not in tolls:
                note(doc, f"label toll {civ}+{non}, events carry {sorted(tolls)}")
        fits = CAUSE_TYPES.get(lab["cause_of_death"], ())
        if main is not None and main["type"] in fits:
            rep.type_right += 1
        elif main is not None:
            note(doc, f"main event {main['type']}; cause {lab['cause_of_death']}")
        rep.type_any_right += any(f["properties"]["type"] in fits for f in feats)
        path = devset / f"{doc}.txt"
        printed = printed_date(path.read_text(encoding="utf-8")) if path.is_file() else None
        if printed is not None:
            rep.dates_printed += 1
            if abs((printed - date.fromisoformat(published[doc])).days) > 1:
                rep.dates_disagree += 1
                note(doc, f"prints {printed}, manifest {published[doc]}")
    n = max(rep.articles, 1)
    rep.governorate_share = rep.governorate_right / n
    rep.type_share = rep.type_right / n
    rep.type_any_share = rep.type_any_right / n
    rep.toll_total_share = rep.toll_total_right / max(rep.toll_articles, 1)
    rep.toll_either_share = rep.toll_either_right / max(rep.toll_articles, 1)
    rep.governorate_errors = ranked(gov_errors)
    return rep


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geomap.evaluation.labels", description=__doc__)
    ap.add_argument("pred_dir", type=Path, help="an extraction of the dev set (events.geojson)")
    ap.add_argument("--devset", type=Path, default=Path("../shared/devset/fakes_dev"))
    ap.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    ap.add_argument("--articles", action="store_true", help="list what disagreed, by article")
    args = ap.parse_args(argv)
    fc = json.loads((args.pred_dir / "events.geojson").read_text(encoding="utf-8"))
    rep = check_labels(fc["features"], args.devset)
    if args.json:
        args.json.write_text(json.dumps(asdict(rep), indent=1, sort_keys=True), encoding="utf-8")
    print(rep.table(articles=args.articles))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
