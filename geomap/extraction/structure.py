"""The parts of an article before its first sentence: headline, datelines and printed date.

Real reporting often loses its line breaks: the title, a repeated title, the dateline
("BEIRUT", "MOSCOW (Sputnik)", "Damascus, SANA"), the date line ("Date of publication 10 July
2016", "Last updated at Jul 262016", "Saturday 24 December 2016", "Sun 05 Jul 2015",
"2016-07-10") and the lede run together. :func:`analyse` finds them, by rules with ids, and
returns an immutable :class:`ArticleStructure`.

The printed date is the article's own date. Relative dates ("on Sunday") are relative to it: an
article whose manifest date is a few days or years off is read against the date it prints
(:func:`effective_published`). Its span is not an event's date, nor a toll ("June 14 2016 Three
people were killed": 2016 is a year, not a count): :meth:`ArticleStructure.masks` tells whether a
span lies in it.

Rules for the printed date (``PRINTED_RULES``): a date with a year near the top of the body (the
first ``HEAD`` characters after the title line), not inside running prose (a preposition such as
"on", "since" or "until" before it makes it a reported date, not the article's), either cued
("Published", "Posted on", "Date of publication", "Last updated at") or standing alone with an
optional weekday before it. An all-numeric date ("01-06-2016", "10.10.2017") is read day first
(``numeric-dmy``), as the outlets that print them do, unless only month first makes a date
(``numeric-mdy``); the manifest is no guide here, it is often the one that is off.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

#: How far into the body the printed date and the datelines are looked for.
HEAD = 320

_MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTH_NAMES["sept"] = 9

_MON = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WD = (
    r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|"
    r"Thur|Thurs|Fri|Sat|Sun)\.?,?\s+)?"
)
_Y = r"(?P<y>(?:19|20)\d\d)"
_D = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_CUE = (
    r"(?P<cue>(?i:date\s+of\s+publication|published(?:\s+on)?|posted(?:\s+on)?|"
    r"last\s+updated(?:\s+at|\s+on)?|updated(?:\s+at|\s+on)?)\s*:?\s*)?"
)
_TIME = r"(?:\s+\d{1,2}[:.]\d\d(?:\s*[AP]M)?|\s+\d{4,6}(?=\s))?"

#: (rule id, pattern): a printed date's forms; the pattern's span is the printed-date span.
PRINTED_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (rule, re.compile(pattern))
    for rule, pattern in (
        ("iso", rf"\b{_CUE}{_Y}-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b{_TIME}"),
        ("day-month-year", rf"\b{_CUE}{_WD}{_D}\s+(?:of\s+)?{_MON},?\s+{_Y}\b{_TIME}"),
        ("month-day-year", rf"\b{_CUE}{_WD}{_MON}\s+{_D},?\s+{_Y}\b{_TIME}"),
        # "Jul 262016": the space between day and year lost
        ("month-dayyear", rf"\b{_CUE}{_WD}{_MON}\s+(?P<d>[0-3]?\d)(?P<y>20[0-3]\d)\b"),
        (
            "numeric",
            rf"\b{_CUE}(?P<a>[0-3]?\d)(?P<sep>[.\-/])(?P<b>[01]?\d)(?P=sep){_Y}(?!\d){_TIME}",
        ),
    )
)

#: A date in running prose ("killed on 6 May 2016", "since 1 March 2015") is not the
#: article's own date.
_PROSE_BEFORE = re.compile(
    r"\b(?i:on|since|in|of|until|till|by|from|before|after|between|and|to|through|during|"
    r"than|at|as|for|that|which|with|dated)\s*$"
)

#: Agencies and outlets that follow a dateline ("MOSCOW (Sputnik)", "Aleppo SANA -").
_AGENCY = (
    r"(?:SANA|Sputnik|AFP|Reuters|AP|TASS|Anadolu|AA|NNA|FNA|IRNA|Xinhua|DPA|dpa|UPI|"
    r"Al-Manar|ANA|Ahram Online|RIA Novosti|KUNA|QNA|WAFA|Petra)"
)
#: All-capital words that are not datelines (agencies, armed groups, organisations).
_NOT_DATELINE = frozenset(
    """AFP SANA ISIS ISIL SOHR UNICEF NATO UPDATED VIDEO PHOTO PHOTOS NGO WHO MSF YPG SDF FSA
    UN US USA UK EU TASS RIA TRT NNA FNA IRNA AP PYD PKK IS NDF OPCW UNHCR ICRC SARC HRW AA
    REUTERS QRCS BREAKING WATCH LIVE EXCLUSIVE UPDATE READ MORE NEWS AM PM GMT UTC UAE
    KSA""".split()
)
_CAPS_DATELINE = re.compile(
    r"(?<![\w-])(?P<name>[A-Z][A-Z'\-]{2,}(?:\s+[A-Z][A-Z'\-]{2,}){0,2})"
    r"(?P<rest>(?:,?\s+(?:Syria|Lebanon|Turkey|Iraq|Russia|Jordan|Iran)\b)?"
    rf"(?:\s*\(\s*{_AGENCY}\s*\))?(?:\s*[-\u2013\u2014:])?)"
    r"(?=\s+[A-Z\"\u201c(]|\s*$)"
)
_TITLE_DATELINE = re.compile(
    r"(?<![\w-])(?P<name>[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|al|el|ez|ad|as))*?)"
    rf"(?P<rest>(?:\s*,\s*|\s+)(?:\(\s*{_AGENCY}\s*\)|{_AGENCY}(?=\s*[-\u2013\u2014:,)]))"
    r"(?:\s*[-\u2013\u2014:,])?)"
)
_NOT_TITLE_NAME = frozenset(
    {m.capitalize() for m in _MONTH_NAMES} | {d for d in calendar.day_name} | {"The", "A", "An"}
)


@dataclass(frozen=True, slots=True)
class Dateline:
    start: int
    end: int  # the whole dateline, agency included
    name: str  # the place it names, as printed ("BEIRUT", "Damascus")
    rule: str


@dataclass(frozen=True, slots=True)
class PrintedDate:
    start: int
    end: int
    value: date
    rule: str
    surface: str


@dataclass(frozen=True, slots=True)
class ArticleStructure:
    """Where the headline, datelines and printed date of one article lie (text offsets)."""

    headline: tuple[int, int] | None  # the title line, when it is a line of its own
    body_start: int  # where the body begins (after the title line and blank lines)
    headline_repeat: tuple[int, int] | None  # the title repeated at the top of the body
    datelines: tuple[Dateline, ...] = ()
    printed: PrintedDate | None = None

    def masks(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps the printed date (not an event's date nor a toll)."""
        p = self.printed
        return p is not None and start < p.end and p.start < end

    @property
    def dateline_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.datelines)


