"""The Calibration page through AppTest: figures for both definitions, suggested weights
and threshold taken into the stored draft, and the messages when nothing can be measured."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from components.calibration.calibration_charts import band_rows, build_band_spec
from components.calibration.suggestion_draft import merge_rules
from components.calibration.threshold_charts import threshold_from_selection
from db import repository as repo
from db.engine import get_engine
from db.follow_up.actions_repo import apply_action
from domain.definitions.definition import Definition, EngagementRule, FitRule
from domain.definitions.diff import diff_definitions
from domain.follow_up.actions import Disqualify, LogTouch, Reassign
from tests import small_funnel

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGE = "pages/calibration.py"


@pytest.fixture
def engine(url: str) -> Engine:
    """A private copy of the small seeded database: tests write the draft."""
    return get_engine(url)


@pytest.fixture
def app(engine: Engine) -> AppTest:
    return open_page(PAGE)


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def figure(at: AppTest, key: str) -> str:
    return str(at.get_by_key(key).metric[0].value)


def suggest(at: AppTest) -> AppTest:
    at.button(key="calib_suggest_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def suggested_rules(at: AppTest) -> pd.DataFrame:
    return at.get_by_key("calib_suggest_rules").value


def stored_draft(engine: Engine) -> repo.DraftState:
    draft = repo.get_draft(engine)
    assert draft is not None
    return draft


def test_the_page_judges_the_published_and_the_draft_definition(app: AppTest) -> None:
    for side in ("published", "draft"):
        auc = float(figure(app, f"calib_auc_{side}"))
        assert 0.5 < auc <= 1.0  # the demo data's default definition does predict
        assert figure(app, f"calib_lift_{side}").endswith("×")
    assert any(m.label == "ROC AUC" and "leads" in str(m.delta) for m in app.metric)
    assert app.get_by_key("calib_bands") is not None


def test_changing_the_outcome_changes_the_figures(app: AppTest) -> None:
    before = (figure(app, "calib_auc_draft"), figure(app, "calib_lift_draft"))
    app.segmented_control(key="calib_outcome").set_value("won").run()
    assert not app.exception
    after = (figure(app, "calib_auc_draft"), figure(app, "calib_lift_draft"))
    assert after != before
    assert "reached Won" in str(app.get_by_key("calib_auc_draft").metric[0].delta)


def test_a_suggestion_shows_both_aucs_and_beats_the_current_definition_held_out(
    app: AppTest,
) -> None:
    suggest(app)
    aucs = {
        name: float(figure(app, f"calib_suggest_auc_{name}"))
        for name in ("holdout_suggested", "holdout_current", "train_suggested", "train_current")
    }
    assert all(0.5 < auc <= 1.0 for auc in aucs.values()), aucs
    assert aucs["holdout_suggested"] > aucs["holdout_current"], aucs
    assert any("Trained on" in c.value and "held out" in c.value for c in app.caption)


def test_taking_one_suggested_rule_stores_it_in_the_draft(app: AppTest, engine: Engine) -> None:
    suggest(app)
    first_rule = suggested_rules(app)["rule"].iloc[0]
    app.session_state["calib_suggest_rules"] = {
        "edited_rows": {0: {"take": True}}, "added_rows": [], "deleted_rows": [],
    }  # fmt: skip
    app.button(key="calib_suggest_take_selected").click().run()
    assert not app.exception, [e.value for e in app.exception]
    draft = stored_draft(engine).definition
    shown = [r.describe() for r in draft.fit_rules] + [
        f"each {r.describe()}" for r in draft.engagement_rules
    ]
    assert first_rule in shown
    assert any("sign-off" in s.value for s in app.success)
    # The workspace then shows the taken rule, and does not save its old tables back.
    revision = stored_draft(engine).revision
    app.switch_page("pages/definitions.py").run()
    assert not app.exception
    assert stored_draft(engine).revision == revision
    rows = app.session_state["defs_fit_rows"] + app.session_state["defs_engagement_rows"]
    assert {str(row["id"]) for row in rows} == {
        r.id for r in (*draft.fit_rules, *draft.engagement_rules)
    }


def test_taking_the_whole_suggestion_replaces_the_draft_rules(app: AppTest, engine: Engine) -> None:
    before = stored_draft(engine).definition
    suggest(app)
    rules = len(suggested_rules(app))
    app.button(key="calib_suggest_take_all").click().run()
    assert not app.exception
    draft = stored_draft(engine).definition
    assert len(draft.fit_rules) + len(draft.engagement_rules) == rules
    # The diff lists real changes only: a re-weighted rule is one "changed" line.
    changes = [c for c in diff_definitions(before, draft) if c.area.endswith("rule")]
    removed = {c.subject for c in changes if c.kind == "removed"}
    added = {c.subject for c in changes if c.kind == "added"}
    assert not removed & added
    assert any(c.kind == "changed" for c in changes)
    assert all(c.details for c in changes if c.kind == "changed")


def test_using_the_chosen_threshold_sets_the_drafts_mql_threshold(
    app: AppTest, engine: Engine
) -> None:
    app.button(key="calib_threshold_pick_best").click().run()
    best = float(figure(app, "calib_threshold_best"))
    assert float(app.get_by_key("calib_threshold_chosen_value").markdown[0].value) == best
    app.button(key="calib_threshold_use").click().run()
    assert not app.exception
    assert stored_draft(engine).definition.mql_threshold == best


def test_a_save_over_someone_elses_newer_draft_asks_instead_of_overwriting(
    app: AppTest, engine: Engine
) -> None:
    app.button(key="calib_threshold_pick_fills").click().run()
    theirs = stored_draft(engine)  # saved by someone else after this page was drawn
    repo.save_draft(
        engine, definition=theirs.definition.replace(sla_hours=12.0),
        expected_revision=theirs.revision, author="Someone else",
    )  # fmt: skip
    app.button(key="calib_threshold_use").click().run()
    assert not app.exception
    stored = stored_draft(engine).definition
    assert (stored.sla_hours, stored.mql_threshold) == (12.0, theirs.definition.mql_threshold)
    assert app.get_by_key("defs_conflict") is not None  # reload theirs or overwrite with mine
    assert any("meanwhile" in w.value for w in app.warning)


def test_the_definitions_page_shows_the_compact_calibration(engine: Engine) -> None:
    at = open_page("pages/definitions.py")
    assert 0.5 < float(figure(at, "defs_calib_auc_draft")) <= 1.0
    assert any(link.proto.page.endswith("calibration") for link in at.get("page_link"))


def test_no_lead_old_enough_shows_why_and_what_to_do(app: AppTest) -> None:
    app.number_input(key="calib_min_age_sql").set_value(730).run()
    assert not app.exception
    assert figure(app, "calib_auc_draft") == "—"
    messages = " ".join(i.value for i in app.info)
    assert "730 days old" in messages and "Lower the minimum age" in messages


def test_too_few_leads_for_a_suggestion_shows_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'small.db'}"
    small_funnel.seed(get_engine(url))
    monkeypatch.setenv("DATABASE_URL", url)
    at = suggest(open_page(PAGE))
    assert any("No suggestion" in i.value and "too few leads" in i.value for i in at.info)


# The pure helpers behind the page (no app run).


def test_a_taken_rule_replaces_the_drafts_rule_on_the_same_condition() -> None:
    draft = Definition(
        fit_rules=(FitRule(id="f1", attribute="industry", operator="equals", value="SaaS",
                           points=10),),
        engagement_rules=(EngagementRule(id="e1", activity_type="email_open", points=1),),
    )  # fmt: skip
    same = FitRule(id="s-x", attribute="Industry", operator="equals", value="saas", points=25)
    new = EngagementRule(id="e1", activity_type="demo_request", points=5, cap=10)
    merged = merge_rules(draft, [same, new])
    assert [(r.id, r.points) for r in merged.fit_rules] == [("f1", 25)]
    assert [r.id for r in merged.engagement_rules] == ["e1", "e1_2"]
    assert draft.fit_rules[0].points == 10  # the input is untouched


def test_a_click_on_the_curve_gives_the_points_threshold() -> None:
    # Streamlit reports a Vega-Lite point selection as the clicked points' fields.
    assert threshold_from_selection([{"threshold": 45.0}, {"threshold": 50.0}]) == 45.0
    assert threshold_from_selection([{"threshold": None}, {"threshold": 40}]) == 40.0
    assert threshold_from_selection([]) is None


def test_small_score_bands_are_flagged_with_their_counts() -> None:
    bands = pd.DataFrame(
        {"band": ["0–20", "20–40"], "leads": [400, 12], "converted": [8, 6], "rate": [0.02, 0.5]}
    )
    rows = band_rows({"Draft": bands})
    assert list(rows["label"]) == ["2.0% · 8/400", "50.0% · 6/12 ⚠"]
    assert list(rows["small"]) == [False, True]
    spec = build_band_spec({"Draft": bands}, "sql")
    assert spec["datasets"]["bands"]["label"].tolist() == list(rows["label"])
    bars = spec["layer"][0]["encoding"]
    assert bars["opacity"]["condition"] == {"test": "datum.small", "value": 0.45}


def test_leakage_suspects_are_named_with_why_and_can_be_used_knowingly(app: AppTest) -> None:
    warning = next(w.value for w in app.warning if "owner" in w.value)
    assert warning.startswith("Left out") and "Why" in warning and "after sales" in warning
    picker = app.multiselect(key="calib_suggest_exclude_sql")
    assert "owner" in picker.value
    picker.unselect("owner").run()
    assert not app.exception
    assert any(w.value.startswith("Used knowingly") and "owner" in w.value for w in app.warning)
    suggest(app)
    assert "MQL, against" in " ".join(m.value for m in app.markdown)


def leak_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "Why:" in w.value]


def test_after_follow_up_actions_the_suspects_are_those_of_the_current_data(
    app: AppTest, engine: Engine
) -> None:
    first, second, third = pd.read_sql("SELECT id FROM lead ORDER BY id LIMIT 3", engine)["id"]
    for lead_id, action in (
        (first, LogTouch(channel="call", outcome="no_answer")),
        (second, Reassign(owner="Someone New")),
        (third, Disqualify(reason="student")),
    ):
        apply_action(engine, lead_id=int(lead_id), action=action, actor="Test Runner")
        app.run()
        assert not app.exception, [e.value for e in app.exception]
    assert leak_warnings(app)  # the owner, by its name
    st.cache_resource.clear()  # nothing kept: the guard runs afresh on the same data
    assert leak_warnings(app) == leak_warnings(open_page(PAGE))
