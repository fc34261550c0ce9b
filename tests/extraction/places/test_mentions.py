"""Place mentions in sentences written for these tests: other places, spellings and cues."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.errors import InputError
from geomap.extraction.places.mentions import (
    find_mentions,
    find_mentions_with_report,
    load_corrections,
)
from geomap.extraction.text import fold_text, split_sentences
from geomap.gazetteer.store import Gazetteer
from geomap.model import Document

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
        "Rebels took the Bab al-Hawa crossing at the northern frontier.",
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
        "Rebels fought troops in the Sheikh Maqsoud neighbourhood of Aleppo on Tuesday.",
        "",
        [
            ("Sheikh Maqsoud", "N0123", "event", "resolved"),
            ("Aleppo", "C1007", "event", "resolved"),
        ],
    ),
    (
        "Shelling hit Hanano and Bustan al-Qasr in Aleppo.",
        "",
        [
            ("Hanano", "N0129", "event", "resolved"),
            ("Bustan al-Qasr", "N0204", "event", "resolved"),
            ("Aleppo", "C1007", "event", "resolved"),
        ],
    ),
    (
        "Government forces shelled the Salahuddin district of Aleppo.",  # a spelling no source has
        "",
        [("Salahuddin", "N0214", "event", "resolved"), ("Aleppo", "C1007", "event", "resolved")],
    ),
    (
        "In Aleppo, fighters clashed in the Karm al-Jabal and Sheikh Khodr districts.",
        "",
        [
            ("Aleppo", "C1007", "event", "resolved"),
            ("Karm al-Jabal", "N0152", "event", "resolved"),
            ("Sheikh Khodr", "N0134", "event", "resolved"),
        ],
    ),
    (
        "In Homs, the army shelled the Waer and Bab Sbaa neighbourhoods.",
        "",
        [
            ("Homs", "C2528", "event", "resolved"),
            ("Waer", "N0246", "event", "resolved"),
            ("Bab Sbaa", "N0260", "event", "resolved"),
        ],
    ),
    (
        "In Homs, troops stormed the Zawiyat Qarnoub neighbourhood.",  # a name no gazetteer has
        "",
        [
            ("Homs", "C2528", "event", "resolved"),
            ("Zawiyat Qarnoub", "C2528", "event", "fallback"),
        ],
    ),
    (
        "Clashes broke out in Daraa, the cradle of the uprising.",
        "",
        [("Daraa", "C5993", "event", "resolved")],
    ),
    ("Troops entered Deraa at dawn.", "", [("Deraa", "C5993", "event", "resolved")]),
    (
        "Protesters marched in Hama after Friday prayers.",
        "",
        [("Hama", "C2987", "event", "resolved")],
    ),
    (
        "Hamas leaders left Damascus for Qatar.",
        "",
        [("Damascus", "C1001", "event", "resolved"), ("Qatar", "CTRY-QA", "context", "resolved")],
    ),
    (
        "Air strikes hit Al-Raqqah and Tabqa.",
        "",
        [("Al-Raqqah", "C5710", "event", "resolved"), ("Tabqa", "C5929", "event", "resolved")],
    ),
    (
        "Government forces bombed Douma, Zamalka and Darayya in the Damascus suburbs.",
        "",
        [
            ("Douma", "C2338", "event", "resolved"),
            ("Zamalka", "C2320", "event", "resolved"),
            ("Darayya", "C2498", "event", "resolved"),
            ("Damascus suburbs", "SY03", "event", "resolved"),  # Rural Damascus, not the city
        ],
    ),
    (
        "Rebels seized the Bab al-Salama crossing near Azaz on the Turkish border.",
        "",
        [
            ("Bab al-Salama crossing", "XING-BAB-SALAMEH", "event", "resolved"),
            ("Azaz", "C1564", "event", "resolved"),
        ],
    ),
    (
        "Rebels seized the Bab al Hawa border crossing.",
        "",
        [("Bab al Hawa border crossing", "XING-BAB-HAWA", "event", "resolved")],
    ),
    (
        "Kurdish fighters took Kobani from Islamic State.",  # the town, not its crossing
        "",
        [("Kobani", "C1946", "event", "resolved")],
    ),
    (
        "HOMS, Syria (Reuters) - Troops stormed the Khalidiyeh district.",
        "",
        [
            ("HOMS, Syria", "C2528", "dateline", "resolved"),
            ("Khalidiyeh", "N0239", "event", "resolved"),
        ],
    ),
    (
        "DAMASCUS, Aug 3 (Reuters) - Fighting spread to Midan.",
        "",
        [
            ("DAMASCUS", "C1001", "dateline", "resolved"),
            ("Midan", "C10011059", "event", "resolved"),
        ],
    ),
    (
        "The Observatory, which is based in Britain, said 40 people died in Idlib.",
        "",
        [("Britain", "CTRY-GB", "context", "resolved"), ("Idlib", "C3871", "event", "resolved")],
    ),
    (
        "Bashar al-Assad's forces shelled Rastan, north of Homs.",
        "",
        [("Rastan", "C2870", "event", "resolved"), ("Homs", "C2528", "event", "resolved")],
    ),
    (
        "Fighting in the Tadamon and Hajar al-Aswad districts of Damascus killed 12.",
        "",
        [
            ("Tadamon", "N0092", "event", "resolved"),
            ("Hajar al-Aswad", "C10011025", "event", "resolved"),
            ("Damascus", "C1001", "event", "resolved"),
        ],
    ),
    (
        "The rebels said they held most of Deir el-Zour and Mayadin.",
        "",
        [
            ("Deir el-Zour", "C5086", "event", "resolved"),
            ("Mayadin", "C5192", "event", "resolved"),
        ],
    ),
    (
        "Iran and Russia back Assad; Iranian advisers were in Aleppo.",
        "",
        [
            ("Iran", "CTRY-IR", "context", "resolved"),
            ("Russia", "CTRY-RU", "context", "resolved"),
            ("Aleppo", "C1007", "event", "resolved"),
        ],
    ),
    (
        "Troops entered Deraa and the nearby town of Busra al-Harir.",
        "",
        [
            ("Deraa", "C5993", "event", "resolved"),
            # OCHA's "Bisr Elharir": found since the gazetteer takes Who's On First's spellings
            ("Busra al-Harir", "C6105", "event", "resolved"),
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


TEXT_WITH_CORRECTABLE = (
    "In Aleppo, rebels held the Sheikh Badr district. Troops entered the town of Busra al-Harir."
)


def test_corrections_force_places_and_report_which_were_used(
    gaz: Gazetteer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "doc,surface,place_id,note\n"
        "*,sheikh badr,N0218,the Mushhad side\n"  # any case
        "t,Busra al-Harir,C6105,a name the spotter cannot find\n"
        "other,Aleppo,C1001,for another document\n"
        "*,Aleppo,NO-SUCH-ID,a typo\n",
        encoding="utf-8",
    )
    corrections = load_corrections(path)
    doc = Document("t", TEXT_WITH_CORRECTABLE, None)
    with caplog.at_level("WARNING"):
        mentions, used = find_mentions_with_report(doc, gaz, corrections=corrections)
    assert "NO-SUCH-ID" in caplog.text
    by_surface = {m.surface: m for m in mentions}
    badr = by_surface["Sheikh Badr"]
    assert badr.place is not None and badr.place.id == "N0218"
    assert badr.status == "resolved"
    assert badr.reason == "correction: the Mushhad side (c.csv:2)"
    assert any(c.place.id == "C1007" for c in badr.runners_up)  # what it would have been
    busra = by_surface["Busra al-Harir"]
    assert busra.place is not None and busra.place.id == "C6105"
    assert by_surface["Aleppo"].place is not None and by_surface["Aleppo"].place.id == "C1007"
    assert sorted(c.line for c in used) == [2, 3]
    assert find_mentions(doc, gaz, corrections=corrections) == mentions


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("doc,surface,note\n*,Foo,x\n", 1, "missing place_id"),
        ("doc,surface,place_id,note\n*,Foo,C1007,ok\n*,,C1007,bad\n", 3, "needs a surface"),
        ("doc,surface,place_id,note\n*,Foo,,no id\n", 2, "needs a surface and a place_id"),
        ("doc,surface,place_id,note\n*,Foo,C1007,a,b\n", 2, "5 cells"),
    ],
)
def test_malformed_corrections_name_file_and_line(
    tmp_path: Path, content: str, line: int, message: str
) -> None:
    path = tmp_path / "c.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=rf"c\.csv:{line}: .*{message}"):
        load_corrections(path)


def test_a_missing_corrections_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.csv"):
        load_corrections(tmp_path / "nope.csv")


NAMES = st.sampled_from(
    [
        "Aleppo",
        "ALEPPO",
        "aleppo",
        "Syria's",
        "Syrias",
        "Sheikh Maqsoud",
        "Bab al-Hawa",
        "Deir ez-Zor",
        "Ḥalab",
        "Homs",
        "Hamas",
        "Al-",
        "al-Assad",
        "Tal",
        "district",
        "neighbourhood",
        "the Syrian capital",
        "BEIRUT -",
        "Yarmouk camp",
        "Salahuddin",
        "’",
        "-",
        ",",
        ".",
        "\n",
    ]
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(NAMES | st.text(max_size=8), max_size=30), st.sampled_from(["", "BEIRUT"]))
def test_mentions_of_random_text_point_at_their_surfaces(
    gaz: Gazetteer, parts: list[str], dateline: str
) -> None:
    text = " ".join(parts)
    mentions = find_mentions(Document("r", text, None, dateline=dateline), gaz)
    assert mentions == sorted(mentions, key=lambda m: (m.start, m.end))
    previous_end = 0
    for m in mentions:
        assert text[m.start : m.end] == m.surface and m.surface.strip() == m.surface
        assert m.start >= previous_end  # no two mentions overlap
        previous_end = m.end
        assert 0 <= m.score <= 1
        assert (m.place is None) == (m.status == "unresolved")
