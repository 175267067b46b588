"""Imports point one way: ontology ← kg ← rules ← service; library code never imports the
CLI/HTTP frameworks. Walks every module's imports with ast."""

from __future__ import annotations

import ast
from pathlib import Path

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
