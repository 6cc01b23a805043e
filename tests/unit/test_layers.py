"""The layers import only downwards: domain < db (and data, the demo seed) < gateways <
components < pages < app.py. Read with `ast`, every module of each package, at any depth,
so moving modules into feature sub-packages keeps them checked."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UI = {"streamlit", "plotly"}
DATABASE = {"db", "data", "sqlmodel", "sqlalchemy", "alembic", "psycopg"}
ABOVE_DB = {"gateways", "components", "pages", "app"}

# Each package, and the top-level packages its modules must never import.
FORBIDDEN: dict[str, set[str]] = {
    "domain": UI | DATABASE | ABOVE_DB,
    "db": UI | ABOVE_DB,
    "data": UI | ABOVE_DB,
    "gateways": UI | {"components", "pages", "app"},
    "components": {"db", "data", "pages", "app", "alembic", "psycopg", "sqlmodel"},
    # Pages too read and write through the gateways (app.py, the entry point, may use db).
    "pages": {"db", "data", "app", "alembic", "psycopg", "sqlmodel"},
}


def imported_roots(source: str) -> set[str]:
    """The top-level packages `source` imports, anywhere in it (also inside functions)."""
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def offenders(package: Path, forbidden: set[str]) -> dict[str, list[str]]:
    """Each module under `package` (recursively) that imports a forbidden package, and which."""
    found = {
        str(path.relative_to(package)): sorted(imported_roots(path.read_text()) & forbidden)
        for path in sorted(package.rglob("*.py"))
    }
    return {name: bad for name, bad in found.items() if bad}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_layer_imports_one_above_it(package: str) -> None:
    assert offenders(ROOT / package, FORBIDDEN[package]) == {}


def test_every_layer_is_found_with_its_modules() -> None:
    for package in FORBIDDEN:
        assert len(list((ROOT / package).rglob("*.py"))) >= 2, package
    assert (ROOT / "domain" / "suggest" / "base_rules.py").exists()  # a sub-package's module


@pytest.mark.parametrize(
    ("package", "line"),
    [
        ("components", "from db import repository as repo"),
        ("components", "import db.guarded"),
        ("components", "from pages.data import render"),
        ("pages", "from db.admin.audit_repo import query_audit"),
        ("gateways", "import streamlit as st"),
        ("gateways", "from components import state"),
        ("db", "from gateways import shell"),
        ("db", "from components.shell.state import get_model"),
        ("domain", "from db.engine import get_engine"),
    ],
)
def test_the_check_catches_an_upward_import_in_a_sub_package(
    tmp_path: Path, package: str, line: str
) -> None:
    module = tmp_path / package / "feature" / "part.py"
    module.parent.mkdir(parents=True)
    module.write_text(f"def later():\n    {line}\n")

    assert list(offenders(tmp_path / package, FORBIDDEN[package])) == ["feature/part.py"]


def feature_imports(layer: str) -> dict[str, set[str]]:
    """For each feature package of `layer`, the other feature packages of it that it imports."""
    root = ROOT / layer
    features = {p.name for p in root.iterdir() if (p / "__init__.py").exists()}
    found: dict[str, set[str]] = {name: set() for name in features}
    for name in features:
        for path in (root / name).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    parts = node.module.split(".")
                    if parts[0] == layer and len(parts) > 1 and parts[1] in features:
                        found[name].add(parts[1])
    return {name: used - {name} for name, used in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """Each feature that can reach itself through others' imports, with the way round."""
    found = []
    for start in sorted(graph):
        paths = [(start, next_) for next_ in sorted(graph[start])]
        seen = set()
        while paths:
            path = paths.pop()
            if path[-1] == start:
                found.append(path)
                break
            if path[-1] in seen:
                continue
            seen.add(path[-1])
            paths.extend(path + (next_,) for next_ in sorted(graph.get(path[-1], ())))
    return found


@pytest.mark.parametrize("layer", ["domain", "db", "components"])
def test_feature_packages_do_not_import_each_other_in_a_circle(layer: str) -> None:
    graph = feature_imports(layer)

    assert len(graph) >= 5, "the feature packages were not found"
    assert cycles(graph) == []


def test_the_shared_domain_features_stand_on_nothing_above_them() -> None:
    graph = feature_imports("domain")

    assert graph["common"] == set()
    assert graph["definitions"] <= {"common"}
    assert graph["engine"] <= {"common", "definitions"}


def test_the_circle_check_finds_a_circle() -> None:
    assert cycles({"funnel": {"follow_up"}, "follow_up": {"engine", "funnel"}, "engine": set()})
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
