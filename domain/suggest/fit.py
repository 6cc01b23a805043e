"""The interpretable model behind a suggestion: an L2-regularised logistic regression that
starts from the current definition.

Inputs are standardised before the fit so that the penalty treats a rare value and a busy
activity count alike; the coefficients are then brought back to each input's own scale
(points per match, or per occurrence), which is what a rule can express.

Shrinking towards the current definition, not towards nothing: when some inputs are the
base definition's own rules (`prior`, their current points), the base's score enters as one
more input that is practically unpenalised (scaled up `PRIOR_SCALE` times, so its penalty
is 1/PRIOR_SCALE² of the others'). Each rule's weight is then `a x current points + change`
and only the changes (and the new inputs) are penalised: with few conversions the fit stays
close to the current definition (rescaled), with many it moves as far as the data says.

The penalty's strength is chosen by cross-validation on the training leads (ties go to the
stronger penalty). The grid reaches far down because a dozen conversions among a hundred
inputs call for a very strong penalty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

# SciPy and scikit-learn are imported where a fit runs: they take a second or more to
# import, which the Calibration page would otherwise wait for before it shows anything.
if TYPE_CHECKING:
    from sklearn.linear_model import LogisticRegression

from domain.calibration.quality import roc_auc
from domain.suggest.features import Feature

# Inverse regularisation strengths tried, on standardised inputs.
C_GRID: tuple[float, ...] = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
FOLDS = 3
MAX_ITER = 200
PRIOR_SCALE = 30.0
# Leads the penalty and the inputs are chosen on (see `sample_rows`).
SAMPLE_ROWS = 12_000


@dataclass(frozen=True, eq=False)
class LogisticFit:
    """Coefficients per feature on the features' own scale, the intercept and the C used."""

    coefficients: np.ndarray
    intercept: float
    c: float

    def linear(self, matrix: np.ndarray) -> np.ndarray:
        """The model's log-odds for the rows of `matrix` (one column per feature)."""
        return matrix @ self.coefficients + self.intercept


def feature_matrix(features: Sequence[Feature], positions: np.ndarray) -> np.ndarray:
    """Rows: the leads at `positions`; columns: the features' values."""
    if not features:
        return np.zeros((positions.size, 0))
    return np.column_stack([feature.values[positions] for feature in features])


def priors(features: Sequence[Feature]) -> np.ndarray:
    """The current points of each feature (0 for new inputs)."""
    return np.array([feature.prior for feature in features], dtype=np.float64)


def sample_rows(
    outcomes: np.ndarray, *, seed: int, limit: int = SAMPLE_ROWS
) -> tuple[np.ndarray, np.ndarray]:
    """(positions, weights) of at most `limit` leads to choose the penalty and the inputs on.

    Every converted lead is kept (up to half the sample) and the others are sampled, each
    weighted by how many leads it stands for, so the fit estimates the same model: a rare
    outcome keeps all its information and 50,000 leads fit in a second.
    """
    y = np.asarray(outcomes, dtype=bool)
    if y.size <= limit:
        return np.arange(y.size), np.ones(y.size)
    rng = np.random.default_rng(seed)
    chosen, weights = [], []
    positives, negatives = np.flatnonzero(y), np.flatnonzero(~y)
    n_pos = min(positives.size, limit // 2)
    for group, n in ((positives, n_pos), (negatives, limit - n_pos)):
        picked = np.sort(rng.choice(group, size=min(n, group.size), replace=False))
        chosen.append(picked)
        weights.append(np.full(picked.size, group.size / max(picked.size, 1)))
    order = np.argsort(np.concatenate(chosen), kind="stable")
    return np.concatenate(chosen)[order], np.concatenate(weights)[order]


def fit_logistic(
    matrix: np.ndarray,
    outcomes: np.ndarray,
    *,
    seed: int,
    c: float,
    prior: np.ndarray | None = None,
    weights: np.ndarray | None = None,
) -> LogisticFit:
    """Fit the regularised logistic regression with strength `c`, shrunk towards `prior`
    (the current points per feature) rescaled; deterministic."""
    inputs = _Inputs(matrix, prior)
    model = _logistic(c, seed).fit(
        inputs.standard, np.asarray(outcomes, dtype=int), sample_weight=weights
    )
    coefficients, intercept = inputs.back(model.coef_[0], float(model.intercept_[0]))
    return LogisticFit(coefficients=coefficients, intercept=intercept, c=c)


def cross_validated(
    matrix: np.ndarray,
    outcomes: np.ndarray,
    *,
    seed: int,
    prior: np.ndarray | None = None,
    weights: np.ndarray | None = None,
) -> tuple[float, float]:
    """(best C of C_GRID, its mean AUC over stratified folds); ties go to the smaller C.

    Each fold walks the grid from the strongest penalty up, starting every fit from the
    previous one's coefficients (a few Newton steps each)."""
    y = np.asarray(outcomes, dtype=int)
    folds = min(FOLDS, int(y.sum()), int((1 - y).sum()))
    if folds < 2 or matrix.shape[1] == 0:
        return C_GRID[len(C_GRID) // 2], float("nan")
    from sklearn.model_selection import StratifiedKFold

    standard = _Inputs(matrix, prior).standard
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    scores = np.zeros(len(C_GRID))
    w = np.ones(y.size) if weights is None else np.asarray(weights, dtype=float)
    for train, test in splitter.split(standard, y):
        model = _logistic(C_GRID[0], seed)
        model.set_params(warm_start=True)
        for position, c in enumerate(C_GRID):
            model.set_params(C=c).fit(standard[train], y[train], sample_weight=w[train])
            auc = roc_auc(model.decision_function(standard[test]), y[test] == 1)
            scores[position] += (0.5 if auc is None else auc) / folds
    best = int(np.argmax(scores))
    return C_GRID[best], float(scores[best])


class _Inputs:
    """Inputs scaled to unit spread, plus the current definition's score as the first
    column when there is a prior; `back` turns fitted coefficients into per-feature ones.

    Scaled, not centred: with a fitted intercept centring changes neither the model nor
    the penalty, and uncentred 0/1 inputs stay sparse, which makes each Newton step cost
    the leads' few matches instead of leads x inputs².
    """

    def __init__(self, matrix: np.ndarray, prior: np.ndarray | None) -> None:
        from scipy import sparse

        self.spread = matrix.std(axis=0)
        self.spread[self.spread == 0] = 1.0
        scaled = sparse.csr_matrix(matrix / self.spread)
        self.prior = None
        if prior is not None and np.any(prior != 0):
            current = matrix @ prior
            spread = float(current.std())
            if spread > 0:
                self.prior = prior
                self.prior_spread = spread
                column = sparse.csr_matrix((current / spread * PRIOR_SCALE)[:, None])
                scaled = sparse.hstack([column, scaled], format="csr")
        self.standard = scaled

    def back(self, coefficients: np.ndarray, intercept: float) -> tuple[np.ndarray, float]:
        if self.prior is None:
            return coefficients / self.spread, intercept
        scale = coefficients[0] * PRIOR_SCALE / self.prior_spread
        return coefficients[1:] / self.spread + scale * self.prior, intercept


def _logistic(c: float, seed: int) -> LogisticRegression:
    # Newton steps: exact and quick for a hundred-odd inputs, and unbothered by the
    # large-scale prior column that would slow a quasi-Newton solver down.
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(
        C=c, l1_ratio=0.0, solver="newton-cholesky", max_iter=MAX_ITER, random_state=seed
    )
