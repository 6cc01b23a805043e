"""The leakage guard's cache key moves exactly when what the guard reads moves."""

import numpy as np
import pandas as pd

from domain.suggest import find_leaks
from domain.suggest.leak_key import leak_check_key
from tests.builders import (
    definition,
    engagement,
    make_activities,
    make_facts,
    make_touches,
    model_of,
)

N = 400
DAY, HOUR = pd.Timedelta(days=1), pd.Timedelta(hours=1)
AS_OF = pd.Timestamp("2024-03-01", tz="UTC")
BASE = definition(engagement_rules=[engagement("page_view", 10)])


def leads_and_facts() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Leads owned by two reps, a third won, each MQL on a page view two days in, with a
    demo after that for won leads and some others."""
    rng = np.random.default_rng(5)
    created = AS_OF - pd.to_timedelta(rng.integers(60, 360, N), unit="D")
    won = rng.random(N) < 0.3
    demo = won | (rng.random(N) < 0.2)
    leads = pd.DataFrame(
        {"lead_id": np.arange(1, N + 1), "external_id": [f"L{i}" for i in range(N)],
         "created_at": created, "owner": rng.choice(["Ann", "Bo"], N)}
    )  # fmt: skip
    views = [(i + 1, "page_view", str(at + 2 * DAY)) for i, at in enumerate(created)]
    demos = [(int(i) + 1, "demo_held", str(created[i] + 5 * DAY)) for i in np.flatnonzero(demo)]
    facts = make_facts(
        *({"lead_id": int(i) + 1, "won_at": created[i] + 10 * DAY} for i in np.flatnonzero(won))
    )
    return leads, make_activities(*views, *demos), facts


def test_a_touch_logged_later_that_day_keeps_the_key_and_the_suspects():
    leads, activities, facts = leads_and_facts()
    model = model_of(leads, activities, facts=facts, as_of=str(AS_OF))
    touched = model.with_sales(
        make_touches((7, str(AS_OF + HOUR), "call", "no_answer")), facts, as_of=AS_OF + 2 * HOUR
    )
    assert leak_check_key(touched, "won", base=BASE) == leak_check_key(model, "won", base=BASE)
    assert find_leaks(touched, "won", base=BASE) == find_leaks(model, "won", base=BASE)


def test_an_outcome_or_an_owner_moved_changes_the_key():
    leads, activities, facts = leads_and_facts()
    model = model_of(leads, activities, facts=facts, as_of=str(AS_OF))
    before = leak_check_key(model, "won", base=BASE)
    lost = set(range(1, N + 1)) - set(facts["lead_id"])
    newly_won = make_facts({"lead_id": min(lost), "won_at": AS_OF - DAY})
    won = model.with_sales(make_touches(), pd.concat([facts, newly_won], ignore_index=True))
    assert leak_check_key(won, "won", base=BASE) != before
    owners = leads.set_index("lead_id")["owner"].replace({"Ann": "Cy"})
    moved = model.with_sales(make_touches(), facts, owners)
    assert leak_check_key(moved, "won", base=BASE) != before
    assert leak_check_key(model, "sql", base=BASE) != before  # another outcome
