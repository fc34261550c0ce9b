"""Temporal expressions in news text, resolved against the publication date.

A small grammar of the forms conflict reporting uses, each rule a compiled regex and a
resolver; longest match wins. Precision codes follow UCDP's date precision: "day", "days" (a
few days), "week", "month", "year", and "unknown" when a relative expression has no
publication date to resolve against (never guessed).

Conventions (documented in docs/DATES.md):

- a weekday is the most recent such day on or before publication; the publication weekday
  itself means the publication day ("into Thursday" in a Thursday article); "last Friday" is
  the most recent Friday before publication; "next Monday" the first one after it;
- "overnight", "during the night", "last night" cover the night before publication:
  (published - 1, published), "days";
- a day and month without a year take the year that puts them on or before publication (up to
  a week later is allowed, for announced events);
- "this week" runs from the Monday of the publication week to publication, "last week" is the
  calendar week before, "this month"/"last month" and "this year"/"last year" likewise;
- "since 19 September" / "since Monday" run from that day to publication.

dateparser 1.5 was measured on the same cases and left out (see docs/DATES.md): it put a
weekday a week early, read "19-20 July" as the year 1920, missed "overnight" and "since ...".
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from geomap.extraction.lexicon import UNITS
from geomap.extraction.spans import longest_first
from geomap.model import TimeExpr

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|"
    r"Nov\.?|Dec\.?)"
)
_MONTH2 = _MONTH.replace("?P<month>", "?P<month2>")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY2 = r"(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DASH = r"\s*(?:-|\u2013|\u2014|to|and|through|until)\s*"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_POSS = r"(?:['\u2019]s|s(?=\s))?"

Resolver = Callable[[re.Match[str], date | None], tuple[date, date, str] | None]


def _month(m: re.Match[str], group: str = "month") -> int:
    return MONTHS[m.group(group).lower().rstrip(".")]


def _year_for(month: int, day: int, published: date | None, year: str | None) -> int | None:
    if year:
        return int(year)
    if published is None:
        return None
    y = published.year
    try:
        if date(y, month, day) > published + timedelta(days=7):
            y -= 1
    except ValueError:
        return None
    return y


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def span_precision(start: date, end: date) -> str:
    n = (end - start).days + 1
    if n <= 1:
        return "day"
    if n <= 6:
        return "days"
    if n <= 13:
        return "week"
    if n <= 62:
        return "month"
    return "year"


def _day_month(m: re.Match[str], pub: date | None) -> tuple[date, date, str] | None:
    month, day = _month(m), int(m.group("day"))
    y = _year_for(month, day, pub, m.group("year"))
    if y is None:
        return None
    d = _safe(y, month, day)
    return (d, d, "day") if d else None


def _range(m: re.Match[str], pub: date | None) -> tuple[date, date, str] | None:
    month = _month(m)
    month1 = _month(m, "month2") if m.groupdict().get("month2") else month
    d1, d2 = int(m.group("day")), int(m.group("day2"))
    y = _year_for(month, d2, pub, m.group("year"))
    if y is None:
        return None
    start, end = _safe(y, month1, d1), _safe(y, month, d2)
    if start is None or end is None or end < start:
        return None
    return start, end, span_precision(start, end)


def _month_only(m: re.Match[str], pub: date | None) -> tuple[date, date, str] | None:
    month = _month(m)
    if m.group("year"):
        y = int(m.group("year"))
    elif pub is None:
        return None
    else:
        y = pub.year if month <= pub.month else pub.year - 1
    last = date(y, month, calendar.monthrange(y, month)[1])
    if pub is not None and date(y, month, 1) <= pub < last:
        last = pub  # the month of publication: up to the report, not past it
    return date(y, month, 1), last, "month"


#: "early/mid/late July", "the end of July": (first day, last day or None for the month's last)
MONTH_PARTS: dict[str, tuple[int, int | None]] = {
    "early": (1, 10),
    "beginning": (1, 10),
    "start": (1, 10),
    "mid": (11, 20),
    "middle": (11, 20),
    "late": (21, None),
    "end": (21, None),
}


def _month_part(m: re.Match[str], pub: date | None) -> tuple[date, date, str] | None:
    whole = _month_only(m, pub)
    if whole is None:
        return None
    first = whole[0]
    last = date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
    a, b = MONTH_PARTS[m.group("part").lower()]
    start, end = first.replace(day=a), last if b is None else first.replace(day=b)
    if pub is not None and start <= pub < end:
        end = pub
    if m.group(0).lower().startswith("since") and pub is not None and start <= pub:
        end = pub  # "since the end of May": from then to publication
    return start, end, span_precision(start, end)


def _weekend(m: re.Match[str], pub: date | None) -> tuple[date, date, str] | None:
    """The Saturday and Sunday of the last weekend that began before publication (a Sunday
    article's weekend is its own)."""
    if pub is None:
        return None
    saturday = pub - timedelta(days=(pub.weekday() - 5) % 7 or 7)
    if pub.weekday() == 6:
        saturday = pub - timedelta(days=1)
    return saturday, min(saturday + timedelta(days=1), pub), "days"


def _year_only(m: re.Match[str], pub: date | None) -> tuple[date, date, str] | None:
    y = int(m.group("year"))
    return date(y, 1, 1), date(y, 12, 31), "year"


def _weekday_date(name: str, pub: date, mode: str) -> date:
    target = WEEKDAYS[name.lower()]
    back = (pub.weekday() - target) % 7
    if mode == "last" and back == 0:
        back = 7
    if mode == "next":
        ahead = (target - pub.weekday()) % 7 or 7
        return pub + timedelta(days=ahead)
    return pub - timedelta(days=back)


def _weekday(m: re.Match[str], pub: date | None) -> tuple[date, date, str] | None:
    if pub is None:
        return None
    mode = (m.group("mode") or "").lower().strip()
    d = _weekday_date(m.group("weekday"), pub, mode)
    if mode == "since":
        return d, pub, span_precision(d, pub)
    return d, d, "day"


def _since(m: re.Match[str], pub: date | None) -> tuple[date, date, str] | None:
    inner = _day_month(m, pub)
    if inner is None or pub is None:
        return None
    start = inner[0]
    if start > pub:
        return None
    return start, pub, span_precision(start, pub)


def _relative(m: re.Match[str], pub: date | None) -> tuple[date, date, str] | None:
    if pub is None:
        return None
    word = " ".join(m.group(0).lower().split())
    if word in ("yesterday",):
        d = pub - timedelta(days=1)
        return d, d, "day"
    if word.startswith(
        ("today", "this morning", "this afternoon", "this evening", "tonight", "earlier today")
    ):
        return pub, pub, "day"
    if "24 hours" in word or "night" in word:
        return pub - timedelta(days=1), pub, "days"
    monday = pub - timedelta(days=pub.weekday())
    if word.endswith("this week"):
        return monday, pub, span_precision(monday, pub)
    if word.endswith("last week") or word.endswith("past week"):
        if word.endswith("past week"):
            return pub - timedelta(days=7), pub, "week"
        return monday - timedelta(days=7), monday - timedelta(days=1), "week"
    if "recent days" in word or "past few days" in word or "past days" in word:
        return pub - timedelta(days=7), pub, "week"
    first = pub.replace(day=1)
    if word.endswith("this month"):
        return first, pub, span_precision(first, pub)
    if word.endswith("last month"):
        prev_end = first - timedelta(days=1)
        return prev_end.replace(day=1), prev_end, "month"
    if word.endswith("this year"):
        return date(pub.year, 1, 1), pub, "year"
    if word.endswith("last year"):
        return date(pub.year - 1, 1, 1), date(pub.year - 1, 12, 31), "year"
    return None


_NUMBERS = {k: v for k, v in UNITS.items() if 0 < v <= 10}


def _ago(m: re.Match[str], pub: date | None) -> tuple[date, date, str] | None:
    if pub is None:
        return None
    n_text = m.group("n").lower()
    n = int(n_text) if n_text.isdigit() else _NUMBERS.get(n_text, 0)
    if not n or n > 400:
        return None
    unit = m.group("unit").lower().rstrip("s")
    if unit == "day":
        d = pub - timedelta(days=n)
        return d, d, "day"
    if unit == "week":
        d = pub - timedelta(days=7 * n)
        return d - timedelta(days=3), min(d + timedelta(days=3), pub), "week"
    if unit == "month":
        d = pub - timedelta(days=30 * n)
        return d - timedelta(days=15), min(d + timedelta(days=15), pub), "month"
    return None


_RULES: tuple[tuple[str, re.Pattern[str], Resolver], ...] = tuple(
    (name, re.compile(pattern), resolver)
    for name, pattern, resolver in (
        (
            "range",
            rf"\b(?:between\s+|from\s+)?{_DAY}{_DASH}{_DAY2}\s+(?:of\s+)?{_MONTH}"
            rf"(?:,?\s+{_YEAR})?\b",
            _range,
        ),
        (
            "range",
            rf"\b(?:between\s+|from\s+)?{_MONTH}\s+{_DAY}{_DASH}{_DAY2}(?!\d)"
            rf"(?:,?\s+{_YEAR})?\b",
            _range,
        ),
        (
            "range",
            rf"\b(?:between\s+|from\s+){_DAY}\s+{_MONTH2}{_DASH}{_DAY2}\s+{_MONTH}"
            rf"(?:,?\s+{_YEAR})?\b",
            _range,
        ),
        (
            "since-date",
            rf"\b[Ss]ince\s+(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b",
            _since,
        ),
        ("since-date", rf"\b[Ss]ince\s+{_MONTH}\s+{_DAY}(?!\d)(?:,?\s+{_YEAR})?\b", _since),
        ("day-month", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b", _day_month),
        ("month-day", rf"\b{_MONTH}\s+{_DAY}(?!\d)(?:,?\s+{_YEAR})?\b", _day_month),
        (
            "month-part",
            rf"\b(?:(?i:in|during|since|until|by|from|of|at)\s+)?(?:(?i:the)\s+)?"
            rf"(?P<part>(?i:early|late|mid)(?=[\s-])|(?i:beginning|start|end|middle)(?=\s+of))"
            rf"(?:\s+of)?-?\s*{_MONTH}(?:,?\s+{_YEAR})?\b",
            _month_part,
        ),
        (
            "month",
            rf"\b(?:(?i:in|during|since|until|by|last|this|of)\s+)"
            rf"{_MONTH}(?:\s+{_YEAR})?\b",
            _month_only,
        ),
        (
            "weekend",
            r"\b(?i:(?:over|at|during|on)\s+the\s+weekend|(?:this|last|the\s+past)\s+weekend)\b",
            _weekend,
        ),
        ("month", rf"\b{_MONTH}\s+{_YEAR}\b", _month_only),
        (
            "year",
            rf"\b(?i:in|since|during|of)\s+{_YEAR}\b(?!\s*(?:people|civilians|troops))",
            _year_only,
        ),
        (
            "weekday",
            rf"\b(?:(?P<mode>(?i:last|next|since|this|past))\s+)?{_WEEKDAY}{_POSS}"
            rf"{_PART}\b",
            _weekday,
        ),
        (
            "relative",
            r"\b(?i:yesterday|today|tonight|earlier today|this (?:morning|afternoon|"
            r"evening)|overnight|last night|during the night|through(?:out)? the night|"
            r"(?:in|during|over) the (?:past|last) 24 hours|(?:earlier )?this week|"
            r"last week|(?:in|over|during) the past week|(?:in )?recent days|"
            r"(?:in|over) the past (?:few )?days|this month|last month|this year|"
            r"last year)\b",
            _relative,
        ),
        (
            "ago",
            r"\b(?P<n>\d{1,3}|(?i:a|an|one|two|three|four|five|six|seven|eight|nine|ten))\s+"
            r"(?P<unit>(?i:days?|weeks?|months?))\s+(?i:ago)\b",
            _ago,
        ),
    )
)


# Each rule needs a trigger word; rules run only on a window around a trigger of their class.
_TRIGGER = re.compile(
    r"(?P<month>\b(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b)|"
    r"(?P<weekday>\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))|"
    r"(?P<ago>\b(?i:ago)\b)|"
    r"(?P<relative>\b(?i:yesterday|today|tonight|overnight|night|week|weekend|month|year|days|hours|"
    r"morning|afternoon|evening)\b)|"
    r"(?P<year>\b(?:19|20)\d\d\b)"
)
_RULES_BY_TRIGGER = {
    "month": ("range", "since-date", "day-month", "month-day", "month-part", "month"),
    "weekday": ("weekday",),
    "ago": ("ago",),
    "relative": ("relative", "weekend"),
    "year": ("year", "month", "month-part"),
}
_BEFORE, _AFTER = 32, 28


def find_time_expressions(text: str, published: date | None) -> list[TimeExpr]:
    """Every temporal expression of ``text``, resolved against ``published``, by offset."""
    found: list[TimeExpr] = []
    for trig in _TRIGGER.finditer(text):
        kind = trig.lastgroup or ""
        a, b = max(0, trig.start() - _BEFORE), min(len(text), trig.end() + _AFTER)
        found.extend(_find(text, a, b, published, _RULES_BY_TRIGGER[kind]))
    # ties (one span read by two rules) are broken by the rule's name, not by set order
    chosen = longest_first(set(found), _span, rank=lambda t: (t.rule, t.precision))
    return sorted(chosen, key=lambda t: t.start)


def _span(t: TimeExpr) -> tuple[int, int]:
    return t.start, t.end


def _find(
    text: str, a: int, b: int, published: date | None, names: tuple[str, ...]
) -> list[TimeExpr]:
    found: list[TimeExpr] = []
    for name, pattern, resolver in _RULES:
        if name not in names:
            continue
        for m in pattern.finditer(text, a, b):
            try:
                resolved = resolver(m, published)
            except (ValueError, OverflowError, KeyError):
                resolved = None
            if resolved is None:
                if published is not None:
                    continue  # not a date after all ("February 30")
                found.append(TimeExpr(m.start(), m.end(), m.group(0), None, None, "unknown", name))
                continue
            start, end, precision = resolved
            found.append(TimeExpr(m.start(), m.end(), m.group(0), start, end, precision, name))
    return found


def resolve_one(surface: str, published: date | None) -> TimeExpr | None:
    """The expression that covers most of ``surface``, or None."""
    found = find_time_expressions(surface, published)
    return max(found, key=lambda t: t.end - t.start) if found else None


def default_window(published: date) -> tuple[date, date]:
    """What a report with no date expression covers: the day before and the day of publication."""
    return published - timedelta(days=1), published
