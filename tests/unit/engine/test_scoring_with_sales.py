"""Swapping new sales records into a model scores exactly like a model built from scratch."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from data.demo import generate
from domain.definitions.defaults import default_definition
from domain.definitions.definition import FitRule
from domain.engine.scoring import ScoreResult, ScoringModel
from tests.demo_model import DEMO_AS_OF, demo_frames

EARLIER = datetime(2026, 6, 29, 15, 0, tzinfo=UTC)
LATER = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)


def frames() -> dict[str, pd.DataFrame]:
    return demo_frames(generate(1_200, seed=3, as_of=DEMO_AS_OF))


def assert_same(got: ScoreResult, want: ScoreResult) -> None:
    assert np.array_equal(got.total, want.total)
    assert np.array_equal(got.highest, want.highest)
    assert np.array_equal(got.current, want.current)
    for name, values in want.times.items():
        assert np.array_equal(got.times[name], values), name


def with_new_touches(touches: pd.DataFrame, lead_ids: pd.Series, at: datetime) -> pd.DataFrame:
    new = pd.DataFrame({"lead_id": lead_ids, "touched_at": pd.Timestamp(at), "channel": "call"})
    return pd.concat([touches, new], ignore_index=True)


def test_new_sales_records_score_like_a_model_built_from_them() -> None:
    data = frames()
    base = ScoringModel(**data, as_of=DEMO_AS_OF)
    definition = default_definition()
    before = base.score(definition)  # warms the caches the new model shares
    lead_ids = data["leads"]["lead_id"].head(40)
    touches = with_new_touches(data["touches"], lead_ids, EARLIER)
    facts = data["sales_facts"].copy()
    facts["disqualified_at"] = pd.Timestamp(EARLIER)
    owners = data["leads"].set_index("lead_id")["owner"].copy()
    owners.iloc[:20] = "omar"

    moved = base.with_sales(touches, facts, owners)
    leads = data["leads"].assign(owner=owners.to_numpy())
    fresh = ScoringModel(leads, data["activity_counts"], touches, facts, as_of=DEMO_AS_OF)

    assert_same(moved.score(definition), fresh.score(definition))
    assert moved.leads["owner"].tolist() == fresh.leads["owner"].tolist()
    assert moved.history is base.history  # the activity aggregate was not rebuilt
    assert_same(base.score(definition), before)  # and the base model is untouched
    assert base.leads["owner"].tolist() == data["leads"]["owner"].tolist()


def test_a_touch_logged_after_the_models_moment_counts_in_the_later_model() -> None:
    data = frames()
    base = ScoringModel(**data, as_of=DEMO_AS_OF)
    lead_ids = data["leads"]["lead_id"].head(5)
    touches = with_new_touches(data["touches"], lead_ids, LATER)

    moved = base.with_sales(touches, data["sales_facts"], as_of=LATER)
    result = moved.score(default_definition())

    assert moved.as_of == pd.Timestamp(LATER)
    first_touch = result.times["first_touch_at"][:5]
    assert (first_touch <= pd.Timestamp(LATER).value).all()
    assert (first_touch > 0).all()
    # Activity stays counted up to the base's moment: engagement is the base's.
    assert np.array_equal(result.engagement, base.score(default_definition()).engagement)


def test_decayed_counts_of_rules_no_longer_used_are_dropped_over_the_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import domain.engine.engagement as engagement

    monkeypatch.setattr(engagement, "_CACHE_BYTES", 1)  # nothing beyond the current rules
    model = ScoringModel(**frames(), as_of=DEMO_AS_OF)
    definition = default_definition()
    first = model.score(definition)
    for half_life in (20.0, 40.0, 80.0):
        model.score(definition.replace(decay_half_life_days=half_life))

    again = model.score(definition)

    assert len(model.engagement._counts) == len(definition.engagement_rules)
    assert_same(again, first)  # recomputed where dropped, to the same values


def test_a_reassign_moves_fit_rules_on_the_owner_and_keeps_the_others() -> None:
    data = frames()
    base = ScoringModel(**data, as_of=DEMO_AS_OF)
    on_owner = FitRule(id="mine", attribute="owner", operator="equals", value="omar", points=30)
    definition = default_definition().model_copy(
        update={"fit_rules": (*default_definition().fit_rules, on_owner)}
    )
    base.score(definition)  # fills the fit caches the moved model starts from
    owners = data["leads"].set_index("lead_id")["owner"].copy()
    owners.iloc[:20] = "omar"

    moved = base.with_sales(data["touches"], data["sales_facts"], owners)
    leads = data["leads"].assign(owner=owners.to_numpy())
    fresh = ScoringModel(
        leads, data["activity_counts"], data["touches"], data["sales_facts"], as_of=DEMO_AS_OF
    )

    assert_same(moved.score(definition), fresh.score(definition))
    assert np.array_equal(moved.fit_scores(definition), fresh.fit_scores(definition))
    assert moved.fit_mask(on_owner).sum() >= 20
    kept = definition.fit_rules[0]
    assert moved.fit_mask(kept) is base.fit_mask(kept)  # not computed again
