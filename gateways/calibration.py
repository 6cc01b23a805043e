"""Calibration page: saving a suggestion's weights or threshold into the shared draft.
May import db and domain, never streamlit or the UI.

The save is the Definitions page's checked draft save (db/guarded.py), same conflicts.
"""

from __future__ import annotations

from sqlalchemy import Engine

from db.definitions.definitions_repo import StaleDraftError
from db.guarded import save_draft
from domain.admin.access import Actor
from domain.definitions.definition import Definition

__all__ = ["StaleDraftError", "save_suggestion"]


def save_suggestion(
    engine: Engine, *, actor: Actor | None, definition: Definition, expected_revision: int
) -> int:
    """Save `definition` (the draft with a suggestion taken in) as the draft's next revision.

    Raises StaleDraftError when someone saved meanwhile, AccessDenied when refused.
    """
    return save_draft(
        engine, actor=actor, definition=definition, expected_revision=expected_revision
    )
