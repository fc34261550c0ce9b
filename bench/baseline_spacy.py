"""The baseline geomap is measured against: spaCy place spotting only.

A blank English pipeline with its sentencizer and a PhraseMatcher (on lower-cased tokens) over
every Latin-script name in the gazetteer. It finds names; it does not resolve, date, type or
merge anything, so it is a lower bound on what a spaCy-based extractor would cost.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from geomap.gazetteer.store import Gazetteer


def gazetteer_names(gaz: Gazetteer) -> list[str]:
    """Every distinct name of every place (the strings the matcher looks for), sorted."""
    names: set[str] = set()
    for place in gaz.places:
        names.add(place.name)
        names.update(gaz.names_of(place.id))
    return sorted(n for n in names if n.strip())


def build_pipeline(names: Iterable[str]) -> tuple[Any, Any]:
    """``(nlp, matcher)``: blank English + sentencizer, and a PhraseMatcher over ``names``."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    patterns = [nlp.make_doc(name) for name in names]
    for start in range(0, len(patterns), 5000):
        matcher.add("PLACE", patterns[start : start + 5000])
    return nlp, matcher


def spot(nlp: Any, matcher: Any, texts: Iterable[str]) -> tuple[int, int]:
    """Run the pipeline over ``texts``; ``(documents, place names found)``."""
    docs = found = 0
    for doc in nlp.pipe(texts, batch_size=64):
        found += len(matcher(doc))
        docs += 1
    return docs, found
