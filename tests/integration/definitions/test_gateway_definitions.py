"""The Definitions page's clicks, through gateways/definitions.py, without Streamlit."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from db import repository as repo
from domain.admin.access import Role
from domain.definitions.defaults import default_definition
from gateways import definitions as gateway
from tests.integration.gateway_people import signed_in


@pytest.fixture
def engine(sqlite_engine: Engine) -> Engine:
    return sqlite_engine


def test_opening_the_workspace_creates_the_draft_for_anyone(engine: Engine) -> None:
    start = default_definition()

    gateway.create_draft(engine, definition=start, author="anonymous")  # no role needed

    draft = gateway.get_draft(engine)
    assert draft is not None
    assert (draft.revision, draft.updated_by, draft.definition) == (1, "anonymous", start)


def test_an_editors_save_is_written_and_audited_a_viewers_is_refused(engine: Engine) -> None:
    gateway.create_draft(engine, definition=default_definition(), author="ann")
    current = gateway.get_draft(engine)
    assert current is not None
    changed = current.definition.model_copy(update={"mql_threshold": 42.0})
    viewer = signed_in(engine, "vic@acme.com", Role.viewer)

    with pytest.raises(gateway.AccessDenied):
        gateway.save_draft(engine, actor=viewer, definition=changed, expected_revision=1)
    assert gateway.get_draft(engine) == current

    editor = signed_in(engine, "eve@acme.com", Role.editor, "marketing")
    revision = gateway.save_draft(engine, actor=editor, definition=changed, expected_revision=1)
    stored = gateway.get_draft(engine)
    assert stored is not None and stored.revision == revision
    assert stored.definition.mql_threshold == 42.0
    assert "save_draft" in set(repo.list_audit(engine)["action"])


def test_overwriting_a_newer_draft_is_audited_with_whose_it_replaced(engine: Engine) -> None:
    editor = signed_in(engine, "eve@acme.com", Role.editor, "marketing")
    gateway.create_draft(engine, definition=default_definition(), author="ann")
    theirs = gateway.get_draft(engine)
    assert theirs is not None
    mine = theirs.definition.model_copy(update={"mql_threshold": 7.0})

    revision = gateway.overwrite_draft(engine, actor=editor, author="Eve", mine=mine, theirs=theirs)

    entry = repo.list_audit(engine).sort_values("id").iloc[-1]
    assert (entry["action"], entry["actor"], str(entry["entity_id"])) == (
        "overwrite_draft", "Eve", str(revision),
    )  # fmt: skip
    assert entry["payload"] == {"overwrote_revision": 1, "overwrote_author": "ann"}
    with pytest.raises(gateway.StaleDraftError):  # theirs is gone: a second overwrite refuses
        gateway.overwrite_draft(engine, actor=editor, author="Eve", mine=mine, theirs=theirs)


def test_a_sign_off_for_the_wrong_role_is_refused_and_nothing_is_signed(engine: Engine) -> None:
    gateway.create_draft(engine, definition=default_definition(), author="ann")
    editor = signed_in(engine, "eve@acme.com", Role.editor, "marketing")

    with pytest.raises(gateway.AccessDenied):
        gateway.sign_draft(engine, actor=editor, expected_revision=1)

    draft = gateway.get_draft(engine)
    assert draft is not None and draft.signoffs == ()
    approver = signed_in(engine, "amy@acme.com", Role.approver, "marketing")
    gateway.sign_draft(engine, actor=approver, expected_revision=1)
    signed = gateway.get_draft(engine)
    assert signed is not None and [s["team"] for s in signed.signoffs] == ["marketing"]
