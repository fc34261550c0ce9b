"""When an event happened: the date a sentence's clause gives, else the news day the lede
sets, else the default window of a news report (the day before and the day of publication).

The time expressions themselves are found and resolved by :mod:`geomap.dates`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from geomap.dates import default_window
from geomap.model import Document, TimeExpr

#: A date interval and its precision; the dates are None when unknown.
DateSpan = tuple["date | None", "date | None", str]

_CLAUSE_EDGE = re.compile(
    r";|,\s*(?:where|when|which|while|after|as|but|and then)\b|"
    r"\bbut\b|\bafter\b",
    re.I,
)


def is_headline(text: str, s0: int, s1: int) -> bool:
    """A headline or caption: a line of its own without a full stop (it repeats the body)."""
    sentence = text[s0:s1].rstrip()
    own_line = (s0 == 0 or text[s0 - 1] == "\n") and (s1 >= len(text) or text[s1] == "\n")
    return own_line and re.search(r"[.!?][\"'\u201d\u2019)]*(?:\s|$)", sentence) is None


def lead_date(
    doc: Document, sentences: list[tuple[int, int]], times: Sequence[TimeExpr]
) -> DateSpan | None:
    """The news day the lede sets ("... battles in Aleppo on Friday"), if it sets one.

    The lede is the first full sentence of the body (headlines have no full stop). Its date,
    when it is a day or a few days within three days of publication, is the default date of the
    article's undated sentences: wire reports describe the news day unless they say otherwise.
    """
    if doc.published is None:
        return None
    for s0, s1 in sentences[:6]:
        sentence = doc.text[s0:s1]
        if not sentence.rstrip().endswith((".", '"', "\u201d")) or len(sentence.split()) < 10:
            continue
        for t in times:
            if (
                s0 <= t.start < s1
                and t.date_start
                and t.date_end
                and t.precision in ("day", "days")
                and 0 <= (doc.published - t.date_end).days <= 3
            ):
                return t.date_start, t.date_end, t.precision
        return None
    return None


def _same_clause(text: str, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return _CLAUSE_EDGE.search(text, lo, hi) is None


def date_for(
    times: Sequence[TimeExpr], anchor: int, doc: Document, lead: DateSpan | None
) -> DateSpan:
    """The date of the clause the trigger is in; other clauses' dates are not this event's."""
    here = [t for t in times if _same_clause(doc.text, t.start, anchor)]
    if here:
        t = min(here, key=lambda t: (abs(t.start - anchor), t.start))
        return t.date_start, t.date_end, t.precision
    if doc.published is None:
        return None, None, "unknown"
    if lead is not None:
        return lead
    start, end = default_window(doc.published)
    return start, end, "days"
