"""A key set's "cover": its entries, and the evaluation rows from each lead's first entry on.

A key set's count is 0 on every row before a lead's first entry of those keys, so the
activity history computes counts on the covered rows only (see domain/engine/history.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from domain.engine.arrays import ranges, read_only


@dataclass(frozen=True, eq=False)
class Cover:
    """For one key set: its entries, and the rows from each lead's first entry on."""

    key: bytes
    entry_rows: np.ndarray  # their rows
    counts: np.ndarray  # their occurrences (float32: whole numbers, exact)
    times: np.ndarray  # their latest occurrence, in days
    slot: np.ndarray | None  # index into the distinct entry rows (None: all distinct)
    span: np.ndarray  # per distinct entry row: covered rows until the next one
    lead_first_span: np.ndarray  # per distinct entry row: the first one of its lead
    rows: np.ndarray  # covered rows, ascending
    leads: np.ndarray  # covered leads
    first: np.ndarray  # position in `rows` of each covered lead's first row
    last: np.ndarray  # ... and of its last (as-of) row


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
    """The cover of the entries at `picked` (ascending positions into the entry arrays).

    Positions are int32 (rows and entries stay below 2**31), and so are the arrays they
    are computed from: at 1M leads a definition's rules cover ~30M rows, which int64
    positions would hold in 500 MB, and int64 intermediates made the first score's peak.
    """
    entry_rows = entry_row[picked]
    distinct = np.ones(entry_rows.size, dtype=bool)
    distinct[1:] = entry_rows[1:] != entry_rows[:-1]
    all_distinct = bool(distinct.all())
    starts = entry_rows if all_distinct else entry_rows[distinct]
    lead = row_lead[starts]
    # Each distinct entry row covers the rows up to the next one, or to its lead's end.
    ends = np.minimum(np.r_[starts[1:], row_lead.size], lead_start[lead + 1])
    span = (ends - starts).astype(np.int32)
    del ends
    new_lead = np.ones(lead.size, dtype=bool)
    new_lead[1:] = lead[1:] != lead[:-1]
    span_start = _int32(np.cumsum(span, dtype=np.int64) - span)
    first = span_start[new_lead]
    size = int(span.sum(dtype=np.int64))
    return Cover(
        key=key,
        entry_rows=entry_rows,
        counts=entry_n[picked],
        times=entry_time[picked],
        slot=None if all_distinct else _minus_one(np.cumsum(distinct, dtype=np.int32)),
        span=span,
        lead_first_span=_int32(np.flatnonzero(new_lead))[
            _minus_one(np.cumsum(new_lead, dtype=np.int32))
        ],
        rows=_covered_rows(_int32(starts), span),
        leads=read_only(lead[new_lead]),
        first=first,
        last=read_only(np.r_[first[1:], size] - 1 if first.size else first),
    )


def _covered_rows(starts: np.ndarray, span: np.ndarray) -> np.ndarray:
    """`span` rows from each start (int32 throughout)."""
    rows = ranges(span, np.int32)
    rows += np.repeat(starts, span)
    return rows


def _minus_one(values: np.ndarray) -> np.ndarray:
    values -= 1
    return values


def _int32(values: np.ndarray) -> np.ndarray:
    return values.astype(np.int32, copy=False)
