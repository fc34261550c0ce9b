"""The statistical language model (geomap.extraction.nlp): pinned files, loading, analysis, and its
labels
used as evidence in place spotting (invented sentences, none from the corpus)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from geomap.extraction import budget, nlp

CHECKSUMS = Path(__file__).resolve().parents[1] / "data" / "spacy_model.sha256"


def _pinned() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in CHECKSUMS.read_text(encoding="utf-8").splitlines():
        digest, rel = line.split("  ", 1)
        out[rel] = digest
    return out


def test_model_files_match_the_pinned_checksums() -> None:
    """Every file of the installed model folder has the sha256 committed: a changed upload of
    the same version, or a file added or removed, fails here."""
    assert nlp.checksums() == _pinned()


def test_checksum_file_covers_the_weights() -> None:
    pinned = _pinned()
    for weights in (
        "ner/model",
        "parser/model",
        "tagger/model",
        "tok2vec/model",
        "lemmatizer/lookups/lookups.bin",
        "attribute_ruler/patterns",
        "config.cfg",
        "vocab/strings.json",
        "tokenizer",
    ):
        assert weights in pinned


def test_model_is_loaded_from_the_package_folder_without_the_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model must not touch the network")

    nlp.pipeline.cache_clear()
    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    pipe = nlp.pipeline()
    assert tuple(pipe.pipe_names) == nlp.COMPONENTS
    for excluded in nlp.EXCLUDED:
        assert excluded not in pipe.pipe_names
    assert (nlp.model_path() / "config.cfg").is_file()
    assert nlp.pipeline() is pipe  # once per process


def test_importing_geomap_does_not_import_spacy() -> None:
    import subprocess

    code = (
        "import sys, geomap, geomap.extraction.places.mentions, geomap.pipeline.run, "
        "geomap.extraction.nlp; "
        "print('spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_analyse_gives_entities_in_document_offsets() -> None:
    text = (
        "The weather was mild. Deputy Foreign Minister Oleg Petrov met envoys in Geneva on Friday."
    )
    result = nlp.analyse(text)
    assert isinstance(result, nlp.Analysis)
    labels = {text[e.start : e.end]: e.label for e in result.entities}
    assert labels.get("Oleg Petrov") == "PERSON"
    assert labels.get("Geneva") == "GPE"
    start = text.index("Oleg")
    ent = result.label_of(start, start + len("Oleg Petrov"))
    assert ent is not None and ent.label == "PERSON"
    assert result.label_of(0, 3) is None
    with pytest.raises(AttributeError):
        result.entities = ()  # type: ignore[misc]


def test_analyse_gives_the_parse_in_document_offsets() -> None:
    text = "The market was calm. Fighters did not storm the depot near Qusayr, a medic said."
    result = nlp.analyse(text)
    words = {text[t.start : t.end]: t for t in result.tokens}
    storm = words["storm"]
    assert storm.lemma == "storm" and storm.pos == "VERB" and storm.negated
    fighters = words["Fighters"]
    assert fighters.dep == "nsubj" and result.tokens[fighters.head] == storm
    assert result.tokens[words["said"].head] == words["said"]  # a root heads itself
    assert words["said"].feature("Tense") == "Past" and words["said"].feature("Mood") == ""
    assert not words["calm"].negated
    i = result.token_at(text.index("depot") + 2)
    assert i is not None and result.tokens[i] == words["depot"]
    assert [result.tokens[j] for j in result.token_range(0, 20)][0].lemma == "the"
    kids = {text[result.tokens[j].start : result.tokens[j].end] for j in result.children[i]}
    assert kids == {"the", "near"}
    with pytest.raises(AttributeError):
        result.tokens = ()  # type: ignore[misc]


def test_chunked_parse_heads_stay_in_their_chunk() -> None:
    sentence = "Gunmen shelled the bridge of Dana. "
    text = sentence * 150
    result = nlp.analyse(text)
    assert len(result.tokens) == 150 * 7
    for i, tok in enumerate(result.tokens):
        head = result.tokens[tok.head]
        assert abs(head.start - tok.start) < len(sentence), i
        assert text[tok.start : tok.end].strip() == text[tok.start : tok.end] != ""


def test_analyse_works_in_chunks_of_sentences() -> None:
    sentence = "Commander Karim Haddad said the convoy reached Geneva. "
    text = sentence * 600
    from geomap.extraction.text import split_sentences

    pieces = [(0, b, e) for b, e in split_sentences(text)]
    spans = list(nlp.batches(pieces))
    assert len(spans) > 1
    assert all(sum(e - b for _k, b, e in batch) <= nlp.BATCH_CHARS for batch in spans)
    assert [s for b in spans for s in b] == pieces  # every sentence, in order
    result = nlp.analyse(text)
    persons = [e for e in result.entities if e.label == "PERSON"]
    assert len(persons) >= 450  # every repetition is seen, offsets in the whole text
    for e in persons:
        assert text[e.start : e.end].startswith("Karim")
    starts = [e.start for e in result.entities]
    assert starts == sorted(starts)


def test_analyse_reads_a_bounded_prefix_of_a_long_document() -> None:
    sentence = "Commander Karim Haddad said the convoy reached Geneva. "
    text = sentence * (3 * nlp.MAX_CHARS // len(sentence))
    result = nlp.analyse(text)
    assert 0 < result.upto <= nlp.MAX_CHARS
    assert result.entities and all(e.end <= result.upto for e in result.entities)
    assert nlp.analyse(text, max_chars=len(text)).upto == len(text.rstrip())


def test_analyse_respects_the_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}

    def expired() -> None:
        calls["n"] += 1
        if calls["n"] > 1:
            raise budget.DocumentTimeout(1.0)

    monkeypatch.setattr(budget, "check", expired)
    with pytest.raises(budget.DocumentTimeout):
        nlp.analyse("Karim Haddad arrived. " * 1000)


def test_the_parse_alone_then_the_entities_of_every_sentence_are_the_whole_analysis() -> None:
    from geomap.extraction.text import split_sentences

    text = (
        "Deputy Minister Karim Haddad arrived in Geneva. The convoy waited near the border. "
        "Warplanes struck Kafr Sousa, the monitor said."
    )
    whole = nlp.analyse(text)
    parse = nlp.analyse(text, entities=False)
    assert whole.recognised and not parse.recognised
    assert parse.entities == () and parse.tokens == whole.tokens and parse.upto == whole.upto
    sentences = split_sentences(text)
    again = nlp.recognise(text, parse, sentences, range(len(sentences)))
    assert again.recognised and again.entities == whole.entities and again.tokens == whole.tokens
    assert nlp.recognise(text, again, sentences, []) is again  # asked once


def test_documents_read_together_give_what_each_gives_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The model reads several documents' sentences in shared batches (the time falls); each
    document's parse and entities are those it gets read alone, whatever its neighbours."""
    from geomap.extraction.text import split_sentences

    texts = [
        "Commander Karim Haddad met envoys in Geneva. The convoy waited near the border.",
        "Warplanes struck Kafr Sousa on Monday, the monitor said. Two were killed.",
        "Minister Omar Nassar flew to Vienna. " * 40,  # several batches on its own
        "Rebels shelled the Salah al-Din district of Aleppo, activists said.",
    ]
    docs = [(t, split_sentences(t)) for t in texts]
    alone = [nlp.analyse(t, s, entities=False) for t, s in docs]
    few = nlp.analyse_many(docs, entities=False)  # all four documents in one batch
    monkeypatch.setattr(nlp.batches, "__defaults__", (200,))  # then in many small ones
    many = nlp.analyse_many(docs, entities=False)
    for together in (few, many):
        assert [a.tokens for a in together] == [a.tokens for a in alone]
        assert [a.upto for a in together] == [a.upto for a in alone]
    wanted = [range(len(s)) for _t, s in docs]
    one_by_one = [
        nlp.recognise(t, a, s, w) for (t, s), a, w in zip(docs, alone, wanted, strict=True)
    ]
    at_once = nlp.recognise_many(
        [(t, a, s, w) for (t, s), a, w in zip(docs, alone, wanted, strict=True)]
    )
    assert [a.entities for a in at_once] == [a.entities for a in one_by_one]
    assert any(a.entities for a in at_once)
    assert [a.children for a in at_once] == [a.children for a in alone]


