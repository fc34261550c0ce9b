"""spaCy's attribute ruler as a table lookup: the same annotations, a fraction of the time.

The English pipeline's ``attribute_ruler`` maps the tagger's fine tags to coarse parts of
speech and morphology, and fixes the lemma or the part of speech of a few words ("'s", "ai",
"gon na"). It holds its rules as :class:`spacy.matcher.Matcher` patterns, and the matcher tries
all of them (179 in ``en_core_web_sm`` 3.8) at every token: about a fifth of the pipeline's
time on a news article, for rules that are nearly all one token tested on its tag, its
lower-case form, its dependency relation or whether it is space.

:class:`TableAttributeRuler` keeps the same rules and applies them the same way (the rules a
token matches set its attributes in rule order, a later rule overriding an earlier one; every
rule is tested on the token as the parser left it, before any is applied). A one-token rule
on those four attributes is looked up by the token's ``(tag, lower, dep, is_space)``, the
resulting attribute set memoised; any other rule (several tokens, other attributes,
operators) stays a matcher pattern, run by a :class:`spacy.matcher.Matcher` that holds only
those few. ``tests/extraction/test_attributes.py`` checks that both rulers give identical
tokens.

The rule lemmatiser that follows it likewise walks every token in Python and works a
lemma out of the word, its part of speech and its morphology each time (spaCy caches only the
words its rules change). :class:`MemoLemmatizer` reads those three of every token from the
document's arrays and asks the lemmatiser only for a combination it has not seen: the same
lemmas.

:func:`install` swaps both in for the loaded pipeline's ``attribute_ruler`` and
``lemmatizer`` (same names, same places in the pipeline).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

#: Token attributes a one-token rule may test and still be a table row.
_TABLE_KEYS = frozenset({"TAG", "LOWER", "DEP", "IS_SPACE"})
#: Distinct token keys remembered before the memo starts over (bounded memory on any corpus).
MEMO_LIMIT = 50_000
#: The components' factory names.
FACTORY = "geomap_table_attribute_ruler"
LEMMATIZER_FACTORY = "geomap_memo_lemmatizer"
#: Stands for every lower-case form no table rule names (no rule's value, no rule's pattern).
_OTHER_WORD = "\uffff"


class Condition(NamedTuple):
    """One attribute test of a matcher pattern: the value is in (or not in) ``values``, or
    matches ``regex`` (``re.search``, as the matcher does)."""

    values: frozenset[Any] = frozenset()
    negated: bool = False
    regex: re.Pattern[str] | None = None

    def __call__(self, value: Any) -> bool:
        if self.regex is not None:
            return isinstance(value, str) and self.regex.search(value) is not None
        return (value in self.values) != self.negated


def _condition(value: Any) -> Condition | None:
    """A matcher predicate as a :class:`Condition`, or None when it is none of those."""
    if isinstance(value, (str, bool)):
        return Condition(frozenset({value}))
    if not isinstance(value, Mapping) or len(value) != 1:
        return None
    ((op, arg),) = value.items()
    if op in ("IN", "NOT_IN") and isinstance(arg, (list, tuple)):
        if all(isinstance(v, (str, bool)) for v in arg):
            return Condition(frozenset(arg), negated=op == "NOT_IN")
    if op == "REGEX" and isinstance(arg, str):
        return Condition(regex=re.compile(arg))
    return None


Rule = dict[str, Condition]


def _table_rule(token: Mapping[str, Any]) -> Rule | None:
    """One token's pattern on :data:`_TABLE_KEYS` as ``{attribute: condition}``."""
    if not set(token) <= _TABLE_KEYS:
        return None
    rule: Rule = {}
    for key, value in token.items():
        condition = _condition(value)
        if condition is None:
            return None
        rule[key] = condition
    return rule


def _one_token_rule(pattern: Sequence[Mapping[str, Any]]) -> Rule | None:
    return _table_rule(pattern[0]) if len(pattern) == 1 else None


