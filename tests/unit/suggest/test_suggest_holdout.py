"""The suggestion beats the current definition on held-out leads beyond the bench's sample,
starts from the current rules, and says so plainly when it finds no improvement."""

import dataclasses
import math
from datetime import UTC, datetime

import pytest

from domain.definitions.defaults import default_definition
from domain.suggest import suggest
from domain.suggest.checks import holdout_verdict
from tests.demo_model import demo_model

# Other seeds and as-of dates than the bench's (seed 7, 2026-06-30): a win on one sample of
# the demo data is not a method that works.
CONFIGS = {
    "seed 11, November": (4_000, 11, datetime(2026, 11, 23, tzinfo=UTC)),
    "seed 3, March": (4_000, 3, datetime(2026, 3, 31, tzinfo=UTC)),
}


@pytest.fixture(scope="module", params=list(CONFIGS))
def sql_suggestion(request):
    n_leads, seed, as_of = CONFIGS[request.param]
    return suggest(demo_model(n_leads, seed=seed, as_of=as_of), default_definition(), outcome="sql")


def test_the_suggestion_is_at_least_as_good_as_the_current_definition_held_out(sql_suggestion):
    s = sql_suggestion
    assert s.split == "time" and s.n_positive_holdout >= 20
    assert s.auc_holdout_suggested >= s.auc_holdout_current
    assert s.improves and not any(w.startswith("no improvement") for w in s.warnings)


def test_the_suggestion_keeps_the_current_rules_that_carry_signal(sql_suggestion):
    ids = {r.rule.id for r in sql_suggestion.rules}
    # The default's pooled industry rule and its pricing-page rule, re-weighted.
    assert {"ind-core", "pricing"} <= ids  # their own ids: the draft's diff reads "changed"
    # Few single-company e-mail domains: they barely move the ranking of all leads.
    domains = [r for r in sql_suggestion.rules if r.rule.id.startswith("s-email@")]
    assert len(domains) <= 2


def test_no_improvement_is_said_plainly(sql_suggestion):
    assert holdout_verdict(0.88, 0.90) is None
    assert holdout_verdict(0.88, 0.88) is None
    message = holdout_verdict(0.8911, 0.8376)
    assert message == (
        "no improvement found on held-out leads (AUC 0.838 suggested vs 0.891 current): "
        "keep the current rules"
    )
    assert holdout_verdict(math.nan, 0.9) is not None
    worse = dataclasses.replace(sql_suggestion, auc_holdout_suggested=0.5)
    assert not worse.improves and worse.to_json()["improves"] is False
