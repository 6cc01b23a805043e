"""Conversion rates measured on cohorts that had the chance to convert.

A rate A -> B (say MQL -> SQL) is measured on a cohort: the leads in view that reached A
at least `min_age_days` (per step) before the as-of moment. Of those, `converted` reached B by the
as-of moment. Leads that reached A more recently are counted as `too_recent` (shown, not
in the rate): a lead that became MQL yesterday had no chance to become an SQL yet, and
counting it would make every recent month look worse than it is.

With `min_age_days=0` the cohort is every lead in view that reached A, and the counts are
exactly those of `metrics.funnel` / `metrics.conversion_rates` (and `cli.py funnel`).
Which leads are "in view" (e.g. created, or became MQL, within a date range) is decided
before, by `metrics.apply_filters`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from domain.engine.frames import utc_timestamp
from domain.engine.stages import FUNNEL_STAGES
from domain.funnel.metrics import KEY_RATES, reached, stage_moment

# Fewer leads than this behind a rate: flagged, since one lead more or less moves it a lot.
SMALL_SAMPLE = 30
# Days a lead gets to convert before it is judged; closing a deal takes longest.
DEFAULT_MIN_AGE_DAYS: dict[str, float] = {"Lead -> MQL": 30, "MQL -> SQL": 30, "SQL -> Won": 90}
# Group by the month a lead reached the rate's first stage (its cohort month for that rate).
STAGE_MONTH = "stage_month"
ALL = "all"
NO_VALUE = "(none)"
COUNT_COLUMNS = ("reached", "too_recent", "from", "converted")
RATE_COLUMNS = ("group", "rate", *COUNT_COLUMNS, "conversion", "small_sample")

Step = tuple[str, str, str]  # (name, from stage, to stage)
MinAge = float | Mapping[str, float]  # days for every step, or per step name (default 0)


def cohort_rates(
    table: pd.DataFrame,
    as_of: object,
    min_age_days: MinAge = 0.0,
    by: str | None = None,
    steps: tuple[Step, ...] = KEY_RATES,
) -> pd.DataFrame:
    """Per group and step: leads that reached the first stage, how many of them are too
    recent to judge, the cohort (`from`), how many of it converted, the rate, and whether
    the cohort is a small sample. `by` is a column, STAGE_MONTH, or None for one row.
    """
    now = utc_timestamp(as_of)
    parts = [
        _step_counts(
            table, step, now - pd.Timedelta(days=min_age(min_age_days, step[0])), by
        ).assign(order=position)
        for position, step in enumerate(steps)
    ]
    if not parts:
        return pd.DataFrame(columns=list(RATE_COLUMNS))
    out = pd.concat(parts, ignore_index=True).sort_values(["group", "order"], kind="stable")
    out["conversion"] = _rates(out["converted"], out["from"])
    out["small_sample"] = out["from"] < SMALL_SAMPLE
    return out[list(RATE_COLUMNS)].reset_index(drop=True)


def min_age(min_age_days: MinAge, step: str) -> float:
    """The days a lead gets to convert on `step`."""
    if isinstance(min_age_days, Mapping):
        return float(min_age_days.get(step, 0.0))
    return float(min_age_days)


def steps_after(date_stage: str, steps: tuple[Step, ...] = KEY_RATES) -> tuple[Step, ...]:
    """The steps that say something when the view holds only leads that reached
    `date_stage`: a step ending at or before it is 100% by construction."""
    position = FUNNEL_STAGES.index(date_stage)
    return tuple(s for s in steps if FUNNEL_STAGES.index(s[2]) > position)


def compare_rates(published: pd.DataFrame, draft: pd.DataFrame) -> pd.DataFrame:
    """Published rates with the draft's cohort, conversions and rate beside them, and the
    change in percentage points (NaN where either side has no cohort)."""
    keys = ["group", "rate"]
    right = draft[[*keys, "from", "converted", "conversion", "small_sample"]]
    merged = published.merge(right, on=keys, how="outer", suffixes=("", "_draft"), sort=False)
    for column in ("reached", "too_recent", "from", "converted", "from_draft", "converted_draft"):
        merged[column] = merged[column].fillna(0).astype("int64")
    for column in ("small_sample", "small_sample_draft"):
        merged[column] = merged[column].fillna(True).astype(bool)
    merged["change_pts"] = (merged["conversion_draft"] - merged["conversion"]) * 100
    order = {name: i for i, (name, _, _) in enumerate(KEY_RATES)}
    merged["_order"] = merged["rate"].map(order)
    return merged.sort_values(["group", "_order"], kind="stable").drop(columns="_order")


def _step_counts(
    table: pd.DataFrame, step: Step, cutoff: pd.Timestamp, by: str | None
) -> pd.DataFrame:
    """One step's counts per group (columns group, rate and COUNT_COLUMNS)."""
    name, start, end = step
    moment = stage_moment(table, start)
    arrived = moment.notna().to_numpy()
    mature = arrived & (moment <= cutoff).to_numpy()
    codes, labels = _group_codes(table, by, moment)
    grouped = codes >= 0
    masks = {
        "reached": arrived,
        "too_recent": arrived & ~mature,
        "from": mature,
        "converted": mature & reached(table, end).to_numpy(),
    }
    counts = {
        column: np.bincount(codes[mask & grouped], minlength=len(labels))
        for column, mask in masks.items()
    }
    return pd.DataFrame({"group": labels, "rate": name, **counts})


def _group_codes(
    table: pd.DataFrame, by: str | None, moment: pd.Series
) -> tuple[np.ndarray, list[str]]:
    """Per lead, the position of its group in the sorted group labels (-1: no group)."""
    if by is None:
        return np.zeros(len(table), dtype=np.intp), [ALL]
    if by == STAGE_MONTH:
        # The month a lead reached the stage; a lead that never did has no month.
        naive = moment.dt.tz_convert("UTC").dt.tz_localize(None)
        months = (naive.dt.year * 12 + naive.dt.month - 1).to_numpy(dtype="float64")
        codes, uniques = pd.factorize(months, sort=True, use_na_sentinel=True)
        return codes, [f"{int(m) // 12:04d}-{int(m) % 12 + 1:02d}" for m in uniques]
    codes, uniques = pd.factorize(group_labels(table[by]).to_numpy(dtype=object), sort=True)
    return codes, [str(u) for u in uniques]


def group_labels(column: pd.Series) -> pd.Series:
    """A column's values as group labels; missing and empty ones are grouped as "(none)"."""
    values = column.astype("string").fillna(NO_VALUE)
    return values.where(values != "", NO_VALUE).astype(object)


def _rates(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    whole = denominator.astype("float64")
    return (numerator / whole.where(whole > 0)).astype("float64")
