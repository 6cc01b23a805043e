"""Lead actions as values: validation, the sales facts they write, the SQL verdict."""

from datetime import UTC, datetime

import pandas as pd
import pytest

from domain.definitions.definition import SqlCriteria
from domain.follow_up.actions import (
    Accept,
    ActionError,
    Disqualify,
    LogTouch,
    Qualify,
    Reassign,
    Recycle,
    fact_changes,
    sql_verdict,
)
from tests.builders import definition, make_facts, make_leads, make_touches, model_of

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
EARLIER = datetime(2024, 2, 1, 9, 0, tzinfo=UTC)


def test_a_touch_normalises_its_channel_and_outcome():
    touch = LogTouch(channel=" Call ", outcome="No Answer", note="  ", rep=" Sam ")
    assert (touch.channel, touch.outcome, touch.note, touch.rep) == (
        "call", "no_answer", None, "Sam",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: LogTouch(channel="fax"), "channel must be one of"),
        (lambda: LogTouch(channel=""), "channel is required"),
        (lambda: LogTouch(channel="call", note="x" * 501), "longer than 500"),
        (lambda: LogTouch(channel="call", touched_at=datetime(2024, 1, 1)), "time zone"),
        (lambda: Disqualify(reason=" "), "reason is required"),
        (lambda: Recycle(reason=""), "reason is required"),
        (lambda: Reassign(owner=""), "owner is required"),
        (lambda: Qualify(), "at least one BANT answer"),
    ],
)
def test_bad_actions_are_refused_before_anything_is_written(make, message):
    with pytest.raises(ActionError, match=message):
        make()


def test_actions_are_immutable():
    with pytest.raises(AttributeError):
        Reassign(owner="Ana").owner = "Sam"  # type: ignore[misc]


def test_accepting_records_the_moment_once():
    assert fact_changes(Accept(), {}, NOW) == {"accepted_at": NOW}
    assert fact_changes(Accept(), {"accepted_at": EARLIER}, NOW) == {}


def test_qualifying_records_answers_and_implies_acceptance_and_conversation():
    changes = fact_changes(Qualify(budget=True, need=True, authority=False), {}, NOW)
    assert changes == {
        "budget": True,
        "authority": False,
        "need": True,
        "bant_at": NOW,
        "accepted_at": NOW,
        "conversation_at": NOW,
    }


def test_qualifying_keeps_earlier_dates_and_writes_only_what_changes():
    current = {"accepted_at": EARLIER, "conversation_at": EARLIER, "budget": True}
    changes = fact_changes(Qualify(budget=True, conversation=True), current, NOW)
    assert changes == {"bant_at": NOW}


def test_qualifying_without_a_conversation_does_not_invent_one():
    changes = fact_changes(Qualify(need=True, conversation=False), {}, NOW)
    assert "conversation_at" not in changes


def test_disqualifying_and_recycling_record_when_and_why():
    assert fact_changes(Disqualify("student"), {}, NOW) == {
        "disqualified_at": NOW,
        "reason": "student",
    }
    assert fact_changes(Recycle("bad timing"), {"reason": "x"}, NOW) == {
        "recycled_at": NOW,
        "reason": "bad timing",
    }


def test_touches_and_reassignments_write_no_sales_facts():
    with pytest.raises(ActionError):
        fact_changes(LogTouch("call"), {}, NOW)
    with pytest.raises(ActionError):
        fact_changes(Reassign("Ana"), {}, NOW)


def test_the_verdict_lists_every_reason_a_lead_is_not_an_sql():
    criteria = SqlCriteria(min_bant=3, mandatory=("budget",), require_conversation=True)
    verdict = sql_verdict({"authority": True, "need": True}, criteria, conversation=False)
    assert not verdict.met
    assert verdict.yes == 2
    assert len(verdict.reasons) == 3
    assert "budget must be yes" in verdict.summary(criteria)


def test_the_verdict_says_what_the_definition_needs_when_met():
    criteria = SqlCriteria(min_bant=2, require_conversation=False)
    verdict = sql_verdict({"budget": True, "need": True}, criteria, conversation=False)
    assert verdict.met
    assert verdict.summary(criteria) == (
        "Meets the SQL criteria: 2 of 4 BANT answers are yes (the definition needs 2)."
    )


@pytest.mark.parametrize(
    ("answers", "criteria", "talked"),
    [
        ({"budget": True, "authority": True, "need": True}, SqlCriteria(), True),
        ({"budget": True, "authority": True, "need": True}, SqlCriteria(), False),
        ({"budget": True, "need": True}, SqlCriteria(min_bant=2), True),
        ({"budget": False, "need": True, "timeline": True}, SqlCriteria(min_bant=2), True),
        (
            {"need": True, "timeline": True, "authority": True},
            SqlCriteria(mandatory=("budget",)),
            True,
        ),
        ({}, SqlCriteria(min_bant=0, require_conversation=False), False),
    ],
)
def test_the_verdict_agrees_with_the_scoring_engine(answers, criteria, talked):
    # One lead whose rep recorded `answers` (and maybe a conversation): the engine makes
    # it an SQL exactly when the verdict says so.
    facts = make_facts(
        {
            "lead_id": 1,
            "accepted_at": "2024-02-01",
            "bant_at": "2024-02-02",
            "conversation_at": "2024-02-02" if talked else None,
            **answers,
        }
    )
    model = model_of(make_leads({}), touches=make_touches(), facts=facts)
    frame = model.score(definition(sql_criteria=criteria.model_dump())).frame
    assert pd.notna(frame.loc[1, "sql_at"]) == sql_verdict(answers, criteria, talked).met
