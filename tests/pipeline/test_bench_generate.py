"""The benchmark corpus generator: deterministic, prefix-stable, varied, readable by geomap."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from pathlib import Path

import pytest

from bench.generate import count_phrase, generate_corpus, when_phrase
from geomap.errors import Problem
from geomap.extraction.text import split_sentences
from geomap.gazetteer.store import Gazetteer
from geomap.pipeline.corpus import read_corpus


def _digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def test_same_seed_same_bytes(tmp_path: Path, gaz: Gazetteer) -> None:
    a = generate_corpus(30, tmp_path / "a", seed=7, gaz=gaz)
    b = generate_corpus(30, tmp_path / "b", seed=7, gaz=gaz)
    assert _digest(a) == _digest(b)
    c = generate_corpus(30, tmp_path / "c", seed=8, gaz=gaz)
    assert _digest(a)["gen000000.txt"] != _digest(c)["gen000000.txt"]


def test_more_articles_keep_the_first_ones(tmp_path: Path, gaz: Gazetteer) -> None:
    small = _digest(generate_corpus(20, tmp_path / "s", seed=3, gaz=gaz))
    big = _digest(generate_corpus(30, tmp_path / "b", seed=3, gaz=gaz))
    txt = {k: v for k, v in small.items() if k.endswith(".txt")}
    assert len(txt) == 20 and len([k for k in big if k.endswith(".txt")]) == 30
    assert all(big[k] == v for k, v in txt.items())


def test_articles_are_varied_and_dated(tmp_path: Path, gaz: Gazetteer) -> None:
    out = generate_corpus(60, tmp_path / "c", seed=1, gaz=gaz)
    docs = [d for d in read_corpus(out) if not isinstance(d, Problem)]
    assert len(docs) == 60
    assert len({d.text for d in docs}) == 60
    years = Counter(d.published.year for d in docs if d.published)
    assert sum(years.values()) == 60 and len(years) >= 5
    assert all(2011 <= y <= 2020 for y in years)
    with open(out / "manifest.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["file"] for r in rows] == [f"gen{i:06d}.txt" for i in range(60)]
    # originals have 5-15 body sentences, rewrites of them 3-5 (+ the headline)
    lengths = Counter(len(split_sentences(d.text)) for d in docs)
    assert min(lengths) >= 4 and max(lengths) <= 20
    assert sum(n for k, n in lengths.items() if k >= 8) >= 20


def test_rewrites_repeat_earlier_sentences(tmp_path: Path, gaz: Gazetteer) -> None:
    out = generate_corpus(60, tmp_path / "c", seed=9, gaz=gaz)
    seen: set[str] = set()
    rewrites = 0
    for path in sorted(out.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sentences = {text[a:b].split(" - ", 1)[-1] for a, b in split_sentences(text)[1:]}
        if len(sentences & seen) >= 3:
            rewrites += 1
        seen |= sentences
    assert 5 <= rewrites <= 25  # about one in five


def test_articles_name_real_places(tmp_path: Path, gaz: Gazetteer) -> None:
    out = generate_corpus(40, tmp_path / "c", seed=5, gaz=gaz)
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.glob("*.txt")))
    cities = [p.name for p in gaz.places if p.kind == "city" and p.name in text]
    assert len(cities) >= 3
    neighbourhoods = [p.name for p in gaz.places if p.kind == "neighbourhood" and p.name in text]
    assert len(neighbourhoods) >= 10


@pytest.mark.parametrize("seed", range(5))
def test_phrases(seed: int) -> None:
    import random
    from datetime import date

    rng = random.Random(seed)
    phrases = {when_phrase(date(2012, 7, 26), rng) for _ in range(200)}
    assert "overnight" in phrases and any(p.startswith("on ") for p in phrases)
    counts = {count_phrase(rng) for _ in range(200)}
    assert any(c.isdigit() for c in counts) and any(c.isalpha() for c in counts)


def test_negative_n_is_refused(tmp_path: Path, gaz: Gazetteer) -> None:
    with pytest.raises(ValueError, match="-1"):
        generate_corpus(-1, tmp_path, gaz=gaz)