class TableAttributeRuler:
    """The rules of a spaCy ``AttributeRuler`` (its ``patterns``), applied by table lookup."""

    def __init__(self, vocab: Any, patterns: Iterable[Mapping[str, Any]]) -> None:
        from spacy.matcher import Matcher
        from spacy.tokens._retokenize import normalize_token_attrs

        self.vocab = vocab
        #: per rule, in order: its normalised attributes and the index of the token it sets
        self.attrs: list[dict[int, Any]] = []
        self.indices: list[int] = []
        #: the table rules: (rule number, {attribute: condition})
        self.table: list[tuple[int, Rule]] = []
        #: the first token of each matcher rule, as a table rule when it can be one (a token
        #: that can start none of them spares the document the matcher)
        self.starts: list[Rule] = []
        self.always_match = False
        self.matcher = Matcher(vocab, validate=False)
        self.n_matcher_rules = 0
        for pattern in patterns:
            number = len(self.attrs)
            self.attrs.append(normalize_token_attrs(vocab, dict(pattern["attrs"])))
            self.indices.append(int(pattern.get("index", 0)))
            rules = [_one_token_rule(p) for p in pattern["patterns"]]
            if all(r is not None for r in rules):
                self.table.extend((number, r) for r in rules if r is not None)
            else:
                self.matcher.add(str(number), list(pattern["patterns"]))
                self.n_matcher_rules += 1
                for p in pattern["patterns"]:
                    first = _table_rule(p[0]) if p and "OP" not in p[0] else None
                    if first is None:
                        self.always_match = True
                    else:
                        self.starts.append(first)
        from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG

        #: the attributes a token's key is read from, and those set through arrays
        self._keys = [TAG, LOWER, DEP, IS_SPACE]
        self._columns = [POS, MORPH, LEMMA]
        self._memo: dict[tuple[int, ...], _Row] = {}
        # A word no rule names behaves as any other such word: the rows are shared by the
        # word's class (itself when a rule, or the first token of a matcher rule, names it or
        # its pattern matches it, else :data:`_OTHER_WORD`), so that a new word costs a
        # lookup, not a pass over the rules.
        self._named: set[str] = set()
        self._patterns: list[re.Pattern[str]] = []
        for rule in [r for _n, r in self.table] + self.starts:
            lower = rule.get("LOWER")
            if lower is not None:
                self._named.update(v for v in lower.values if isinstance(v, str))
                if lower.regex is not None:
                    self._patterns.append(lower.regex)
        if _OTHER_WORD in self._named or any(r.search(_OTHER_WORD) for r in self._patterns):
            raise ValueError("a rule names the placeholder word")  # pragma: no cover
        self._by_class: dict[tuple[str, str, str, bool], _Row] = {}

    def _word_class(self, lower: str) -> str:
        """``lower`` itself when a table rule names it or its pattern matches it, else the
        placeholder that stands for every word no rule names."""
        if lower in self._named or any(r.search(lower) for r in self._patterns):
            return lower
        return _OTHER_WORD

    def _rules_for(self, key: tuple[str, str, str, bool]) -> tuple[int, ...]:
        """The numbers of the table rules a token with this key matches, in rule order."""
        values = _values(key)
        return tuple(
            sorted(
                {
                    number
                    for number, rule in self.table
                    if all(test(values[k]) for k, test in rule.items())
                }
            )
        )

    def _row(self, key: tuple[int, int, int, int]) -> _Row:
        """What the table rules do to a token whose (tag, lower, dep, is_space) are ``key``
        (string hashes and 0/1), memoised."""
        got = self._memo.get(key)
        if got is None:
            strings = self.vocab.strings
            words = (
                strings[key[0]] if key[0] else "",
                strings[key[1]] if key[1] else "",
                strings[key[2]] if key[2] else "",
                bool(key[3]),
            )
            word_class = (words[0], self._word_class(words[1]), words[2], words[3])
            got = self._by_class.get(word_class)
            if got is None:
                got = self._class_row(word_class)
                if len(self._by_class) >= MEMO_LIMIT:
                    self._by_class.clear()
                self._by_class[word_class] = got
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = got
        return got

    def _class_row(self, words: tuple[str, str, str, bool]) -> _Row:
        """What the table rules do to a token with these (tag, lower, dep, is_space)."""
        numbers = self._rules_for(words)
        values = _values(words)
        merged: dict[int, Any] = {}
        for number in numbers:
            merged.update(self.attrs[number])  # a later rule overrides an earlier one
        columns = tuple(merged.get(a) for a in self._columns)
        other = {a: v for a, v in merged.items() if a not in self._columns}
        starts = any(all(test(values[k]) for k, test in rule.items()) for rule in self.starts)
        return _Row(numbers, columns, other, starts)

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens._retokenize import set_token_attrs

        if not len(doc):
            return doc
        # every rule is tested before any is applied, as the matcher does
        rows = [self._row(k) for k in map(tuple, doc.to_array(self._keys).tolist())]
        values = doc.to_array(self._columns)
        changed = False
        for i, row in enumerate(rows):
            for j, value in enumerate(row.columns):
                if value is not None:
                    values[i, j] = value
                    changed = True
        if changed:
            doc.from_array(self._columns, values)
        for i, row in enumerate(rows):  # the rare rules setting the tag or the relation
            if row.other:
                set_token_attrs(doc[i], row.other)
        if self.n_matcher_rules and (self.always_match or any(r.starts for r in rows)):
            strings = self.vocab.strings
            extra: dict[int, list[int]] = {}
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                number = int(strings[match_id])
                extra.setdefault(range(start, end)[self.indices[number]], []).append(number)
            for i, numbers in extra.items():
                # the token's rules again, all of them in order (the matcher's, the table's)
                for number in sorted({*numbers, *rows[i].numbers}):
                    set_token_attrs(doc[i], self.attrs[number])
        return doc


