"""The Definitions page's engagement table edits count rules ("At least" column)."""

from __future__ import annotations

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from tests.app.test_definitions_page import (  # noqa: F401 (fixtures)
    app,
    draft,
    engine,
    mql_count,
    texts,
)


def edit_pricing(at: AppTest, changes: dict[str, object]) -> None:
    rows = at.session_state["defs_engagement_rows"]
    pricing = next(i for i, r in enumerate(rows) if r["id"] == "pricing")
    at.session_state["defs_engagement_rules"] = {
        "edited_rows": {pricing: changes},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def pricing_rule(engine: Engine):  # noqa: F811
    return next(r for r in draft(engine).definition.engagement_rules if r.id == "pricing")


def test_an_at_least_value_turns_a_rule_into_a_count_rule_and_rescores(
    app: AppTest,  # noqa: F811
    engine: Engine,  # noqa: F811
) -> None:
    before = mql_count(app)
    edit_pricing(app, {"min_count": 2, "cap": None, "points": 45})
    rule = pricing_rule(engine)
    assert (rule.min_count, rule.cap, rule.points) == (2, None, 45)
    assert rule.describe() == "at least 2 pricing page views"
    assert mql_count(app) != before
    rows = app.session_state["defs_engagement_rows"]
    assert next(r for r in rows if r["id"] == "pricing")["min_count"] == 2


def test_an_at_least_value_beside_a_cap_is_refused_with_its_reason(
    app: AppTest,  # noqa: F811
    engine: Engine,  # noqa: F811
) -> None:
    saved = pricing_rule(engine)
    edit_pricing(app, {"min_count": 3})  # the pricing rule keeps its cap of 30
    assert "leave its cap empty" in texts(app.warning)
    assert pricing_rule(engine) == saved
