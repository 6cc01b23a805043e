"""The follow-up page through AppTest: the queue, its filters, and a bulk action."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from db import repository as repo
from db.engine import get_engine
from domain.follow_up.actions import Reassign
from domain.follow_up.queue import STATUS_LABELS, URGENCY
from tests.app.seeded_db import seeded_copy
from tests.counting import count_calls
from tests.plain_text import plain

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGE = "pages/follow_up.py"
ME = "Sam Rivera"
TESTER = "Quinn Tester"  # no demo touch is by this name
RANK = {STATUS_LABELS[s]: i for i, s in enumerate(URGENCY)}


@pytest.fixture
def url(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> str:
    return seeded_copy(tmp_path_factory.getbasetemp(), tmp_path / "baton.db")


@pytest.fixture
def app(url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rows(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def tile(at: AppTest, key: str) -> int:
    return int(at.get_by_key(key).metric[0].value.replace(",", ""))


def total(at: AppTest) -> int:
    caption = next(
        plain(c.value) for c in at.caption if plain(c.value).startswith(("Rows", "No leads"))
    )
    return (
        0 if caption == "No leads" else int(caption.split(" of ")[1].split(" ")[0].replace(",", ""))
    )


def be(at: AppTest, name: str) -> None:
    """Say who is at the keyboard: the shared sidebar name, else the page's own picker."""
    if any(w.key == "identity_name" for w in at.text_input):
        at.text_input(key="identity_name").input(name).run()
    else:
        at.selectbox(key="acting_user").set_value(name).run()


def select(at: AppTest, *positions: int) -> None:
    at.session_state[at.dataframe[0].key] = {"selection": {"rows": list(positions), "columns": []}}
    at.run()


def submit(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label.startswith(label)).click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_queue_lists_waiting_mqls_most_urgent_first(app: AppTest) -> None:
    shown = rows(app)
    ranks = [RANK[s] for s in shown["status"]]
    assert ranks == sorted(ranks)
    overdue = shown[shown["status"] == "Overdue"]["score"].tolist()
    assert overdue == sorted(overdue, reverse=True)
    assert total(app) == tile(app, "fu_kpi_waiting") > len(shown) > 0
    assert shown["lead"].str.startswith("lead?lead_id=").all()


def test_status_team_stage_and_search_filters_narrow_the_queue(app: AppTest) -> None:
    everyone = total(app)
    app.multiselect(key="fu_queue_status").set_value(["never"]).run()
    assert set(rows(app)["status"]) == {"Never followed up"}
    never = total(app)
    assert 0 < never < everyone
    team = rows(app)["team"].iloc[0]
    app.multiselect(key="fu_queue_teams").set_value([team]).run()
    assert set(rows(app)["team"]) == {team} and total(app) <= never
    app.multiselect(key="fu_queue_stages").set_value(["MQL"]).run()
    assert set(rows(app)["stage"]) == {"MQL"}
    lead = rows(app)["lead"].iloc[0].rsplit("lead_id=", 1)[1]
    app.text_input(key="fu_queue_search").input(lead).run()
    assert rows(app)["lead"].tolist() == [f"lead?lead_id={lead}"]


def test_my_queue_and_the_sidebar_owner_filter_narrow_to_one_owner(app: AppTest) -> None:
    be(app, ME)
    app.toggle(key="fu_queue_mine").set_value(True).run()
    assert set(rows(app)["owner"]) == {ME}
    mine = total(app)
    app.toggle(key="fu_queue_mine").set_value(False).run()
    app.multiselect(key="filter_owner").set_value([ME]).run()
    assert total(app) == mine


def test_pages_split_a_long_queue(app: AppTest) -> None:
    app.selectbox(key="fu_queue_size").set_value(25).run()
    first = rows(app)["lead"].tolist()
    app.number_input(key="fu_queue_page").set_value(2).run()
    second = rows(app)["lead"].tolist()
    assert len(first) == 25 and second and not set(first) & set(second)


