"""A key set's "cover": its entries, and how many evaluation rows they cover.

A key set's count is 0 on every row before a lead's first entry of those keys, so the
compiled pass (domain/engine/history_kernel.py) walks only the "covered" rows: each such
lead's rows from that entry on. It finds them from the entries and the leads' row offsets,
so a cover keeps no per-row arrays (at 1M leads a definition's rules cover ~31M rows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Cover:
    """For one key set: its entries (ascending rows) and the number of rows they cover."""

    key: bytes
    entry_rows: np.ndarray  # their rows (int32)
    counts: np.ndarray  # their occurrences (float32: whole numbers, exact)
    times: np.ndarray  # their latest occurrence, in days
    n_covered: int  # rows from each lead's first entry to its as-of row, over all leads


def make_cover(
    key: bytes,
    picked: np.ndarray,
    *,
    entry_row: np.ndarray,
    entry_n: np.ndarray,
    entry_time: np.ndarray,
    row_lead: np.ndarray,
    lead_start: np.ndarray,
) -> Cover:
    """The cover of the entries at `picked` (ascending positions into the entry arrays)."""
    entry_rows = entry_row[picked]
    lead = row_lead[entry_rows]
    first = np.ones(lead.size, dtype=bool)
    first[1:] = lead[1:] != lead[:-1]
    covered = lead_start[lead[first] + 1] - entry_rows[first]
    return Cover(
        key=key,
        entry_rows=entry_rows,
        counts=entry_n[picked],
        times=entry_time[picked],
        n_covered=int(covered.sum(dtype=np.int64)),
    )
