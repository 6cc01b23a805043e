"""One rule's points added to the running score per evaluation row, in one compiled pass.

The NumPy version (engagement._apply, then `out += values`) made three passes over each
block per rule with a float64 temporary; rebuilding the rows after a decay change (13
rules over ~5M rows at 1M leads) spent ~85 ms CPU there. The arithmetic is the same, in
the same order, so the rows are bit for bit those of the NumPy version.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, boundscheck=False)
def add_term(  # noqa: PLR0913 - a term's parameters, unpacked for the compiled code
    out: np.ndarray,
    counts: np.ndarray,
    points: float,
    cap: float,
    min_count: int,
    times: int,
) -> None:
    """out += times * term(counts), element by element.

    term(c) = clip(points * c, -cap, cap) (`cap` = inf: none), or for a count rule
    (`min_count` >= 0) points where c >= min_count - 0.5, else 0.
    """
    scale = float(abs(times))
    step = min_count >= 0
    reach = min_count - 0.5
    for i in range(out.size):
        count = np.float64(counts[i])
        if step:
            value = (1.0 if count >= reach else 0.0) * points
        else:
            value = min(max(count * points, -cap), cap)
        if scale != 1.0:
            value *= scale
        if times < 0:
            out[i] -= value
        else:
            out[i] += value