def test_a_bulk_touch_logs_each_lead_once_and_they_leave_the_queue(app: AppTest, url: str) -> None:
    be(app, TESTER)
    waiting = tile(app, "fu_kpi_waiting")
    picked = [lead.rsplit("lead_id=", 1)[1] for lead in rows(app)["lead"].iloc[:2]]
    select(app, 0, 1)

    submit(app, "Log a touch · 2 leads")

    assert any("done for 2 of 2 leads" in plain(s.value) for s in app.success)
    assert tile(app, "fu_kpi_waiting") == waiting - 2
    assert not set(picked) & {lead.rsplit("lead_id=", 1)[1] for lead in rows(app)["lead"]}
    engine = get_engine(url)
    touches = repo.load_touches(engine)
    logged = touches[touches["rep"] == TESTER]
    assert len(logged) == 2
    assert (repo.list_audit(engine, entity="lead")["actor"] == TESTER).sum() == 2

    submit(app, "Undo")

    assert tile(app, "fu_kpi_waiting") == waiting
    assert len(repo.load_touches(engine)) == len(touches) - 2


def test_acting_on_a_lead_someone_just_moved_shows_what_changed(app: AppTest, url: str) -> None:
    be(app, TESTER)
    shown = rows(app)
    position = int((shown["stage"] == "MQL").to_numpy().argmax())  # not accepted yet
    lead = shown["lead"].iloc[position].rsplit("lead_id=", 1)[1]
    select(app, position)
    app.segmented_control(key="fu_queue_act_kind").set_value("accept").run()
    engine = get_engine(url)
    lead_id = repo.lead_id_for(engine, lead)
    repo.apply_action(engine, lead_id=lead_id, action=Reassign("Morgan Hayes"), actor="Morgan")

    submit(app, f"Accept (SAL) · {lead}")

    warning = " ".join(plain(w.value) for w in app.warning)
    assert "someone else moved" in warning and "Morgan: Reassigned" in warning
    assert "accepted_at" not in repo.lead_state(engine, lead_id).facts
    submit(app, "Apply anyway")
    assert any(f"{lead}: Accepted (SAL)" in plain(m.value) for m in app.success)
    state = repo.lead_state(engine, lead_id)
    assert state.owner == "Morgan Hayes" and "accepted_at" in state.facts


def test_the_never_list_and_the_owner_report_render(app: AppTest) -> None:
    app.segmented_control(key="fu_view").set_value("never").run()
    assert not app.exception
    assert set(rows(app)["status"]) == {"Never followed up"}
    never_text = app.get_by_key("fu_kpi_never").metric[0].delta
    assert total(app) == int(never_text.split(" of ")[0].replace(",", ""))
    app.segmented_control(key="fu_view").set_value("report").run()
    assert not app.exception
    assert len(app.get("plotly_chart")) == 2
    report = app.dataframe[0].value
    assert set(report["owner"]) and (report["share_within_sla"].dropna().between(0, 100)).all()


def test_actions_show_at_once_without_aggregating_the_activity_log_again(
    app: AppTest, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import db.scoring.scoring_source as source

    aggregations = count_calls(monkeypatch, source, "load_activity_counts")
    be(app, TESTER)
    waiting = tile(app, "fu_kpi_waiting")
    lead, other = (link.rsplit("lead_id=", 1)[1] for link in rows(app)["lead"].iloc[:2])
    select(app, 0)

    submit(app, f"Log a touch · {lead}")
    engine = get_engine(url)
    repo.apply_action(
        engine, lead_id=repo.lead_id_for(engine, other), action=Reassign("Morgan Hayes"), actor="M"
    )
    app.text_input(key="fu_queue_search").input(lead).run()
    touched = rows(app)
    app.text_input(key="fu_queue_search").input(other).run()

    assert tile(app, "fu_kpi_waiting") == waiting - 1  # the touched lead left the queue
    assert touched.empty
    assert rows(app)["owner"].tolist() == ["Morgan Hayes"]  # the reassign shows at once
    assert aggregations == []  # the activity aggregate was reused, never rebuilt