def _invented_words(seed: int, n: int) -> list[str]:
    """``n`` made-up capitalised words no vocabulary holds (the same for the same seed)."""
    import random

    rng = random.Random(seed)
    return [
        "".join(rng.choice("bdfgklmnqrstvz") + rng.choice("aeiou") for _ in range(4)).title()
        for _ in range(n)
    ]


def test_the_vocabulary_stops_growing_at_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The vocabulary keeps the words it reads until it holds :data:`nlp.VOCAB_LIMIT` entries;
    past it each batch runs in a spaCy memory zone and its new words leave the vocabulary and
    the string store after it, so a long run's memory does not grow with the words it has
    seen (the scale issue)."""
    pipe = nlp.pipeline()

    def read(seed: int) -> None:
        words = _invented_words(seed, 300)
        nlp.analyse(" ".join(f"Rebels shelled {w} on Monday." for w in words))

    def sizes() -> tuple[int, int]:  # (len(vocab) counts every entry ever made)
        return len(pipe.vocab.strings), sum(1 for _ in pipe.vocab)

    read(1)  # whatever a first reading adds for good (the model's own labels)
    monkeypatch.setattr(nlp, "VOCAB_LIMIT", len(pipe.vocab) + 50)
    before = sizes()
    read(2)  # under the limit when it starts: its 300 new words stay
    kept = sizes()
    assert kept[0] - before[0] >= 300 and kept[1] - before[1] >= 300
    read(3)  # past it: nothing new stays
    read(4)
    after = sizes()
    assert after[0] - kept[0] < 30 and after[1] - kept[1] < 30


def test_lemmas_stay_right_across_memory_zones(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lemmatiser's memo keeps lemmas as text: a lemma first made inside one batch's
    memory zone is still the right word in a later batch (a hash would have outlived its
    string)."""
    monkeypatch.setattr(nlp, "VOCAB_LIMIT", 0)  # every batch in a memory zone
    words = _invented_words(7, 20)
    text = " ".join(f"The {w.lower()}s were shelled." for w in words)
    first = nlp.analyse(text, entities=False)
    second = nlp.analyse(text, entities=False)
    assert [t.lemma for t in second.tokens] == [t.lemma for t in first.tokens]
    plurals = [t for t in first.tokens if t.tag == "NNS"]
    assert plurals and all(not t.lemma.endswith("s") or t.lemma.endswith("ss") for t in plurals)


