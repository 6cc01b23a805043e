"""Why a suggested rule has its sign: its effect given the other rules, in plain words.

A rule's points are its effect with the other rules held fixed, so its explanation compares
like with like: the training leads are put in strata by the score the OTHER rules give them
(quintiles), and within each stratum the leads the rule matches are compared with those it
does not. The strata are pooled as a Mantel-Haenszel rate ratio ("won 1.8x as often as
similar leads without it"). A rule whose points go against that ratio is not shown: it
would read "+6 ... won 0.8x as often".
"""

from __future__ import annotations

import math

import numpy as np

from domain.common.numbers import percent

OUTCOME_VERBS = {"sql": "became an SQL", "won": "won"}
STRATA = 5


def given_others(
    matched: np.ndarray, rest: np.ndarray, outcomes: np.ndarray, outcome: str, kind: str
) -> tuple[float, str]:
    """(rate ratio, sentence) of the matched leads against similar unmatched ones (NaN: none
    to compare with)."""
    matched = np.asarray(matched, dtype=bool)
    y = np.asarray(outcomes, dtype=bool)
    verb = OUTCOME_VERBS.get(outcome, f"reached {outcome}")
    who = "leads matching it" if kind == "fit" else "leads who did it"
    n_in = int(matched.sum())
    if n_in == 0 or n_in == matched.size:
        return math.nan, f"every training lead is alike on this ({n_in:,} of {matched.size:,})"
    ratio = rate_ratio(matched, _strata(rest), y)
    rate_in, rate_out = y[matched].mean(), y[~matched].mean()
    counts = f"{percent(rate_in)} of {n_in:,} {who} {verb}, vs {percent(rate_out)} of the others"
    if math.isnan(ratio):
        return ratio, counts
    if math.isinf(ratio):
        return ratio, f"only {who} {verb} among similar leads ({counts})"
    return ratio, f"{verb} {ratio:.2f}x as often as similar leads without it ({counts})"


def rate_ratio(matched: np.ndarray, strata: np.ndarray, y: np.ndarray) -> float:
    """Mantel-Haenszel rate ratio of `y` for matched vs unmatched leads across `strata`."""
    size = int(strata.max()) + 1
    n = np.bincount(strata, minlength=size).astype(float)
    n1 = np.bincount(strata, weights=matched, minlength=size)
    a = np.bincount(strata, weights=matched & y, minlength=size)
    c = np.bincount(strata, weights=~matched & y, minlength=size)
    n0 = n - n1
    useful = (n1 > 0) & (n0 > 0)
    top = float((a * n0 / np.maximum(n, 1))[useful].sum())
    bottom = float((c * n1 / np.maximum(n, 1))[useful].sum())
    if bottom == 0:
        return math.nan if top == 0 else math.inf
    return top / bottom


def _strata(rest: np.ndarray) -> np.ndarray:
    rest = np.asarray(rest, dtype=float)
    if rest.size == 0 or np.ptp(rest) == 0:
        return np.zeros(rest.size, dtype=np.int64)
    edges = np.unique(np.quantile(rest, np.linspace(0, 1, STRATA + 1)[1:-1]))
    return np.searchsorted(edges, rest, side="right").astype(np.int64)