class _Row(NamedTuple):
    numbers: tuple[int, ...]  # the table rules matched, in order
    columns: tuple[Any, ...]  # the value each sets in :attr:`TableAttributeRuler._columns`
    other: dict[int, Any]  # any other attribute set (the tag, the relation)
    starts: bool  # the token may start a matcher rule


def _values(key: tuple[str, str, str, bool]) -> dict[str, Any]:
    tag, lower, dep, space = key
    return {"TAG": tag, "LOWER": lower, "DEP": dep, "IS_SPACE": space}


def make(nlp: Any, name: str, patterns: list[dict[str, Any]]) -> TableAttributeRuler:
    return TableAttributeRuler(nlp.vocab, patterns)


class MemoLemmatizer:
    """A spaCy rule lemmatiser (``lemmatizer``), asked once per (word, part of speech,
    morphology): what it says of a token depends on nothing else. Like it, it sets the lemma
    only of tokens that have none yet (the attribute ruler sets a few)."""

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab
        self.lemmatizer: Any = None  # the pipeline's own, set by :func:`install`
        #: the lemma of each (word, part of speech, morphology) as text: the model runs in
        #: memory zones (:func:`geomap.extraction.nlp.analyse_many`), after which a string
        #: first seen in one is no longer in the vocabulary, so a hash would not outlive it
        self._memo: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Any) -> Any:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        add = self.vocab.strings.add
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            got = self._memo.get(key)
            if got is None:
                got = self.lemmatizer.lemmatize(doc[i])[0]
                if len(self._memo) >= MEMO_LIMIT:
                    self._memo.clear()
                self._memo[key] = got
            lemmas[i] = add(got)
            changed = True
        if changed:
            doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


def make_lemmatizer(nlp: Any, name: str) -> MemoLemmatizer:
    return MemoLemmatizer(nlp.vocab)


def install(nlp: Any, name: str = "attribute_ruler", lemmatizer: str = "lemmatizer") -> Any:
    """Replace ``nlp``'s attribute ruler by a :class:`TableAttributeRuler` of its rules, and
    its rule lemmatiser by a :class:`MemoLemmatizer` that asks it."""
    from spacy.language import Language

    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, func=make)
    if not Language.has_factory(LEMMATIZER_FACTORY):
        Language.factory(LEMMATIZER_FACTORY, func=make_lemmatizer)
    if name in nlp.pipe_names:
        patterns = nlp.get_pipe(name).patterns
        nlp.replace_pipe(name, FACTORY, config={"patterns": patterns})
    if lemmatizer in nlp.pipe_names:
        original = nlp.get_pipe(lemmatizer)
        if getattr(original, "mode", None) == "rule" and not original.overwrite:
            nlp.replace_pipe(lemmatizer, LEMMATIZER_FACTORY)
            nlp.get_pipe(lemmatizer).lemmatizer = original
    return nlp
