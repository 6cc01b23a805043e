"""Suggested weights on the demo data: better held-out ranking, readable, reproducible."""

import json

import numpy as np
import pytest
from scipy.stats import spearmanr

from domain.definitions.defaults import default_definition
from domain.definitions.definition import EngagementRule, FitRule, parse_definition
from domain.suggest import Suggestion, candidate_attributes, suggest
from domain.suggest.fit import feature_matrix
from domain.suggest.suggestion import fit_model, prepare
from domain.suggest.volume import mql_count, mql_counter
from tests.demo_model import demo_model


@pytest.fixture(scope="module")
def model():
    return demo_model(3_000, seed=7)


@pytest.fixture(scope="module")
def suggestion(model) -> Suggestion:
    return suggest(model, default_definition(), outcome="sql", seed=0)


def test_the_suggestion_beats_the_default_definition_on_held_out_leads(suggestion):
    assert suggestion.split == "time"
    assert suggestion.n_positive_holdout >= 20
    assert suggestion.auc_holdout_suggested > suggestion.auc_holdout_current
    assert suggestion.auc_train_suggested > suggestion.auc_train_current


def test_points_rank_leads_like_the_logistic_model_they_come_from(model):
    prepared = prepare(model, default_definition(), outcome="sql")
    half_life, features, fitted, _ = fit_model(prepared, seed=0, max_rules=25, outcome="sql")
    result = suggest(model, default_definition(), outcome="sql", seed=0)
    assert result.definition.decay_half_life_days == half_life
    train = prepared.split.train
    logistic = fitted.linear(feature_matrix(features, train))
    points = model.score(result.definition).total[train]
    assert spearmanr(logistic, points).statistic >= 0.9


def test_rules_are_readable_points(suggestion):
    assert 0 < len(suggestion.rules) <= 25
    for item in suggestion.rules:
        if item.kind == "fit":
            assert isinstance(item.rule, FitRule) and float(item.rule.points).is_integer()
        else:
            assert isinstance(item.rule, EngagementRule) and item.rule.cap is not None
            assert (item.rule.points * 2).is_integer() and item.rule.cap.is_integer()
        assert abs(item.max_points) >= 2
        assert item.why and ("as often" in item.why or "%" in item.why)
    assert max(abs(r.max_points) for r in suggestion.rules) == pytest.approx(30, abs=1)


def test_the_suggested_definition_keeps_the_rest_of_the_base_and_a_comparable_volume(
    model, suggestion
):
    base = default_definition()
    d = suggestion.definition
    assert (d.hand_raisers, d.sql_criteria, d.sla_hours) == (
        base.hand_raisers,
        base.sql_criteria,
        base.sla_hours,
    )
    assert float(d.mql_threshold).is_integer()
    before = model.score(base).stage_counts()["MQL"]
    after = model.score(d).stage_counts()["MQL"]
    assert abs(after - before) <= 0.1 * before


def test_the_suggestion_is_the_same_for_the_same_seed(model, suggestion):
    again = suggest(model, default_definition(), outcome="sql", seed=0)
    first = json.dumps(suggestion.to_json(), sort_keys=True)
    assert json.dumps(again.to_json(), sort_keys=True) == first


def test_to_json_round_trips_the_definition(suggestion):
    data = json.loads(json.dumps(suggestion.to_json(), allow_nan=False))
    assert parse_definition(data["definition"]) == suggestion.definition
    assert {"auc_holdout_current", "auc_holdout_suggested", "rules", "warnings"} <= set(data)


def test_excluded_attributes_are_not_used(model):
    excluded = suggest(model, default_definition(), outcome="sql", exclude=("title", "email"))
    used = {r.rule.attribute for r in excluded.rules if isinstance(r.rule, FitRule)}
    assert not used & {"title", "email"}
    assert {"title", "email", "owner"} <= set(excluded.excluded)


def test_candidate_attributes_leave_out_identifiers(model):
    names = candidate_attributes(model)
    assert {"industry", "company_size", "country", "seniority", "owner"} <= set(names)
    assert not {"lead_id", "external_id", "name", "email", "company", "created_at"} & set(names)


def test_the_scoring_model_inputs_are_untouched(model):
    leads = model.leads.copy()
    suggest(model, default_definition(), outcome="sql", max_rules=5)
    assert model.leads.equals(leads)
    np.testing.assert_array_equal(model.lead_ids, leads["lead_id"].to_numpy())


@pytest.mark.parametrize("hand_raisers", [True, False], ids=["hand-raisers", "score only"])
def test_the_quick_mql_count_agrees_with_the_engine_at_every_threshold(model, hand_raisers):
    base = default_definition()
    base = base if hand_raisers else base.replace(hand_raisers=())
    count = mql_counter(model, base)
    for threshold in (-5, 0, 7.5, 20, 40, 55.5, 80, 150, 1_000):
        assert count(threshold) == mql_count(model, base, threshold), threshold


def test_progress_moves_forward_through_the_real_stages(model):
    heard: list[tuple[float, str]] = []
    suggest(model, default_definition(), outcome="sql", progress=lambda *x: heard.append(x))
    shares = [share for share, _ in heard]
    assert shares == sorted(shares) and shares[0] > 0 and shares[-1] == 1.0
    said = " ".join(what for _, what in heard)
    for stage in ("leakage", "Cross-validating", "strongest inputs", "MQL threshold", "held-out"):
        assert stage in said
