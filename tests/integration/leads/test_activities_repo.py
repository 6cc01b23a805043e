from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from db import repository as repo
from domain.engine.frames import ACTIVITY_COUNT_COLUMNS, day_number
from tests.integration.builders import make_activities, make_leads, utc

# Around the UTC midnight between 2024-03-01 and 2024-03-02; the offsets are deliberate.
LOG = [
    ("L1", "page_view", "2024-03-01T23:59:59Z", None),
    ("L1", "page_view", "2024-03-01T18:00:00-05:00", None),  # 23:00 UTC, same day
    ("L1", "page_view", "2024-03-01T19:00:01-05:00", None),  # 00:00:01 UTC, next day
    ("L1", "page_view", "2024-03-02T00:30:00Z", None),
    ("L1", "content_download", "2024-03-02T08:00:00Z", "decision"),
    ("L1", "content_download", "2024-03-02T09:00:00Z", "awareness"),
    ("L1", "content_download", "2024-03-02T10:00:00Z", None),
    ("L1", "content_download", "2024-03-02T11:00:00Z", "decision"),
    ("L2", "email_open", "2024-03-02T01:00:00+02:00", None),  # 23:00 UTC on 03-01
    ("L2", "email_open", "2024-03-05T12:00:00.123456Z", None),
]


def expected_counts(log: pd.DataFrame, lead_ids: dict[str, int]) -> pd.DataFrame:
    """The same aggregation done by pandas, NULL content stage as its own group."""
    frame = log.assign(
        lead_id=log["lead_external_id"].map(lead_ids),
        day=day_number(log["occurred_at"]),
        content_stage=log["content_stage"].fillna("<none>"),
    )
    grouped = frame.groupby(["lead_id", "activity_type", "content_stage", "day"])["occurred_at"]
    out = grouped.agg(n="size", first_at="min", last_at="max").reset_index()
    return out.replace({"content_stage": {"<none>": None}})


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Sorted, in column order, with a missing content stage as None whatever the dtype."""
    keys = ["lead_id", "activity_type", "content_stage", "day"]
    out = frame[list(ACTIVITY_COUNT_COLUMNS)].sort_values(keys, na_position="first")
    stage = out["content_stage"]
    return out.assign(content_stage=stage.astype(object).where(stage.notna(), None)).reset_index(
        drop=True
    )


def lead_ids(engine: Engine) -> dict[str, int]:
    leads = repo.load_leads(engine)
    return dict(zip(leads["external_id"], leads["lead_id"], strict=True))


def test_activity_counts_match_a_pandas_groupby_of_the_same_log(engine: Engine) -> None:
    repo.insert_leads(engine, make_leads("L1", "L2"))
    log = make_activities(LOG)
    assert repo.insert_activities(engine, log) == len(LOG)

    counts = repo.load_activity_counts(engine)

    assert list(counts.columns) == list(ACTIVITY_COUNT_COLUMNS)
    assert str(counts["first_at"].dtype) == "datetime64[ns, UTC]"
    assert counts["n"].sum() == len(LOG)
    expected = expected_counts(log, lead_ids(engine))
    pd.testing.assert_frame_equal(comparable(counts), comparable(expected), check_dtype=False)


def test_activities_either_side_of_utc_midnight_fall_on_different_days(engine: Engine) -> None:
    repo.insert_leads(engine, make_leads("L1"))
    repo.insert_activities(engine, make_activities(LOG[:4]))

    counts = repo.load_activity_counts(engine).sort_values("day")

    day = day_number(pd.Series([utc("2024-03-01")])).iloc[0]
    assert counts[["day", "n"]].values.tolist() == [[day, 2], [day + 1, 2]]
    assert counts["first_at"].tolist() == [utc("2024-03-01T23:00"), utc("2024-03-02T00:00:01")]
    assert counts["last_at"].tolist() == [utc("2024-03-01T23:59:59"), utc("2024-03-02T00:30")]


def test_as_of_leaves_out_later_activities(engine: Engine) -> None:
    repo.insert_leads(engine, make_leads("L1", "L2"))
    repo.insert_activities(engine, make_activities(LOG))

    counts = repo.load_activity_counts(engine, as_of=utc("2024-03-01T23:59:59"))

    assert counts["n"].sum() == 3
    assert counts["last_at"].max() == utc("2024-03-01T23:59:59")


def test_activities_of_an_unknown_lead_are_refused_and_nothing_is_written(
    engine: Engine,
) -> None:
    repo.insert_leads(engine, make_leads("L1"))
    log = make_activities([LOG[0], ("GHOST", "page_view", "2024-03-01T10:00:00Z", None)])

    with pytest.raises(repo.UnknownLeadsError, match="1 unknown lead.*GHOST") as raised:
        repo.insert_activities(engine, log)

    assert raised.value.unknown == ["GHOST"]
    assert repo.count_rows(engine)["activity"] == 0


def test_an_unknown_content_stage_is_refused(sqlite_engine: Engine) -> None:
    repo.insert_leads(sqlite_engine, make_leads("L1"))
    log = make_activities([("L1", "content_download", "2024-03-01T10:00:00Z", "bottom")])

    with pytest.raises(ValueError, match="content_stage must be one of"):
        repo.insert_activities(sqlite_engine, log)


def test_one_leads_activities_load_oldest_first(engine: Engine) -> None:
    repo.insert_leads(engine, make_leads("L1", "L2"))
    repo.insert_activities(engine, make_activities(LOG))
    l1 = lead_ids(engine)["L1"]

    timeline = repo.load_activities_for_lead(engine, l1)

    assert list(timeline.columns) == list(repo.ACTIVITY_LOG_COLUMNS)
    assert len(timeline) == 8 and set(timeline["lead_id"]) == {l1}
    assert timeline["occurred_at"].is_monotonic_increasing
    assert timeline["occurred_at"].iloc[0] == utc("2024-03-01T23:00")


def test_no_activities_load_as_an_empty_frame_with_the_count_columns(engine: Engine) -> None:
    counts = repo.load_activity_counts(engine)

    assert counts.empty
    assert list(counts.columns) == list(ACTIVITY_COUNT_COLUMNS)
