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
