"""When an event happened: the date a sentence's clause gives, else the news day the lede
sets, else the default window of a news report (the day before and the day of publication).

Two refinements, each a rule with an id (``RULES``):

- ``report-day``: a weekday that dates a report ("the monitor said on Saturday", "told reporters
  Sunday", "SANA reported on Tuesday") gives way to a date of the happening itself in the same
  clause ("destroyed over the weekend ... the charity said on Monday"); alone, it dates the event
  (the dev gold codes the report's day, or an interval holding it).
- ``running-day``: in an article whose lede sets no news day, a sentence with no date of its own
  continues the day of the nearest sentence before it that gives one ("Army units on Wednesday
  launched operations across the country. In Daraa units destroyed ...") when that day lies in
  the default window, so it only narrows the window, never moves an event out of it.

The time expressions themselves are found and resolved by :mod:`geomap.extraction.events.dates`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from geomap.extraction.events.dates import default_window
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


RULES = {
    "report-day": "a weekday after a speech verb dates the report: a date of the happening in "
    "the same clause wins over it",
    "running-day": "without a lede day, an undated sentence continues the day of the nearest "
    "dated sentence before it, when that day lies in the default window",
}

#: A speech or report verb right before a time expression ("said on", "told reporters").
_REPORT_BEFORE = re.compile(
    r"\b(?i:said|says|told(?:\s+[\w-]+){0,3}?|reported|announced|added|stated|confirmed|"
    r"claimed|declared|quoted)\s+(?i:(?:late|early)\s+)?(?i:on\s+)?$"
)


#: What a report says of the present or the future is said on the day it is said ("announced
#: on Sunday they are launching an assault"): that day is the statement's own.
_STATEMENT_AFTER = re.compile(
    r"\s*(?:that\s+)?(?:[\w-]+\s+){0,4}?(?i:(?:is|are|was|were)\s+\w+ing|will|would|is|are)\b"
)


def is_report_date(text: str, t: TimeExpr) -> bool:
    """Whether ``t`` is a weekday dating a report ("the monitor said on Saturday") of a
    happening before it."""
    return (
        t.rule == "weekday"
        and _REPORT_BEFORE.search(text, max(0, t.start - 40), t.start) is not None
        and _STATEMENT_AFTER.match(text, t.end) is None
    )


@dataclass(frozen=True, slots=True)
class NewsDays:
    """The lede's news day and the day each dated sentence sets, for the sentences after it.

    ``days`` holds (sentence start, sentence end, day) in text order, for every sentence of the
    body whose own date (not a report date) is one day in the default window.
    """

    lede: DateSpan | None
    days: tuple[tuple[int, int, DateSpan], ...] = ()

    def before(self, offset: int) -> DateSpan | None:
        """The lede's day; without one, the day the nearest earlier sentence set
        (``running-day``): a lede's day stays the news day of the sentences that follow a
        sub-event dated the day before ("troops who took the camp on Thursday")."""
        if self.lede is not None:
            return self.lede
        carried = [d for s0, s1, d in self.days if s1 <= offset]
        return carried[-1] if carried else None


def _running_days(
    doc: Document, sentences: list[tuple[int, int]], times: Sequence[TimeExpr]
) -> tuple[tuple[int, int, DateSpan], ...]:
    if doc.published is None:
        return ()
    lo, hi = default_window(doc.published)
    out: list[tuple[int, int, DateSpan]] = []
    # the times in text order (a stable sort keeps the order of those at one offset), found
    # for each sentence by bisection: a document's work stays near-linear in its length
    ordered = sorted(times, key=lambda t: t.start)
    starts = [t.start for t in ordered]
    for s0, s1 in sentences:
        own = ordered[bisect.bisect_left(starts, s0) : bisect.bisect_left(starts, s1)]
        if not own or is_headline(doc.text, s0, s1):
            continue
        t = own[-1]
        if t.date_start and t.date_end and t.date_start == t.date_end and lo <= t.date_start <= hi:
            out.append((s0, s1, (t.date_start, t.date_end, "day")))
        else:
            out.append((s0, s1, (None, None, "")))  # a dated sentence ends the running day
    return tuple((a, b, d) for a, b, d in out if d[0] is not None)


def lead_date(
    doc: Document, sentences: list[tuple[int, int]], times: Sequence[TimeExpr]
) -> DateSpan | NewsDays | None:
    """The news days of the article: the lede's (:func:`lede_date`) and those dated sentences
    set for the undated ones after them (``running-day``); None without a publication date."""
    if doc.published is None:
        return None
    return NewsDays(lede_date(doc, sentences, times), _running_days(doc, sentences, times))


def lede_date(
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
    times: Sequence[TimeExpr],
    anchor: int,
    doc: Document,
    lead: DateSpan | NewsDays | None,
    *,
    parsed: bool = False,
) -> DateSpan:
    """The date of the clause the trigger is in; other clauses' dates are not this event's.
    ``parsed``: ``times`` are already those of the trigger's clause by the parse (no test of
    the words between)."""
    here = [t for t in times if parsed or _same_clause(doc.text, t.start, anchor)]
    own = [t for t in here if not is_report_date(doc.text, t)]
    if own:
        t = min(own, key=lambda t: (abs(t.start - anchor), t.start))
        return t.date_start, t.date_end, t.precision
    if here:  # only the day of a report ("report-day")
        t = min(here, key=lambda t: (abs(t.start - anchor), t.start))
        return t.date_start, t.date_end, t.precision
    if doc.published is None:
        return None, None, "unknown"
    if isinstance(lead, NewsDays):
        # a sentence with dates in other clauses only is not continuing an earlier day
        lead = lead.lede if times else lead.before(anchor)
    if lead is not None:
        return lead
    start, end = default_window(doc.published)
    return start, end, "days"
