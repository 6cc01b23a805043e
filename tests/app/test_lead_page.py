"""The lead page through AppTest: reached by its link, explained, acted on, undone."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from components.common.literal import md
from db import repository as repo
from db.engine import get_engine
from db.scoring.scoring_source import load_model
from domain.follow_up.actions import LogTouch
from domain.follow_up.queue import follow_up
from tests.plain_text import plain

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGE = "pages/lead.py"
TESTER = "Quinn Tester"
# Before tests/app/conftest.py keeps AppTest off Streamlit's legacy pages/ mode.
STREAMLIT_PAGES_MANAGER_INIT = PagesManager.__init__


def open_lead(external_id: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if external_id is not None:
        at.query_params["lead_id"] = external_id
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@lru_cache(maxsize=1)
def _most_urgent(template_url: str) -> tuple[int, str, str]:
    engine = get_engine(template_url)
    _, definition = repo.get_published(engine)
    queue = follow_up(load_model(engine), definition, repo.load_touches(engine)).queue
    lead_id = int(queue.index[0])
    return lead_id, str(queue.loc[lead_id, "external_id"]), str(queue.loc[lead_id, "name"])


def a_queued_lead(url: str) -> tuple[int, str, str]:
    """The most urgent lead of the queue: (lead id, external id, name).

    Every test's database is a copy of one template, so the answer is the same for all.
    """
    return _most_urgent(url)


def frame(at: AppTest, key: str) -> pd.DataFrame:
    return at.get_by_key(key).dataframe[0].value


def be(at: AppTest, name: str) -> None:
    if any(w.key == "identity_name" for w in at.text_input):
        at.text_input(key="identity_name").input(name).run()
    else:
        at.selectbox(key="acting_user").set_value(name).run()


def test_without_a_lead_id_the_page_says_what_to_do_and_finds_leads(url: str) -> None:
    at = open_lead(None)
    assert any("Follow-up" in plain(m.value) and "lead_id" in plain(m.value) for m in at.markdown)
    lead_id, external_id, _ = a_queued_lead(url)
    at.text_input(key="lead_search").input(external_id).run()
    links = at.get("page_link")
    assert len(links) == 1 and external_id in links[0].proto.label


def test_an_unknown_lead_id_is_said_plainly(url: str) -> None:
    at = open_lead("NO-SUCH-LEAD")
    assert f"no lead with id {md('NO-SUCH-LEAD')}." in at.warning[0].value


def test_the_lead_page_shows_profile_stages_and_the_score_rule_by_rule(url: str) -> None:
    lead_id, external_id, name = a_queued_lead(url)
    at = open_lead(external_id)
    assert at.title[0].value == md(name)
    frames = {key: frame(at, key) for key in ("lead_profile", "lead_stages", "lead_breakdown")}
    assert "Team" in frames["lead_profile"]["field"].tolist()
    stages = frames["lead_stages"].set_index("stage")["reached"]
    assert stages["Suspect"] != "—"
    lines = frames["lead_breakdown"]["line"]
    points = lines.str.extract(r"^([+-][\d.]+)")[0].astype(float)
    score = float(
        next(plain(m.value) for m in at.markdown if " points** ·" in plain(m.value))
        .split("**")[1]
        .split()[0]
    )
    assert abs(points.sum() - score) <= 0.5 * len(points)  # lines are rounded to 0.1
    assert len(frame(at, "lead_timeline")) > 0


def test_the_draft_comparison_shows_what_a_new_rule_would_change(url: str) -> None:
    engine = get_engine(url)
    _, published = repo.get_published(engine)
    lead_id, external_id, _ = a_queued_lead(url)
    richer = published.replace(mql_threshold=published.mql_threshold, fit_rules=[
        *[r.model_dump() for r in published.fit_rules],
        {"id": "everyone", "attribute": "external_id", "operator": "contains", "value": "L",
         "points": 7, "label": "every lead"},
    ])  # fmt: skip
    repo.save_draft(engine, definition=richer, expected_revision=None, author="test")
    at = open_lead(external_id)
    diff = frame(at, "lead_draft_diff")
    row = diff.set_index("rule").loc["every lead"]
    assert (row["published"], row["draft"], row["change"]) == (0.0, 7.0, 7.0)
    assert any(
        "Under the draft" in plain(m.value) and "(+7)" in plain(m.value) for m in at.markdown
    )


def test_a_touch_from_the_lead_page_lands_in_its_history_and_can_be_undone(url: str) -> None:
    lead_id, external_id, _ = a_queued_lead(url)
    at = open_lead(external_id)
    be(at, TESTER)
    engine = get_engine(url)
    before = (repo.load_touches(engine)["lead_id"] == lead_id).sum()
    next(b for b in at.button if b.label.startswith("Log a touch")).click().run()
    assert any(f"{external_id}: Logged a call" in plain(s.value) for s in at.success)
    assert any("Logged a call" in plain(m.value) and TESTER in plain(m.value) for m in at.markdown)
    assert (repo.load_touches(engine)["lead_id"] == lead_id).sum() == before + 1

    next(
        b for b in at.button if b.key and b.key.startswith(f"lead_act_{lead_id}_undo_")
    ).click().run()

    assert not at.exception
    assert (repo.load_touches(engine)["lead_id"] == lead_id).sum() == before
    assert repo.lead_history(engine, lead_id)["action"].tolist() == ["undo", "touch"]


def test_an_action_elsewhere_shows_on_the_lead_page_at_once(url: str) -> None:
    lead_id, external_id, _ = a_queued_lead(url)
    at = open_lead(external_id)
    engine = get_engine(url)
    repo.apply_action(
        engine, lead_id=lead_id, action=LogTouch("meeting", "meeting_held"), actor="Ana"
    )
    at.run()
    timeline = frame(at, "lead_timeline")
    assert "meeting · meeting held" in timeline["what"].tolist()


def test_a_shared_link_as_the_first_request_after_a_start_still_runs_the_app_shell(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh server sees pages/ and starts in legacy mode, which would run the page alone.
    monkeypatch.setattr(PagesManager, "__init__", STREAMLIT_PAGES_MANAGER_INIT)
    _, external_id, name = a_queued_lead(url)
    at = open_lead(external_id)
    assert at.title[0].value == md(name)
    assert at.sidebar.multiselect  # app.py's sidebar filters: the page ran inside app.py
