"""The suggestion's guards on hand-built leads: ranges, one rule per fact, leakage caught."""

import re

import numpy as np
import pandas as pd
import pytest

from domain.definitions.definition import FitRule
from domain.suggest import suggest
from domain.suggest.features import Feature
from domain.suggest.fit import LogisticFit
from domain.suggest.rules import to_rules
from tests.builders import definition, fit, make_facts, model_of

N = 1_500
NOTES = ("Closed by Horizzon", "Lost to EINS", "Ringing", "Will revert after reading the email")


def leads_with(columns, *, n: int = N, seed: int = 0, email=None):
    """`n` leads created over a year; won more often with more time on site. `columns`
    maps a name to a function (rng, won, time on site) -> values, added as attributes."""
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, 2_000, n)
    won = rng.random(n) < np.where(seconds >= 900, 0.45, 0.08)
    created = pd.Timestamp("2023-01-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 360, n), unit="D"
    )
    leads = pd.DataFrame(
        {
            "lead_id": np.arange(1, n + 1),
            "external_id": [f"L{i}" for i in range(n)],
            "created_at": created,
            "segment": rng.choice(["a", "b", "c"], n),
        }
    )
    for name, make in columns.items():
        leads[name] = make(rng, won, seconds)
    if email is not None:
        leads["email"], leads["company"] = email(rng, won)
    facts = make_facts(
        *({"lead_id": int(i) + 1, "won_at": created[i] + pd.Timedelta(days=10)}
          for i in np.flatnonzero(won))
    )  # fmt: skip
    return model_of(leads, facts=facts)


def seconds_as_text(rng, won, seconds):
    return [str(s) for s in seconds]  # numbers stored as text, as custom attributes are


def rules_on(result, attribute):
    return [r for r in result.rules if getattr(r.rule, "attribute", None) == attribute]


def test_a_numeric_column_stored_as_text_gives_range_rules():
    result = suggest(model_of_time(), definition(), outcome="won")
    rules = rules_on(result, "time_on_site")
    assert rules and all(r.rule.operator == ">=" for r in rules)
    top = max(rules, key=lambda r: r.rule.points)
    assert top.rule.points > 0 and 600 <= top.rule.value <= 1_200
    assert re.fullmatch(r"time_on_site >= [\d,.]+", top.rule.describe())


def model_of_time():
    return leads_with({"time_on_site": seconds_as_text})


def test_a_yes_no_column_gets_at_most_one_rule():
    def do_not_email(rng, won, seconds):
        return np.where(rng.random(won.size) < np.where(won, 0.1, 0.5), "Yes", "No")

    result = suggest(leads_with({"do_not_email": do_not_email}), definition(), outcome="won")
    rules = rules_on(result, "do_not_email")
    assert len(rules) == 1 and rules[0].rule.points < 0


def test_a_status_like_column_is_excluded_with_a_warning_naming_it_and_why():
    def tags(rng, won, seconds):
        # Notes written while sales worked the lead; noisy enough not to be perfect alone.
        noted = rng.random(won.size) < 0.3
        return np.where(noted, rng.choice(NOTES, won.size), rng.choice(["", "Course"], won.size))

    model = leads_with({"tags": tags})
    result = suggest(model, definition(), outcome="won")
    assert "tags" in result.excluded and not rules_on(result, "tags")
    warning = next(w for w in result.warnings if w.startswith("tags is left out"))
    assert "read like sales outcomes or notes" in warning
    knowingly = suggest(model, definition(), outcome="won", include=("tags",))
    assert "tags" not in knowingly.excluded


def test_a_column_filled_mostly_for_converted_leads_is_excluded():
    def lead_quality(rng, won, seconds):
        filled = rng.random(won.size) < np.where(won, 0.6, 0.04)
        return np.where(filled, rng.choice(["High", "Medium"], won.size), None)

    result = suggest(leads_with({"lead_quality": lead_quality}), definition(), outcome="won")
    assert "lead_quality" in result.excluded
    assert any("filled in mostly for converted leads" in w for w in result.warnings)


