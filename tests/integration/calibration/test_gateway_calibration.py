"""The Calibration page's "save into the draft", through gateways/calibration.py."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from db import repository as repo
from domain.admin.access import AccessDenied, Role
from domain.definitions.defaults import default_definition
from gateways import calibration as gateway
from tests.integration.gateway_people import signed_in


def test_a_suggestion_is_saved_into_the_draft_unless_it_moved_on(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    repo.save_draft(engine, definition=default_definition(), expected_revision=None, author="a")
    suggested = default_definition().model_copy(update={"mql_threshold": 33.0})
    editor = signed_in(engine, "eve@acme.com", Role.editor, "marketing")

    revision = gateway.save_suggestion(
        engine, actor=editor, definition=suggested, expected_revision=1
    )

    draft = repo.get_draft(engine)
    assert draft is not None and (draft.revision, draft.definition) == (revision, suggested)
    with pytest.raises(gateway.StaleDraftError):
        gateway.save_suggestion(engine, actor=editor, definition=suggested, expected_revision=1)


def test_a_viewer_cannot_save_a_suggestion(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    repo.save_draft(engine, definition=default_definition(), expected_revision=None, author="a")
    viewer = signed_in(engine, "vic@acme.com", Role.viewer)

    with pytest.raises(AccessDenied):
        gateway.save_suggestion(
            engine, actor=viewer, definition=default_definition(), expected_revision=1
        )
    draft = repo.get_draft(engine)
    assert draft is not None and draft.revision == 1
