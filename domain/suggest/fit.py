"""The interpretable model behind a suggestion: an L2-regularised logistic regression.

Inputs are standardised before the fit so that the penalty treats a rare value and a busy
activity count alike; the coefficients are then brought back to each input's own scale
(points per match, or per occurrence), which is what a rule can express. The penalty's
strength is chosen by cross-validation on the training leads: few conversions need a
strong penalty, many allow a weak one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from domain.calibration import roc_auc
from domain.suggest.features import Feature

# Inverse regularisation strengths tried, on standardised inputs.
C_GRID: tuple[float, ...] = (0.003, 0.01, 0.03, 0.1, 0.3)
FOLDS = 3
MAX_ITER = 2000


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


def fit_logistic(matrix: np.ndarray, outcomes: np.ndarray, *, seed: int, c: float) -> LogisticFit:
    """Fit the regularised logistic regression with strength `c`; deterministic."""
    standard, mean, spread = _standardised(matrix)
    model = _logistic(c, seed).fit(standard, np.asarray(outcomes, dtype=int))
    coefficients = model.coef_[0] / spread
    intercept = float(model.intercept_[0] - coefficients @ mean)
    return LogisticFit(coefficients=coefficients, intercept=intercept, c=c)


def cross_validated(matrix: np.ndarray, outcomes: np.ndarray, *, seed: int) -> tuple[float, float]:
    """(best C of C_GRID, its mean AUC over stratified folds); ties go to the smaller C.

    Each fold fits the grid from the strongest penalty up, warm-starting from the last fit.
    """
    y = np.asarray(outcomes, dtype=int)
    folds = min(FOLDS, int(y.sum()), int((1 - y).sum()))
    if folds < 2 or matrix.shape[1] == 0:
        return C_GRID[len(C_GRID) // 2], float("nan")
    standard = _standardised(matrix)[0]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    scores = np.zeros(len(C_GRID))
    for train, test in splitter.split(standard, y):
        model = _logistic(C_GRID[0], seed)
        model.set_params(warm_start=True)
        for position, c in enumerate(C_GRID):
            model.set_params(C=c).fit(standard[train], y[train])
            auc = roc_auc(model.decision_function(standard[test]), y[test] == 1)
            scores[position] += (0.5 if auc is None else auc) / folds
    best = int(np.argmax(scores))
    return C_GRID[best], float(scores[best])


def _standardised(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean = matrix.mean(axis=0)
    spread = matrix.std(axis=0)
    spread[spread == 0] = 1.0
    return (matrix - mean) / spread, mean, spread


def _logistic(c: float, seed: int) -> LogisticRegression:
    return LogisticRegression(C=c, l1_ratio=0.0, max_iter=MAX_ITER, random_state=seed)
