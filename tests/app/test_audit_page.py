"""The Audit page: who did what and when, filterable, downloadable with inert formulas."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from db import repository as repo
from db.admin import users_repo
from db.engine import get_engine
from domain.admin.access import Role
from domain.admin.audit_view import audit_csv

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture
def engine(url: str) -> Engine:
    return get_engine(url)


def audit_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).switch_page("pages/audit.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_user_changes_and_resets_are_listed_with_who_and_filterable(engine: Engine) -> None:
    users_repo.set_user(
        engine, email="=cmd@acme.com", role=Role.editor, team=None, name=None, by="boss@acme.com"
    )
    repo.delete_all_data(engine, actor="boss@acme.com")

    at = audit_page()
    table = at.dataframe[0].value
    assert {"User added", "All data deleted (reset)"} <= set(table["what"])
    assert set(table.loc[table["action"].isin(["user_add", "delete_all_data"]), "who"]) == {
        "boss@acme.com"
    }

    at.multiselect(key="audit_actions").set_value(["user_add"]).run()
    filtered = at.dataframe[0].value
    assert filtered["action"].tolist() == ["user_add"]
    assert filtered["on"].iloc[0] == "user =cmd@acme.com"


def test_the_actor_filter_ignores_case_and_the_download_neutralises_formulas(
    engine: Engine,
) -> None:
    users_repo.set_user(
        engine, email="x@acme.com", role=Role.editor, team=None, name=None, by="=evil()"
    )

    at = audit_page()
    at.text_input(key="audit_actor").input("=EVIL").run()

    shown = at.dataframe[0].value
    assert shown["who"].tolist() == ["=evil()"]  # on screen, literally
    assert ",'=evil(),User added," in audit_csv(shown)
