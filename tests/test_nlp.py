"""The statistical language model (geomap.nlp): pinned files, loading, analysis, and its labels
used as evidence in place spotting (invented sentences, none from the corpus)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from geomap import budget, nlp

CHECKSUMS = Path(__file__).resolve().parent / "data" / "spacy_model.sha256"


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
    for weights in ("ner/model", "config.cfg", "vocab/strings.json", "tokenizer"):
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
    assert "ner" in pipe.pipe_names
    for excluded in nlp.EXCLUDED:
        assert excluded not in pipe.pipe_names
    assert (nlp.model_path() / "config.cfg").is_file()
    assert nlp.pipeline() is pipe  # once per process


def test_importing_geomap_does_not_import_spacy() -> None:
    import subprocess

    code = (
        "import sys, geomap, geomap.places, geomap.extract, geomap.nlp; "
        "print('spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_analyse_gives_entities_in_document_offsets() -> None:
    text = (
        "The weather was mild. "
        "Deputy Foreign Minister Oleg Petrov met envoys in Geneva on Friday."
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


def test_analyse_works_in_chunks_of_sentences() -> None:
    sentence = "Commander Karim Haddad said the convoy reached Geneva. "
    text = sentence * 200
    spans = nlp.chunks(text)
    assert len(spans) > 1
    assert all(e - s <= nlp.CHUNK_CHARS for s, e in spans)
    result = nlp.analyse(text)
    persons = [e for e in result.entities if e.label == "PERSON"]
    assert len(persons) >= 150  # every repetition is seen, offsets in the whole text
    for e in persons:
        assert text[e.start : e.end].startswith("Karim")
    starts = [e.start for e in result.entities]
    assert starts == sorted(starts)


def test_analyse_respects_the_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}

    def expired() -> None:
        calls["n"] += 1
        if calls["n"] > 1:
            raise budget.DocumentTimeout(1.0)

    monkeypatch.setattr(budget, "check", expired)
    with pytest.raises(budget.DocumentTimeout):
        nlp.analyse("Karim Haddad arrived. " * 1000)


def test_model_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOMAP_NLP", "off")
    assert nlp.analyse_if_enabled("Karim Haddad arrived.") is None
    monkeypatch.setenv("GEOMAP_NLP", "on")
    assert nlp.analyse_if_enabled("Karim Haddad arrived.") is not None
