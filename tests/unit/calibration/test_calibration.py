"""ROC AUC, top-decile lift and calibration by score band."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from domain.calibration.quality import calibrate, roc_auc, top_decile_lift
from domain.funnel.impact import band_labels
from tests.builders import definition, fit, make_facts, make_leads, model_of


def pairwise_auc(scores: np.ndarray, outcomes: np.ndarray) -> float:
    """The definition itself: P(score of a positive > score of a negative), ties half."""
    pos, neg = scores[outcomes], scores[~outcomes]
    diff = pos[:, None] - neg[None, :]
    return float(((diff > 0) + 0.5 * (diff == 0)).mean())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-5, 5), st.booleans()), min_size=2, max_size=60).filter(
        lambda rows: 0 < sum(o for _, o in rows) < len(rows)
    )
)
def test_auc_equals_sklearn_and_the_pairwise_definition(rows):
    scores = np.array([s for s, _ in rows], dtype=float)
    outcomes = np.array([o for _, o in rows])
    auc = roc_auc(scores, outcomes)
    assert auc == pytest.approx(roc_auc_score(outcomes, scores))
    assert auc == pytest.approx(pairwise_auc(scores, outcomes))


def test_auc_is_none_with_one_class_only():
    assert roc_auc(np.array([1.0, 2.0]), np.array([True, True])) is None
    assert roc_auc(np.array([1.0, 2.0]), np.array([False, False])) is None
    assert roc_auc(np.array([]), np.array([], dtype=bool)) is None


def test_perfect_and_reversed_rankings():
    outcomes = np.array([False, False, True, True])
    assert roc_auc(np.array([1.0, 2, 3, 4]), outcomes) == 1.0
    assert roc_auc(np.array([4.0, 3, 2, 1]), outcomes) == 0.0


def test_top_decile_lift_is_top_conversion_over_overall_conversion():
    scores = np.arange(20, dtype=float)  # top decile: the two highest
    outcomes = np.zeros(20, dtype=bool)
    outcomes[[19, 3]] = True  # one of two in the top, 2 of 20 overall
    assert top_decile_lift(scores, outcomes) == pytest.approx((1 / 2) / (2 / 20))


def test_top_decile_lift_shares_the_cut_among_tied_leads_whatever_their_order():
    # 10 leads, 1 place; the 4 tied at the top share it: 2 of them converted.
    scores = np.array([9, 9, 9, 9, 1, 1, 1, 1, 1, 1], dtype=float)
    outcomes = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 0], dtype=bool)
    expected = (2 / 4) / (2 / 10)
    assert top_decile_lift(scores, outcomes) == pytest.approx(expected)
    order = np.random.default_rng(1).permutation(10)
    assert top_decile_lift(scores[order], outcomes[order]) == pytest.approx(expected)


def test_top_decile_lift_is_none_without_conversions():
    assert top_decile_lift(np.array([1.0, 2.0]), np.array([False, False])) is None
    assert top_decile_lift(np.array([]), np.array([], dtype=bool)) is None


def _calibration_model():
    # Created 2023-06-01 (old enough for Won) except two young open leads created 2024-02-20.
    rows = [
        {"industry": "SaaS" if i < 10 else "Retail", "created_at": "2023-06-01"} for i in range(40)
    ]
    rows += [{"industry": "SaaS", "created_at": "2024-02-20"} for _ in range(2)]
    leads = make_leads(*rows)
    winners = [1, 2, 3, 4, 5, 11]  # mostly SaaS; the young open leads 41, 42 do not count
    facts = make_facts(*({"lead_id": i, "won_at": "2023-09-01"} for i in winners))
    return model_of(leads, facts=facts)


def test_calibration_counts_only_leads_old_enough_and_bands_match_the_definitions_page():
    model = _calibration_model()
    saas = definition(fit_rules=[fit("industry", "equals", "SaaS", 50)])
    result = calibrate(model, saas, outcome="won")
    assert (result.n_leads, result.n_positive) == (40, 6)
    assert result.base_rate == pytest.approx(6 / 40)
    assert result.bands["band"].tolist() == band_labels()
    assert result.bands["leads"].sum() == 40
    fifty = result.bands.set_index("band").loc["40–60"]
    assert (fifty["leads"], fifty["converted"], fifty["rate"]) == (10, 5, 0.5)
    assert result.auc == pytest.approx((5 * 29 + 0.5 * (5 * 5 + 1 * 29)) / (6 * 34))
    assert result.top_decile_leads == 4
    assert result.message is None


def test_a_young_lead_whose_outcome_is_recorded_is_judged_whatever_its_age():
    # A snapshot export: every lead created the same recent day, outcomes recorded then.
    leads = make_leads(*({"created_at": "2024-02-28"} for _ in range(7)))
    facts = make_facts(
        {"lead_id": 1, "won_at": "2024-02-28"},
        {"lead_id": 2, "lost_at": "2024-02-28"},
        {"lead_id": 3, "disqualified_at": "2024-02-28"},
        {"lead_id": 4, "won_at": "2024-02-29"},  # a rep's win, a day later: judged by age
    )
    result = calibrate(model_of(leads, facts=facts), definition(), outcome="won")
    # The three closed at creation are judged (one won); the others are too young.
    assert (result.n_leads, result.n_positive) == (3, 1)


def test_calibration_says_why_a_figure_is_missing():
    no_outcomes = model_of(make_leads(*({"created_at": "2023-06-01"} for _ in range(5))))
    result = calibrate(no_outcomes, definition(), outcome="sql")
    assert result.n_positive == 0 and result.auc is None and result.top_decile_lift is None
    assert result.message == "no lead old enough (30+ days) has converted to SQL yet"
    too_young = calibrate(no_outcomes, definition(), outcome="won", min_age_days=3650)
    assert too_young.n_leads == 0 and too_young.base_rate is None
    assert "no lead is 3650 days old yet" in too_young.message
    assert math.isnan(too_young.bands["rate"].iloc[0])
