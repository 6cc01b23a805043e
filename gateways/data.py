"""Data page: import, saved mappings, attributes, demo data, backup and reset, value check.
May import db, data (the demo seed) and domain, never streamlit or the UI.

Each write checks the writer's role (db/guarded.py): data changes are for admins.
"""

from __future__ import annotations

from sqlalchemy import Engine

from data.seed import DEMO_LEADS, seed_demo
from db.admin.backup_repo import backup_zip
from db.guarded import authorize, delete_all_data, import_csv, normalise_values
from db.importing.import_repo import ImportAborted, ImportReport, list_mappings, load_mapping
from db.importing.import_repo import save_mapping as _save_mapping
from db.leads.attributes_repo import load_attribute_types
from db.meta_repo import count_rows
from domain.admin.access import Actor, Capability
from domain.importing import Mapping

__all__ = [
    "DEMO_LEADS",
    "ImportAborted",
    "ImportReport",
    "backup_zip",
    "count_rows",
    "delete_all_data",
    "import_csv",
    "lead_count",
    "list_mappings",
    "load_attribute_types",
    "load_demo",
    "load_mapping",
    "normalise_values",
    "save_mapping",
]


def lead_count(engine: Engine) -> int:
    """How many leads are stored now."""
    return count_rows(engine).get("lead", 0)


def load_demo(engine: Engine, *, actor: Actor | None, n_leads: int) -> dict[str, int]:
    """Generate and write `n_leads` demo leads (an import, so checked as one): the counts."""
    authorize(engine, actor, Capability.import_data)
    return seed_demo(engine, n_leads=n_leads)


def save_mapping(engine: Engine, *, actor: Actor | None, name: str, mapping: Mapping) -> None:
    """Save (or replace) `mapping` under `name`, for those who may import."""
    authorize(engine, actor, Capability.import_data)
    _save_mapping(engine, name, mapping)
