"""Temporal expressions against a publication date: a table of forms, the gold, properties."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.extraction.events.dates import default_window, find_time_expressions, resolve_one
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document
from geomap.pipeline.documents import process_document
from tests.conftest import CORPUS, GOLD

D = date.fromisoformat
# (text, published, surface found, start, end, precision)
CASES = [
    ("on Thursday", "2012-07-26", "Thursday", "2012-07-26", "2012-07-26", "day"),
    ("into Thursday", "2012-07-26", "Thursday", "2012-07-26", "2012-07-26", "day"),
    ("on Wednesday", "2012-07-26", "Wednesday", "2012-07-25", "2012-07-25", "day"),
    ("on Friday", "2012-07-26", "Friday", "2012-07-20", "2012-07-20", "day"),
    ("on Saturday", "2013-01-02", "Saturday", "2012-12-29", "2012-12-29", "day"),
    ("on Sunday", "2016-02-29", "Sunday", "2016-02-28", "2016-02-28", "day"),
    ("last Monday", "2014-03-10", "last Monday", "2014-03-03", "2014-03-03", "day"),
    ("next Monday", "2012-07-26", "next Monday", "2012-07-30", "2012-07-30", "day"),
    ("since Monday", "2012-07-26", "since Monday", "2012-07-23", "2012-07-26", "days"),
    ("Friday's fighting", "2012-07-21", "Friday's", "2012-07-20", "2012-07-20", "day"),
    ("Fridays fighting", "2012-07-21", "Fridays", "2012-07-20", "2012-07-20", "day"),
    ("Friday\u2019s raids", "2012-07-21", "Friday\u2019s", "2012-07-20", "2012-07-20", "day"),
    ("Thursday night", "2012-07-26", "Thursday night", "2012-07-26", "2012-07-26", "day"),
    ("on Tuesday morning", "2015-06-11", "Tuesday morning", "2015-06-09", "2015-06-09", "day"),
    ("overnight", "2012-07-26", "overnight", "2012-07-25", "2012-07-26", "days"),
    ("during the night", "2012-07-26", "during the night", "2012-07-25", "2012-07-26", "days"),
    ("through the night", "2013-01-01", "through the night", "2012-12-31", "2013-01-01", "days"),
    ("last night", "2014-05-05", "last night", "2014-05-04", "2014-05-05", "days"),
    ("yesterday", "2012-07-26", "yesterday", "2012-07-25", "2012-07-25", "day"),
    ("yesterday", "2013-03-01", "yesterday", "2013-02-28", "2013-02-28", "day"),
    ("today", "2012-07-26", "today", "2012-07-26", "2012-07-26", "day"),
    ("earlier today", "2012-07-26", "earlier today", "2012-07-26", "2012-07-26", "day"),
    ("on July 20", "2012-07-26", "July 20", "2012-07-20", "2012-07-20", "day"),
    ("On 22 July", "2012-07-23", "22 July", "2012-07-22", "2012-07-22", "day"),
    ("on 3 March 2013", "2014-01-01", "3 March 2013", "2013-03-03", "2013-03-03", "day"),
    ("on March 3, 2013", "2014-01-01", "March 3, 2013", "2013-03-03", "2013-03-03", "day"),
    ("on the 20th of July", "2012-07-26", "20th of July", "2012-07-20", "2012-07-20", "day"),
    ("on Dec. 30", "2013-01-02", "Dec. 30", "2012-12-30", "2012-12-30", "day"),
    ("on 30 December", "2013-01-02", "30 December", "2012-12-30", "2012-12-30", "day"),
    ("19-20 July", "2012-07-23", "19-20 July", "2012-07-19", "2012-07-20", "days"),
    ("19\u201320 July", "2012-07-23", "19\u201320 July", "2012-07-19", "2012-07-20", "days"),
    ("July 19-20", "2012-07-23", "July 19-20", "2012-07-19", "2012-07-20", "days"),
    (
        "between 19 and 20 July",
        "2012-07-23",
        "between 19 and 20 July",
        "2012-07-19",
        "2012-07-20",
        "days",
    ),
    ("from 1 to 12 June", "2014-06-20", "from 1 to 12 June", "2014-06-01", "2014-06-12", "week"),
    ("In May", "2012-07-21", "In May", "2012-05-01", "2012-05-31", "month"),
    ("in December", "2013-01-02", "in December", "2012-12-01", "2012-12-31", "month"),
    ("in February 2012", "2014-01-01", "in February 2012", "2012-02-01", "2012-02-29", "month"),
    ("since March", "2012-07-21", "since March", "2012-03-01", "2012-03-31", "month"),
    ("this week", "2012-07-26", "this week", "2012-07-23", "2012-07-26", "days"),
    ("last week", "2012-07-26", "last week", "2012-07-16", "2012-07-22", "week"),
    ("earlier this week", "2012-07-26", "earlier this week", "2012-07-23", "2012-07-26", "days"),
    ("last month", "2013-03-15", "last month", "2013-02-01", "2013-02-28", "month"),
    ("this month", "2013-03-15", "this month", "2013-03-01", "2013-03-15", "month"),
    ("last year", "2013-03-15", "last year", "2012-01-01", "2012-12-31", "year"),
    ("in 2011", "2013-03-15", "in 2011", "2011-01-01", "2011-12-31", "year"),
    ("since 19 September", "2016-09-30", "since 19 September", "2016-09-19", "2016-09-30", "week"),
    ("Since September 19", "2016-09-30", "Since September 19", "2016-09-19", "2016-09-30", "week"),
    ("three days ago", "2012-07-26", "three days ago", "2012-07-23", "2012-07-23", "day"),
    ("two weeks ago", "2012-07-26", "two weeks ago", "2012-07-09", "2012-07-15", "week"),
    (
        "in the past 24 hours",
        "2012-07-26",
        "in the past 24 hours",
        "2012-07-25",
        "2012-07-26",
        "days",
    ),
    ("in recent days", "2012-07-26", "in recent days", "2012-07-19", "2012-07-26", "week"),
    # parts of a month (rule month-part): early 1-10, mid 11-20, late and end 21-last
    ("in late March", "2014-05-02", "in late March", "2014-03-21", "2014-03-31", "week"),
    ("by mid-October", "2015-11-20", "by mid-October", "2015-10-11", "2015-10-20", "week"),
    ("in early Feb", "2017-02-27", "in early Feb", "2017-02-01", "2017-02-10", "week"),
    (
        "at the end of January 2015",
        "2015-06-01",
        "at the end of January 2015",
        "2015-01-21",
        "2015-01-31",
        "week",
    ),
    (
        "since the beginning of May",
        "2013-05-29",
        "since the beginning of May",
        "2013-05-01",
        "2013-05-29",
        "month",
    ),
    ("in mid-June", "2015-06-14", "in mid-June", "2015-06-11", "2015-06-14", "days"),
    # the month of publication runs up to publication only
    ("In April", "2013-04-09", "In April", "2013-04-01", "2013-04-09", "month"),
    (
        "during November 2014",
        "2014-11-20",
        "during November 2014",
        "2014-11-01",
        "2014-11-20",
        "month",
    ),
    # the weekend (rule weekend): the last one begun before publication, or a Sunday's own
    ("over the weekend", "2016-03-14", "over the weekend", "2016-03-12", "2016-03-13", "days"),
    ("over the weekend", "2016-03-13", "over the weekend", "2016-03-12", "2016-03-13", "days"),
    ("at the weekend", "2016-03-16", "at the weekend", "2016-03-12", "2016-03-13", "days"),
    ("last weekend", "2016-03-12", "last weekend", "2016-03-05", "2016-03-06", "days"),
]


@pytest.mark.parametrize(
    ("text", "pub", "surface", "start", "end", "precision"),
    CASES,
    ids=[f"{c[0]}@{c[1]}" for c in CASES],
)
def test_forms(text: str, pub: str, surface: str, start: str, end: str, precision: str) -> None:
    found = find_time_expressions(f"Fighting was reported {text}, activists said.", D(pub))
    assert len(found) == 1, found
    t = found[0]
    assert (t.surface, t.date_start, t.date_end, t.precision) == (
        surface,
        D(start),
        D(end),
        precision,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Rebels may be killed.",
        "a march in the capital",
        "14 civilians and five soldiers",
        "the Second World War",
        "It began at 6:30 pm.",
        "We said so.",
        "Sat in the square",
        "for days",
        "a 2,000-strong force",
        "in the past",
        "a week-long siege",
        "the late commander of the brigade",
        "a mid-size truck",
        "the end of the truce",
        "a weekend market",
    ],
)
def test_no_false_dates(text: str) -> None:
    assert find_time_expressions(text, D("2012-07-26")) == []


def test_without_publication_date_relative_ones_stay_unknown() -> None:
    found = find_time_expressions("on Thursday and on 22 July 2012", None)
    assert [(t.surface, t.precision) for t in found] == [
        ("Thursday", "unknown"),
        ("22 July 2012", "day"),
    ]
    assert found[0].date_start is None


def test_default_window_and_resolve_one() -> None:
    assert default_window(D("2012-07-26")) == (D("2012-07-25"), D("2012-07-26"))
    t = resolve_one("19-20 July", D("2012-07-23"))
    assert t is not None and t.date_end == D("2012-07-20")


def test_gold_evidence_dates_lie_inside_the_gold_intervals() -> None:
    published = {
        r["file"].removesuffix(".txt"): D(r["published"])
        for r in csv.DictReader((CORPUS / "manifest.csv").read_text(encoding="utf-8").splitlines())
    }
    checked = 0
    for row in csv.DictReader((GOLD / "events.csv").read_text(encoding="utf-8").splitlines()):
        for t in find_time_expressions(row["evidence"], published[row["doc"]]):
            assert t.date_start is not None and t.date_end is not None
            assert D(row["date_start"]) <= t.date_start and t.date_end <= D(row["date_end"]), (
                row["id"],
                t,
            )
            checked += 1
    assert checked >= 8


@given(
    st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
    st.dates(min_value=date(2000, 1, 8), max_value=date(2030, 12, 31)),
)
def test_a_weekday_is_the_last_such_day_on_or_before_publication(day: str, pub: date) -> None:
    (t,) = find_time_expressions(f"on {day}", pub)
    assert t.date_start == t.date_end
    assert t.date_start is not None
    assert t.date_start.strftime("%A") == day
    assert timedelta(0) <= pub - t.date_start <= timedelta(days=6)


# --- which date an event gets (geomap.extraction.events.event_dates): invented articles, near
# misses ---------


def _date_at(text: str, pub: str, word: str) -> tuple[date | None, date | None, str]:
    """The date an event anchored on ``word`` gets in ``text`` published on ``pub``."""
    from geomap.extraction.events.event_dates import date_for, lead_date
    from geomap.extraction.text import split_sentences
    from geomap.model import Document

    doc = Document(id="x", text=text, published=D(pub))
    sentences = split_sentences(text)
    times = find_time_expressions(text, doc.published)
    lead = lead_date(doc, sentences, times)
    anchor = text.index(word)
    s0, s1 = next((a, b) for a, b in sentences if a <= anchor < b)
    return date_for([t for t in times if s0 <= t.start < s1], anchor, doc, lead)


# (text, published, anchor word, start, end): 2015-09-16 is a Wednesday
EVENT_DATES = [
    # running-day: no lede day; a dated sentence's day (in the default window) carries on
    (
        "Troops press on\n\nTroops repelled an assault near the dam. Units on Wednesday "
        "pressed operations in several provinces. In the Hama countryside a unit destroyed "
        "a depot of the militants.",
        "2015-09-16",
        "destroyed",
        "2015-09-16",
        "2015-09-16",
    ),
    # near miss: a lede day stays the news day after a sub-event dated the day before
    (
        "Troops press on\n\nTroops and militants fought in the old city on Wednesday as the "
        "siege went on. Units that took the hill on Tuesday held it. A commander said the "
        "troops later pushed into the market district of the city.",
        "2015-09-16",
        "pushed",
        "2015-09-16",
        "2015-09-16",
    ),
    # near miss: a day outside the default window is not carried (default window instead)
    (
        "Troops press on\n\nTroops repelled an assault near the dam. Militants had seized "
        "the ridge on Saturday. A unit later destroyed a depot of the militants.",
        "2015-09-16",
        "destroyed",
        "2015-09-15",
        "2015-09-16",
    ),
    # report-day: the happening's own date wins over the day of the report
    (
        "Clinic hit\n\nA clinic near the border was destroyed by air raids over the weekend "
        "that killed seven people the charity said on Monday.",
        "2015-09-16",
        "destroyed",
        "2015-09-12",
        "2015-09-13",
    ),
    # report-day alone: the event gets the day of the report
    (
        "Clinic hit\n\nFour fighters died in clashes near the crossing the monitor said Tuesday "
        "in a statement to the press.",
        "2015-09-16",
        "clashes",
        "2015-09-15",
        "2015-09-15",
    ),
    # month-part in the clause
    (
        "Clinic hit\n\nIn late August two clinics in the eastern districts were shelled in a "
        "single night.",
        "2015-09-16",
        "shelled",
        "2015-08-21",
        "2015-08-31",
    ),
]


@pytest.mark.parametrize(("text", "pub", "word", "start", "end"), EVENT_DATES)
def test_event_dates(text: str, pub: str, word: str, start: str, end: str) -> None:
    got = _date_at(text, pub, word)
    assert (got[0], got[1]) == (D(start), D(end)), got


def test_a_report_date_is_only_a_weekday_after_a_speech_verb() -> None:
    from geomap.extraction.events.event_dates import is_report_date

    for text, expected in [
        ("the monitor said on Friday", True),
        ("activists told reporters Friday", True),
        ("the agency reported on Friday that", True),
        ("the army announced on Friday it is launching an assault", False),  # a statement's own day
        ("clashes erupted on Friday", False),
        ("the monitor said in May", False),  # not a weekday
    ]:
        t = find_time_expressions(text, D("2015-09-16"))[0]
        assert is_report_date(text, t) is expected, text


def _dated(gaz: Gazetteer, text: str) -> list[tuple[str, date | None, date | None]]:
    events = process_document(Document("t", text, date(2016, 3, 10)), gaz).events
    return sorted((e.type, e.date_start, e.date_end) for e in events)


def test_the_date_of_the_triggers_own_clause(gaz: Gazetteer) -> None:
    # "on March 1" belongs to "they infiltrated"; "last week" to the re-establishing
    got = _dated(
        gaz,
        "Troops expelled militants from the districts they infiltrated on March 1 "
        "re-establishing control over Saraqeb last week.",
    )
    assert got and all(start != date(2016, 3, 1) for _, start, _ in got), got
    # near miss: the date is the trigger's own
    got = _dated(gaz, "Troops re-established control over Saraqeb on March 1.")
    assert got == [("battle", date(2016, 3, 1), date(2016, 3, 1))], got


def test_a_carried_place_carries_its_day(gaz: Gazetteer) -> None:
    text = "Rebels took full control of Saraqeb on Friday. The militants used 200 civilians "
    got = _dated(gaz, text + "as human shields.")
    assert ("violence_against_civilians", date(2016, 3, 4), date(2016, 3, 4)) in got, got
    # near miss: a day of its own
    got = _dated(gaz, text + "as human shields on Tuesday.")
    assert ("violence_against_civilians", date(2016, 3, 8), date(2016, 3, 8)) in got, got


@pytest.mark.parametrize(
    ("text", "happening"),
    [
        ("Twenty militants were eliminated near Saraqeb on Monday.", True),
        ("The new road eliminated delays near Saraqeb on Monday.", False),
    ],
)
def test_eliminated_is_a_killing(gaz: Gazetteer, text: str, happening: bool) -> None:
    assert bool(_dated(gaz, text)) is happening


@pytest.mark.parametrize(
    ("text", "type_", "day"),
    [
        # the time of the clause the trigger's clause hangs on
        ("Scores died on Tuesday after a jet dropped bombs on Saraqeb.", "remote_violence", 8),
        # near miss: its own clause's time wins
        ("Scores died on Tuesday after jets struck Saraqeb on Monday.", "remote_violence", 7),
        # a descriptive clause of another happening does not date it
        (
            "The strikes were intense around Saraqeb seized by rebels earlier this month.",
            "remote_violence",
            None,
        ),
    ],
)
def test_the_date_by_the_parse(gaz: Gazetteer, text: str, type_: str, day: int | None) -> None:
    got = [(start, end) for t, start, end in _dated(gaz, text) if t == type_]
    assert got, _dated(gaz, text)
    if day is None:
        assert all(start != date(2016, 3, 1) for start, _ in got), got  # not "this month"
    else:
        assert got == [(date(2016, 3, day), date(2016, 3, day))], got
