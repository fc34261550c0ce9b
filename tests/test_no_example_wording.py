"""No rule and no test may quote the example articles: the code must not fit five articles.

Any run of five words of ``corpus/seeds/*.txt`` found in the package's or the tests' Python
source fails this test (names of organisations excepted). Test sentences are invented, with
other places and other wording; rules are general mechanisms, not phrases of the examples.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
N = 5
#: Proper names of organisations, which any report may print word for word.
ALLOWED = {
    ("syrian", "observatory", "for", "human", "rights"),
}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _grams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + N]) for i in range(len(words) - N + 1)}


def test_no_python_source_quotes_the_example_articles() -> None:
    seeds = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    assert len(seeds) == 5
    example: set[tuple[str, ...]] = set()
    for path in seeds:
        example |= _grams(_words(path.read_text(encoding="utf-8")))
    allowed = {g for g in example for a in ALLOWED if _inside(g, a)}
    found = {}
    for path in sorted([*(ROOT / "geomap").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]):
        quoted = (_grams(_words(path.read_text(encoding="utf-8"))) & example) - allowed
        if quoted:
            found[str(path.relative_to(ROOT))] = sorted(" ".join(g) for g in quoted)[:3]
    assert not found, found


def _inside(gram: tuple[str, ...], name: tuple[str, ...]) -> bool:
    """Whether the gram lies within the allowed name, or overlaps its start or end."""
    text, whole = " ".join(gram), " ".join(name)
    return text in whole or any(
        " ".join(gram[:k]) == " ".join(name[-k:]) or " ".join(gram[-k:]) == " ".join(name[:k])
        for k in range(3, N)
    )
