"""One name normaliser, used on both sides: gazetteer names and text.

``normalize_name`` folds what never distinguishes two places: case, diacritics, apostrophes and
ayn/hamza marks, hyphens and punctuation, the Arabic article (al-, el-, ad-, as-, ash-, at-,
az-, ...). ``name_keys`` goes further, to phonetic keys that make press spellings meet
(Salaheddin / Salah ad-Din / Salahuddin, Mezzeh / Mazzeh / Mezze, Deir Ezzor / Dayr az-Zawr):
common vowel and consonant alternations (ou/u, ee/i, eh/ah/a, iyeh/iya, q/k, kh/h, dh/z, ...)
and doubled letters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_MARKS = dict.fromkeys(map(ord, "'\u2019\u2018`\u00b4\u02bf\u02be\u02bc\u02b9\u0027\u201b\u2032"))
_PUNCT = re.compile(r"[\s\-\u2010-\u2015_./,;:()\[\]\"\u201c\u201d]+")
#: The Arabic definite article as English texts write it: apart ("al Bab"), hyphenated
#: ("al-Bab") or assimilated to a sun letter ("ad-Dana", "ash-Sheikh"). The one list:
#: :func:`normalize_name`, :func:`geomap.extraction.text.fold_text`, the spotter and the resolver
#: take
#: the article from here.
ARABIC_ARTICLES = (
    "al",
    "el",
    "il",
    "ul",
    "ad",
    "ed",
    "as",
    "es",
    "ash",
    "esh",
    "at",
    "et",
    "az",
    "ez",
    "ar",
    "er",
    "an",
    "en",
    "ath",
    "adh",
    "ax",
)
#: The forms that are the article in running text even written apart ("Tall al Sayyed");
#: the others ("as", "an", "at" ...) are English words too, the article only when hyphenated.
SPACED_ARTICLES = frozenset({"al", "el"})
_ARTICLE_RE = re.compile(r"(?:(?<=\s)|^)(?:" + "|".join(ARABIC_ARTICLES) + r")\s+(?=\S)")
_NON_ALNUM = re.compile(r"[^\w\s]")


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Fold case, diacritics, apostrophes, punctuation and the Arabic article.

    >>> normalize_name("Salah ad-Dīn")
    'salah din'
    >>> normalize_name("A'zaz")
    'azaz'
    """
    s = strip_diacritics(name).translate(_MARKS).casefold()
    s = _PUNCT.sub(" ", s)
    s = _NON_ALNUM.sub("", s)
    s = " ".join(s.split())
    stripped = _ARTICLE_RE.sub("", s)
    return stripped if stripped.strip() else s


# Phonetic folding, applied in order to a normalised name (word by word).
_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"(iyyah|iyyeh|iyeh|iyah|iyya|iye|iya|ieh|iah|ia|ie)$", "ia"),
        (r"(?<=[aeiou])h$", ""),  # Hamah / Hama, Mezzeh / Mezze
        (r"kh", "h"),
        (r"gh", "g"),
        (r"dh", "z"),
        (r"th", "t"),
        (r"sh", "s"),
        (r"ch", "s"),
        (r"ph", "f"),
        (r"q", "k"),
        (r"ck", "k"),
        (r"c", "k"),
        (r"ou|oo|uo", "u"),
        (r"ee|ei|ey|ay|ai|ie", "i"),
        (r"aw|au", "u"),
        (r"y", "i"),
        (r"w", "u"),
        (r"[ei]", "a"),  # short e/i/a alternate in transliteration: Dabiq/Dabeq, Idlib/Idleb
        (r"o", "u"),
        (r"(.)\1+", r"\1"),
    )
)
_VOWELS = re.compile(r"[aeiou]")
_REPEATS = re.compile(r"(.)\1+")  # a letter written twice or more


@lru_cache(maxsize=65536)  # words recur from name to name: 21,000 distinct in 56,000 folds
def _fold_word(word: str) -> str:
    for pattern, repl in _FOLDS:
        word = pattern.sub(repl, word)
    return word


@lru_cache(maxsize=65536)
def name_keys(name: str) -> tuple[str, str]:
    """Two phonetic keys of a name: vowel-folded, and the consonant skeleton.

    The first keeps vowels (folded to a few classes) and word order without spaces; the second
    drops the vowels, so that "Salaheddin" and "Salah al-Din" meet (and Arabic names, see
    :func:`arabic_skeleton`). Use the
    skeleton only when it is long enough to be telling (see ``SKELETON_MIN``).
    """
    norm = normalize_name(name)
    folded = "".join(_fold_word(w) for w in norm.split())
    folded = _REPEATS.sub(r"\1", folded)
    skeleton = _VOWELS.sub("", folded)
    skeleton = _REPEATS.sub(r"\1", skeleton)
    return folded, skeleton


#: A consonant skeleton shorter than this is too common to identify a place.
SKELETON_MIN = 4
#: A skeleton this long (and shorter than SKELETON_MIN) identifies a place only among the
#: places near another one ("Madira" for Modira beside Mesraba).
SHORT_SKELETON_MIN = 3


# Arabic script is consonantal: a name written in Arabic gives the consonant skeleton of every
# romanisation of it, folded the same way as ``name_keys`` folds Latin letters.
_AR_LETTERS = {
    "ب": "b",
    "ت": "t",
    "ث": "t",
    "ج": "j",
    "ح": "h",
    "خ": "h",
    "د": "d",
    "ذ": "z",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "s",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "غ": "g",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "پ": "b",
    "گ": "k",
    "ڤ": "f",
}
_AR_ARTICLE = re.compile(r"(?:^|(?<=\s))(?:وال|بال|لل|ال)(?=\S{2,})")
_AR_FINAL_H = re.compile(r"[هة](?=\s|$)")


@lru_cache(maxsize=65536)
def arabic_skeleton(name: str) -> str:
    """The consonant skeleton of an Arabic name, comparable with ``name_keys(latin)[1]``.

    The article, long vowels (ا و ي ى), hamza, ayn and the final ta marbuta are dropped.

    >>> arabic_skeleton("المشهد") == name_keys("Mushhad")[1]
    True
    """
    s = unicodedata.normalize("NFKC", name)
    s = _AR_ARTICLE.sub("", s)
    s = _AR_FINAL_H.sub("", s)
    out = "".join(_AR_LETTERS.get(ch, "") for ch in s)
    return _REPEATS.sub(r"\1", out)
