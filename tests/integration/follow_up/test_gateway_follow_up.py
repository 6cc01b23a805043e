"""The Follow-up page's clicks, through gateways/follow_up.py, without Streamlit."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from db import repository as repo
from domain.admin.access import AccessDenied, Role
from domain.definitions.defaults import default_definition
from domain.follow_up.actions import LogTouch
from gateways import follow_up as gateway
from tests.integration.builders import make_leads
from tests.integration.gateway_people import signed_in


@pytest.fixture
def lead(sqlite_engine: Engine) -> tuple[Engine, int]:
    repo.insert_leads(sqlite_engine, make_leads("L1"))
    lead_id = repo.lead_id_for(sqlite_engine, "L1")
    assert lead_id is not None
    return sqlite_engine, lead_id


def test_a_touch_logged_and_undone_goes_through_the_role_check(lead: tuple[Engine, int]) -> None:
    engine, lead_id = lead
    rep = signed_in(engine, "rita@acme.com", Role.editor, "sales")

    done = gateway.apply_to_many(
        engine, actor=rep, targets=[(lead_id, None)], action=LogTouch("call")
    )

    assert len(done.done) == 1 and len(repo.load_touches(engine)) == 1
    audit_id = done.done[0].audit_id
    assert audit_id is not None
    gateway.undo_action(engine, actor=rep, audit_id=audit_id)
    assert repo.load_touches(engine).empty


def test_a_viewer_cannot_log_a_touch(lead: tuple[Engine, int]) -> None:
    engine, lead_id = lead
    viewer = signed_in(engine, "vic@acme.com", Role.viewer)

    with pytest.raises(AccessDenied):
        gateway.apply_to_many(
            engine, actor=viewer, targets=[(lead_id, None)], action=LogTouch("call")
        )
    assert repo.load_touches(engine).empty


def test_the_draft_definition_is_read_fresh(sqlite_engine: Engine) -> None:
    assert gateway.draft_definition(sqlite_engine) is None
    start = default_definition()
    repo.save_draft(sqlite_engine, definition=start, expected_revision=None, author="ann")
    assert gateway.draft_definition(sqlite_engine) == start
