"""Activity counts in a suggestion: range rules learnt like numbers ("at least 3 ...")."""

import numpy as np
import pandas as pd

from components.calibration.suggestion_draft import merge_rules, with_suggestion
from components.calibration.suggestion_panel import suggestion_rows
from domain.definitions.definition import EngagementRule
from domain.suggest import suggest
from domain.suggest.report import rule_text
from tests.builders import definition, engagement, make_facts, make_leads, model_of

N = 1_500
VIEWS = "pricing_page_view"


def leads_viewing_pricing(seed: int = 0):
    """Leads that won far more often from their third pricing page view on; e-mail opens
    are noise."""
    rng = np.random.default_rng(seed)
    views = rng.integers(0, 7, N)
    won = rng.random(N) < np.where(views >= 3, 0.40, 0.05)
    created = pd.Timestamp("2023-01-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 300, N), unit="D"
    )
    leads = make_leads(*({"created_at": at} for at in created))
    events = []
    for i in range(N):
        for k in range(int(views[i])):
            events.append((i + 1, VIEWS, created[i] + pd.Timedelta(days=1 + k)))
        for k in range(int(rng.integers(0, 4))):
            events.append((i + 1, "email_open", created[i] + pd.Timedelta(days=2 + k)))
    activities = pd.DataFrame(
        {
            "lead_id": [e[0] for e in events],
            "activity_type": [e[1] for e in events],
            "occurred_at": [e[2] for e in events],
            "content_stage": [None] * len(events),
        }
    )
    facts = make_facts(
        *({"lead_id": int(i) + 1, "won_at": created[i] + pd.Timedelta(days=20)}
          for i in np.flatnonzero(won))
    )  # fmt: skip
    return model_of(leads, activities, facts=facts)


def count_rules(result):
    return [
        r
        for r in result.rules
        if isinstance(r.rule, EngagementRule) and r.rule.activity_type == VIEWS
    ]


def test_a_clear_count_effect_gives_an_at_least_rule():
    result = suggest(leads_viewing_pricing(), definition(), outcome="won")
    rules = count_rules(result)
    assert len(rules) == 1, [r.rule for r in rules]
    rule = rules[0].rule
    assert rule.min_count == 3 and rule.points > 0 and rule.cap is None
    assert rule.describe() == "at least 3 pricing page views"
    assert rule_text(rules[0]) == f"{rule.points:+g}  at least 3 pricing page views"
    shown = suggestion_rows(result)
    assert f"{rule.points:+g}" in shown["points"].tolist()
    assert "at least 3 pricing page views" in shown["rule"].tolist()


def test_taking_the_suggestion_puts_count_rules_in_the_draft():
    result = suggest(leads_viewing_pricing(), definition(), outcome="won")
    rule = count_rules(result)[0].rule
    per_view = definition(engagement_rules=[{**engagement(VIEWS, 5), "id": "pricing"}])
    whole = with_suggestion(per_view, result.definition)
    assert rule in whole.engagement_rules
    # Taken alone, a count rule sits beside the per-view rule: they count different things.
    merged = merge_rules(per_view, [rule])
    assert [r.min_count for r in merged.engagement_rules] == [None, 3]
    assert (
        merge_rules(merged, [rule.model_copy(update={"points": 9})]).engagement_rules[1].points == 9
    )
