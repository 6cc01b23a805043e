"""The app's shell: users and sign-in, engine and settings, data token and versions, and the
scoring-source reads. May import db, data and domain, never streamlit or the UI.

components/shell/state.py builds its caches (st.cache_*) on these reads.
"""

from __future__ import annotations

from data.seed import ensure_seeded
from db.admin.users_repo import SignIn, get_actor, sign_in
from db.definitions.definitions_repo import DraftState, get_draft, get_published
from db.engine import get_engine
from db.meta_repo import data_token, data_versions
from db.scoring.engine_cache import cache_dir_for
from db.scoring.scoring_source import (
    SalesRecords,
    load_model,
    load_sales_records,
    load_stored_sales,
    restore_model,
    sales_records_since,
    save_model,
)
from db.settings import get_settings

__all__ = [
    "DraftState",
    "SalesRecords",
    "SignIn",
    "cache_dir_for",
    "data_token",
    "data_versions",
    "database_url",
    "ensure_seeded",
    "get_actor",
    "get_draft",
    "get_engine",
    "get_published",
    "load_model",
    "load_sales_records",
    "load_stored_sales",
    "restore_model",
    "sales_records_since",
    "save_model",
    "sign_in",
]


def database_url() -> str:
    """The configured database URL (DATABASE_URL, read fresh so tests can change it)."""
    return get_settings().database_url
