"""What a draft definition would change against the published one, on the same leads.

Everything works on the engine's per-lead arrays (`ScoreResult`), never on the per-lead
frame, so it is cheap enough to recompute on every slider move. Inputs are never mutated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from domain.engine.scoring import ScoreResult
from domain.engine.stages import FUNNEL_STAGES, NEVER

WEEK_NS = 7 * 86_400 * 10**9
RECENT_WEEKS = 12
HISTOGRAM_BIN = 5.0
SCORE_BAND_EDGES: tuple[float, ...] = (0, 20, 40, 60, 80, 100)
CHANGE_COLUMNS = (
    "external_id", "name", "company", "published_stage", "draft_stage",
    "published_score", "draft_score", "direction",
)  # fmt: skip
_SQL = FUNNEL_STAGES.index("SQL")
_WON = FUNNEL_STAGES.index("Won")


@dataclass(frozen=True)
class Workload:
    """MQLs per week under both definitions against what sales can work."""

    weekly: pd.DataFrame  # week_start, published, draft (the recent full weeks)
    expected_published: float
    expected_draft: float
    capacity: float

    @property
    def utilisation(self) -> float:
        """Expected draft MQLs per week as a share of capacity (NaN without capacity)."""
        return self.expected_draft / self.capacity if self.capacity > 0 else math.nan


def stage_deltas(published: ScoreResult, draft: ScoreResult) -> pd.DataFrame:
    """Per funnel stage: leads reaching it under each definition, and the difference."""
    before, after = published.stage_counts(), draft.stage_counts()
    return pd.DataFrame(
        {
            "stage": list(FUNNEL_STAGES),
            "published": [before[s] for s in FUNNEL_STAGES],
            "draft": [after[s] for s in FUNNEL_STAGES],
            "delta": [after[s] - before[s] for s in FUNNEL_STAGES],
        }
    )


def changed_positions(published: ScoreResult, draft: ScoreResult) -> np.ndarray:
    """Positions (in lead order) of the leads whose highest stage differs."""
    return np.flatnonzero(published.highest != draft.highest)


def stage_changes(leads: pd.DataFrame, published: ScoreResult, draft: ScoreResult) -> pd.DataFrame:
    """One row per lead whose highest stage moves: who, from which stage to which, scores.

    `leads` is in the results' lead order (the scoring model's `leads`).
    """
    moved = changed_positions(published, draft)
    stages = np.asarray(FUNNEL_STAGES, dtype=object)
    before, after = published.highest[moved], draft.highest[moved]
    frame = pd.DataFrame(
        {
            column: leads[column].to_numpy()[moved] if column in leads else None
            for column in ("external_id", "name", "company")
        }
    )
    frame["published_stage"] = stages[before]
    frame["draft_stage"] = stages[after]
    frame["published_score"] = np.round(published.total[moved], 1)
    frame["draft_score"] = np.round(draft.total[moved], 1)
    frame["direction"] = np.where(after > before, "up", "down")
    return frame.sort_values(
        ["direction", "draft_score"], ascending=[False, False], ignore_index=True
    )


def direction_counts(published: ScoreResult, draft: ScoreResult) -> tuple[int, int]:
    """(leads that move up a stage or more, leads that move down)."""
    up = int(np.count_nonzero(draft.highest > published.highest))
    down = int(np.count_nonzero(draft.highest < published.highest))
    return up, down


def score_histogram(
    published_total: np.ndarray, draft_total: np.ndarray, width: float = HISTOGRAM_BIN
) -> pd.DataFrame:
    """Leads per score bin under each definition: bin_start, bin_end, published, draft."""
    both = np.concatenate([published_total, draft_total])
    if both.size == 0:
        return pd.DataFrame(columns=["bin_start", "bin_end", "published", "draft"])
    low = math.floor(float(both.min()) / width) * width
    high = math.floor(float(both.max()) / width) * width + width
    edges = np.arange(low, high + width / 2, width)
    return pd.DataFrame(
        {
            "bin_start": edges[:-1],
            "bin_end": edges[1:],
            "published": np.histogram(published_total, edges)[0],
            "draft": np.histogram(draft_total, edges)[0],
        }
    )


def weekly_counts(times_ns: np.ndarray, as_of_ns: int, weeks: int = RECENT_WEEKS) -> np.ndarray:
    """Events per full week for the `weeks` weeks that end at `as_of_ns`, oldest first."""
    start = as_of_ns - weeks * WEEK_NS
    inside = times_ns[(times_ns != NEVER) & (times_ns > start) & (times_ns <= as_of_ns)]
    # Week w holds (start + w*WEEK, start + (w+1)*WEEK]; the latest ends exactly at as_of.
    index = np.clip((inside - start - 1) // WEEK_NS, 0, weeks - 1)
    return np.bincount(index.astype(np.int64), minlength=weeks)


def workload(
    published: ScoreResult,
    draft: ScoreResult,
    as_of_ns: int,
    capacity: float,
    weeks: int = RECENT_WEEKS,
) -> Workload:
    """MQLs per week over the recent weeks under each definition, against `capacity`."""
    before = weekly_counts(published.times["mql_at"], as_of_ns, weeks)
    after = weekly_counts(draft.times["mql_at"], as_of_ns, weeks)
    starts = as_of_ns - np.arange(weeks, 0, -1) * WEEK_NS
    weekly = pd.DataFrame(
        {
            "week_start": pd.to_datetime(starts, utc=True),
            "published": before,
            "draft": after,
        }
    )
    return Workload(
        weekly=weekly,
        expected_published=float(before.mean()) if weeks else 0.0,
        expected_draft=float(after.mean()) if weeks else 0.0,
        capacity=float(capacity),
    )


def band_labels(edges: tuple[float, ...] = SCORE_BAND_EDGES) -> list[str]:
    """ "< 0", "0–20", ..., "100+" for the edges (0, 20, ..., 100)."""
    inner = [f"{lo:g}–{hi:g}" for lo, hi in zip(edges, edges[1:], strict=False)]
    return [f"< {edges[0]:g}", *inner, f"{edges[-1]:g}+"]


def score_bands(result: ScoreResult, edges: tuple[float, ...] = SCORE_BAND_EDGES) -> pd.DataFrame:
    """Per score band: leads, how many reached SQL and Won, and those rates.

    Does the score separate good leads from bad? Rates should rise with the band.
    """
    labels = band_labels(edges)
    band = np.searchsorted(np.asarray(edges, dtype=float), result.total, side="right")
    leads = np.bincount(band, minlength=len(labels))
    sqls = np.bincount(band, weights=result.highest >= _SQL, minlength=len(labels))
    won = np.bincount(band, weights=result.highest >= _WON, minlength=len(labels))
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.DataFrame(
            {
                "band": labels,
                "leads": leads,
                "sqls": sqls.astype(np.int64),
                "won": won.astype(np.int64),
                "sql_rate": np.where(leads > 0, sqls / leads, np.nan),
                "won_rate": np.where(leads > 0, won / leads, np.nan),
            }
        )


def band_of(score: float, edges: tuple[float, ...] = SCORE_BAND_EDGES) -> str:
    """The label of the band `score` falls in (the threshold's band, for highlighting)."""
    return band_labels(edges)[int(np.searchsorted(np.asarray(edges, dtype=float), score, "right"))]


@dataclass(frozen=True, eq=False)
class ImpactReport:
    """Everything the workspace shows about a draft against the published definition."""

    stages: pd.DataFrame
    moved_up: int
    moved_down: int
    histogram: pd.DataFrame
    workload: Workload
    bands: pd.DataFrame
    published_threshold: float
    draft_threshold: float
    leads: pd.DataFrame = field(repr=False)
    published: ScoreResult = field(repr=False)
    draft: ScoreResult = field(repr=False)

    @property
    def moved(self) -> int:
        return self.moved_up + self.moved_down

    def count(self, stage: str, which: str = "draft") -> int:
        return self._counts[which][stage]

    @cached_property
    def _counts(self) -> dict[str, dict[str, int]]:
        # The tiles look up several counts on every slider move: a dict, not a frame query.
        stages = self.stages["stage"].tolist()
        return {
            which: dict(zip(stages, map(int, self.stages[which]), strict=True))
            for which in ("published", "draft", "delta")
        }

    def changes(self) -> pd.DataFrame:
        """The leads that change stage (built on demand: only a download needs them)."""
        return stage_changes(self.leads, self.published, self.draft)


def compare(
    leads: pd.DataFrame,
    published: ScoreResult,
    draft: ScoreResult,
    as_of_ns: int,
    capacity: float,
) -> ImpactReport:
    """The draft against the published definition on the same leads (in lead order)."""
    up, down = direction_counts(published, draft)
    return ImpactReport(
        stages=stage_deltas(published, draft),
        moved_up=up,
        moved_down=down,
        histogram=score_histogram(published.total, draft.total),
        workload=workload(published, draft, as_of_ns, capacity),
        bands=score_bands(draft),
        published_threshold=published.threshold,
        draft_threshold=draft.threshold,
        leads=leads,
        published=published,
        draft=draft,
    )
