"""Lead actions on SQLite and PostgreSQL: written once, with who and when, undoable."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy import Engine

from db import repository as repo
from domain.definitions.definition import SqlCriteria
from domain.follow_up.action_log import StaleLeadError, UndoConflictError
from domain.follow_up.actions import Accept, Disqualify, LogTouch, Qualify, Reassign, Recycle
from tests.integration.builders import make_leads

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def lead(engine: Engine, external_id: str = "L1") -> int:
    repo.insert_leads(engine, make_leads(external_id))
    lead_id = repo.lead_id_for(engine, external_id)
    assert lead_id is not None
    return lead_id


def act(engine: Engine, lead_id: int, action, **kwargs):
    kwargs.setdefault("actor", "rita")
    kwargs.setdefault("now", NOW)
    return repo.apply_action(engine, lead_id=lead_id, action=action, **kwargs)


def audit(engine: Engine) -> pd.DataFrame:
    rows = repo.list_audit(engine, entity="lead")
    return rows.sort_values("id", ignore_index=True)


def test_a_touch_is_written_with_who_and_when_and_audited(engine: Engine) -> None:
    lead_id = lead(engine)
    versions = repo.data_versions(engine)

    result = act(engine, lead_id, LogTouch("call", "connected", note="demo next week"))

    touches = repo.load_touches(engine)
    assert touches[["lead_id", "channel", "outcome", "rep"]].iloc[0].tolist() == [
        lead_id, "call", "connected", "rita",
    ]  # fmt: skip
    assert touches["touched_at"].iloc[0] == pd.Timestamp(NOW)
    entry = audit(engine).iloc[-1]
    assert (entry["actor"], entry["action"], entry["entity_id"]) == ("rita", "touch", str(lead_id))
    assert entry["payload"]["touch_id"] == result.touch_id == int(touches["touch_id"].iloc[0])
    assert repo.data_versions(engine) == (versions[0], versions[1] + 1)


@pytest.mark.parametrize(
    "action",
    [
        LogTouch("call"),
        Accept(),
        Qualify(budget=True, conversation=True),
        Disqualify("student"),
        Recycle("bad timing"),
        Reassign("omar"),
    ],
    ids=lambda action: type(action).__name__,
)
def test_an_action_and_its_undo_move_only_the_sales_version(engine: Engine, action) -> None:
    lead_id = lead(engine)
    data, sales = repo.data_versions(engine)

    done = act(engine, lead_id, action)
    after_action = repo.data_versions(engine)
    repo.undo_action(engine, audit_id=done.audit_id, actor="rita")

    # The activity aggregate (keyed on the data version) is never rebuilt for an action.
    assert after_action == (data, sales + 1)
    assert repo.data_versions(engine) == (data, sales + 2)


def test_a_double_submitted_touch_is_logged_once(engine: Engine) -> None:
    lead_id = lead(engine)
    first = act(engine, lead_id, LogTouch("call"), idempotency_key="form-1:1")
    again = act(engine, lead_id, LogTouch("call"), idempotency_key="form-1:1")

    assert again.replayed and again.touch_id == first.touch_id
    assert len(repo.load_touches(engine)) == 1
    assert len(audit(engine)) == 1


def test_two_reps_touching_one_lead_both_land(engine: Engine) -> None:
    lead_id = lead(engine)
    act(engine, lead_id, LogTouch("call"), actor="rita", idempotency_key="a", expected_version=0)
    act(engine, lead_id, LogTouch("email"), actor="sam", idempotency_key="b", expected_version=0)

    assert sorted(repo.load_touches(engine)["rep"]) == ["rita", "sam"]


def test_accepting_writes_the_fact_who_and_a_reversible_audit_entry(engine: Engine) -> None:
    lead_id = lead(engine)

    result = act(engine, lead_id, Accept(), expected_version=0)

    state = repo.lead_state(engine, lead_id)
    assert state.facts["accepted_at"] == NOW
    assert (state.version, result.version) == (1, 1)
    entry = audit(engine).iloc[-1]
    assert entry["payload"]["before"] == {"accepted_at": None}
    assert entry["payload"]["version"] == [0, 1]


def test_accepting_an_accepted_lead_changes_nothing(engine: Engine) -> None:
    lead_id = lead(engine)
    act(engine, lead_id, Accept())
    again = act(engine, lead_id, Accept(), idempotency_key="other-form")

    assert again.audit_id is None
    assert repo.lead_state(engine, lead_id).version == 1


def test_qualifying_records_bant_and_is_judged_by_the_definition(engine: Engine) -> None:
    lead_id = lead(engine)
    criteria = SqlCriteria(min_bant=3, mandatory=("budget",))

    result = act(
        engine,
        lead_id,
        Qualify(authority=True, need=True, timeline=True),
        sql_criteria=criteria,
    )

    facts = repo.lead_state(engine, lead_id).facts
    assert facts["authority"] is True and "budget" not in facts
    assert facts["bant_at"] == facts["accepted_at"] == facts["conversation_at"] == NOW
    assert "not SQL: budget must be yes" in result.summary


def test_disqualifying_and_recycling_keep_the_reason(engine: Engine) -> None:
    first, second = lead(engine, "L1"), lead(engine, "L2")
    act(engine, first, Disqualify("student"))
    act(engine, second, Recycle("bad timing"))

    facts = repo.load_sales_facts(engine).set_index("lead_id")
    assert facts.loc[first, "reason"] == "student" and pd.notna(facts.loc[first, "disqualified_at"])
    assert facts.loc[second, "reason"] == "bad timing"
    assert pd.notna(facts.loc[second, "recycled_at"])


def test_reassigning_changes_the_owner_and_remembers_the_old_one(engine: Engine) -> None:
    lead_id = lead(engine)

    act(engine, lead_id, Reassign("sam"), expected_version=0)

    assert repo.load_leads(engine)["owner"].tolist() == ["sam"]
    assert audit(engine).iloc[-1]["payload"]["before"] == {"owner": "rita"}


def test_an_action_on_a_lead_someone_moved_says_what_changed(engine: Engine) -> None:
    lead_id = lead(engine)
    act(engine, lead_id, Accept(), actor="sam", expected_version=0)

    with pytest.raises(StaleLeadError) as caught:
        act(engine, lead_id, Reassign("ana"), actor="rita", expected_version=0)

    error = caught.value
    assert (error.seen_version, error.current_version) == (0, 1)
    assert [(c.actor, c.summary) for c in error.changes] == [("sam", "Accepted (SAL)")]
    assert repo.load_leads(engine)["owner"].tolist() == ["rita"]  # nothing written


def test_applying_anyway_at_the_current_version_keeps_both_changes(engine: Engine) -> None:
    lead_id = lead(engine)
    act(engine, lead_id, Accept(), actor="sam", expected_version=0)
    act(engine, lead_id, Reassign("ana"), actor="rita", expected_version=1)

    state = repo.lead_state(engine, lead_id)
    assert state.owner == "ana" and state.facts["accepted_at"] == NOW


def test_a_double_submitted_action_is_not_a_conflict_with_itself(engine: Engine) -> None:
    lead_id = lead(engine)
    first = act(engine, lead_id, Disqualify("student"), idempotency_key="k", expected_version=0)
    again = act(engine, lead_id, Disqualify("student"), idempotency_key="k", expected_version=0)

    assert again.replayed and again.audit_id == first.audit_id
    assert len(audit(engine)) == 1


def test_a_touch_on_a_moved_lead_lands_and_says_what_changed(engine: Engine) -> None:
    lead_id = lead(engine)
    act(engine, lead_id, Disqualify("competitor"), actor="sam")

    result = act(engine, lead_id, LogTouch("email"), expected_version=0)

    assert result.touch_id is not None
    assert [c.summary for c in result.notice] == ["Disqualified: competitor"]


def test_bulk_actions_apply_to_each_lead_and_report_the_moved_ones(engine: Engine) -> None:
    ids = [lead(engine, f"L{i}") for i in range(3)]
    act(engine, ids[1], Accept(), actor="sam")

    outcome = repo.apply_to_many(
        engine,
        targets=[(i, 0) for i in ids],
        action=Recycle("bad timing"),
        actor="rita",
        key_prefix="bulk",
    )

    assert [r.lead_id for r in outcome.done] == [ids[0], ids[2]]
    assert [e.lead_id for e in outcome.stale] == [ids[1]]


def test_undoing_a_touch_deletes_it_and_is_itself_audited(engine: Engine) -> None:
    lead_id = lead(engine)
    done = act(engine, lead_id, LogTouch("call"))

    undone = repo.undo_action(engine, audit_id=done.audit_id, actor="rita")

    assert repo.load_touches(engine).empty
    assert undone.action == "undo" and "Logged a call" in undone.summary
    history = repo.lead_history(engine, lead_id)
    assert history["action"].tolist() == ["undo", "touch"]
    assert history["undone_by"].iloc[1] == "rita" and not history["undoable"].any()


def test_undoing_twice_changes_nothing_the_second_time(engine: Engine) -> None:
    lead_id = lead(engine)
    done = act(engine, lead_id, Accept())
    repo.undo_action(engine, audit_id=done.audit_id, actor="rita")

    again = repo.undo_action(engine, audit_id=done.audit_id, actor="rita")

    assert again.replayed
    assert len(audit(engine)) == 2


def test_undoing_restores_facts_and_owner(engine: Engine) -> None:
    lead_id = lead(engine)
    qualified = act(engine, lead_id, Qualify(budget=True, need=True, authority=True))
    moved = act(engine, lead_id, Reassign("sam"))

    repo.undo_action(engine, audit_id=moved.audit_id, actor="ana")
    repo.undo_action(engine, audit_id=qualified.audit_id, actor="ana")

    state = repo.lead_state(engine, lead_id)
    assert state.owner == "rita"
    assert state.facts == {}
    assert state.version == 4  # every change and every undo moved the lead


def test_an_undo_refuses_to_overwrite_a_later_change(engine: Engine) -> None:
    lead_id = lead(engine)
    first = act(engine, lead_id, Disqualify("student"))
    act(engine, lead_id, Recycle("bad timing"))  # replaces the reason

    with pytest.raises(UndoConflictError, match="reason"):
        repo.undo_action(engine, audit_id=first.audit_id, actor="rita")

    assert repo.lead_state(engine, lead_id).facts["reason"] == "bad timing"


def test_an_import_that_changes_the_owner_moves_the_lead(engine: Engine) -> None:
    lead_id = lead(engine)
    repo.insert_leads(engine, make_leads("L1"))  # same owner: not a move
    assert repo.lead_state(engine, lead_id).version == 0

    repo.insert_leads(engine, make_leads("L1", owner=["sam"]))
    repo.upsert_sales_facts(engine, pd.DataFrame({"lead_external_id": ["L1"], "budget": [True]}))

    assert repo.lead_state(engine, lead_id).version == 2
    with pytest.raises(StaleLeadError, match="outside Baton's actions"):
        act(engine, lead_id, Accept(), expected_version=0)


def test_an_unknown_lead_is_refused(engine: Engine) -> None:
    with pytest.raises(LookupError):
        act(engine, 999, Accept())
    assert repo.lead_id_for(engine, "NOPE") is None


def race(monkeypatch: pytest.MonkeyPatch, *calls):
    """Run `calls` on threads that all read the lead before any of them writes."""
    import threading

    import db.follow_up.actions_repo as actions_repo

    barrier = threading.Barrier(len(calls), timeout=20)
    original = actions_repo.read_lead

    def read_then_wait(connection, lead_id):
        row = original(connection, lead_id)
        barrier.wait()
        return row

    monkeypatch.setattr(actions_repo, "read_lead", read_then_wait)
    results: list[object] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            results[index] = calls[index]()
        except Exception as exc:  # collected for the test to inspect
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_of_two_reps_moving_one_lead_at_once_one_wins_and_one_is_told(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead_id = lead(engine)
    results = race(
        monkeypatch,
        lambda: act(engine, lead_id, Accept(), actor="rita", expected_version=0),
        lambda: act(engine, lead_id, Reassign("sam"), actor="sam", expected_version=0),
    )

    stale = [r for r in results if isinstance(r, StaleLeadError)]
    done = [r for r in results if isinstance(r, repo.ActionResult)]
    assert len(stale) == 1 and len(done) == 1, results
    winner = "rita" if done[0].action == "accept" else "sam"
    assert [c.actor for c in stale[0].changes] == [winner]
    assert repo.lead_state(engine, lead_id).version == 1


def test_the_same_submission_racing_itself_is_recorded_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead_id = lead(engine)
    submit = lambda: act(  # noqa: E731
        engine, lead_id, Disqualify("student"), idempotency_key="form-9:1", expected_version=0
    )

    results = race(monkeypatch, submit, submit)

    assert all(isinstance(r, repo.ActionResult) for r in results), results
    assert sorted(r.replayed for r in results) == [False, True]  # type: ignore[union-attr]
    assert len(audit(engine)) == 1


def test_two_reps_touching_one_lead_at_the_same_moment_both_land(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead_id = lead(engine)
    results = race(
        monkeypatch,
        lambda: act(engine, lead_id, LogTouch("call"), actor="rita", idempotency_key="a"),
        lambda: act(engine, lead_id, LogTouch("email"), actor="sam", idempotency_key="b"),
    )

    assert all(isinstance(r, repo.ActionResult) for r in results), results
    assert sorted(repo.load_touches(engine)["rep"]) == ["rita", "sam"]
