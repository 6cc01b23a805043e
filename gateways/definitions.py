"""Definitions page: the draft (save, create, overwrite, restore, bring back), sign-off,
publish and the meeting capacity. May import db and domain, never streamlit or the UI.

Every write people make goes through db/guarded.py, which checks the writer's role.
"""

from __future__ import annotations

from contextlib import suppress

from sqlalchemy import Engine

from db.definitions.definitions_repo import (
    AlreadyPublishedError,
    DraftState,
    SignOffRefused,
    StaleDraftError,
    get_draft,
    get_published,
    get_version,
    list_versions,
    published_as,
)
from db.definitions.definitions_repo import save_draft as _save_unchecked
from db.definitions.meeting_repo import MAX_PER_REP, MAX_REPS, get_sales_capacity
from db.definitions.restore_repo import (
    ReplacedDraft,
    mark_brought_back,
    record_restore,
    replaced_draft,
)
from db.errors import describe
from db.guarded import publish, save_draft, save_sales_capacity, sign_draft
from db.meta_repo import log_audit
from domain.admin.access import AccessDenied, Actor
from domain.definitions.definition import Definition

__all__ = [
    "MAX_PER_REP",
    "MAX_REPS",
    "AccessDenied",
    "AlreadyPublishedError",
    "DraftState",
    "ReplacedDraft",
    "SignOffRefused",
    "StaleDraftError",
    "create_draft",
    "describe",
    "get_draft",
    "get_published",
    "get_sales_capacity",
    "get_version",
    "list_versions",
    "mark_brought_back",
    "overwrite_draft",
    "publish",
    "published_as",
    "record_restore",
    "replaced_draft",
    "save_draft",
    "save_sales_capacity",
    "sign_draft",
]


def create_draft(engine: Engine, *, definition: Definition, author: str) -> None:
    """Start the shared draft from `definition` (call it when there is none); when someone
    creates it at the same moment, whichever is stored is read back by both.

    Not role-checked: opening the workspace makes the draft, whoever opens it first.
    """
    with suppress(StaleDraftError):
        _save_unchecked(engine, definition=definition, expected_revision=None, author=author)


def overwrite_draft(
    engine: Engine, *, actor: Actor | None, author: str, mine: Definition, theirs: DraftState
) -> int:
    """Save `mine` over `theirs` (checked) and audit whose draft it replaced; the revision.

    Raises StaleDraftError when the draft moved on again, AccessDenied when refused.
    """
    revision = save_draft(engine, actor=actor, definition=mine, expected_revision=theirs.revision)
    log_audit(
        engine,
        actor=author,
        action="overwrite_draft",
        entity="definition_draft",
        entity_id=revision,
        payload={"overwrote_revision": theirs.revision, "overwrote_author": theirs.updated_by},
    )
    return revision
