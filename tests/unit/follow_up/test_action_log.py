"""Audit entries: how they read, how each is undone, when an undo must refuse."""

import pytest

from domain.follow_up.action_log import (
    LeadChange,
    StaleLeadError,
    UndoConflictError,
    describe,
    restore_conflicts,
    undo_plan,
)
from domain.follow_up.actions import ActionError


def test_a_touch_is_undone_by_deleting_the_touch_it_logged():
    plan = undo_plan("touch", {"touch_id": 42, "channel": "call"})
    assert (plan.kind, plan.touch_id) == ("delete_touch", 42)


def test_a_fact_action_is_undone_by_restoring_what_it_replaced():
    payload = {
        "before": {"accepted_at": None, "reason": "old"},
        "after": {"accepted_at": "2024-03-01T12:00:00", "reason": "new"},
    }
    plan = undo_plan("accept", payload)
    assert plan.kind == "restore_facts"
    assert plan.restore == {"accepted_at": None, "reason": "old"}
    assert plan.expect == payload["after"]


def test_a_reassignment_is_undone_by_giving_the_lead_back():
    plan = undo_plan("reassign", {"before": {"owner": "Sam"}, "after": {"owner": "Ana"}})
    assert (plan.kind, plan.restore, plan.expect) == (
        "restore_owner", {"owner": "Sam"}, {"owner": "Ana"},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("action", "payload"),
    [("undo", {"undoes": 3}), ("publish", {}), ("accept", {"after": {}}), ("touch", {})],
)
def test_entries_that_cannot_be_undone_say_so(action, payload):
    with pytest.raises(ActionError):
        undo_plan(action, payload)


def test_an_undo_conflicts_only_where_a_later_change_is_in_the_way():
    expect = {"accepted_at": "2024-03-01T12:00:00", "reason": "student"}
    assert restore_conflicts(expect, dict(expect)) == {}
    current = {"accepted_at": "2024-03-01T12:00:00", "reason": "no budget"}
    assert restore_conflicts(expect, current) == {"reason": ("student", "no budget")}


@pytest.mark.parametrize(
    ("action", "payload", "text"),
    [
        ("touch", {"channel": "call", "outcome": "no_answer"}, "Logged a call · no answer"),
        ("touch", {"channel": "email", "note": "sent deck"}, "Logged an email — sent deck"),
        ("accept", {}, "Accepted (SAL)"),
        (
            "qualify",
            {"answers": {"budget": True, "need": False}, "sql": "SQL"},
            "Recorded BANT: budget yes, authority —, need no, timeline — → SQL",
        ),
        ("disqualify", {"after": {"reason": "student"}}, "Disqualified: student"),
        ("recycle", {"after": {"reason": "bad timing"}}, "Recycled to nurture: bad timing"),
        (
            "reassign",
            {"before": {"owner": None}, "after": {"owner": "Ana"}},
            "Reassigned nobody → Ana",
        ),
        ("undo", {"undone_summary": "Accepted (SAL)"}, "Undid: Accepted (SAL)"),
    ],
)
def test_entries_read_as_one_line(action, payload, text):
    assert describe(action, payload) == text


def test_a_stale_lead_error_says_who_changed_what():
    change = LeadChange(None, "Sam", "Accepted (SAL)")
    error = StaleLeadError(
        lead_id=1, external_id="L1", seen_version=2, current_version=3, changes=(change,)
    )
    assert str(error) == "L1 changed since you loaded it: Sam: Accepted (SAL)"


def test_a_stale_lead_error_without_recorded_changes_blames_an_outside_write():
    error = StaleLeadError(
        lead_id=1, external_id="L1", seen_version=2, current_version=3, changes=()
    )
    assert "outside Baton's actions" in str(error)


def test_an_undo_conflict_names_the_column_and_both_values():
    error = UndoConflictError(7, {"reason": ("student", "no budget")})
    assert "reason is now no budget (the action set student)" in str(error)
