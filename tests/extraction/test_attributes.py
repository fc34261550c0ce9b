"""The attribute ruler as a table gives the tokens spaCy's own attribute ruler gives."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from geomap.extraction import nlp  # noqa: E402
from geomap.extraction.attributes import MEMO_LIMIT, TableAttributeRuler, install  # noqa: E402


def _annotations(doc: object) -> list[tuple[str, ...]]:
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i), t.ent_type_)
        for t in doc  # type: ignore[attr-defined]
    ]


@pytest.fixture(scope="module")
def shipped() -> object:
    """The model as its package ships it (spaCy's matcher-based attribute ruler)."""
    return spacy.load(nlp.model_path(), exclude=list(nlp.EXCLUDED))


# Invented sentences: the tag-map rules (every part of speech), the word rules ("'s", "'re",
# "n't", contractions, "ai n't", "gon na", "wanna"), the dependency rules and spaces.
SENTENCES = [
    "Warplanes pounded the town of Kafr Sousa on Tuesday, killing 4 civilians.",
    "The army's artillery wasn't firing; it's said they'd withdrawn from the hill.",
    "Rebels ain't gonna leave Tal Rifaat, a commander said, and we're staying too.",
    "I wanna know whether the convoy   reached  Madaya\n\nbefore the 3rd of May 2016.",
    "Some 1,200 families fled (according to the UN) as shells hit al-Bab's old market!",
    "Didn't the observatory report that no-one was hurt?  Yes -- 'none', it said.",
    "He said: \"Let's go\", but they'll have to wait; y'all know why.",
    "Over 40 % of the 5-storey buildings, i.e. most, were destroyed by 12:30 p.m.",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_the_table_gives_the_shipped_rulers_annotations(shipped: object, text: str) -> None:
    ours = nlp.pipeline()
    assert isinstance(ours.get_pipe("attribute_ruler"), TableAttributeRuler)
    assert _annotations(ours(text)) == _annotations(shipped(text))  # type: ignore[operator]


def test_the_pipeline_keeps_its_components_in_order() -> None:
    assert tuple(nlp.pipeline().pipe_names) == nlp.COMPONENTS


def test_most_of_the_shipped_rules_are_table_rows(shipped: object) -> None:
    patterns = shipped.get_pipe("attribute_ruler").patterns  # type: ignore[attr-defined]
    table = TableAttributeRuler(shipped.vocab, patterns)  # type: ignore[attr-defined]
    assert len(table.attrs) == len(patterns)
    assert table.n_matcher_rules < len(patterns) // 10  # the few multi-token ones


def _blank_doc(
    vocab: object, words: list[str], tags: list[str], deps: list[str] | None = None
) -> object:
    from spacy.tokens import Doc

    if deps is None:
        return Doc(vocab, words=words, tags=tags)  # type: ignore[arg-type]
    root = deps.index("ROOT")
    heads = [root] * len(words)
    return Doc(vocab, words=words, tags=tags, deps=deps, heads=heads)  # type: ignore[arg-type]


RULES = [
    # 0: a tag-map row
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
    # 1: a later rule on word and tag overrides rule 0's part of speech
    {"patterns": [[{"LOWER": "shelling", "TAG": "NN"}]], "attrs": {"POS": "VERB"}},
    # 2: sets the tag; rule 3 is tested on the tag before any rule applied
    {"patterns": [[{"LOWER": "raid"}]], "attrs": {"TAG": "VB"}},
    {"patterns": [[{"TAG": "VB"}]], "attrs": {"POS": "AUX"}},
    # 4: several tokens (a matcher rule), setting the second
    {"patterns": [[{"LOWER": "car"}, {"LOWER": "bomb"}]], "attrs": {"LEMMA": "bomb!"}, "index": 1},
    # 5: an IN list
    {"patterns": [[{"LOWER": {"IN": ["town", "village"]}}]], "attrs": {"LEMMA": "settlement"}},
    # 6: an operator: not a table row
    {"patterns": [[{"LOWER": "hill", "OP": "+"}]], "attrs": {"LEMMA": "height"}},
    # 7: NOT_IN and IN on the relation and the tag
    {
        "patterns": [[{"DEP": {"NOT_IN": ["det", ""]}, "TAG": {"IN": ["DT", "WDT"]}}]],
        "attrs": {"POS": "PRON"},
    },
    # 8: a regular expression on the word
    {"patterns": [[{"LOWER": {"REGEX": "^n[ou]thin'$"}}]], "attrs": {"LEMMA": "nothing"}},
]


@pytest.mark.parametrize(
    ("words", "tags", "deps", "want"),
    [
        (["shelling"], ["NN"], None, [("VERB", "shelling", "NN")]),  # later rule wins
        (["convoy"], ["NN"], None, [("NOUN", "convoy", "NN")]),
        (["raid"], ["NN"], None, [("NOUN", "raid", "VB")]),  # rule 3 saw NN, not the new VB
        (["walk"], ["VB"], None, [("AUX", "walk", "VB")]),
        (["car", "bomb"], ["NN", "NN"], None, [("NOUN", "car", "NN"), ("NOUN", "bomb!", "NN")]),
        (["bomb", "car"], ["NN", "NN"], None, [("NOUN", "bomb", "NN"), ("NOUN", "car", "NN")]),
        (["Village"], ["NNP"], None, [("", "settlement", "NNP")]),
        (["villages"], ["NNS"], None, [("", "villages", "NNS")]),  # near miss: not in the list
        (["hill"], ["NN"], None, [("NOUN", "height", "NN")]),
        (["that"], ["DT"], ["ROOT"], [("PRON", "that", "DT")]),
        (
            ["that", "town"],
            ["DT", "NN"],
            ["det", "ROOT"],
            [("", "that", "DT"), ("NOUN", "settlement", "NN")],
        ),
        (["Nuthin'"], ["NN"], None, [("NOUN", "nothing", "NN")]),
        (["nothin"], ["NN"], None, [("NOUN", "nothin", "NN")]),  # near miss: no apostrophe
    ],
)
def test_rules_apply_in_order_on_the_tokens_as_parsed(
    words: list[str], tags: list[str], deps: list[str] | None, want: list[tuple[str, str, str]]
) -> None:
    from spacy.pipeline import AttributeRuler

    vocab = spacy.blank("en").vocab  # with the lexical attributes (LOWER)
    ours = TableAttributeRuler(vocab, RULES)
    assert ours.n_matcher_rules == 2  # the two-token rule and the operator
    theirs = AttributeRuler(vocab)
    theirs.add_patterns(RULES)  # type: ignore[arg-type]
    for ruler in (ours, theirs):
        doc = ruler(_blank_doc(vocab, words, tags, deps))
        got = [(t.pos_, t.lemma_ or t.text, t.tag_) for t in doc]  # type: ignore[attr-defined]
        assert got == want


def test_the_memo_is_bounded() -> None:
    from spacy.vocab import Vocab

    vocab = Vocab()
    ruler = TableAttributeRuler(vocab, RULES)
    tag = vocab.strings.add("NN")
    for i in range(MEMO_LIMIT + 10):
        ruler._row((tag, vocab.strings.add(f"w{i}"), 0, 0))
    assert len(ruler._memo) <= MEMO_LIMIT


def test_install_leaves_a_pipeline_without_the_ruler_alone() -> None:
    blank = spacy.blank("en")
    assert install(blank) is blank
    assert blank.pipe_names == []


def test_words_no_rule_names_share_one_row(shipped: object) -> None:
    """A new word costs a lookup: the rules' verdict on a word no rule names is the same for
    every such word (and is worked out once)."""
    patterns = shipped.get_pipe("attribute_ruler").patterns  # type: ignore[attr-defined]
    table = TableAttributeRuler(shipped.vocab, patterns)  # type: ignore[attr-defined]
    strings = shipped.vocab.strings  # type: ignore[attr-defined]
    rows = [
        table._row((strings.add("NNP"), strings.add(word), strings.add("nsubj"), 0))
        for word in ("kafrsousa", "zzyzx", "madaya")
    ]
    assert rows[0] is rows[1] is rows[2]
    named = table._row((strings.add("DT"), strings.add("the"), strings.add("det"), 0))
    other = table._row((strings.add("DT"), strings.add("qqq"), strings.add("det"), 0))
    assert named.columns != other.columns  # "the" is named by a rule: its own row


def test_the_lemmatiser_is_asked_once_a_word_and_gives_its_lemmas(
    shipped: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geomap.extraction.attributes import MemoLemmatizer

    ours = nlp.pipeline()
    memo = ours.get_pipe("lemmatizer")
    assert isinstance(memo, MemoLemmatizer)
    calls: list[str] = []
    real = memo.lemmatizer.lemmatize

    def counting(token: object) -> list[str]:
        calls.append(token.text)  # type: ignore[attr-defined]
        return real(token)  # type: ignore[no-any-return]

    monkeypatch.setattr(memo.lemmatizer, "lemmatize", counting)  # put back after the test
    text = "Jets pounded Xqarib twice; the jets pounded Xqarib again."
    assert _annotations(ours(text)) == _annotations(shipped(text))  # type: ignore[operator]
    assert calls.count("pounded") <= 1 and calls.count("Xqarib") <= 1


def test_numpys_matrix_products_give_the_shipped_annotations(shipped: object) -> None:
    """geomap's pipeline computes its layers' matrix products with numpy instead of BLIS
    (nlp._numpy_products): the same tags, lemmas, parses and entities as the package's own
    pipeline, on paragraphs read in one batch as geomap reads them."""
    ours = nlp.pipeline()
    models = [p.model for _n, p in ours.pipeline if getattr(p, "model", None) is not None]
    assert models and all(not node.ops.use_blis for m in models for node in m.walk())
    paragraphs = [" ".join(SENTENCES[i:] + SENTENCES[:i]) for i in range(len(SENTENCES))]
    got = [_annotations(d) for d in ours.pipe(paragraphs, batch_size=8)]
    want = [_annotations(d) for d in shipped.pipe(paragraphs, batch_size=8)]  # type: ignore[attr-defined]
    assert got == want
    assert any(t[-1] for doc in got for t in doc)  # entities were found
