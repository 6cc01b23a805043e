"""The domain package never imports UI or database code (db -> domain, never the reverse)."""

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "domain"
FORBIDDEN = {
    "streamlit",
    "plotly",
    "sqlmodel",
    "sqlalchemy",
    "db",
    "components",
    "pages",
    "gateways",
    "data",
    "alembic",
    "psycopg",
}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_domain_package_imports_no_ui_or_database_code():
    offenders = {
        str(path.relative_to(DOMAIN)): sorted(imported_roots(path) & FORBIDDEN)
        for path in DOMAIN.rglob("*.py")
    }
    assert {name: bad for name, bad in offenders.items() if bad} == {}


def test_the_check_sees_every_domain_module():
    seen = {str(p.relative_to(DOMAIN)) for p in DOMAIN.rglob("*.py")}
    assert {"engine/scoring.py", "definitions/definition.py", "funnel/metrics.py"} <= seen
