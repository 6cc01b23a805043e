"""Range steps learnt from the training leads: where the conversion rate really steps."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.suggest.binning import learn_steps


def test_a_monotone_relation_gives_ascending_steps_near_the_true_edge():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 2_000, 5_000)
    y = rng.random(x.size) < np.where(x >= 1_000, 0.4, 0.05)
    steps = learn_steps(x, y, 30)
    assert steps == sorted(steps) and any(900 <= s <= 1_100 for s in steps)


def test_a_flat_relation_gives_no_step():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 100, 5_000)
    assert learn_steps(x, rng.random(x.size) < 0.2, 30) == []


def test_leads_without_a_value_that_convert_differently_get_a_has_a_value_step():
    rng = np.random.default_rng(2)
    x = np.where(rng.random(4_000) < 0.3, np.nan, rng.uniform(10, 20, 4_000))
    y = rng.random(x.size) < np.where(np.isnan(x), 0.02, 0.3)
    steps = learn_steps(x, y, 30)
    assert steps and steps[0] == np.nanmin(x)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=0, max_size=400),
    st.integers(0, 2**32 - 1),
    st.integers(5, 60),
)
def test_every_step_leaves_enough_leads_on_each_side(values, seed, support):
    x = np.array(values, dtype=float)
    y = np.random.default_rng(seed).random(x.size) < 0.3
    steps = learn_steps(x, y, support)
    assert steps == sorted(set(steps))
    for step in steps[1:] if len(steps) and np.isnan(x).any() else steps:
        assert min((x >= step).sum(), (x < step).sum()) >= support
