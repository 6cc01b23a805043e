"""Where a lead's running score first reaches the MQL threshold, searched block by block."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from domain.engine.history import ActivityHistory

_BLOCK = 1 << 16


def first_hits(
    rows: np.ndarray,
    fit_rows: np.ndarray,
    limit: float,
    history: ActivityHistory,
    lead_first: np.ndarray,
) -> np.ndarray:
    """Per lead, the first row where engagement >= limit - fit (ascending row numbers).

    The two halves of the leads are searched on two threads.
    """
    middle = int(history.lead_start[history.n_leads // 2])
    halves = [(0, middle), (middle, rows.size)]
    with ThreadPoolExecutor(2) as pool:
        found = pool.map(lambda half: _hits_in(rows, fit_rows, limit, lead_first, *half), halves)
        candidates = np.concatenate(list(found))
    leads = history.row_lead[candidates]
    return candidates[np.r_[True, leads[1:] != leads[:-1]]] if candidates.size else candidates


def _hits_in(
    rows: np.ndarray,
    fit_rows: np.ndarray,
    limit: float,
    lead_first: np.ndarray,
    start: int,
    stop: int,
) -> np.ndarray:
    # A lead's first hit starts a run of hits or is the lead's first row: collect only
    # those candidates, block by block so that each block's arrays stay in the CPU cache.
    parts = [np.empty(0, dtype=np.intp)]
    for lo in range(start, stop, _BLOCK):
        hi = min(lo + _BLOCK, stop)
        hit = rows[lo:hi] >= limit - fit_rows[lo:hi]
        candidate = hit.copy()
        candidate[1:] &= ~hit[:-1]
        candidate |= hit & lead_first[lo:hi]
        parts.append(np.flatnonzero(candidate) + lo)
    return np.concatenate(parts)