def test_recognise_reads_only_the_sentences_asked_for() -> None:
    from geomap.extraction.text import split_sentences

    text = (
        "Commander Karim Haddad met envoys in Geneva. The convoy waited. "
        "Minister Omar Nassar flew to Vienna on Monday."
    )
    sentences = split_sentences(text)
    assert len(sentences) == 3
    parse = nlp.analyse(text, entities=False)
    last = nlp.recognise(text, parse, sentences, [2])
    assert last.entities and all(e.start >= sentences[2][0] for e in last.entities)
    assert "Omar Nassar" in {text[e.start : e.end] for e in last.entities}
    first = nlp.recognise(text, parse, sentences, [0])
    assert first.entities and all(e.end <= sentences[0][1] for e in first.entities)


def test_the_places_stage_asks_for_the_sentences_whose_entities_can_decide() -> None:
    from geomap.extraction.places.mentions import _judged_sentences
    from geomap.extraction.places.spotting import Spot
    from geomap.extraction.text import split_sentences

    text = (
        "Minister Kadin said the talks would go on. The weather was mild. "
        "Shelling hit Kadin and Tal Sous on Monday. Nothing else happened."
    )
    sentences = split_sentences(text)
    at = text.index("Kadin and")

    def spot(surface: str, start: int) -> Spot:
        return Spot(start, start + len(surface), surface, ("x",), 1.0, "name")

    # the sentence of the name, and the one where the one-word name is a person's
    assert _judged_sentences(text, [spot("Kadin", at)], sentences) == [0, 2]
    # a name of two words is judged where it stands only
    tal = text.index("Tal Sous")
    assert _judged_sentences(text, [spot("Tal Sous", tal)], sentences) == [2]
    assert _judged_sentences(text, [], sentences) == []