def _norm(s: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", s.lower()))


def _headline(text: str) -> tuple[tuple[int, int] | None, int]:
    nl = text.find("\n")
    if nl <= 0:
        return None, 0
    line = text[:nl]
    if not line.strip() or len(line) > 400:
        return None, 0
    body = nl
    while body < len(text) and text[body] in "\r\n \t":
        body += 1
    return (0, len(line.rstrip())), body


def _repeat(text: str, headline: tuple[int, int] | None, body: int) -> tuple[int, int] | None:
    """The title repeated within the first lines of the body (after a date line, often)."""
    if headline is None:
        return None
    title = _norm(text[headline[0] : headline[1]])
    if len(title) < 12:
        return None
    words = title.split()
    head = text[body : body + HEAD + len(text[headline[0] : headline[1]])]
    # find the first three title words in order, then check the rest follows
    first = re.search(
        r"\b" + r"\W+".join(re.escape(w) for w in words[: min(3, len(words))]) + r"\b",
        head,
        re.I,
    )
    if first is None:
        return None
    pattern = r"\W+".join(re.escape(w) for w in words)
    m = re.compile(pattern, re.I).match(head, first.start())
    if m is None:
        return None
    return body + m.start(), body + m.end()


def _month(name: str) -> int:
    return _MONTH_NAMES[name.lower().rstrip(".")]


def _value(m: re.Match[str], rule: str) -> tuple[date, str] | None:
    y = int(m.group("y"))
    if rule == "numeric":
        a, b = int(m.group("a")), int(m.group("b"))
        readings: list[tuple[date, str]] = []
        for d, mo, r in ((a, b, "numeric-dmy"), (b, a, "numeric-mdy")):
            try:
                readings.append((date(y, mo, d), r))
            except ValueError:
                continue
        if not readings:
            return None
        return readings[0]
    month = int(m.group("m")) if rule == "iso" else _month(m.group("mon"))
    try:
        return date(y, month, int(m.group("d"))), rule
    except ValueError:
        return None


def _printed(text: str, body: int) -> PrintedDate | None:
    end = min(len(text), body + HEAD)
    found: list[tuple[int, int, PrintedDate]] = []
    for rule, pattern in PRINTED_RULES:
        for m in pattern.finditer(text, body, end):
            cued = m.group("cue") is not None
            if not cued and _PROSE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue
            got = _value(m, rule)
            if got is None:
                continue
            value, rid = got
            if not 1990 <= value.year <= 2100:
                continue
            s = m.start("cue") if cued else m.start()
            if cued:
                rid = "cued-" + rid
            found.append((0 if cued else 1, s, PrintedDate(s, m.end(), value, rid, m.group(0))))
    if not found:
        return None
    # the first in the text; a cued one wins over an uncued one that starts at the same place
    found.sort(key=lambda f: (f[1], f[0], -(f[2].end - f[2].start)))
    return found[0][2]


def _datelines(text: str, body: int, printed: PrintedDate | None) -> tuple[Dateline, ...]:
    end = min(len(text), body + HEAD)
    out: list[Dateline] = []
    for m in _CAPS_DATELINE.finditer(text, body, end):
        words = m.group("name").split()
        if any(w.strip("'-") in _NOT_DATELINE for w in words):
            continue
        name = m.group("name")
        if len(name.replace(" ", "")) < 4 and "(" not in m.group("rest"):
            continue
        # a title set in capitals is not a dateline: the words around must not be capitals too
        before = text[max(body, m.start() - 20) : m.start()]
        if re.search(r"[A-Z]{3,}\W*$", before):
            continue
        out.append(Dateline(m.start(), m.end(), name, "caps"))
    for m in _TITLE_DATELINE.finditer(text, body, end):
        name = m.group("name")
        if name.split()[0] in _NOT_TITLE_NAME:
            continue
        at_top = m.start() == body or (printed is not None and 0 <= m.start() - printed.end <= 2)
        if not at_top and "(" not in m.group("rest") and "," not in m.group("rest"):
            continue
        out.append(Dateline(m.start(), m.end(), name, "name-agency"))
    out.sort(key=lambda d: d.start)
    kept: list[Dateline] = []
    for d in out:
        if printed is not None and d.start < printed.end and printed.start < d.end:
            continue
        if kept and d.start < kept[-1].end:
            continue
        kept.append(d)
    return tuple(kept)


def analyse(text: str) -> ArticleStructure:
    """The structure of an article's top (offsets into ``text``)."""
    headline, body = _headline(text)
    printed = _printed(text, body)
    if printed is None and headline is not None:
        # a date line may be the title line itself ("10 July 2016" alone on the first line)
        printed = _printed(text, 0)
        if printed is not None and printed.start >= headline[1]:
            printed = None
    return ArticleStructure(
        headline=headline,
        body_start=body,
        headline_repeat=_repeat(text, headline, body),
        datelines=_datelines(text, body, printed),
        printed=printed,
    )


#: How many days a printed date may differ from the manifest before the disagreement is
#: reported (relative dates always read from the printed date when there is one).
AGREE_DAYS = 1


def effective_published(
    structure: ArticleStructure, manifest: date | None
) -> tuple[date | None, str]:
    """The date relative expressions are read against, and why: ``manifest`` (no printed
    date), ``printed`` (the printed date agrees with the manifest within a day, or there is no
    manifest date), ``printed-disagrees`` (the manifest is more than a day off)."""
    p = structure.printed
    if p is None:
        return manifest, "manifest" if manifest is not None else "none"
    if manifest is None or abs((p.value - manifest).days) <= AGREE_DAYS:
        return p.value, "printed"
    return p.value, "printed-disagrees"
