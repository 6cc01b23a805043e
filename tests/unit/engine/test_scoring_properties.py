"""Properties of the engine that must hold for any data and any definition."""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.engine.aggregate import aggregate_activities
from domain.engine.explain import breakdown
from domain.engine.scoring import ScoringModel
from tests.builders import AS_OF, definition, make_facts, make_leads, make_touches

TYPES = ["email_open", "pricing_page_view", "webinar_attended", "unsubscribe"]
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

events_strategy = st.lists(
    st.tuples(
        st.integers(1, 4),
        st.sampled_from(TYPES),
        st.integers(0, 59 * 24),  # hours since 2024-01-01; AS_OF is 2024-03-01
    ),
    max_size=40,
)
rule_strategy = st.fixed_dictionaries(
    {
        "points": st.integers(-20, 30),
        "cap": st.one_of(st.none(), st.integers(0, 60)),
        "window_days": st.one_of(st.none(), st.integers(1, 60)),
    }
)
definition_strategy = st.builds(
    lambda rules, half_life, threshold: definition(
        engagement_rules=[
            {"id": t, "activity_type": t, **r} for t, r in zip(TYPES, rules, strict=True)
        ],
        decay_half_life_days=half_life,
        mql_threshold=threshold,
    ),
    st.lists(rule_strategy, min_size=4, max_size=4),
    st.one_of(st.none(), st.floats(1, 90)),
    st.integers(-10, 80),
)
LEADS = make_leads({}, {}, {}, {})


def raw(events):
    return pd.DataFrame(
        {
            "lead_id": [e[0] for e in events],
            "activity_type": [e[1] for e in events],
            "occurred_at": pd.to_datetime(
                [pd.Timestamp("2024-01-01") + pd.Timedelta(hours=e[2]) for e in events], utc=True
            ),
            "content_stage": [None] * len(events),
        }
    )


def model(events, leads=LEADS):
    return ScoringModel(
        leads, aggregate_activities(raw(events)), make_touches(), make_facts(), as_of=AS_OF
    )


@SETTINGS
@given(events_strategy, definition_strategy, st.integers(1, 4), st.integers(0, 59 * 24))
def test_adding_a_positive_point_activity_never_lowers_a_score(events, d, lead, hour):
    positive = [r for r in d.engagement_rules if r.points > 0]
    if not positive:
        return
    before = model(events).score(d).total
    after = model([*events, (lead, positive[0].activity_type, hour)]).score(d).total
    assert np.all(after >= before - 1e-9)


@SETTINGS
@given(events_strategy, definition_strategy, st.randoms())
def test_row_order_does_not_change_results(events, d, random):
    shuffled = list(events)
    random.shuffle(shuffled)
    leads = LEADS.sample(frac=1, random_state=random.randint(0, 1000))
    first = model(events).score(d).frame.sort_index()
    second = model(shuffled, leads).score(d).frame.sort_index()
    pd.testing.assert_frame_equal(first, second)


@SETTINGS
@given(events_strategy, definition_strategy)
def test_scoring_does_not_mutate_its_inputs(events, d):
    leads, counts = LEADS.copy(), aggregate_activities(raw(events))
    touches, facts = make_touches((1, "2024-02-01", "call", "connected")), make_facts()
    copies = [frame.copy() for frame in (leads, counts, touches, facts)]
    ScoringModel(leads, counts, touches, facts, as_of=AS_OF).score(d)
    for original, copy in zip((leads, counts, touches, facts), copies, strict=True):
        pd.testing.assert_frame_equal(original, copy)


@SETTINGS
@given(events_strategy, definition_strategy)
def test_funnel_counts_never_increase_down_the_stages(events, d):
    counts = list(model(events).score(d).stage_counts().values())
    assert counts == sorted(counts, reverse=True)


@SETTINGS
@given(events_strategy, st.lists(definition_strategy, min_size=2, max_size=6))
def test_a_reused_model_gives_the_same_result_as_a_fresh_one(events, definitions):
    shared = model(events)
    for d in definitions:
        reused = shared.score(d).frame
        fresh = model(events).score(d).frame
        pd.testing.assert_frame_equal(reused, fresh)


@SETTINGS
@given(events_strategy, definition_strategy)
def test_the_breakdown_adds_up_to_the_total(events, d):
    m = model(events)
    parts = breakdown(m, d).groupby("lead_id")["points"].sum()
    totals = pd.Series(m.score(d).total, index=m.lead_ids)
    assert np.allclose(parts.reindex(m.lead_ids, fill_value=0.0), totals, atol=1e-9)


@SETTINGS
@given(events_strategy, definition_strategy)
def test_current_scores_match_a_per_event_calculation(events, d):
    assert np.allclose(model(events).score(d).engagement, plain_engagement(events, d), atol=1e-9)


def plain_engagement(events, d) -> np.ndarray:
    """Per lead, every rule computed directly from the events: the engine's oracle."""
    as_of = pd.Timestamp(AS_OF, tz="UTC")
    frame = raw(events)
    # The engine dates a day's occurrences by that day's latest one; so does this oracle.
    day = frame["occurred_at"].dt.floor("D")
    frame["dated"] = frame.groupby(["lead_id", "activity_type", day])["occurred_at"].transform(
        "max"
    )
    expected = np.zeros(4)
    for rule in d.engagement_rules:
        for lead in range(1, 5):
            mine = frame[
                (frame["lead_id"] == lead) & (frame["activity_type"] == rule.activity_type)
            ]
            if rule.window_days is not None:
                cutoff = as_of.floor("D") - pd.Timedelta(days=rule.window_days)
                mine = mine[mine["occurred_at"].dt.floor("D") > cutoff]
            if rule.min_count is not None:  # a count rule: its points once, never decayed
                expected[lead - 1] += rule.points if len(mine) >= rule.min_count else 0.0
                continue
            age = (as_of - mine["dated"]).dt.total_seconds() / 86_400
            h = d.decay_half_life_days
            count = float(np.sum(0.5 ** (age / h))) if h else float(len(mine))
            points = rule.points * count
            if rule.cap is not None:
                points = max(-rule.cap, min(rule.cap, points))
            expected[lead - 1] += points
    return expected
