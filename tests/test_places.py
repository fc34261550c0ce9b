"""Place mentions in sentences written for these tests: other places, spellings and cues."""

from __future__ import annotations

from datetime import date

import pytest

from geomap.gazetteer import Gazetteer
from geomap.model import Document
from geomap.places import find_mentions, load_corrections
from geomap.text import fold_text, split_sentences

# text, dateline, [(surface, place id or None, role, status)]
CASES = [
    (
        "Rebels clashed with troops in the Sheikh Maksoud district of Aleppo.",
        "",
        [
            ("Sheikh Maksoud", "N0123", "event", "resolved"),
            ("Aleppo", "C1007", "event", "resolved"),
        ],
    ),
    (
        "Shelling hit the Bustan el-Qasr and Sukkari neighbourhoods of Aleppo.",
        "",
        [
            ("Bustan el-Qasr", "N0204", "event", "resolved"),
            ("Sukkari", "N0219", "event", "resolved"),
            ("Aleppo", "C1007", "event", "resolved"),
        ],
    ),
    (
        "In Homs, troops stormed the Baba Amr district.",
        "",
        [("Homs", "C2528", "event", "resolved"), ("Baba Amr", "N0268", "event", "resolved")],
    ),
    (
        "In Homs, the army shelled the Khalidiya neighbourhood.",
        "",
        [("Homs", "C2528", "event", "resolved"), ("Khalidiya", "N0239", "event", "resolved")],
    ),
    (
        "In Aleppo, the army shelled the Khaldiyeh neighbourhood.",
        "",
        [("Aleppo", "C1007", "event", "resolved"), ("Khaldiyeh", "N0127", "event", "resolved")],
    ),
    (
        "Fighting spread to the Qaboun and Jobar districts of Damascus.",
        "",
        [
            ("Qaboun", "N0007", "event", "resolved"),
            ("Jobar", None, "event", "resolved"),
            ("Damascus", "C1001", "event", "resolved"),
        ],
    ),
    (
        "Rebels took the Bab al-Hawa crossing on the Turkish border.",
        "",
        [("Bab al-Hawa crossing", "XING-BAB-HAWA", "event", "resolved")],
    ),
    (
        "Clashes erupted near the Nassib border crossing with Jordan.",
        "",
        [
            ("Nassib border crossing", "XING-NASIB", "event", "resolved"),
            ("Jordan", "CTRY-JO", "context", "resolved"),
        ],
    ),
    (
        "DAMASCUS - Mortars hit the Yarmouk camp.",
        "DAMASCUS",
        [
            ("DAMASCUS", "C1001", "dateline", "resolved"),
            ("Yarmouk camp", "C1002", "event", "resolved"),
        ],
    ),
    (
        "BEIRUT (Reuters) - Fighting raged in Idlib province.",
        "",
        [
            ("BEIRUT", "CAP-LB-BEIRUT", "dateline", "resolved"),
            ("Idlib province", "SY07", "event", "resolved"),
        ],
    ),
    (
        "Turkey and Iran discussed the war in Moscow.",
        "",
        [
            ("Turkey", "CTRY-TR", "context", "resolved"),
            ("Iran", "CTRY-IR", "context", "resolved"),
            ("Moscow", "CAP-RU-MOSCOW", "context", "resolved"),
        ],
    ),
    ("President Bashar al-Assad spoke; Assad regime forces advanced.", "", []),
    ("The Syrian Observatory and the Free Syrian Army said so.", "", []),
    (
        "Warplanes hit Deir Ezzor and Raqqa, and the town of Saraqeb.",
        "",
        [
            ("Deir Ezzor", "C5086", "event", "resolved"),
            ("Raqqa", "C5710", "event", "resolved"),
            ("Saraqeb", "C3916", "event", "resolved"),
        ],
    ),
    (
        "The Islamic State seized the border town of Qusair in Homs province.",
        "",
        [("Qusair", "C2733", "event", "resolved"), ("Homs province", "SY04", "event", "resolved")],
    ),
]


@pytest.mark.parametrize(("text", "dateline", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_mentions(
    gaz: Gazetteer, text: str, dateline: str, expected: list[tuple[str, str | None, str, str]]
) -> None:
    doc = Document("t", text, date(2014, 2, 14), dateline=dateline)
    got = [m for m in find_mentions(doc, gaz) if not m.reason.startswith("refers back")]
    assert [m.surface for m in got] == [e[0] for e in expected], [
        (m.surface, m.reason) for m in got
    ]
    for m, (surface, place_id, role, status) in zip(got, expected, strict=True):
        assert text[m.start : m.end] == surface
        assert m.role == role, (surface, m.role)
        assert m.status == status, (surface, m.status, m.reason)
        if place_id is not None:
            assert m.place is not None and m.place.id == place_id, (surface, m.place, m.reason)
        else:
            assert m.place is not None and "Damascus" in (m.place.governorate, m.place.name)


def test_the_definite_city_refers_back(gaz: Gazetteer) -> None:
    text = "Clashes erupted in Homs on Friday. Later the city was shelled again."
    mentions = find_mentions(Document("t", text, date(2014, 2, 14)), gaz)
    back = [m for m in mentions if m.surface == "the city"]
    assert back and back[0].place is not None and back[0].place.id == "C2528"


def test_lost_spaces_and_apostrophes(gaz: Gazetteer) -> None:
    text = "Aleppo,Syrias largest city,was shelled."
    surfaces = [m.surface for m in find_mentions(Document("t", text, None), gaz)]
    assert surfaces[:2] == ["Aleppo", "Syrias"]


def test_corrections_file_errors_name_the_line(tmp_path: object) -> None:
    from pathlib import Path

    from geomap.errors import InputError

    path = Path(str(tmp_path)) / "c.csv"
    path.write_text("doc,surface,place_id,note\n*,Foo,C1007,ok\n*,,C1007,bad\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"c.csv:3:"):
        load_corrections(path)


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Smith arrived. Then U.S. officials left at 7 a.m. on Friday.",
        "Headline without stop\n\nBody one. Body two!",
        "\u201cQuoted.\u201d He said. \u201cAgain?\u201d",
    ],
)
def test_sentences_cover_the_text(text: str) -> None:
    spans = split_sentences(text)
    assert spans and all(text[s:e].strip() == text[s:e] and e > s for s, e in spans)
    assert spans == sorted(spans)


def test_dr_and_us_do_not_end_sentences() -> None:
    text = "Dr. Smith arrived. Then U.S. officials left."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Dr. Smith arrived.",
        "Then U.S. officials left.",
    ]


def test_folded_text_maps_back() -> None:
    text = "Salah al-D\u012bn's A'zaz"
    f = fold_text(text)
    assert f.text == "salah dins azaz"
    assert text[f.index[f.text.index("azaz")]] == "A"
