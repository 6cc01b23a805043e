"""The engine scores count rules like a plain per-lead calculation, also after slider moves.

A slider moves one rule at a time and the engine patches its running scores (see
domain/engine/engagement.py); every step must equal both a fresh model and the plain count.
"""

import numpy as np
import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.builders import definition
from tests.unit.engine.test_scoring_properties import SETTINGS, TYPES, model, plain_engagement

# Several events per lead and type, so that minimums are reached and missed.
events_strategy = st.lists(
    st.tuples(st.integers(1, 4), st.sampled_from(TYPES), st.integers(0, 59 * 24)),
    min_size=6,
    max_size=40,
)
PLAIN = {"points": 1, "cap": None, "window_days": None}

per_occurrence = st.fixed_dictionaries(
    {
        "points": st.integers(-20, 30),
        "cap": st.one_of(st.none(), st.integers(0, 60)),
        "window_days": st.one_of(st.none(), st.integers(1, 60)),
    }
)
counted = st.fixed_dictionaries(
    {
        "points": st.integers(-20, 30),
        "min_count": st.integers(1, 4),
        "window_days": st.one_of(st.none(), st.integers(1, 60)),
    }
)
rules_strategy = st.lists(st.one_of(per_occurrence, counted), min_size=4, max_size=4)
half_lives = st.one_of(st.none(), st.floats(1, 90))
# One slider move: (rule position, what moves, its new value).
moves_strategy = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.sampled_from(["points", "min_count", "half_life", "threshold"]),
        st.integers(1, 40),
    ),
    min_size=1,
    max_size=5,
)


def build(rules, half_life, threshold):
    return definition(
        engagement_rules=[
            {"id": t, "activity_type": t, **r} for t, r in zip(TYPES, rules, strict=True)
        ],
        decay_half_life_days=half_life,
        mql_threshold=threshold,
    )


def moved(rules, half_life, threshold, move):
    position, what, value = move
    rules = [dict(r) for r in rules]
    rule = rules[position]
    if what == "points":
        rule["points"] = value - 15
    elif what == "min_count":
        # Switching a per-occurrence rule to counting (or back, at 40) is a move too.
        rule.pop("cap", None)
        if value > 30:
            rule.pop("min_count", None)
        else:
            rule["min_count"] = 1 + value % 4
    elif what == "half_life":
        half_life = None if value > 30 else float(value)
    else:
        threshold = value * 2 - 10
    return rules, half_life, threshold


@SETTINGS
@given(events_strategy, rules_strategy, half_lives, st.integers(-10, 80))
def test_count_rules_score_like_a_plain_count(events, rules, half_life, threshold):
    d = build(rules, half_life, threshold)
    assert np.allclose(model(events).score(d).engagement, plain_engagement(events, d), atol=1e-9)


@settings(SETTINGS, max_examples=25)
@given(events_strategy, rules_strategy, half_lives, st.integers(-10, 80), moves_strategy)
@example(  # a minimum moved past the lead's count must take its points away
    [(1, TYPES[0], hour) for hour in (10, 20, 30)],
    [{"points": 5, "min_count": 2, "window_days": None}, PLAIN, PLAIN, PLAIN],
    None,
    10,
    [(0, "min_count", 3)],
)
def test_slider_moves_on_count_rules_match_a_fresh_model_and_the_plain_count(
    events, rules, half_life, threshold, moves
):
    shared = model(events)
    shared.score(build(rules, half_life, threshold))
    for move in moves:
        rules, half_life, threshold = moved(rules, half_life, threshold, move)
        d = build(rules, half_life, threshold)
        patched = shared.score(d)
        pd.testing.assert_frame_equal(patched.frame, model(events).score(d).frame)
        assert np.allclose(patched.engagement, plain_engagement(events, d), atol=1e-9)
