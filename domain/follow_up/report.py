"""Who follows up MQLs in time, and is it getting better: by owner, team and week.

Shares are judged like `domain.follow_up.sla.follow_up_summary`: an MQL whose SLA has not run
out yet (on time, due soon) is not judged; every other MQL either was followed up within
the SLA or was not (late, overdue, never).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NOT_JUDGED = ("on_time", "due_soon")
WAITING = ("on_time", "due_soon", "overdue")
REPORT_COLUMNS: tuple[str, ...] = (
    "mqls", "within_sla", "late", "waiting", "never", "judged", "share_within_sla",
    "share_never", "median_hours",
)  # fmt: skip


def follow_up_by(status: pd.DataFrame, table: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per value of `by` (a column of `table`, e.g. owner), worst share first."""
    frame = _with(status, table, by)
    if frame.empty:
        return pd.DataFrame(columns=[by, *REPORT_COLUMNS])
    out = _summarise(frame, [by])
    return out.sort_values(["share_within_sla", "mqls"], ascending=[True, False], ignore_index=True)


def follow_up_by_week(
    status: pd.DataFrame, table: pd.DataFrame | None = None, by: str | None = None
) -> pd.DataFrame:
    """One row per week of the MQL moment (weeks start on Monday, UTC), oldest first.

    With `by` (a column of `table`), one row per week and value.
    """
    frame = status if by is None or table is None else _with(status, table, by)
    keys = ["week"] if by is None else ["week", by]
    if frame.empty:
        return pd.DataFrame(columns=[*keys, *REPORT_COLUMNS])
    frame = frame.assign(week=week_of(frame["mql_at"]))
    return _summarise(frame, keys).sort_values(keys, ignore_index=True)


def share_pivot(weekly: pd.DataFrame, by: str, last_weeks: int) -> pd.DataFrame:
    """`share_within_sla` as a grid: one row per `by` value, one column per recent week."""
    if weekly.empty:
        return pd.DataFrame()
    weeks = sorted(weekly["week"].unique())[-last_weeks:]
    recent = weekly[weekly["week"].isin(weeks)]
    return recent.pivot_table(
        index=by, columns="week", values="share_within_sla", aggfunc="first", dropna=False
    ).reindex(columns=weeks)


def week_of(moments: pd.Series) -> pd.Series:
    """The Monday (00:00 UTC, as a naive date-time) starting each moment's week."""
    naive = moments.dt.tz_convert("UTC").dt.tz_localize(None)
    return naive.dt.to_period("W-SUN").dt.start_time


def _with(status: pd.DataFrame, table: pd.DataFrame, by: str) -> pd.DataFrame:
    column = table[by].reindex(status.index).astype("string").fillna("(none)")
    return status.assign(**{by: column.astype(str)})


def _summarise(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    status = frame["status"].astype(str)
    flags = pd.DataFrame(
        {
            **{key: frame[key] for key in keys},
            "mqls": 1,
            "within_sla": (status == "followed_up_on_time").astype(int),
            "late": (status == "followed_up_late").astype(int),
            "waiting": status.isin(WAITING).astype(int),
            "never": (status == "never").astype(int),
            "judged": (~status.isin(NOT_JUDGED)).astype(int),
            "hours": frame["hours_to_follow_up"],
        }
    )
    grouped = flags.groupby(keys, observed=True, sort=False)
    out = grouped[["mqls", "within_sla", "late", "waiting", "never", "judged"]].sum()
    out["share_within_sla"] = _share(out["within_sla"], out["judged"])
    out["share_never"] = _share(out["never"], out["mqls"])
    out["median_hours"] = grouped["hours"].median()
    return out.reset_index()[[*keys, *REPORT_COLUMNS]]


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    return pd.Series(
        np.where(whole > 0, part / whole.where(whole > 0, 1), np.nan), index=part.index
    )
