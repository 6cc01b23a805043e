import pandas as pd
import pytest

from domain.follow_up.sla import follow_up_status, follow_up_summary
from tests.builders import make_touches

AS_OF = pd.Timestamp("2024-03-01 12:00", tz="UTC")


def mqls(*times):
    return pd.DataFrame(
        {"mql_at": pd.to_datetime(list(times), utc=True)},
        index=pd.Index(range(1, len(times) + 1), name="lead_id"),
    )


def status_of(mql_at, *touches, sla=24):
    table = mqls(mql_at)
    return follow_up_status(table, make_touches(*touches), sla, AS_OF).loc[1, "status"]


def test_a_touch_exactly_at_the_sla_is_on_time():
    touch = (1, "2024-02-02 12:00", "call", "connected")
    assert status_of("2024-02-01 12:00", touch) == "followed_up_on_time"


def test_a_touch_one_second_after_the_sla_is_late():
    touch = (1, "2024-02-02 12:00:01", "call", "no_answer")
    assert status_of("2024-02-01 12:00", touch) == "followed_up_late"


def test_touches_before_the_mql_moment_do_not_count_as_follow_up():
    touch = (1, "2024-01-15 11:00", "email", "replied")
    assert status_of("2024-01-15 12:00", touch) == "never"


def test_time_zones_are_respected():
    # 14:00 in Berlin is 13:00 UTC: one hour after the MQL moment, well within the SLA.
    touch = (1, "2024-02-01T14:00:00+01:00", "call", "connected")
    table = mqls("2024-02-01 12:00")
    status = follow_up_status(table, make_touches(touch), 1, AS_OF)
    assert status.loc[1, "hours_to_follow_up"] == pytest.approx(1.0)
    assert status.loc[1, "status"] == "followed_up_on_time"


@pytest.mark.parametrize(
    ("hours_ago", "expected"),
    [(1, "on_time"), (19, "due_soon"), (24, "due_soon"), (25, "overdue"), (24 * 31, "never")],
)
def test_waiting_mqls_are_classified_by_their_age_against_the_sla(hours_ago, expected):
    assert status_of(AS_OF - pd.Timedelta(hours=hours_ago)) == expected


def test_the_summary_shares_judge_only_mqls_whose_sla_has_run_out():
    table = mqls("2024-01-01", "2024-02-01", AS_OF - pd.Timedelta(hours=2))
    touches = make_touches((2, "2024-02-01 03:00", "call", "connected"))
    summary = follow_up_summary(follow_up_status(table, touches, 24, AS_OF), 24)
    assert summary["mqls"] == 3
    assert summary["never"] == 1
    assert summary["share_never"] == pytest.approx(1 / 3)
    assert summary["share_within_sla"] == pytest.approx(1 / 2)
