"""The definitions workspace, run headless through AppTest on a small seeded SQLite copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from db import engine as engine_module
from db import repository as repo
from db.engine import get_engine
from tests.app.seeded_db import seeded_copy
from tests.plain_text import plain

# Absolute: AppTest resolves a relative path against this test file, not the repo root.
APP = Path(__file__).resolve().parents[2] / "app.py"
PAGE = "pages/definitions.py"


@pytest.fixture
def engine(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Engine:
    """A private copy of the seeded database per test: tests publish and edit drafts."""
    url = seeded_copy(tmp_path_factory.getbasetemp(), tmp_path / "baton.db")
    monkeypatch.setenv("DATABASE_URL", url)
    return get_engine(url)


@pytest.fixture
def app(engine: Engine) -> AppTest:
    return open_workspace()


def open_workspace() -> AppTest:
    # Straight to the page: the first run already goes through app.py's navigation.
    at = AppTest.from_file(APP, default_timeout=60).switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def set_threshold(at: AppTest, value: int) -> None:
    """Move the slider: only the live fragment reruns (as in a browser), so AppTest's
    element tree then holds only that fragment; a plain run redraws the whole page."""
    at.slider(key="mql_threshold").set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    at.run()


def mql_count(at: AppTest) -> int:
    return int(at.get_by_key("draft_mql_count").markdown[0].value.replace(",", ""))


def draft(engine: Engine) -> repo.DraftState:
    state = repo.get_draft(engine)
    assert state is not None
    return state


def be(at: AppTest, name: str, team: str) -> None:
    at.text_input(key="identity_name").input(name)
    at.radio(key="identity_team").set_value(team)
    at.run()


def sign_as(at: AppTest, name: str, team: str) -> None:
    be(at, name, team)
    at.button(key="defs_sign").click().run()
    assert not at.exception, [e.value for e in at.exception]


def texts(elements: object) -> str:
    return " ".join(plain(str(e.value)) for e in elements)  # type: ignore[attr-defined]


def test_opening_the_page_creates_the_draft_from_the_published_definition(
    app: AppTest, engine: Engine
) -> None:
    published = repo.get_published(engine)
    assert published is not None and draft(engine).definition == published[1]
    assert draft(engine).revision == 1
    assert app.slider(key="mql_threshold").value == 60
    assert "A lead becomes an MQL when its score reaches 60" in texts(app.markdown)
    app.run()
    assert draft(engine).revision == 1  # looking is not editing


def test_moving_the_threshold_slider_changes_the_mql_count_and_saves_the_draft(
    app: AppTest, engine: Engine
) -> None:
    before = mql_count(app)
    app.slider(key="mql_threshold").set_value(75).run()
    assert not app.exception
    assert mql_count(app) < before
    assert draft(engine).definition.mql_threshold == 75
    assert "when its score reaches 75" in texts(app.markdown)


def test_editing_a_rule_table_rescores_the_leads(app: AppTest, engine: Engine) -> None:
    before = mql_count(app)
    rows = app.session_state["defs_engagement_rows"]
    pricing = next(i for i, r in enumerate(rows) if r["id"] == "pricing")
    app.session_state["defs_engagement_rules"] = {
        "edited_rows": {pricing: {"points": 40, "cap": 80}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert not app.exception
    assert mql_count(app) > before
    rule = next(r for r in draft(engine).definition.engagement_rules if r.id == "pricing")
    assert (rule.points, rule.cap) == (40, 80)


def test_a_bad_rule_shows_its_reason_and_the_draft_keeps_the_last_valid_state(
    app: AppTest, engine: Engine
) -> None:
    before, saved = mql_count(app), draft(engine)
    app.session_state["defs_engagement_rules"] = {
        "edited_rows": {0: {"cap": -3}},
        "added_rows": [{"activity_type": "carrier_pigeon", "points": 5}],
        "deleted_rows": [],
    }
    app.run()
    assert not app.exception
    warning = texts(app.warning)
    assert "Row 1 (open): cap must be 0 or more" in warning
    assert "no activity of type 'carrier_pigeon'" in warning
    assert draft(engine).definition == saved.definition
    assert mql_count(app) == before
    assert app.get("plotly_chart")  # the charts keep working


def test_publishing_without_both_sign_offs_is_refused(app: AppTest, engine: Engine) -> None:
    set_threshold(app, 70)
    sign_as(app, "Maria", "marketing")
    app.text_area(key="defs_publish_note").input("Tighter: sales is saturated").run()
    app.button(key="publish").click().run()
    assert "Needs the sign-off of someone from sales" in texts(app.error)
    assert len(repo.list_versions(engine)) == 1


def test_a_second_publisher_of_the_same_signed_draft_is_told_who_published_it(
    app: AppTest, engine: Engine
) -> None:
    set_threshold(app, 70)
    sign_as(app, "Maria", "marketing")
    sign_as(app, "Sam", "sales")
    other = open_workspace()
    be(other, "Sam", "sales")
    for session in (app, other):
        session.text_area(key="defs_publish_note").input("Tighter: sales is saturated").run()
    app.button(key="publish").click().run()
    assert "Published v2" in texts(app.success)
    other.button(key="publish").click().run()
    assert not other.exception
    assert "already published as v2 by Sam" in texts(other.error)
    assert repo.list_versions(engine)["version"].tolist() == [2, 1]
    set_threshold(app, 72)  # the publisher edits on, with no conflict
    assert "while you were editing" not in texts(app.warning)
    assert draft(engine).definition.mql_threshold == 72


def test_publishing_creates_a_version_and_the_home_page_follows_it(
    app: AppTest, engine: Engine
) -> None:
    set_threshold(app, 70)
    draft_mqls = mql_count(app)
    sign_as(app, "Maria", "marketing")
    sign_as(app, "Sam", "sales")
    app.text_area(key="defs_publish_note").input("Tighter: sales is saturated").run()
    app.button(key="publish").click().run()
    assert not app.exception
    assert "Published v2" in texts(app.success)
    versions = repo.list_versions(engine)
    assert versions["version"].tolist() == [2, 1]
    assert [s["team"] for s in versions["signoffs"].iloc[0]] == ["marketing", "sales"]
    assert repo.get_version(engine, 2).mql_threshold == 70
    app.switch_page("pages/home.py").run()
    assert any("definition **v2**" in m.value for m in app.markdown)
    assert int(app.get_by_key("kpi_mqls").metric[0].value.replace(",", "")) == draft_mqls


def test_a_change_after_the_sign_offs_invalidates_them(app: AppTest, engine: Engine) -> None:
    set_threshold(app, 70)
    sign_as(app, "Maria", "marketing")
    sign_as(app, "Sam", "sales")
    assert len(draft(engine).signoffs) == 2
    set_threshold(app, 71)
    assert draft(engine).signoffs == ()
    app.text_area(key="defs_publish_note").input("Changed after signing").run()
    app.button(key="publish").click().run()
    assert "Needs the sign-off of someone from marketing and sales" in texts(app.error)
    assert len(repo.list_versions(engine)) == 1


def test_restore_as_draft_brings_an_old_version_back(engine: Engine) -> None:
    v1 = repo.get_version(engine, 1)
    repo.publish(engine, definition=v1.replace(mql_threshold=80), author="Sam", note="strict")
    at = open_workspace()
    assert at.slider(key="mql_threshold").value == 80
    set_threshold(at, 85)  # the shared draft someone is working on
    at.selectbox(key="defs_restore_version").set_value(1).run()
    at.button(key="defs_restore").click().run()
    assert not at.exception
    assert draft(engine).definition.mql_threshold == 85  # nothing replaced yet: it asks
    assert "replaces the shared draft" in texts(at.warning)
    assert "MQL threshold: 85 → 60 (looser)" in texts(at.markdown)
    at.button(key="defs_restore_yes").click().run()
    assert not at.exception
    assert at.slider(key="mql_threshold").value == 60
    assert draft(engine).definition == v1
    audit = repo.list_audit(engine, entity="definition")
    assert "restore_draft" in audit["action"].tolist()
    at.button(key="defs_bring_back").click().run()
    assert not at.exception
    assert draft(engine).definition.mql_threshold == 85
    assert at.slider(key="mql_threshold").value == 85


def test_cancelling_a_restore_leaves_the_draft_alone(engine: Engine) -> None:
    at = open_workspace()
    set_threshold(at, 70)
    at.selectbox(key="defs_restore_version").set_value(1).run()
    at.button(key="defs_restore").click().run()
    at.button(key="defs_restore_no").click().run()
    assert not at.exception
    assert draft(engine).definition.mql_threshold == 70
    assert "replaces the shared draft" not in texts(at.warning)


def test_a_stale_save_shows_what_changed_and_overwrite_keeps_mine(
    app: AppTest, engine: Engine
) -> None:
    theirs = draft(engine).definition.replace(mql_threshold=50, sla_hours=48)
    repo.save_draft(engine, definition=theirs, expected_revision=1, author="Sam")
    app.slider(key="mql_threshold").set_value(75).run()
    assert not app.exception
    conflict = app.get_by_key("defs_conflict")
    assert "Sam" in texts(conflict.warning)
    assert "MQL threshold: 60 → 50 (looser)" in texts(conflict.markdown)
    assert "mql threshold: yours 75.0, theirs 50.0" in texts(conflict.markdown)
    assert app.slider(key="mql_threshold").value == 75  # nothing typed is lost
    assert draft(engine).definition.mql_threshold == 50  # and nothing overwritten
    app.button(key="defs_overwrite_mine").click().run()
    assert draft(engine).definition.mql_threshold == 75
    assert draft(engine).definition.sla_hours == 48  # their unrelated change survives
    app.slider(key="mql_threshold").set_value(76).run()  # edits save normally again
    assert draft(engine).definition.mql_threshold == 76


def test_edits_to_different_settings_merge_with_a_note(app: AppTest, engine: Engine) -> None:
    theirs = draft(engine).definition.replace(sla_hours=48)
    repo.save_draft(engine, definition=theirs, expected_revision=1, author="Sam")
    app.slider(key="mql_threshold").set_value(75).run()
    assert not app.exception
    assert any("both changes are kept" in plain(str(t.value)) for t in app.toast)
    app.run()
    with pytest.raises(KeyError):
        app.get_by_key("defs_conflict")
    stored = draft(engine).definition
    assert (stored.mql_threshold, stored.sla_hours) == (75, 48)
    assert app.slider(key="defs_sla_hours").value == 48
    set_threshold(app, 76)  # and edits save normally again
    assert draft(engine).definition.mql_threshold == 76


def test_a_stale_save_can_reload_theirs(app: AppTest, engine: Engine) -> None:
    theirs = draft(engine).definition.replace(mql_threshold=50)
    repo.save_draft(engine, definition=theirs, expected_revision=1, author="Sam")
    app.slider(key="mql_threshold").set_value(75).run()
    app.button(key="defs_reload_theirs").click().run()
    assert not app.exception
    assert app.slider(key="mql_threshold").value == 50
    with pytest.raises(KeyError):
        app.get_by_key("defs_conflict")
    assert draft(engine).definition.mql_threshold == 50


def test_a_second_browser_sees_the_saved_draft(app: AppTest, engine: Engine) -> None:
    other = open_workspace()
    app.slider(key="mql_threshold").set_value(72).run()
    assert open_workspace().slider(key="mql_threshold").value == 72
    other.run()  # nothing typed there: it follows the stored draft
    assert other.slider(key="mql_threshold").value == 72
    assert mql_count(other) == mql_count(app)


def test_an_agreed_stage_note_is_saved_with_the_draft(app: AppTest, engine: Engine) -> None:
    app.text_area(key="defs_note_MQL").input("Ready for a first sales call").run()
    assert not app.exception
    assert draft(engine).definition.stage_notes == {"MQL": "Ready for a first sales call"}
    assert "Stage note added: MQL" in texts(app.markdown)


def test_a_new_hand_raiser_reads_in_the_mql_sentence(app: AppTest, engine: Engine) -> None:
    app.multiselect(key="defs_hand_raisers").set_value(["demo_request"]).run()
    assert not app.exception
    assert draft(engine).definition.hand_raisers == ("demo_request",)
    assert "when its score reaches 60, or when it requests a demo." in texts(app.markdown)


def test_history_diffs_two_versions_with_their_funnels(engine: Engine) -> None:
    v1 = repo.get_version(engine, 1)
    repo.publish(engine, definition=v1.replace(mql_threshold=70), author="Sam", note="strict")
    at = open_workspace()
    assert "MQL threshold: 60 → 70 (stricter)" in texts(at.markdown)
    assert at.get_by_key("defs_funnel_0") and at.get_by_key("defs_funnel_1")
    versions = next(d.value for d in at.dataframe if "Version" in d.value.columns)
    assert versions["Version"].tolist() == ["v2", "v1"]
    assert versions["Note"].tolist() == ["strict", "Default definition shipped with Baton"]


def test_the_sales_capacity_set_in_the_meeting_is_what_every_page_and_person_sees(
    app: AppTest, engine: Engine
) -> None:
    for key, value in (("defs_capacity_reps", 7), ("defs_capacity_per_rep", 9)):
        app.number_input(key=key).set_value(value).run()
        assert not app.exception, [e.value for e in app.exception]
        app.run()  # the input reruns only the live part: draw the whole page again
    assert repo.get_sales_capacity(engine) == (7, 9)
    other = open_workspace()  # another participant
    assert other.number_input(key="defs_capacity_reps").value == 7
    assert other.number_input(key="defs_capacity_per_rep").value == 9
    calibration = AppTest.from_file(APP, default_timeout=120).switch_page("pages/calibration.py")
    calibration.run()
    assert not calibration.exception, [e.value for e in calibration.exception]
    assert "63/week" in texts(calibration.metric) or any(
        "63/week" in m.label for m in calibration.metric
    )


def test_publishing_while_an_import_holds_the_database_says_so_in_a_sentence(
    app: AppTest, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_threshold(app, 70)
    sign_as(app, "Maria", "marketing")
    sign_as(app, "Sam", "sales")
    app.text_area(key="defs_publish_note").input("Tighter: sales is saturated").run()
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 50)
    engine.dispose()  # new connections get the short busy timeout
    holder = sqlite3.connect(str(engine.url.database), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # what an import's write phase does
    try:
        app.button(key="publish").click().run()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not app.exception, [e.value for e in app.exception]
    assert "Not published: the database is busy" in texts(app.error)
    assert "try again" in texts(app.error)
    assert len(repo.list_versions(engine)) == 1
