"""Vectorised sampling helpers shared by the demo-data modules.

Times are float64 whole seconds since the Unix epoch (NaN = never), turned into
`datetime64[ns, UTC]` only when a frame is built.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

HOUR = 3_600.0
DAY = 86_400.0


def pick(rng: np.random.Generator, weights: Sequence[float], size: int) -> np.ndarray:
    """Indices into `weights`, drawn with probability proportional to them."""
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=size, p=p / p.sum())


def pick_rows(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One index per row of a (rows x choices) probability matrix (rows need not sum to 1)."""
    cumulative = np.cumsum(probabilities, axis=1)
    u = rng.random(len(probabilities)) * cumulative[:, -1]
    return (u[:, None] >= cumulative).sum(axis=1)


def lognormal(
    rng: np.random.Generator, median: float | np.ndarray, sigma: float, size: int
) -> np.ndarray:
    """Lognormal draws described by their median, the natural way to talk about delays."""
    return np.asarray(median) * np.exp(sigma * rng.standard_normal(size))


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def chance(rng: np.random.Generator, p: float | np.ndarray, size: int) -> np.ndarray:
    """Bernoulli draws (bool array) with per-row or constant probability."""
    return rng.random(size) < p


def take(vocabulary: Sequence[str], index: np.ndarray) -> np.ndarray:
    """Vocabulary strings as an object array; index -1 gives None."""
    table = np.array([*vocabulary, None], dtype=object)
    return table[np.where(index < 0, len(vocabulary), index)]


def take_str(vocabulary: Sequence[str], index: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Like `take`, but straight into pandas' string dtype (cheap for millions of rows)."""
    return pd.array(list(vocabulary), dtype="str").take(index, allow_fill=True)


def strings(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """An object array of strings (None = missing) in pandas' string dtype."""
    codes, uniques = pd.factorize(values)
    return pd.array(np.asarray(uniques, dtype=object), dtype="str").take(codes, allow_fill=True)


def owners(counts: np.ndarray) -> np.ndarray:
    """For items grouped as consecutive runs of `counts`, the run each item belongs to."""
    return np.repeat(np.arange(len(counts)), counts)


def rank_in_run(counts: np.ndarray) -> np.ndarray:
    """Position (0, 1, ...) of each item inside its run of `counts`."""
    starts = np.cumsum(counts) - counts
    return np.arange(counts.sum()) - np.repeat(starts, counts)


def cumsum_in_run(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Running total of `values` restarted at each run of `counts` (inclusive)."""
    starts = np.cumsum(counts) - counts
    before = np.concatenate([[0.0], np.cumsum(values)])
    return before[1:] - np.repeat(before[starts], counts)


def business_day(rng: np.random.Generator, t: np.ndarray, not_before: np.ndarray) -> np.ndarray:
    """Same day, but a time of day drawn around 15:00 UTC (people engage at work)."""
    time_of_day = np.clip(rng.normal(15 * HOUR, 3.5 * HOUR, len(t)), 0, DAY - 1)
    return np.maximum(np.floor(t / DAY) * DAY + time_of_day, not_before)


# Reps work weekdays 13:00-22:00 UTC (US East morning to EU evening).
WORK_START = 13 * HOUR
WORK_DAY = 9 * HOUR
_EPOCH = np.datetime64("1970-01-01", "D")


def to_work_time(t: np.ndarray) -> np.ndarray:
    """Epoch seconds -> seconds of working time since the epoch; off-hours collapse onto the
    next opening. Delays drawn in working time then skip nights and weekends naturally."""
    day = np.floor(t / DAY)
    dates = _EPOCH + day.astype("int64")
    worked = np.clip(t - day * DAY - WORK_START, 0, WORK_DAY) * np.is_busday(dates)
    return np.busday_count(_EPOCH, dates) * WORK_DAY + worked


def from_work_time(w: np.ndarray) -> np.ndarray:
    """Working-time seconds back to epoch seconds (strictly increasing)."""
    index = np.floor(w / WORK_DAY)
    dates = np.busday_offset(_EPOCH, index.astype("int64"), roll="forward")
    return (dates - _EPOCH).astype("int64") * DAY + WORK_START + (w - index * WORK_DAY)


def lead_time_key(lead: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """One float per row that sorts by lead, then time (exact: whole seconds, < 2**53)."""
    if len(seconds) == 0:
        return np.zeros(0)
    earliest = seconds.min()
    return lead * (seconds.max() - earliest + 1.0) + (seconds - earliest)


def to_utc(seconds: np.ndarray) -> pd.Series:
    """Epoch seconds (NaN = missing) as a tz-aware UTC timestamp series."""
    stamps = pd.to_datetime(np.asarray(seconds, dtype=float), unit="s", utc=True)
    return pd.Series(stamps).astype("datetime64[ns, UTC]")


def epoch_seconds(stamps: pd.Series) -> np.ndarray:
    """Whole epoch seconds (float, NaN for NaT) of timestamps of any resolution."""
    since = pd.to_datetime(stamps, utc=True) - pd.Timestamp(0, tz="UTC")
    return np.floor(since.dt.total_seconds().to_numpy(dtype=float))