def test_model_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOMAP_NLP", "off")
    assert nlp.analyse_if_enabled("Karim Haddad arrived.") is None
    monkeypatch.setenv("GEOMAP_NLP", "on")
    assert nlp.analyse_if_enabled("Karim Haddad arrived.") is not None


# --- Labels as evidence: invented sentences, none from the corpus ----------------------------

#: (sentence, surface, expected rule or None): the name is dropped with that rule, or (None)
#: kept. "Maria", "Sergey", "Kerry" are spelling variants of Syrian towns (Mare', Sarghaya,
#: Qarayya); the resolver took them for places before the model.
NOT_PLACES = [
    (
        "Foreign Ministry spokeswoman Maria Zakharova said the talks would resume in Vienna.",
        "Maria",
        nlp.Rule.PERSON_TITLE,
    ),
    (
        "Secretary of State John Kerry arrived in Geneva on Monday. Kerry also met the envoy.",
        "Kerry",
        nlp.Rule.PERSON_TITLE,
    ),
    (
        "The envoy met Kerry in Geneva, and Kerry said the truce would hold.",
        "Kerry",
        nlp.Rule.PERSON_SPEECH,
    ),
    ("SANA said the army repelled an attack near Morek.", "SANA", nlp.Rule.PERSON_SPEECH),
    ("The Jordan Times said the border was closed.", "Jordan", nlp.Rule.ORG_OUTLET),
    # an outlet's name whatever the model's label, run-in headline or not
    ("Two schools were closed, the Idlib Post reported", "Idlib", nlp.Rule.ORG_OUTLET),
    ("Rebels shell a bakery | Hama News Network", "Hama", nlp.Rule.ORG_OUTLET),
    (
        "A source at the Hama Police Command told reporters that two men were arrested.",
        "Hama",
        nlp.Rule.ORG_INSTITUTION,
    ),
]

#: Near misses: the model says PERSON or ORG (or nothing), the words around say place.
PLACES = [
    ("Shelling hit Maarzaf on Sunday, killing three people.", "Maarzaf", "Maarzaf"),
    ("Clashes raged in Kafr Zita overnight, a monitor said.", "Kafr Zita", "Kafr Zeita"),
    ("Rebels advanced towards the village of Dabiq north of Aleppo.", "Dabiq", "Dabeq"),
    ("Government aircraft bombed Sarghaya in the Qalamoun mountains.", "Sarghaya", "Sarghaya"),
    ("Warplanes struck Maria and nearby farms.", "Maria", "Mare'"),
    ("Activist Omar Haddad said the bakery in Maarzaf was destroyed.", "Maarzaf", "Maarzaf"),
    # near misses of the outlet's name: a sentence after it, a lower-case word
    ("Shelling hit Maarzaf. News of it spread fast.", "Maarzaf", "Maarzaf"),
    ("Clashes raged in Kafr Zita news agencies reported", "Kafr Zita", "Kafr Zeita"),
]


def _mentions(text: str, gaz: object, with_model: bool) -> list[object]:
    from geomap.extraction.places.mentions import find_mentions_with_report
    from geomap.model import Document

    analysis = nlp.analyse(text) if with_model else None
    return find_mentions_with_report(Document("t", text, None), gaz, analysis=analysis)[0]  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "surface", "rule"), NOT_PLACES)
