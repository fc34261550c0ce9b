"""The layout: one package a stage, imports only from earlier stages, no import cycle.

Every module's imports are read with ``ast`` (nothing is imported), at module level, inside
functions and under ``if TYPE_CHECKING:`` alike: a late import is still an arrow between stages.
The stages, in the order data flows (docs/ARCHITECTURE.md):

    base (model, errors, writing) -> gazetteer -> extraction (text, nlp, lexicon, budget)
    -> extraction.places -> extraction.events -> output -> pipeline -> render -> evaluation -> cli

A module may import its own stage and any earlier one, never a later one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "geomap"

#: (module or package prefix, rank); the longest matching prefix wins.
STAGES: tuple[tuple[str, int], ...] = (
    ("geomap", 0),
    ("geomap.model", 0),
    ("geomap.errors", 0),
    ("geomap.writing", 0),
    ("geomap.gazetteer", 1),
    ("geomap.extraction", 2),
    ("geomap.extraction.places", 3),
    ("geomap.extraction.events", 4),
    ("geomap.output", 5),
    ("geomap.pipeline", 6),
    ("geomap.render", 7),
    ("geomap.evaluation", 8),
    ("geomap.cli", 9),
    ("geomap.__main__", 9),
)


def stage(module: str) -> int:
    best = max((p for p, _ in STAGES if module == p or module.startswith(p + ".")), key=len)
    return dict(STAGES)[best]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, known: set[str]) -> list[tuple[str, int]]:
    """(geomap module imported, line) for every import in ``path``."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            subs = [f"{node.module}.{a.name}" for a in node.names]
            targets = [node.module] + [s for s in subs if s in known]
        elif isinstance(node, ast.ImportFrom):
            raise AssertionError(f"{path}:{node.lineno}: relative import; write geomap.…")
        found += [(t, node.lineno) for t in targets if t in known and t.startswith("geomap.")]
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {m: {t for t, _ in imports_of(p, known)} - {m} for m, p in mods.items()}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return found


def test_every_module_has_a_stage() -> None:
    for name in modules():
        assert stage(name) >= 0


def test_stage_of_module() -> None:
    assert stage("geomap.extraction.places.resolve") == 3
    assert stage("geomap.extraction.text") == 2
    assert stage("geomap.gazetteer.store") == 1
    assert stage("geomap.writing") == 0


def test_graph_is_read() -> None:
    g = graph()
    assert "geomap.gazetteer.names" in g["geomap.extraction.text"]
    assert "geomap.gazetteer.store" in g["geomap.extraction.places.resolve"]


def test_no_import_from_a_later_stage() -> None:
    mods = modules()
    known = set(mods)
    bad = [
        f"{name} (stage {stage(name)}) imports {target} (stage {stage(target)}) at line {line}"
        for name, path in mods.items()
        for target, line in imports_of(path, known)
        if stage(target) > stage(name)
    ]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(
    ("source", "later"),
    [
        ("from geomap.output.files import write_csv\n", True),
        ("def f():\n    from geomap.pipeline import run\n", True),
        ("from geomap.model import Place\n", False),
    ],
)
def test_the_layer_check_sees_late_and_module_imports(
    tmp_path: Path, source: str, later: bool
) -> None:
    path = tmp_path / "m.py"
    path.write_text(source, encoding="utf-8")
    found = imports_of(path, set(modules()))
    assert found
    assert any(stage(t) > stage("geomap.gazetteer.store") for t, _ in found) is later


def test_no_import_cycle() -> None:
    assert not cycles(graph())


def test_no_relative_imports_and_no_flat_modules_left() -> None:
    """Each stage is a folder: only the base modules sit at the top of the package."""
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {"__init__", "__main__", "cli", "errors", "model", "writing"}, top


def test_tests_mirror_the_packages() -> None:
    """Every stage's package has a test folder of the same path (tests/extraction/places/ for
    geomap/extraction/places/ ...); tests that cross stages (security, layout, CLI) sit at the
    top of tests/."""
    tests = Path(__file__).resolve().parent
    packages = {p.parent.relative_to(PACKAGE) for p in PACKAGE.rglob("__init__.py")} - {Path(".")}
    missing = [str(p) for p in sorted(packages) if not list((tests / p).glob("test_*.py"))]
    assert not missing, f"packages without a test folder: {missing}"
