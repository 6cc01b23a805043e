"""Sign-in (st.user through AppTest), roles on the pages, and local mode's label and link.

The writes' own role checks are tested in tests/integration/admin/test_users_and_guarded_writes.py;
here a viewer's session forges a change and the page's write refuses it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from db import repository as repo
from db.admin import users_repo
from db.engine import get_engine
from domain.admin.access import Role

APP = Path(__file__).resolve().parents[2] / "app.py"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-long-enough",
    "client_id": "baton",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture
def engine(url: str) -> Engine:
    return get_engine(url)


def signed_in(email: str | None, page: str = "pages/home.py") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    user: dict[str, Any] = {"is_logged_in": False}
    if email is not None:
        user = {"is_logged_in": True, "email": email, "name": email.split("@")[0].title()}
    at.user = user
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def person(engine: Engine, email: str, role: Role, team: str | None) -> None:
    users_repo.set_user(engine, email=email, role=role, team=team, name=None, by="test")


def texts(elements: Any) -> str:
    # Messages carry user text escaped for Markdown (components/literal.md): read them plain.
    return " ".join(str(e.value) for e in elements).replace("\\", "")


def test_with_sign_in_on_nobody_sees_baton_before_signing_in(engine: Engine) -> None:
    at = signed_in(None)

    assert at.button(key="identity_sign_in").label == "Sign in"
    assert not at.sidebar.multiselect  # no filters, no pages behind the sign-in screen
    assert users_repo.list_users(engine).empty


def test_the_first_person_to_sign_in_becomes_admin_and_is_told(engine: Engine) -> None:
    at = signed_in("Boss@Acme.com")

    assert "first person to sign in" in texts(at.success)
    assert users_repo.get_actor(engine, "boss@acme.com").role is Role.admin  # type: ignore[union-attr]
    later = signed_in("new@acme.com")
    assert "first person" not in texts(later.success)
    assert "viewer" in texts(later.sidebar.caption)


def test_a_refused_person_sees_why_and_nothing_else(engine: Engine) -> None:
    person(engine, "boss@acme.com", Role.admin, None)
    users_repo.set_policy(engine, users_repo.SignInPolicy(restricted=True), by="test")

    at = signed_in("eve@evil.com")

    assert "not on this Baton's list of users" in texts(at.error)
    assert at.button(key="identity_sign_out_refused")
    assert users_repo.get_actor(engine, "eve@evil.com") is None


def test_a_viewer_sees_no_edit_controls_on_the_definitions_page(engine: Engine) -> None:
    person(engine, "boss@acme.com", Role.admin, None)
    person(engine, "v@acme.com", Role.viewer, "sales")

    at = signed_in("v@acme.com", "pages/definitions.py")

    keys = {getattr(w, "key", None) for w in [*at.slider, *at.button, *at.text_area]}
    assert not keys & {"mql_threshold", "defs_sign", "publish", "defs_restore"}
    assert "editors change it" in texts(at.info)


def test_a_viewers_forged_draft_change_is_refused_by_the_write(engine: Engine) -> None:
    person(engine, "boss@acme.com", Role.admin, None)
    person(engine, "v@acme.com", Role.viewer, "sales")
    at = signed_in("v@acme.com", "pages/definitions.py")
    before = repo.get_draft(engine)
    assert before is not None

    # As if the browser sent a value for the threshold widget the viewer never got.
    at.session_state["mql_threshold"] = before.definition.mql_threshold + 7
    at.run()

    assert repo.get_draft(engine).revision == before.revision  # type: ignore[union-attr]
    assert "viewer and may not edit the draft" in texts(at.toast)


def test_an_approver_signs_for_their_own_team_only(engine: Engine) -> None:
    person(engine, "boss@acme.com", Role.admin, None)
    person(engine, "m@acme.com", Role.approver, "marketing")

    at = signed_in("m@acme.com", "pages/definitions.py")
    at.button(key="defs_sign").click().run()

    assert at.button(key="defs_sign").label == "Sign off for marketing as M"
    signoffs = repo.get_draft(engine).signoffs  # type: ignore[union-attr]
    assert [(s["identity"], s["team"]) for s in signoffs] == [("m@acme.com", "marketing")]


def test_an_editor_may_not_sign_and_a_viewer_may_not_act_on_leads(engine: Engine) -> None:
    person(engine, "boss@acme.com", Role.admin, None)
    person(engine, "e@acme.com", Role.editor, "sales")
    person(engine, "v@acme.com", Role.viewer, "sales")

    editor = signed_in("e@acme.com", "pages/definitions.py")
    viewer = signed_in("v@acme.com", "pages/follow_up.py")

    assert not [b for b in editor.button if b.key == "defs_sign"]
    assert editor.slider(key="mql_threshold")  # editors do edit
    assert "editors and approvers work the queue" in texts(viewer.caption)


def test_only_admins_manage_users(engine: Engine) -> None:
    person(engine, "boss@acme.com", Role.admin, None)
    person(engine, "v@acme.com", Role.viewer, "sales")

    viewer = signed_in("v@acme.com", "pages/admin.py")
    assert not viewer.text_input and "Only admins" in texts(viewer.caption)

    admin = signed_in("boss@acme.com", "pages/admin.py")
    admin.text_input(key="admin_email").input("Sam@Acme.com")
    admin.selectbox(key="admin_role").set_value("approver")
    admin.selectbox(key="admin_team").set_value("sales")
    admin.button(key="FormSubmitter:admin_user_form-Save user").click().run()
    assert "Saved sam@acme.com: approver, sales." in texts(admin.success)
    assert users_repo.get_actor(engine, "sam@acme.com").team == "sales"  # type: ignore[union-attr]


def test_local_mode_is_labelled_and_the_address_carries_who_you_are(engine: Engine) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as"] = "Maria"
    at.query_params["team"] = "marketing"
    at.switch_page("pages/follow_up.py").run()

    assert "Local mode: anyone here can sign for any team." in texts(at.caption)
    assert at.text_input(key="identity_name").value == "Maria"
    assert at.radio(key="identity_team").value == "marketing"
    assert "Acting as **Maria**" in texts(at.caption)
    at.switch_page("pages/funnel.py").run()
    assert "Local mode" in texts(at.caption)
    assert at.text_input(key="identity_name").value == "Maria"


def test_local_lead_links_carry_the_name_and_team() -> None:
    at = AppTest.from_string(
        "import streamlit as st\n"
        "from components.shell.identity import identity_query\n"
        "from components.common.literal import lead_link\n"
        "st.session_state.identity_name = 'Maria Ø'\n"
        "st.session_state.identity_team = 'sales'\n"
        "st.text(lead_link('L1', identity_query()))\n"
    ).run()

    assert at.text[0].value == "lead?as=Maria+%C3%98&team=sales&lead_id=L1"


def test_an_editor_cannot_import_or_delete_on_the_data_page(engine: Engine) -> None:
    person(engine, "boss@acme.com", Role.admin, None)
    person(engine, "e@acme.com", Role.editor, "sales")

    at = signed_in("e@acme.com", "pages/data.py")

    assert "Only admins import data" in texts(at.info)
    assert "Only admins load the demo or delete data" in texts(at.info)
    assert not [b for b in at.button if b.key in {"data_delete", "data_demo_load"}]
    assert not at.get("file_uploader")


def test_in_local_mode_one_name_in_any_case_cannot_sign_for_both_teams(engine: Engine) -> None:
    at = AppTest.from_file(APP, default_timeout=60).switch_page("pages/definitions.py").run()
    for name, team in (("Maria", "marketing"), ("maria ", "sales")):
        at.text_input(key="identity_name").input(name)
        at.radio(key="identity_team").set_value(team)
        at.run()
        at.button(key="defs_sign").click().run()

    assert "one person cannot give both sign-offs" in texts(at.error)
    signoffs = repo.get_draft(engine).signoffs  # type: ignore[union-attr]
    assert [(s["name"], s["team"]) for s in signoffs] == [("Maria", "marketing")]


def test_an_unreadable_secrets_file_closes_baton_instead_of_opening_local_mode(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st
    from streamlit import config
    from streamlit.runtime.secrets import secrets_singleton

    broken = tmp_path / "secrets.toml"
    broken.write_text("[auth\nclient_id = 'x'\n")
    original = config.get_option

    def get_option(name: str) -> Any:
        return [str(broken)] if name == "secrets.files" else original(name)

    monkeypatch.setattr(config, "get_option", get_option)  # what st.secrets reads
    monkeypatch.setattr(st, "get_option", get_option)  # what Baton reads
    secrets_singleton._reset()
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
    finally:
        secrets_singleton._reset()

    assert "cannot read its secrets file" in texts(at.error)
    assert not at.text_input  # no name to type: this is not local mode
