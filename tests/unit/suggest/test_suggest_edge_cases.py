"""Suggestions on awkward data: attributes only, leaks, too little to learn from."""

import numpy as np
import pandas as pd
import pytest

from domain.suggest import SuggestionError, leakage_suspects, suggest
from tests.builders import definition, make_facts, model_of

WON_RATE = {"organic_search": 0.25, "paid_search": 0.08, "social": 0.02, "referral": 0.4}


def olist_like(n: int = 600, seed: int = 0, *, extra: dict | None = None):
    """Leads with only attributes (origin, landing page, segment), no activity log; won
    deals recorded for some, more often from organic search and referrals."""
    rng = np.random.default_rng(seed)
    origin = rng.choice(list(WON_RATE), n)
    page = rng.choice([f"page-{i}" for i in range(8)], n)
    created = pd.Timestamp("2023-01-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 300, n), unit="D"
    )
    won = rng.random(n) < np.array([WON_RATE[o] for o in origin])
    leads = pd.DataFrame(
        {
            "lead_id": np.arange(1, n + 1),
            "external_id": [f"M{i}" for i in range(n)],
            "origin": origin,
            "landing_page_id": page,
            "business_segment": rng.choice(["home_decor", "car_accessories", "health"], n),
            "created_at": created,
        }
    )
    for name, values in (extra or {}).items():
        leads[name] = values(won)
    facts = make_facts(
        *({"lead_id": int(i) + 1, "won_at": created[i] + pd.Timedelta(days=20)}
          for i in np.flatnonzero(won))
    )  # fmt: skip
    return model_of(leads, facts=facts), won


def test_leads_with_only_attributes_get_a_suggestion():
    model, _ = olist_like()
    result = suggest(model, definition(mql_threshold=10), outcome="won")
    used = {r.rule.attribute for r in result.rules}
    assert "origin" in used and all(r.kind == "fit" for r in result.rules)
    assert result.split == "time"
    assert result.auc_holdout_suggested > 0.6
    top = max(result.rules, key=lambda r: r.rule.points)
    assert top.rule.value in ("referral", "organic_search")


def test_an_attribute_equal_to_the_outcome_raises_a_leakage_warning():
    model, _ = olist_like(extra={"flag": lambda won: np.where(won, "yes", "no")})
    suspects = dict(leakage_suspects(model, "won"))
    assert suspects["flag"] == pytest.approx(1.0)
    result = suggest(model, definition(), outcome="won")
    assert "flag" in result.excluded
    assert any(w.startswith("flag is left out: alone it predicts") for w in result.warnings)
    knowingly = suggest(model, definition(), outcome="won", include=("flag",))
    assert any(r.rule.attribute == "flag" for r in knowingly.rules)
    assert any(w.startswith("flag is used although") for w in knowingly.warnings)


def test_attributes_named_like_after_sales_facts_are_excluded_by_default():
    model, _ = olist_like(extra={"lead_status": lambda won: np.where(won, "closed", "open")})
    assert "lead_status" in dict(leakage_suspects(model, "won"))
    result = suggest(model, definition(), outcome="won")
    assert "lead_status" in result.excluded
    assert all(r.rule.attribute != "lead_status" for r in result.rules)
    kept = suggest(model, definition(), outcome="won", default_exclusions=False)
    assert any(r.rule.attribute == "lead_status" for r in kept.rules)


def test_leads_without_creation_dates_that_differ_are_split_at_random():
    same_day, _ = olist_like()
    same_day = model_of(
        same_day.leads.assign(created_at="2023-01-01"),
        facts=make_facts(
            *({"lead_id": int(i), "won_at": "2023-02-01"} for i in _won_ids(same_day))
        ),
    )
    result = suggest(same_day, definition(), outcome="won", seed=3)
    assert result.split == "random"
    assert result.n_holdout == round(0.3 * 600)


def test_one_class_only_is_refused_with_a_clear_message():
    model, _ = olist_like()
    no_wins = model_of(model.leads)
    with pytest.raises(SuggestionError, match="none of the 600 leads old enough reached won"):
        suggest(no_wins, definition(), outcome="won")


def test_five_leads_are_too_few():
    model, _ = olist_like(n=5)
    with pytest.raises(SuggestionError, match="too few leads to learn from: 5"):
        suggest(model, definition(), outcome="won")


def test_no_usable_inputs_is_refused():
    model, _ = olist_like()
    bare = model_of(
        model.leads[["lead_id", "external_id", "created_at"]],
        facts=make_facts(*({"lead_id": int(i), "won_at": "2024-01-01"} for i in _won_ids(model))),
    )
    with pytest.raises(SuggestionError, match="no usable inputs"):
        suggest(bare, definition(), outcome="won")


def test_a_bad_outcome_or_holdout_is_refused():
    model, _ = olist_like()
    with pytest.raises(ValueError, match="outcome must be one of"):
        suggest(model, definition(), outcome="mql")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="holdout must be"):
        suggest(model, definition(), outcome="won", holdout=1.5)


def _won_ids(model) -> list[int]:
    result = model.score(definition())
    return [int(i) for i in model.lead_ids[result.times["won_at"] != np.iinfo(np.int64).max]]
