"""Sentences and the folded copy of a text (geomap.extraction.text)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.extraction.text import fold_text, sentence_index, split_sentences

# text, the sentences it holds
SENTENCES = [
    (
        "Dr. Smith arrived. Then U.S. officials left.",
        ["Dr. Smith arrived.", "Then U.S. officials left."],
    ),
    (
        "The blast came at 7 a.m. Rescuers arrived later.",
        ["The blast came at 7 a.m. Rescuers arrived later."],  # "a.m." alone cannot tell
    ),
    (
        "Gen. Mustafa al-Sheikh defected. Col. Riad al-Asaad leads the rebels.",
        ["Gen. Mustafa al-Sheikh defected.", "Col. Riad al-Asaad leads the rebels."],
    ),
    (
        "Rebels hold Azaz\n\nAZAZ, Syria - Rebels took the town. Troops withdrew.",
        ["Rebels hold Azaz", "AZAZ, Syria - Rebels took the town.", "Troops withdrew."],
    ),
    (
        "\u201cWe will win.\u201d He said so. \u201cWhen?\u201d she asked.",
        ["\u201cWe will win.\u201d", "He said so.", "\u201cWhen?\u201d she asked."],
    ),
    (
        '"They shelled us," he said. "Again!" It was over.',
        ['"They shelled us," he said.', '"Again!"', "It was over."],
    ),
    (
        "Clashes erupted (in Homs). Then calm returned.",
        ["Clashes erupted (in Homs).", "Then calm returned."],
    ),
    (
        "The U.N. envoy, Kofi Annan, met the U.S. Secretary of State.",
        ["The U.N. envoy, Kofi Annan, met the U.S. Secretary of State."],
    ),
    (
        "At least 19 were killed... 3 more died later.",
        ["At least 19 were killed...", "3 more died later."],
    ),
    ("Line one\nLine two\n\n\nLine three.", ["Line one", "Line two", "Line three."]),
    ("  padded sentence.  ", ["padded sentence."]),
    ("", []),
    ("   \n\n  ", []),
    ("No full stop at all", ["No full stop at all"]),
    ("Is it over? Yes! Fighting stopped.", ["Is it over?", "Yes!", "Fighting stopped."]),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES, ids=[s[0][:30] for s in SENTENCES])
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in split_sentences(text)] == expected


# surface in a text, the folded form the spotter sees there
FOLDS = [
    ("Syria's", "syrias"),
    ("Syria\u2019s", "syrias"),
    ("A'zaz", "azaz"),
    ("Ma\u02bfarrat", "maarrat"),
    ("Salah al-D\u012bn", "salah din"),
    ("Deir el-Zour", "deir zour"),
    ("Deir ez-Zor", "deir zor"),
    ("Bab al-Hawa", "bab hawa"),
    ("ALEPPO,Syria", "aleppo syria"),
    ("Hal\u00e1b", "halab"),
    ("Jisr al Shughour", "jisr shughour"),
    ("Idlib-based", "idlib based"),
]


@pytest.mark.parametrize(("text", "folded"), FOLDS)
def test_fold_text(text: str, folded: str) -> None:
    f = fold_text(text)
    assert f.text == folded
    assert len(f.index) == len(f.text)
    for i, ch in enumerate(f.text):
        if ch != " ":
            assert fold_text(text[f.index[i]]).text == ch


def test_sentence_index_finds_the_sentence() -> None:
    text = "One here. Two there. Three."
    spans = split_sentences(text)
    assert [sentence_index(spans, text.index(w)) for w in ("One", "Two", "Three")] == [0, 1, 2]
    assert sentence_index(spans, 0) == 0
    assert sentence_index(spans, len(text)) == 2


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_sentences_cover_every_word_in_order(text: str) -> None:
    spans = split_sentences(text)
    assert spans == sorted(spans)
    covered: set[int] = set()
    prev_end = 0
    for s, e in spans:
        assert prev_end <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        covered.update(range(s, e))
        prev_end = e
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_folded_text_maps_back_to_the_text(text: str) -> None:
    f = fold_text(text)
    assert len(f.index) == len(f.text)
    assert list(f.index) == sorted(set(f.index))
    assert all(0 <= i < len(text) for i in f.index)
