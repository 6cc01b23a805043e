"""Restore-as-draft keeps what it replaced in the database: a second person, in another
session, can bring it back later from the History panel, once. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from data.seed import ensure_seeded
from db import repository as repo
from db.definitions.restore_repo import BRING_BACK_ACTION, replaced_draft
from db.engine import get_engine
from tests.app.test_definitions_page import be, draft, open_workspace, set_threshold
from tests.integration.conftest import DATABASES, _pg_database

LEADS = 300


@pytest.fixture(params=DATABASES)
def url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    if request.param == "sqlite":
        database = f"sqlite:///{tmp_path / 'baton.db'}"
        ensure_seeded(get_engine(database), n_leads=LEADS)
        monkeypatch.setenv("DATABASE_URL", database)
        yield database
        return
    with _pg_database() as database:
        ensure_seeded(get_engine(database), n_leads=LEADS)
        monkeypatch.setenv("DATABASE_URL", database)
        yield database


def test_a_second_session_brings_back_the_draft_a_restore_replaced(url: str) -> None:
    engine = get_engine(url)
    v1 = repo.get_version(engine, 1)
    repo.publish(engine, definition=v1.replace(mql_threshold=80), author="Sam", note="strict")
    ann = open_workspace()
    be(ann, "Ann", "Marketing")
    set_threshold(ann, 85)  # the shared draft Ann is working on
    ann.selectbox(key="defs_restore_version").set_value(1).run()
    ann.button(key="defs_restore").click().run()
    ann.button(key="defs_restore_yes").click().run()
    assert not ann.exception, [e.value for e in ann.exception]
    assert draft(engine).definition == v1

    bo = open_workspace()  # another person, later, in a session of their own
    be(bo, "Bo", "Sales")
    bring_back = bo.button(key="defs_bring_back")
    assert "v1" in str(bring_back.help) and "Ann" in str(bring_back.help)
    bring_back.click().run()
    assert not bo.exception, [e.value for e in bo.exception]
    assert draft(engine).definition.mql_threshold == 85
    assert bo.slider(key="mql_threshold").value == 85
    assert "defs_bring_back" not in [b.key for b in bo.button]  # brought back once
    assert replaced_draft(engine) is None
    audit = repo.list_audit(engine, entity="definition")
    assert audit.iloc[0]["action"] == BRING_BACK_ACTION
    assert audit.iloc[0]["actor"] == "Bo"
