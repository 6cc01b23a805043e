"""Follow-up and Lead pages: lead actions (one or many), undo, a lead's sales state and
history, the draft the queue may be scored with. May import db and domain, never the UI.

Actions and undo check the actor's role on the server (db/guarded.py).
"""

from __future__ import annotations

from sqlalchemy import Engine

from db.definitions.definitions_repo import get_draft
from db.follow_up.actions_repo import ActionResult, BulkOutcome
from db.follow_up.undo_repo import LeadState, lead_history, lead_state
from db.guarded import apply_to_many, undo_action
from db.leads.activities_repo import load_activities_for_lead
from domain.definitions.definition import Definition

__all__ = [
    "ActionResult",
    "BulkOutcome",
    "LeadState",
    "apply_to_many",
    "draft_definition",
    "lead_history",
    "lead_state",
    "load_activities_for_lead",
    "undo_action",
]


def draft_definition(engine: Engine) -> Definition | None:
    """The working draft's definition as stored now, or None when there is none."""
    draft = get_draft(engine)
    return None if draft is None else draft.definition
