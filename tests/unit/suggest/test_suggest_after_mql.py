"""The leakage guard by dates: inputs first seen after the lead's MQL moment are left out."""

import numpy as np
import pandas as pd

from domain.suggest import find_leaks, suggest
from tests.builders import definition, engagement, make_activities, make_facts, model_of

N = 1_200
DAY = pd.Timedelta(days=1)
# Every lead becomes MQL on its first page view, two days after creation.
BASE = definition(engagement_rules=[engagement("page_view", 10)])


def handed_off_leads(*, activities: bool = True, dates: bool = True):
    """Leads won more often after a webinar (before their MQL moment); a demo is held and a
    close date set after it, for won and lost leads alike (noisy, so no other guard fires)."""
    rng = np.random.default_rng(3)
    created = pd.Timestamp("2023-01-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 300, N), unit="D"
    )
    webinar = rng.random(N) < 0.4
    won = rng.random(N) < np.where(webinar, 0.5, 0.1)
    leads = pd.DataFrame(
        {"lead_id": np.arange(1, N + 1), "external_id": [f"L{i}" for i in range(N)],
         "created_at": created, "segment": rng.choice(["a", "b"], N)}
    )  # fmt: skip
    events = []
    if activities:
        for i in range(N):
            events.append((i + 1, "page_view", str(created[i] + 2 * DAY)))
            if webinar[i]:
                events.append((i + 1, "webinar", str(created[i] + 0.5 * DAY)))
            if rng.random() < (0.5 if won[i] else 0.3):
                events.append((i + 1, "demo_held", str(created[i] + 5 * DAY)))
    if dates:
        closing = rng.random(N) < 0.5
        leads["customer_since"] = np.where(closing, (created + 20 * DAY).strftime("%Y-%m-%d"), None)
        leads["first_seen_date"] = (created - 30 * DAY).strftime("%Y-%m-%d")
    facts = make_facts(
        *({"lead_id": int(i) + 1, "won_at": created[i] + 10 * DAY} for i in np.flatnonzero(won))
    )
    return model_of(leads, make_activities(*events), facts=facts)


def reasons(leaks):
    return {leak.column: leak.reason for leak in leaks}


def test_an_activity_and_a_date_first_seen_after_the_mql_moment_are_left_out_with_why():
    model = handed_off_leads()
    result = suggest(model, BASE, outcome="won")
    assert {"demo_held", "customer_since"} <= set(result.excluded)
    for name in ("demo_held", "customer_since"):
        warning = next(w for w in result.warnings if w.startswith(f"{name} is left out"))
        assert "first seen after the MQL moment for 100.0% of the" in warning
    assert not {"webinar", "first_seen_date", "page_view"} & set(result.excluded)
    assert any(getattr(r.rule, "activity_type", None) == "webinar" for r in result.rules)


def test_inputs_after_the_mql_moment_can_be_included_knowingly():
    model = handed_off_leads()
    result = suggest(model, BASE, outcome="won", include=("demo_held", "customer_since"))
    assert not {"demo_held", "customer_since"} & set(result.excluded)
    assert {"demo_held", "customer_since"} <= {leak.column for leak in result.leaks}
    unguarded = suggest(model, BASE, outcome="won", default_exclusions=False)
    assert not unguarded.excluded


def test_files_without_dates_or_activities_are_unaffected():
    model = handed_off_leads(activities=False, dates=False)
    assert find_leaks(model, "won", base=BASE) == find_leaks(model, "won")
    assert not any("MQL moment" in reason for reason in reasons(find_leaks(model, "won")).values())
