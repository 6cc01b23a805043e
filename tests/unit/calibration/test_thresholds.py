"""MQL threshold suggestions: the curve, filling sales capacity, the best trade-off."""

import numpy as np
import pandas as pd
import pytest

from domain.calibration.thresholds import (
    CURVE_COLUMNS,
    OBJECTIVES,
    best_tradeoff,
    capacity_choice,
    threshold_curve,
    threshold_for_capacity,
)
from domain.definitions.defaults import default_definition
from domain.engine.stages import NEVER
from tests.demo_model import demo_model

GRID = list(range(0, 121, 5))


@pytest.fixture(scope="module")
def model():
    return demo_model(1_500, seed=5)


@pytest.fixture(scope="module")
def curve(model):
    return threshold_curve(model, default_definition(), outcome="sql", thresholds=GRID)


def test_curve_has_one_row_per_threshold_and_volume_falls_as_the_bar_rises(curve):
    assert list(curve.columns) == list(CURVE_COLUMNS)
    assert curve["threshold"].tolist() == GRID
    for column in ("mqls", "mqls_per_week", "wins_captured", "wins_captured_share"):
        assert (np.diff(curve[column]) <= 1e-12).all(), column
    assert curve["wins_captured_share"].between(0, 1).all()


def test_curve_rows_are_what_the_engine_says_at_that_threshold(model, curve):
    row = curve.set_index("threshold").loc[40]
    at_40 = model.score(default_definition().replace(mql_threshold=40))
    assert row["mqls"] == int((at_40.times["mql_at"] != NEVER).sum())


def test_the_default_grid_covers_every_score(model):
    curve = threshold_curve(model, default_definition(), outcome="won")
    totals = model.score(default_definition()).total
    assert curve["threshold"].min() <= totals.min()
    assert curve["threshold"].max() > totals.max()


@pytest.mark.parametrize("capacity", [2.0, 5.0, 12.0, 30.0])
def test_capacity_threshold_fills_the_capacity_within_one_grid_step(model, curve, capacity):
    choice = threshold_for_capacity(
        model, default_definition(), capacity, outcome="sql", thresholds=GRID
    )
    weekly = curve.set_index("threshold")["mqls_per_week"]
    assert choice.mqls_per_week == pytest.approx(weekly[choice.threshold])
    if choice.mqls_per_week <= capacity:
        # one step lower would overflow it (unless the grid starts there)
        step_lower = choice.threshold - 5
        assert step_lower < GRID[0] or weekly[step_lower] > capacity
    else:
        assert choice.threshold == GRID[-1] and "over the capacity" in choice.reason


def test_captured_minus_volume_picks_the_largest_gap():
    curve = _curve(captured=[1.0, 0.9, 0.6, 0.1], volume=[1.0, 0.5, 0.1, 0.05])
    choice = best_tradeoff(curve, "captured_minus_volume")
    assert choice.threshold == 20  # 0.6 - 0.1 = 0.5 beats 0.4 and 0.05
    assert "captures 60.0% of wins" in choice.reason


def test_wins_per_mql_respects_the_minimum_capture():
    curve = _curve(captured=[1.0, 0.9, 0.6, 0.1], volume=[1.0, 0.5, 0.1, 0.05])
    assert best_tradeoff(curve, "wins_per_mql", min_capture=0.8).threshold == 10
    assert best_tradeoff(curve, "wins_per_mql", min_capture=0.05).threshold == 20
    with pytest.raises(ValueError, match="no threshold captures"):
        best_tradeoff(_curve(captured=[0.5], volume=[0.1]), "wins_per_mql", min_capture=0.9)


def test_objectives_are_listed_for_the_ui_and_unknown_ones_refused(curve):
    assert set(OBJECTIVES) == {"captured_minus_volume", "wins_per_mql"}
    for objective in OBJECTIVES:
        assert best_tradeoff(curve, objective).threshold in GRID
    with pytest.raises(ValueError, match="objective must be one of"):
        best_tradeoff(curve, "profit")


def test_capacity_choice_refuses_an_empty_curve():
    with pytest.raises(ValueError):
        capacity_choice(pd.DataFrame(columns=list(CURVE_COLUMNS)), 10)


def _curve(captured: list[float], volume: list[float]) -> pd.DataFrame:
    """A hand-made curve: 100 eligible leads, 20 of them wins."""
    n = len(captured)
    wins = [round(c * 20) for c in captured]
    mqls = [round(v * 100) for v in volume]
    return pd.DataFrame(
        {
            "threshold": [10.0 * i for i in range(n)],
            "mqls": mqls,
            "mqls_per_week": [m / 10 for m in mqls],
            "eligible_mqls": mqls,
            "wins_captured": wins,
            "wins_captured_share": captured,
            "volume_share": volume,
            "wins_per_mql": [w / m for w, m in zip(wins, mqls, strict=True)],
        }
    )
