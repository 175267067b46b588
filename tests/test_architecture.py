"""Imports point one way: ontology ← kg ← rules ← service, and inside a package no two modules
import each other, even through an import hidden inside a function or under TYPE_CHECKING;
library code never imports the CLI/HTTP frameworks. Walks every module's imports with ast."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["ontology", "kg", "rules", "service"]
FRAMEWORKS = {"typer", "fastapi", "starlette", "uvicorn", "jinja2", "click"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", LAYERS)
def test_imports_point_one_way(package):
    allowed = set(LAYERS[: LAYERS.index(package) + 1])
    wrong = {}
    for path in modules(package):
        upstream = imported_roots(path) & (set(LAYERS) - allowed)
        if upstream:
            wrong[str(path.relative_to(ROOT))] = sorted(upstream)
    assert not wrong, f"{package} reaches downstream: {wrong}"


@pytest.mark.parametrize("package", ["ontology", "kg", "rules"])
def test_library_packages_never_import_frameworks(package):
    offenders = {
        str(p.relative_to(ROOT)): sorted(imported_roots(p) & FRAMEWORKS)
        for p in modules(package)
        if imported_roots(p) & FRAMEWORKS
    }
    assert not offenders, offenders


def test_test_modules_have_unique_basenames():
    # tests/ has no __init__.py: two test_x.py in different folders stop a full run at
    # collection ("import file mismatch") although each passes alone
    from collections import Counter

    names = Counter(p.name for p in (ROOT / "tests").rglob("test_*.py"))
    assert [n for n, c in names.items() if c > 1] == []


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, known: set[str], root: Path = ROOT) -> set[str]:
    """The modules of ``known`` that ``path`` imports anywhere (top level, inside functions,
    under ``if TYPE_CHECKING``), relative imports resolved; ``from pkg import name`` counts as
    ``pkg.name`` when that is a module, else as ``pkg``."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] \
                if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{module}.{alias.name}"
                found.add(full if full in known else module)
    return (found & known) - {name}


def import_cycles(package: str, root: Path = ROOT) -> list[list[str]]:
    """The groups of modules of ``package`` that import each other (strongly connected
    components of its import graph with more than one module), sorted."""
    paths = sorted((root / package).rglob("*.py"))
    known = {module_name(p, root) for p in paths}
    graph = nx.DiGraph()
    for path in paths:
        graph.add_edges_from((module_name(path, root), t)
                             for t in imported_modules(path, known, root))
    return sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1)


@pytest.mark.parametrize("package", LAYERS)
def test_no_import_cycle_inside_a_package(package):
    assert import_cycles(package) == []


def test_a_cycle_hidden_in_a_function_is_found(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg.b import B\n\nA = 1\n")
    (pkg / "b.py").write_text("B = 2\n\n\ndef later():\n    from pkg import a\n    return a.A\n")
    (pkg / "sub" / "c.py").write_text("from typing import TYPE_CHECKING\n\n"
                                      "if TYPE_CHECKING:\n    from ..sub import d\n")
    (pkg / "sub" / "d.py").write_text("def f():\n    from . import c\n    return c\n")
    (pkg / "e.py").write_text("import pkg.a\n")  # one way only: no cycle
    assert import_cycles("pkg", tmp_path) == [["pkg.a", "pkg.b"], ["pkg.sub.c", "pkg.sub.d"]]