def test_person_or_organisation_is_not_a_place(
    gaz: object, text: str, surface: str, rule: nlp.Rule
) -> None:
    # every occurrence (whether the spotter takes it depends on the gazetteer of the day)
    spans = [(m.start(), m.end()) for m in re.finditer(rf"\b{surface}\b", text)]
    verdicts = nlp.judge_all(text, spans, nlp.analyse(text))
    assert rule in {v.rule for v in verdicts.values()}
    assert not any(verdicts[s].place for s in spans)
    assert surface not in [m.surface for m in _mentions(text, gaz, True)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "surface", "place"), PLACES)
def test_name_in_place_context_stays_a_place(
    gaz: object, text: str, surface: str, place: str
) -> None:
    found = {m.surface: m for m in _mentions(text, gaz, True)}  # type: ignore[attr-defined]
    assert surface in found
    m = found[surface]
    assert m.place is not None and m.place.name == place
    label = nlp.analyse(text).label_of(m.start, m.end)
    if label is not None and label.label in ("PERSON", "ORG"):
        assert f"[{nlp.Rule.PLACE_BY_CONTEXT}]" in m.reason  # the override is on record


def test_person_carries_over_to_the_names_other_occurrences(gaz: object) -> None:
    text = "Deputy Minister Maria Haddad visited the camp. Later, Maria toured the school."
    assert "Maria" in [m.surface for m in _mentions(text, gaz, False)]  # type: ignore[attr-defined]
    assert "Maria" not in [m.surface for m in _mentions(text, gaz, True)]  # type: ignore[attr-defined]
    later = text.rindex("Maria")
    verdicts = nlp.judge_all(text, [(later, later + 5)], nlp.analyse(text))
    assert not verdicts[(later, later + 5)].place


def test_outlet_name_does_not_carry_over_to_the_country(gaz: object) -> None:
    text = "The Jordan Times reported the news. Refugees crossed into Jordan on Friday."
    found = [m for m in _mentions(text, gaz, True) if m.surface == "Jordan"]  # type: ignore[attr-defined]
    assert [m.start for m in found] == [text.rindex("Jordan")]  # type: ignore[attr-defined]


def test_without_an_analysis_nothing_changes(gaz: object) -> None:
    text = "Foreign Ministry spokeswoman Maria Zakharova said the talks would resume."
    assert "Maria" in [m.surface for m in _mentions(text, gaz, False)]  # type: ignore[attr-defined]


def test_process_document_uses_the_model_once(gaz: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from geomap.model import Document
    from geomap.pipeline.documents import process_document

    calls: list[str] = []
    real = nlp.analyse

    def counting(text: str, sentences: object = None, **kwargs: object) -> nlp.Analysis:
        calls.append(text)
        return real(text, sentences, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(nlp, "analyse", counting)
    text = "Foreign Ministry spokeswoman Maria Zakharova said shelling hit Maarzaf."
    result = process_document(Document("t", text, date(2016, 5, 1)), gaz)  # type: ignore[arg-type]
    assert calls == [text]
    assert [m.surface for m in result.mentions] == ["Maarzaf"]
    monkeypatch.setenv("GEOMAP_NLP", "off")
    result = process_document(Document("t", text, date(2016, 5, 1)), gaz)  # type: ignore[arg-type]
    assert len(calls) == 1
    assert "Maria" in [m.surface for m in result.mentions]


@pytest.mark.parametrize(
    "text",
    [t for t, _s, _r in NOT_PLACES]
    + [t for t, _s, _p in PLACES]
    + ["Deputy Minister Maria Haddad visited the camp. The sky was grey. Later, Maria toured it."],
)
def test_the_entities_of_the_sentences_asked_for_give_the_same_mentions(
    gaz: object, text: str
) -> None:
    from geomap.extraction.places.mentions import find_mentions_with_report
    from geomap.model import Document

    doc = Document("t", text, None)
    whole = find_mentions_with_report(doc, gaz, analysis=nlp.analyse(text))[0]  # type: ignore[arg-type]
    parse = nlp.analyse(text, entities=False)
    asked = find_mentions_with_report(doc, gaz, analysis=parse)[0]  # type: ignore[arg-type]
    assert asked == whole
