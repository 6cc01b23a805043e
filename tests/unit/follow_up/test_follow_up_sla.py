"""The SLA classification at its boundaries, and across time zones."""

import pandas as pd
import pytest

from domain.follow_up.sla import NEVER_AFTER_DAYS, follow_up_status
from tests.builders import make_touches

SLA = 24
AS_OF = pd.Timestamp("2024-03-01 12:00", tz="UTC")


def status_of(mql_at, *touches, as_of=AS_OF, sla=SLA):
    table = pd.DataFrame(
        {"mql_at": pd.to_datetime([mql_at], utc=True)}, index=pd.Index([1], name="lead_id")
    )
    return follow_up_status(table, make_touches(*touches), sla, as_of).loc[1, "status"]


def ago(**delta):
    return AS_OF - pd.Timedelta(**delta)


@pytest.mark.parametrize(
    ("waited", "expected"),
    [
        (pd.Timedelta(hours=18), "on_time"),  # the due-soon quarter starts after 18 h
        (pd.Timedelta(hours=18, seconds=1), "due_soon"),
        (pd.Timedelta(hours=24), "due_soon"),  # exactly at the SLA: not overdue yet
        (pd.Timedelta(hours=24, seconds=1), "overdue"),
        (pd.Timedelta(days=NEVER_AFTER_DAYS), "overdue"),
        (pd.Timedelta(days=NEVER_AFTER_DAYS, seconds=1), "never"),
    ],
)
def test_a_waiting_mql_changes_status_exactly_at_each_boundary(waited, expected):
    assert status_of(AS_OF - waited) == expected


def test_a_touch_exactly_at_the_sla_counts_as_on_time_in_any_time_zone():
    # MQL at 09:00 New York (14:00 UTC); the touch 24 h later, written in Tokyo time.
    mql = "2024-02-01T09:00:00-05:00"
    touch = (1, "2024-02-02T23:00:00+09:00", "call", "connected")
    assert status_of(mql, touch) == "followed_up_on_time"


def test_a_touch_one_second_past_the_sla_in_another_time_zone_is_late():
    mql = "2024-02-01T09:00:00-05:00"
    touch = (1, "2024-02-02T15:00:01+01:00", "email", None)
    assert status_of(mql, touch) == "followed_up_late"


def test_a_naive_touch_time_is_read_as_utc():
    assert status_of("2024-02-01T14:00:00Z", (1, "2024-02-02 14:00", "call", None)) == (
        "followed_up_on_time"
    )


def test_the_as_of_moment_may_be_given_in_any_time_zone():
    mql = AS_OF - pd.Timedelta(hours=24, seconds=1)
    berlin = AS_OF.tz_convert("Europe/Berlin")
    assert status_of(mql, as_of=berlin) == "overdue"


def test_an_mql_across_a_daylight_saving_change_waits_in_real_hours():
    # US clocks jumped forward on 2024-03-10: 23 wall-clock hours later is 22 real hours.
    mql = pd.Timestamp("2024-03-09 12:00", tz="America/New_York")
    as_of = pd.Timestamp("2024-03-10 11:00", tz="America/New_York")
    assert as_of - mql == pd.Timedelta(hours=22)
    assert status_of(mql, as_of=as_of) == "due_soon"


def test_a_touch_after_the_as_of_moment_is_not_known_yet():
    touch = (1, str(AS_OF + pd.Timedelta(minutes=1)), "call", "connected")
    assert status_of(ago(hours=2), touch) == "on_time"
