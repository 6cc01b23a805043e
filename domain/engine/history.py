"""The pre-aggregated activity history the scoring engine re-scores from.

Built once per data version (domain/engine/history_build.py) from the GROUP BY (lead x type x
content stage x day). A lead's score can only peak right after one of its activity days,
so the running score is evaluated on "evaluation rows": one per (lead, activity day), plus
one row per lead at the as-of moment. Rows are sorted by lead, then time. For a set of
activity keys, a half-life and a window, `row_counts` gives the decayed number of
occurrences at every row: weights and thresholds then re-score from those arrays without
touching the log.

A key set's count is 0 on every row before a lead's first entry of those keys, so only the
"covered" rows (each such lead's rows from that entry on) are computed; the arithmetic on
them is the same, in the same order, as on all rows (the skipped rows only add 0.0).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from domain.engine.history_cover import Cover, make_cover
from domain.engine.history_decay import (
    KERNEL_HALF_LIVES_PER_SEGMENT,
    DecayPlan,
    decay_plan,
    longest_lead_time,
    scaled_entries,
)

# Arrays derived once and shared by the rules (per key set, half-life or window); how many
# of each kind are kept. A cover holds its entries' rows, counts and times.
_KEPT = {
    "cover": 32,
    "decay": 1,
    "window_back": 4,  # one int32 per covered row: ~17 MB each at 1M leads
    "index": 1,
    "static": 1,
    "longest": 1,
}


@dataclass(frozen=True, eq=False)
class ActivityHistory:
    """Evaluation rows and the aggregated activity entries that fall on them."""

    n_leads: int
    as_of_ns: int
    row_lead: np.ndarray  # lead position per row (int32)
    row_day: np.ndarray  # day number per row (int32); the as-of row has the as-of day
    row_ns: np.ndarray  # exact time per row, epoch ns: latest activity that day, or as-of
    row_time: np.ndarray  # the same in days (float64), for decay arithmetic
    lead_start: np.ndarray  # row offsets per lead, length n_leads + 1
    key_types: tuple[str, ...]
    key_stages: tuple[str | None, ...]
    entry_row: np.ndarray  # row of each aggregated entry, sorted ascending (int32)
    entry_key: np.ndarray  # key index of each entry (int16 while the keys fit)
    entry_n: np.ndarray  # occurrences (float32: whole numbers, exact)
    entry_time: np.ndarray  # latest occurrence that day, in days (float64)
    entry_first_ns: np.ndarray  # first occurrence that day, epoch ns (int64)
    _plans: dict[str, OrderedDict[Hashable, Any]] = field(
        default_factory=dict, init=False, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _building: dict[tuple[str, Hashable], threading.Lock] = field(
        default_factory=dict, init=False, repr=False
    )

    @property
    def n_rows(self) -> int:
        return int(self.row_lead.size)

    @property
    def as_of_rows(self) -> np.ndarray:
        """The row of each lead that stands for the as-of moment (its last row)."""
        return self.lead_start[1:] - 1

    def key_mask(self, activity_types: set[str], content_stage: str | None = None) -> np.ndarray:
        """Which keys match an activity type set, optionally one content stage."""
        return np.array(
            [
                t in activity_types and (content_stage is None or s == content_stage)
                for t, s in zip(self.key_types, self.key_stages, strict=True)
            ],
            dtype=bool,
        )

    def row_counts(
        self,
        keys: np.ndarray,
        half_life: float | None,
        window_days: int | None,
        out: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per row: occurrences of `keys` up to the row's time, decayed, within the window
        (float32), and per lead its as-of value (float64), in one compiled pass over the
        covered rows (tests/unit/engine/numpy_reference.py computes the same with NumPy).

        `out`: arrays this returned for the same `keys` (any half-life or window), to be
        overwritten: the pass writes every covered row and lead, the others stay 0.
        """
        # Imported on first use: numba and LLVM hold ~0.1 GB that a process which never
        # scores (or has not yet) need not carry.
        from domain.engine.history_kernel import decayed_rows, decayed_rows_in_one_segment

        cover = self._cover(keys)
        rows, as_of = out or (np.zeros(self.n_rows, dtype=np.float32), np.zeros(self.n_leads))
        longest = self._remember(
            "longest", None, lambda: int(np.diff(self.lead_start).max(initial=0))
        )
        plan = None
        if half_life is None:
            values = cover.counts.astype(np.float64)  # one compiled version: float64
        else:
            plan = self._decay_plan(half_life, KERNEL_HALF_LIVES_PER_SEGMENT)
            values = scaled_entries(cover, plan, half_life)
        if half_life is not None and plan is not None and plan.later.size:
            decayed_rows(
                cover.entry_rows,
                values,
                self.row_lead,
                self.lead_start,
                self.row_time,
                self.row_day,
                plan.row_factor,
                plan.later,
                plan.carry_factor,
                half_life,
                window_days if window_days is not None else -1,
                longest,
                rows,
                as_of,
            )
            return rows, as_of
        decayed_rows_in_one_segment(
            cover.entry_rows,
            values,
            self.row_lead,
            self.lead_start,
            plan.row_factor if plan is not None else np.zeros(0),
            plan is not None,
            self._window_back(cover, window_days),
            longest,
            rows,
            as_of,
        )
        return rows, as_of

    def prepare_decay(self, half_life: float | None) -> None:
        """Build row_counts's decay plan for `half_life` now: rules computed on two threads
        would otherwise wait, one of them idle, while the first to need it builds it."""
        if half_life is not None:
            self._decay_plan(half_life, KERNEL_HALF_LIVES_PER_SEGMENT)

    def _window_back(self, cover: Cover, window_days: int | None) -> np.ndarray:
        """decayed_rows_in_one_segment's window offsets (kept: they do not depend on the
        half-life, so a decay change only reads them)."""
        if window_days is None:
            return np.zeros(0, dtype=np.int32)
        from domain.engine.history_kernel import window_offsets

        return self._remember(
            "window_back",
            (cover.key, window_days),
            lambda: window_offsets(
                cover.entry_rows,
                self.row_lead,
                self.lead_start,
                self.row_day,
                window_days,
                cover.n_covered,
            ),
        )

    def entry_count(self, keys: np.ndarray) -> int:
        """How many aggregated entries have one of `keys` (a boolean mask)."""
        _, bounds = self._remember("index", None, self._key_index)
        wanted = np.flatnonzero(keys)
        count = int(np.sum(bounds[wanted + 1] - bounds[wanted]))
        if bounds[0] and wanted.size and wanted[-1] == len(self.key_types) - 1:
            count += int(bounds[0])  # entries without a type (key -1), as in _positions
        return count

    def first_occurrence_ns(self, keys: np.ndarray) -> np.ndarray:
        """Per lead: epoch ns of the first occurrence of any of `keys` (int64 max if none)."""
        never = np.iinfo(np.int64).max
        out = np.full(self.n_leads, never, dtype=np.int64)
        picked = self._positions(keys)
        if not picked.size:
            return out
        leads = self.row_lead[self.entry_row[picked]]
        firsts = self.entry_first_ns[picked]
        starts = np.flatnonzero(np.r_[True, leads[1:] != leads[:-1]])
        out[leads[starts]] = np.minimum.reduceat(firsts, starts)
        return out

    def _remember(self, kind: str, key: Hashable, make: Callable[[], Any]) -> Any:
        # Rules are computed on two threads: a thread that needs a plan another thread is
        # building waits for it (one lock per plan) instead of building it again.
        with self._lock:
            plans = self._plans.setdefault(kind, OrderedDict())
            if key in plans:
                plans.move_to_end(key)
                return plans[key]
            building = self._building.setdefault((kind, key), threading.Lock())
        with building:
            with self._lock:
                if key in plans:
                    return plans[key]
                # Drop the oldest first, so that the one dropped and the new one (a decay
                # plan holds three float64 arrays over all rows) are never both resident.
                while len(plans) >= _KEPT[kind]:
                    plans.popitem(last=False)
            plan = make()
            with self._lock:
                plans[key] = plan
                if len(plans) > _KEPT[kind]:
                    plans.popitem(last=False)
                self._building.pop((kind, key), None)
            return plan

    def _positions(self, keys: np.ndarray) -> np.ndarray:
        """Ascending positions of the entries whose key is in `keys` (a boolean mask).

        Not kept: a cover (kept) is made from them once, and scoring keeps each
        hand-raiser set's first occurrences (at 1M leads all keys' positions are 35 MB).
        """
        wanted = np.flatnonzero(keys)
        order, bounds = self._remember("index", None, self._key_index)
        parts = [order[bounds[k] : bounds[k + 1]] for k in wanted]
        if bounds[0] and wanted.size and wanted[-1] == len(self.key_types) - 1:
            # Entries without a type have key -1, which a key mask reads as its last key.
            parts.append(order[: bounds[0]])
        if len(parts) == 1:
            return parts[0]
        return np.sort(np.concatenate(parts)) if parts else np.empty(0, dtype=np.intp)

    def _key_index(self) -> tuple[np.ndarray, np.ndarray]:
        # Entries grouped by key (a stable sort keeps each group in ascending position).
        codes = self.entry_key
        order = np.argsort(codes, kind="stable").astype(np.int32)
        bounds = np.searchsorted(codes[order], np.arange(len(self.key_types) + 1))
        return order, bounds

    def _cover(self, keys: np.ndarray) -> Cover:
        key = np.flatnonzero(keys).tobytes()
        return self._remember("cover", key, lambda: self._make_cover(key, keys))

    def _make_cover(self, key: bytes, keys: np.ndarray) -> Cover:
        return make_cover(
            key,
            self._positions(keys),
            entry_row=self.entry_row,
            entry_n=self.entry_n,
            entry_time=self.entry_time,
            row_lead=self.row_lead,
            lead_start=self.lead_start,
        )

    def _decay_plan(self, half_life: float, per_segment: float) -> DecayPlan:
        return self._remember(
            "decay", (half_life, per_segment), lambda: self._make_decay_plan(half_life, per_segment)
        )

    def _make_decay_plan(self, half_life: float, per_segment: float) -> DecayPlan:
        longest = self._remember(
            "static", None, lambda: longest_lead_time(self.row_time, self.lead_start)
        )
        return decay_plan(
            self.row_time, self.row_lead, self.lead_start, longest, half_life, per_segment
        )
