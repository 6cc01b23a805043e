"""Follow-up by owner and by week: who needs help, and is it getting better."""

import math

import pandas as pd

from domain.follow_up.report import follow_up_by, follow_up_by_week, share_pivot, week_of


def status_frame(rows):
    """(lead_id, status, mql_at, hours_to_follow_up) rows."""
    frame = pd.DataFrame(rows, columns=["lead_id", "status", "mql_at", "hours_to_follow_up"])
    frame["mql_at"] = pd.to_datetime(frame["mql_at"], utc=True)
    return frame.set_index("lead_id")


STATUS = status_frame(
    [
        (1, "followed_up_on_time", "2024-03-04 09:00", 2.0),  # Monday
        (2, "followed_up_late", "2024-03-10 23:00", 30.0),  # Sunday: same week
        (3, "never", "2024-03-11 00:00", None),  # next Monday
        (4, "on_time", "2024-03-11 08:00", None),  # not judged yet
        (5, "followed_up_on_time", "2024-03-12 08:00", 1.0),
    ]
)
OWNERS = pd.DataFrame({"owner": ["Sam", "Sam", "Ana", "Ana", "Ana"]}, index=[1, 2, 3, 4, 5])


def test_weeks_start_on_monday_in_utc():
    weeks = week_of(STATUS["mql_at"])
    assert [str(w.date()) for w in weeks] == ["2024-03-04"] * 2 + ["2024-03-11"] * 3


def test_each_owner_gets_the_share_within_sla_of_the_mqls_already_due():
    by_owner = follow_up_by(STATUS, OWNERS, "owner").set_index("owner")
    assert by_owner.loc["Sam", "share_within_sla"] == 0.5
    assert by_owner.loc["Ana", "judged"] == 2  # the on-time waiting one is not judged
    assert by_owner.loc["Ana", "share_within_sla"] == 0.5
    assert by_owner.loc["Ana", "share_never"] == 1 / 3
    assert by_owner.loc["Ana", "median_hours"] == 1.0


def test_owners_are_listed_worst_first():
    status = status_frame(
        [(1, "never", "2024-03-04", None), (2, "followed_up_on_time", "2024-03-04", 1.0)]
    )
    owners = pd.DataFrame({"owner": ["Lax", "Fast"]}, index=[1, 2])
    assert follow_up_by(status, owners, "owner")["owner"].tolist() == ["Lax", "Fast"]


def test_the_weekly_trend_counts_mqls_by_the_week_they_became_mql():
    weekly = follow_up_by_week(STATUS)
    assert weekly["mqls"].tolist() == [2, 3]
    assert weekly["share_within_sla"].tolist() == [0.5, 0.5]


def test_owners_by_week_make_a_grid_of_recent_weeks():
    pivot = share_pivot(follow_up_by_week(STATUS, OWNERS, "owner"), "owner", 1)
    assert list(pivot.columns) == [pd.Timestamp("2024-03-11")]
    assert pivot.loc["Ana"].iloc[0] == 0.5
    assert "Sam" not in pivot.index  # no MQL of Sam's in that week


def test_no_mqls_make_empty_reports():
    empty = STATUS.iloc[:0]
    assert follow_up_by(empty, OWNERS, "owner").empty
    assert follow_up_by_week(empty).empty


def test_a_week_where_nothing_is_due_yet_has_no_share():
    status = status_frame([(1, "on_time", "2024-03-11 08:00", None)])
    assert math.isnan(follow_up_by_week(status)["share_within_sla"].iloc[0])
