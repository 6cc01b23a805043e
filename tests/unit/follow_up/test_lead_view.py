"""One lead in detail: the score explained, the draft compared, stage dates, timeline."""

import pandas as pd

from domain.engine.explain import breakdown
from domain.follow_up.lead_view import (
    compare_explanations,
    explain,
    explain_text,
    points_text,
    stage_dates,
    timeline,
)
from tests.builders import definition, engagement, fit, make_activities, make_leads, model_of


def scored_lead():
    leads = make_leads({"industry": "SaaS"})
    activities = make_activities(
        *[(1, "pricing_page_view", f"2024-02-2{d}") for d in range(3)],
        (1, "email_open", "2023-12-01"),
    )
    d = definition(
        fit_rules=[{**fit("industry", "equals", "SaaS", 15), "label": "industry is SaaS"}],
        engagement_rules=[
            {**engagement("pricing_page_view", 20, cap=30), "label": "pricing page"},
            engagement("email_open", 8),
        ],
        decay_half_life_days=30,
    )
    model = model_of(leads, activities)
    return model, d


def test_the_lines_add_up_to_the_score():
    model, d = scored_lead()
    lines = explain(breakdown(model, d, [1]), d)
    score = float(model.score(d).frame.loc[1, "score"])
    assert abs(lines["points"].sum() - score) < 1e-6


def test_rules_read_with_count_cap_and_a_decay_line_last():
    model, d = scored_lead()
    lines = explain(breakdown(model, d, [1]), d)
    assert lines["line"].iloc[0] == "+30 pricing page x3 (cap 30)"
    assert "+15 industry is SaaS" in lines["line"].tolist()
    assert "+8 email open x1" in lines["line"].tolist()
    assert lines["kind"].iloc[-1] == "decay"
    assert lines["line"].iloc[-1].endswith("decay (half-life 30 days)")
    assert explain_text(lines).startswith("+30 pricing page x3 (cap 30), +15 industry is SaaS")


def test_the_draft_comparison_shows_each_rules_change():
    model, d = scored_lead()
    draft = d.replace(
        fit_rules=[{**fit("industry", "equals", "SaaS", 25), "label": "industry is SaaS"}]
    )
    diff = compare_explanations(
        explain(breakdown(model, d, [1]), d), explain(breakdown(model, draft, [1]), draft)
    )
    row = diff.set_index("rule").loc["industry is SaaS"]
    assert (row["published"], row["draft"], row["change"]) == (15.0, 25.0, 10.0)
    assert diff["change"].abs().iloc[0] == 10.0


def test_points_read_without_needless_decimals():
    assert [points_text(p) for p in (15.0, -6.02, 0.44, -28.76)] == ["+15", "-6", "+0.4", "-28.8"]


def test_every_stage_has_its_date_or_nothing():
    row = {"created_at": pd.Timestamp("2024-01-01", tz="UTC"), "mql_at": pd.NaT}
    dates = stage_dates(row).set_index("stage")["reached_at"]
    assert dates["Suspect"] == pd.Timestamp("2024-01-01", tz="UTC")
    assert pd.isna(dates["MQL"]) and pd.isna(dates["Recycled"])


def test_the_timeline_merges_activities_touches_and_actions_newest_first():
    activities = pd.DataFrame(
        {
            "occurred_at": pd.to_datetime(["2024-01-01"], utc=True),
            "activity_type": ["pricing_page_view"],
            "content_stage": [None],
            "asset": ["/pricing"],
        }
    )
    touches = pd.DataFrame(
        {
            "touched_at": pd.to_datetime(["2024-01-03"], utc=True),
            "channel": ["call"],
            "outcome": ["no_answer"],
            "rep": ["Sam"],
        }
    )
    actions = pd.DataFrame(
        {"at": pd.to_datetime(["2024-01-02"], utc=True), "actor": ["Ana"], "summary": ["x"]}
    )
    frame = timeline(activities, touches, actions)
    assert frame["what"].tolist() == ["call · no answer", "x", "pricing page view · /pricing"]
    assert frame["who"].tolist() == ["Sam", "Ana", ""]
