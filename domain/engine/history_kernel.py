"""A key set's decayed counts on every evaluation row in one compiled pass (numba).

The NumPy path (now the tests' reference, tests/unit/engine/numpy_reference.py) makes a
dozen passes over the covered rows per rule, with covered-row-sized temporaries; at 1M
leads a decay change spent most of its time there. This pass walks each covered lead's rows once,
with the same decay plan (segments, reference times, row factors, carry), and writes the
float32 row values and the float64 as-of values directly.

The sums run per lead (the NumPy path subtracts running totals over all leads), and a
window subtracts the decayed total at the last row outside it, as the NumPy path does:
results agree with it to rounding (tests/unit/engine/test_history_kernel.py). Because the
sums are per lead, segments can be long (KERNEL_HALF_LIVES_PER_SEGMENT): usually no lead
has a later segment and decayed_rows_in_one_segment, which reads the window's rows from
kept offsets instead of searching them per row, does the work (at 1M leads it takes about
two thirds of decayed_rows's time, and half on windowed rules).
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Compiled once per machine and kept beside this module (cache=True): later processes
# load the machine code (~0.1 s) instead of compiling it (~1-2 s).


@njit(cache=True, nogil=True, boundscheck=False)
def decayed_rows(  # noqa: PLR0913 - one compiled pass needs every array it reads
    entry_rows: np.ndarray,
    entry_values: np.ndarray,
    row_lead: np.ndarray,
    lead_start: np.ndarray,
    row_time: np.ndarray,
    row_day: np.ndarray,
    row_factor: np.ndarray,
    later: np.ndarray,
    carry_factor: np.ndarray,
    half_life: float,
    window_days: int,
    longest_lead: int,
    out: np.ndarray,
    as_of: np.ndarray,
) -> None:
    """Fill `out` (float32 per row, zeros where uncovered) and `as_of` (float64 per lead),
    for a decay plan with later segments (without them, decayed_rows_in_one_segment runs).

    `entry_values`: each entry's occurrences, decayed to its segment's reference time
    (scaled_entries). `window_days` < 0: no window.
    """
    # The lead's totals and segment sums per row so far, for carries and the window.
    totals = np.empty(longest_lead)
    sums = np.empty(longest_lead)
    n_entries = entry_rows.size
    e = 0
    p = 0  # next later segment start
    while e < n_entries:
        first = entry_rows[e]
        end = lead_start[row_lead[first] + 1]
        running = 0.0
        carried = 0.0
        value = 0.0
        segment = first  # first row of the current segment
        q = first  # first row of the lead still inside the window
        while p < later.size and later[p] <= first:
            p += 1
        for r in range(first, end):
            if p < later.size and later[p] == r:
                carried = totals[r - 1 - first]  # a later segment inherits the total
                running = 0.0
                segment = r
                p += 1
            while e < n_entries and entry_rows[e] == r:
                running += entry_values[e]
                e += 1
            total = running * row_factor[r]
            if carried != 0.0:
                total += carried * carry_factor[r]
            totals[r - first] = total
            sums[r - first] = running
            value = total
            if window_days >= 0:
                while q <= r and row_day[q] <= row_day[r] - window_days:
                    q += 1
                if q > first:  # rows first..q-1 are outside: drop what they had counted
                    value = _inside(
                        r,
                        q - 1,
                        first,
                        segment,
                        running,
                        total,
                        half_life,
                        sums,
                        totals,
                        row_time,
                        row_factor,
                    )
            out[r] = value
        as_of[row_lead[first]] = value


@njit(cache=True, nogil=True, boundscheck=False, inline="always")
def _inside(  # noqa: PLR0913
    r: int,
    last_out: int,
    first: int,
    segment: int,
    running: float,
    total: float,
    half_life: float,
    sums: np.ndarray,
    totals: np.ndarray,
    row_time: np.ndarray,
    row_factor: np.ndarray,
) -> float:
    """Row r's total less the total at `last_out` (the lead's last row outside the window)
    decayed to r; within one segment that is the difference of their sums, scaled."""
    if last_out >= segment:
        return (running - sums[last_out - first]) * row_factor[r]
    gap = row_time[r] - row_time[last_out]
    return total - totals[last_out - first] * np.exp2(-gap / half_life)


@njit(cache=True, nogil=True, boundscheck=False)
def decayed_rows_in_one_segment(  # noqa: PLR0913
    entry_rows: np.ndarray,
    entry_values: np.ndarray,
    row_lead: np.ndarray,
    lead_start: np.ndarray,
    row_factor: np.ndarray,
    decayed: bool,
    window_back: np.ndarray,
    longest_lead: int,
    out: np.ndarray,
    as_of: np.ndarray,
) -> None:
    """`decayed_rows` when no lead has a later segment (the usual case), with the window's
    rows looked up instead of searched: `window_back` (see window_offsets; empty: no
    window) holds, per covered row, 1 + the offset of its lead's last row outside the
    window from the lead's first covered row, or 0 where none is outside. `row_factor` is
    read only if `decayed`.

    The arithmetic is decayed_rows's, in the same order: (running - 0.0) is running.
    """
    windowed = window_back.size > 0
    sums = np.zeros(longest_lead + 1)  # sums[0] stays 0: what "nothing outside" subtracts
    n_entries = entry_rows.size
    e = 0
    i = 0  # covered row, in order
    while e < n_entries:
        first = entry_rows[e]
        end = lead_start[row_lead[first] + 1]
        running = 0.0
        value = 0.0
        for r in range(first, end):
            while e < n_entries and entry_rows[e] == r:
                running += entry_values[e]
                e += 1
            value = running
            if windowed:
                sums[r - first + 1] = running
                value = running - sums[window_back[i]]
                i += 1
            if decayed:
                value *= row_factor[r]
            out[r] = value
        as_of[row_lead[first]] = value


@njit(cache=True, nogil=True, boundscheck=False)
def window_offsets(
    entry_rows: np.ndarray,
    row_lead: np.ndarray,
    lead_start: np.ndarray,
    row_day: np.ndarray,
    window_days: int,
    n_covered: int,
) -> np.ndarray:
    """For decayed_rows_in_one_segment: per covered row, 1 + (its lead's last row on a day
    <= the row's day - window) - (the lead's first covered row), or 0 if there is none.
    Depends on the keys and the window only, not on the half-life."""
    back = np.zeros(n_covered, dtype=np.int32)
    n_entries = entry_rows.size
    e = 0
    i = 0
    while e < n_entries:
        first = entry_rows[e]
        end = lead_start[row_lead[first] + 1]
        while e < n_entries and entry_rows[e] < end:
            e += 1
        q = first  # the lead's first row still inside the window
        for r in range(first, end):
            while q <= r and row_day[q] <= row_day[r] - window_days:
                q += 1
            back[i] = q - first  # 1 + (q - 1 - first)
            i += 1
    return back
