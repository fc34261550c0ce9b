"""The top of an article: headline, datelines, printed date (invented texts, near misses)."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.extraction.structure import analyse, effective_published

D = date.fromisoformat

# (text, printed date or None, rule or None, printed surface or None)
PRINTED = [
    (
        "Shells hit a market in Homs\n\nTue 08 Mar 2016 Shells hit a market in Homs. Four died.",
        "2016-03-08",
        "day-month-year",
        "Tue 08 Mar 2016",
    ),
    (
        "Clashes in Qamishli\n\nDate of publication 4 May 2015 Clashes broke out on Sunday.",
        "2015-05-04",
        "cued-day-month-year",
        "Date of publication 4 May 2015",
    ),
    (
        "Car bomb in Azaz\n\nLast updated at Nov 032015 KILIS A car bomb went off on Monday.",
        "2015-11-03",
        "cued-month-dayyear",
        "Last updated at Nov 032015",
    ),
    (
        "Raids on Saraqeb\n\nPosted on March 8 2014 by Someone Raids on Saraqeb hit a bakery.",
        "2014-03-08",
        "cued-month-day-year",
        "Posted on March 8 2014",
    ),
    (
        "Raids on Saraqeb\n\nPublished January 9 2017 Jets struck the town on Sunday.",
        "2017-01-09",
        "cued-month-day-year",
        "Published January 9 2017",
    ),
    (
        "Army gains near Palmyra\n\n12-03-2015 Army gains near Palmyra. Units advanced.",
        "2015-03-12",
        "numeric-dmy",
        "12-03-2015",
    ),
    (
        "Strikes on Mayadin\n\n03.11.2016(updated 1405 03.11.2016) Jets hit the town.",
        "2016-11-03",
        "numeric-dmy",
        "03.11.2016",
    ),
    ("Mortars on Jaramana\n\n2014-02-19 Mortars fell on Jaramana.", "2014-02-19", "iso", None),
    (
        "Mortars on Jaramana Monitor AFP Sunday 21 Sep 2014 Mortar fire killed two on Sunday.",
        "2014-09-21",
        "day-month-year",
        "Sunday 21 Sep 2014",
    ),
    (
        "Blast in Tal Abyad Observatory\n\nBlast in Tal Abyad Observatory AFP Friday 5 Jun 2015 "
        "A blast killed nine people in Tal Abyad on Friday.",
        "2015-06-05",
        "day-month-year",
        "Friday 5 Jun 2015",
    ),
    ("Saturday 17 December 2016 Four were killed in Douma.", "2016-12-17", "day-month-year", None),
    # near misses: a date in running prose is a reported date, not the article's
    ("Fighters entered Busra on 2 May 2016 after a week of clashes.", None, None, None),
    ("The truce in Madaya has held since 14 January 2016 a local council said.", None, None, None),
    ("Rebels shelled Nubl\n\nRebels shelled Nubl on Friday killing three.", None, None, None),
    ("A date too far down" + " word" * 80 + " 3 May 2016 follows.", None, None, None),
    ("No date at all: 45-12-2015 is not one.", None, None, None),
]


@pytest.mark.parametrize(("text", "value", "rule", "surface"), PRINTED)
def test_printed_date(text: str, value: str | None, rule: str | None, surface: str | None) -> None:
    s = analyse(text)
    if value is None:
        assert s.printed is None, s.printed
        return
    assert s.printed is not None
    assert s.printed.value == D(value)
    assert s.printed.rule == rule
    assert text[s.printed.start : s.printed.end] == s.printed.surface
    if surface is not None:
        assert s.printed.surface == surface


def test_the_printed_date_span_masks_its_parts_only() -> None:
    text = "Shelling in Daraa\n\nAUSTRALIA June 14 2016 Three people were killed on Monday."
    s = analyse(text)
    assert s.printed is not None and s.printed.value == D("2016-06-14")
    year = text.index("2016")
    assert s.masks(year, year + 4)  # the year is not a toll nor an event's date
    three = text.index("Three")
    assert not s.masks(three, three + 5)
    monday = text.index("Monday")
    assert not s.masks(monday, monday + 6)


# (text, dateline names)
DATELINES = [
    ("Title here\n\nLast updated at Jan 042017 AMMAN Jordanian troops said.", ("AMMAN",)),
    ("Title here\n\n22.05.2016 Get short URL 12 KAZAN (Sputnik) The ministry said.", ("KAZAN",)),
    ("Title here\n\nHOMS, Syria - Shells fell on the old city.", ("HOMS",)),
    ("Title here\n\n5 May 2016 Hasakeh SANA - A car bomb went off.", ("Hasakeh",)),
    ("Title here\n\nTartus (SANA) A car bomb went off.", ("Tartus",)),
    # near misses: agencies, armed groups, a capitalised title, an agency in prose
    ("Title here\n\nISIL fighters attacked; the SDF and YPG said.", ()),
    ("Title here\n\nA SANA reporter in Tartus said on Monday.", ()),
    ("Title here\n\nThe UNICEF office in Amman said.", ()),
]


@pytest.mark.parametrize(("text", "names"), DATELINES)
def test_datelines(text: str, names: tuple[str, ...]) -> None:
    s = analyse(text)
    assert s.dateline_names == names
    for d in s.datelines:
        assert text[d.start : d.end].startswith(d.name)


def test_headline_and_its_repetition() -> None:
    text = (
        "Jets pound rebel towns in Hama countryside\n\n4 June 2016 Jets pound rebel towns in "
        "Hama countryside. Air strikes hit Kafr Zita on Saturday."
    )
    s = analyse(text)
    assert s.headline == (0, text.index("\n"))
    assert s.body_start == text.index("4 June")
    assert s.headline_repeat is not None
    a, b = s.headline_repeat
    assert text[a:b] == "Jets pound rebel towns in Hama countryside"
    run_together = "No line break here at all 4 June 2016 Jets struck."
    t = analyse(run_together)
    assert t.headline is None and t.headline_repeat is None and t.body_start == 0


@pytest.mark.parametrize(
    ("printed", "manifest", "used", "basis"),
    [
        (None, "2016-05-04", "2016-05-04", "manifest"),
        (None, None, None, "none"),
        ("2016-05-05", "2016-05-04", "2016-05-05", "printed"),
        ("2016-05-04", "2016-05-04", "2016-05-04", "printed"),
        ("2016-05-20", "2016-05-04", "2016-05-20", "printed-disagrees"),
        ("2016-05-20", None, "2016-05-20", "printed"),
    ],
)
def test_effective_publication_date(
    printed: str | None, manifest: str | None, used: str | None, basis: str
) -> None:
    text = "Title\n\n" + (f"{D(printed):%d %B %Y} " if printed else "") + "Clashes on Monday."
    got = effective_published(analyse(text), D(manifest) if manifest else None)
    assert got == (D(used) if used else None, basis)