def test_a_column_that_alone_predicts_too_well_is_excluded():
    def rep_score(rng, won, seconds):
        return won * 10 + rng.normal(0, 3, won.size)

    result = suggest(leads_with({"rep_score": rep_score}), definition(), outcome="won")
    assert "rep_score" in result.excluded
    assert any(w.startswith("rep_score is left out: alone it predicts") for w in result.warnings)
    leak = next(leak for leak in result.leaks if leak.column == "rep_score")
    assert leak.auc >= 0.85


def test_columns_holding_the_same_information_get_one_rule():
    def plan(rng, won, seconds):
        return np.where(seconds >= 900, "pro", "basic")

    model = leads_with({"plan": plan, "plan_copy": plan})
    result = suggest(model, definition(), outcome="won")
    assert len(rules_on(result, "plan")) + len(rules_on(result, "plan_copy")) == 1


def test_rare_values_get_no_rule_and_every_sign_agrees_with_its_explanation():
    def channel(rng, won, seconds):
        values = rng.choice(["web", "event", "partner"], won.size).astype(object)
        values[np.flatnonzero(won)[:5]] = "golden"  # five leads, all won
        return values

    result = suggest(leads_with({"channel": channel}), definition(), outcome="won")
    assert all(r.rule.value != "golden" for r in rules_on(result, "channel"))
    for rule in result.rules:
        ratio = re.search(r"([\d.]+)x as often", rule.why)
        if ratio:
            assert (rule.rule.points > 0) == (float(ratio.group(1)) > 1), rule


def test_current_rules_that_match_no_lead_are_listed_not_suggested():
    base = definition(fit_rules=[fit("segment", "equals", "zz-none", 20)])
    result = suggest(leads_with({"time_on_site": seconds_as_text}), base, outcome="won")
    assert result.unmatched == ("segment equals zz-none",)
    assert all(r.rule.value != "zz-none" for r in result.rules)


def test_single_company_email_domains_get_no_rule():
    def email(rng, won):
        at_acme = won & (rng.random(won.size) < 0.8)
        domain = np.where(at_acme, "acme.com", rng.choice(["gmail.com", "yahoo.com"], won.size))
        company = np.where(at_acme, "Acme", [f"Co {i}" for i in range(won.size)])
        return [f"p{i}@{d}" for i, d in enumerate(domain)], company

    result = suggest(leads_with({}, email=email), definition(), outcome="won")
    assert all("acme" not in str(getattr(r.rule, "value", "")) for r in result.rules)


@pytest.mark.parametrize("typed", [False, True], ids=["dates as text", "typed dates"])
def test_dates_become_ranges_of_age_in_days(typed):
    def birth_date(rng, won, seconds):
        years = np.where(seconds >= 900, 50, 25) + rng.integers(-3, 3, won.size)
        dates = pd.Timestamp("2023-01-01", tz="UTC") - pd.to_timedelta(years * 365, unit="D")
        return dates if typed else [d.strftime("%d/%m/%Y") for d in dates]

    result = suggest(leads_with({"birth_date": birth_date}), definition(), outcome="won")
    rules = rules_on(result, "birth_date")
    assert rules and all(r.rule.operator == ">=" for r in rules)
    assert "days before creation" in rules[0].rule.describe()


def test_values_with_the_same_points_become_one_in_rule():
    def feature(value: str, mask: list[int]) -> Feature:
        rule = FitRule(id=f"c={value}", attribute="c", operator="equals", value=value, points=0)
        return Feature(rule.describe(), "fit", "c", rule, np.array(mask, dtype=float))

    features = [feature("x", [1, 0, 0, 0] * 25), feature("y", [0, 1, 0, 0] * 25)]
    fitted = LogisticFit(coefficients=np.array([1.0, 1.0]), intercept=-1.0, c=1.0)
    outcomes = np.array([1, 1, 0, 0] * 25, dtype=bool)
    rules, contradicted = to_rules(
        features, fitted, train=np.arange(100), outcomes=outcomes, outcome="won", max_rules=25
    )
    assert contradicted == []
    assert len(rules) == 1 and rules[0].rule.operator == "in"
    assert set(rules[0].rule.value) == {"x", "y"} and rules[0].rule.points == pytest.approx(30)
