"""Range rules for numeric attributes: where the conversion rate steps, learnt on training leads.

The training leads' values are cut at deciles; neighbouring bins are then merged, the pair
that differs least first, until every bin holds at least `min_support` leads and every two
neighbours convert at rates that differ clearly (a two-proportion z of at least `Z_SPLIT`,
2.5: ten bins of pure noise rarely give a step).
What remains are the places where the rate really steps, so a monotone relation stays
monotone and a flat one gives no rule. Each remaining edge `t` becomes one input ">= t":
a lead's points for the attribute are the sum of the steps it reaches.
"""

from __future__ import annotations

import math

import numpy as np

N_START_BINS = 10
Z_SPLIT = 2.5


def learn_steps(values: np.ndarray, outcomes: np.ndarray, min_support: int) -> list[float]:
    """Thresholds (ascending) where the conversion rate of `values` steps; NaN = no value.

    A threshold at the lowest value ("has a value at all") is added when leads without a
    value convert clearly differently from those in the lowest range.
    """
    present = ~np.isnan(values)
    x, y = values[present], np.asarray(outcomes, dtype=bool)[present]
    if x.size < 2 * min_support or np.unique(x).size < 2:
        return []
    edges = _start_edges(x)
    codes = np.searchsorted(edges, x, side="right")
    n = np.bincount(codes, minlength=edges.size + 1).astype(float)
    hits = np.bincount(codes, weights=y, minlength=edges.size + 1)
    kept = _merge(list(edges), list(n), list(hits), min_support)
    steps = [float(e) for e in kept[0]]
    missing_y = np.asarray(outcomes, dtype=bool)[~present]
    if missing_y.size >= min_support and kept[1]:
        z = _z(float(missing_y.size), float(missing_y.sum()), kept[1][0], kept[2][0])
        if abs(z) >= Z_SPLIT:
            steps.insert(0, float(x.min()))
    return steps


def _start_edges(x: np.ndarray) -> np.ndarray:
    quantiles = np.linspace(0, 1, N_START_BINS + 1)[1:-1]
    edges = np.unique(np.quantile(x, quantiles, method="higher"))
    return edges[edges > x.min()]


def _merge(
    edges: list[float], n: list[float], hits: list[float], min_support: int
) -> tuple[list[float], list[float], list[float]]:
    """Merge neighbouring bins (dropping the edge between them) until all differ clearly."""
    while edges:
        small = [i for i in range(len(n)) if n[i] < min_support]
        if small:
            i = small[0]
            pair = i - 1 if i == len(n) - 1 else i
            if 0 < i < len(n) - 1 and abs(_z(n[i - 1], hits[i - 1], n[i], hits[i])) < abs(
                _z(n[i], hits[i], n[i + 1], hits[i + 1])
            ):
                pair = i - 1
        else:
            scores = [abs(_z(n[i], hits[i], n[i + 1], hits[i + 1])) for i in range(len(edges))]
            pair = int(np.argmin(scores))
            if scores[pair] >= Z_SPLIT:
                break
        n[pair : pair + 2] = [n[pair] + n[pair + 1]]
        hits[pair : pair + 2] = [hits[pair] + hits[pair + 1]]
        del edges[pair]
    return edges, n, hits


def _z(n1: float, h1: float, n2: float, h2: float) -> float:
    """Two-proportion z statistic (0 when it cannot be measured)."""
    if n1 == 0 or n2 == 0:
        return 0.0
    pooled = (h1 + h2) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return 0.0 if spread == 0 else (h2 / n2 - h1 / n1) / spread
