"""Shared fixtures: the gazetteer and one extraction of the example corpus per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap.gazetteer.store import Gazetteer
from geomap.pipeline.run import ExtractResult, run_extract

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "seeds"
GOLD = ROOT / "tests" / "gold"
TEAM_ARTICLES = ROOT / "tests" / "team_articles"


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="session")
def seeds_extract(
    tmp_path_factory: pytest.TempPathFactory, gaz: Gazetteer
) -> tuple[Path, ExtractResult]:
    out = tmp_path_factory.mktemp("seeds")
    return out, run_extract(CORPUS, out, gazetteer=gaz, use_cache=False)
