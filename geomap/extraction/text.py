"""Text utilities: sentences and a normalised copy of a text with an offset map.

Offsets always refer to the document text as read (``geomap.pipeline.corpus`` normalises line ends).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from geomap.gazetteer.names import ARABIC_ARTICLES, SPACED_ARTICLES

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen lt col maj capt sgt brig adm gov sen rep st no vs etc jan feb mar apr jun "
    "jul aug sep sept oct nov dec u.s u.n u.k e.g i.e a.m p.m jr sr prof rev est approx inc co "
    "corp ltd dept fig pp".split()
)
# A sentence ends at . ! ? (and closing quotes/brackets) followed by space and an opener, or at
# a line break. Headlines without a full stop end at their line break.
_END = re.compile(
    r"([.!?]+[\"'\u201d\u2019)\]]*)(\s+)(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u0600-\u06ff])"
)
_LINE = re.compile(r"\n+")
_LAST_WORD = re.compile(r"([\w.]+)[.!?]*[\"'\u201d\u2019)\]]*$")
_LAST_WORD_WINDOW = 48


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets ``(start, end)``, whitespace trimmed, in order, never empty."""
    spans: list[tuple[int, int]] = []
    for para in _paragraphs(text):
        start = para[0]
        chunk = text[para[0] : para[1]]
        for m in _END.finditer(chunk):
            end = para[0] + m.end(1)
            # the word before the stop; only the last few characters are looked at, so that a
            # run of abbreviations stays linear ("Gen. Gen. Gen. ...")
            word = _LAST_WORD.search(text, max(start, end - _LAST_WORD_WINDOW), end)
            token = word.group(1).lower().rstrip(".") if word else ""
            if m.group(1).startswith(".") and (
                token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())
            ):
                continue
            spans.append((start, end))
            start = para[0] + m.end(2)
        if start < para[1]:
            spans.append((start, para[1]))
    out: list[tuple[int, int]] = []
    for s, e in (_trim(text, s, e) for s, e in spans):
        if e > s:
            out.extend(_bounded(text, s, e))
    return out


#: A "sentence" longer than this (no real one in the development set passes 700 characters) is
#: cut at a space before the limit: the work done per sentence then stays bounded, and a
#: document's work linear in its length, whatever its punctuation.
MAX_SENTENCE_CHARS = 1200


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max(text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, limit), -1)
        if cut <= start:
            cut = limit
        a, b = _trim(text, start, cut)
        if b > a:
            pieces.append((a, b))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return pieces


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for m in _LINE.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_index(spans: Sequence[tuple[int, int]], offset: int) -> int:
    """Index of the sentence holding ``offset`` (the last one before it if between two)."""
    i = bisect.bisect_right(spans, offset, key=_start) - 1
    return max(i, 0)


def _start(span: tuple[int, int]) -> int:
    return span[0]


_APOSTROPHES = "'\u2019\u2018`\u00b4\u02bf\u02be\u02bc\u2032"
_APOS_RE = re.compile("[" + re.escape(_APOSTROPHES) + "]")
_ARTICLE_RE = re.compile(r"(?<![a-z0-9])(" + "|".join(ARABIC_ARTICLES) + r") (?=[a-z])")


class _FoldTable(dict[int, str]):
    """str.translate table: ASCII letters lower-cased, digits kept, accented letters to their
    base letter, everything else to a space; one character for one character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        out = " "
        if ch.isalnum():
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            ).casefold()
            out = base[0] if base and base[0].isalnum() else (ch.casefold()[:1] or " ")
        self[code] = out
        return out


_TABLE = _FoldTable()


@dataclass(frozen=True, slots=True)
class FoldedText:
    """A lower-case, accent-free, punctuation-free copy of a text and where each char came from.

    ``text[i]`` came from the original at ``index[i]``. Punctuation becomes spaces, apostrophes
    vanish ("Syria's" -> "syrias"), and the Arabic article ("al-", "el-", and "ad-", "ash-" ...
    when hyphenated) is dropped, the way :func:`geomap.gazetteer.names.normalize_name` folds names.
    """

    text: str
    index: Sequence[int]


def fold_text(text: str) -> FoldedText:
    index: list[int] | range
    if _APOS_RE.search(text):
        kept: list[int] = []
        prev = 0
        for m in _APOS_RE.finditer(text):
            kept.extend(range(prev, m.start()))
            prev = m.end()
        kept.extend(range(prev, len(text)))
        stripped = _APOS_RE.sub("", text)
        index = kept
    else:
        stripped = text
        index = range(len(text))
    folded = stripped.translate(_TABLE)
    cuts: list[tuple[int, int]] = []
    for m in _ARTICLE_RE.finditer(folded):
        tok = m.group(1)
        after = index[m.end(1) - 1] + 1
        if tok in SPACED_ARTICLES or (after < len(text) and text[after] in "-\u2010\u2011"):
            cuts.append((m.start(), m.end()))
    if not cuts:
        return FoldedText(folded, index)
    parts: list[str] = []
    new_index: list[int] = []
    pos = 0
    for a, b in cuts:
        parts.append(folded[pos:a])
        new_index.extend(index[pos:a])
        pos = b
    parts.append(folded[pos:])
    new_index.extend(index[pos:])
    return FoldedText("".join(parts), new_index)
