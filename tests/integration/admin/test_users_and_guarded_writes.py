"""Roles are enforced by the functions that write, with the role read from the database."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from db import guarded
from db import repository as repo
from db.admin import users_repo
from domain.admin.access import AccessDenied, Actor, Role, SignInPolicy
from domain.definitions.defaults import default_definition
from tests.integration.builders import make_leads


def signed_in(engine: Engine, email: str, role: Role, team: str | None) -> Actor:
    users_repo.set_user(engine, email=email, role=role, team=team, name=None, by="test")
    actor = users_repo.get_actor(engine, email)
    assert actor is not None
    return actor


def a_draft(engine: Engine) -> int:
    return repo.save_draft(
        engine, definition=default_definition(), expected_revision=None, author="t"
    )


def test_the_first_person_to_sign_in_becomes_admin_and_the_next_a_viewer(engine: Engine) -> None:
    first = users_repo.sign_in(engine, email="Boss@Acme.com", name="Boss")
    second = users_repo.sign_in(engine, email="new@acme.com", name="New")

    assert first.first_admin and first.actor.role is Role.admin
    assert first.actor.identity == "boss@acme.com"
    assert not second.first_admin and second.actor.role is Role.viewer
    again = users_repo.sign_in(engine, email="BOSS@acme.com", name="Boss")
    assert not again.first_admin and again.actor.role is Role.admin


def test_a_restricted_sign_in_refuses_unlisted_people_outside_the_domains(engine: Engine) -> None:
    admin = users_repo.sign_in(engine, email="boss@acme.com", name=None).actor
    guarded.set_policy(
        engine, actor=admin, policy=SignInPolicy(restricted=True, domains=("acme.com",))
    )

    assert users_repo.sign_in(engine, email="ann@ACME.com", name=None).actor.role is Role.viewer
    with pytest.raises(AccessDenied, match="not on this Baton's list"):
        users_repo.sign_in(engine, email="eve@evil.com", name=None)
    guarded.set_user(
        engine, actor=admin, email="eve@evil.com", role="editor", team="sales", name=None
    )
    assert users_repo.sign_in(engine, email="eve@evil.com", name=None).actor.role is Role.editor


def test_a_viewer_cannot_save_the_draft_even_by_calling_the_writer(engine: Engine) -> None:
    revision = a_draft(engine)
    viewer = signed_in(engine, "v@acme.com", Role.viewer, "sales")

    with pytest.raises(AccessDenied, match="viewer and may not edit the draft"):
        guarded.save_draft(
            engine, actor=viewer, definition=default_definition(), expected_revision=revision
        )
    assert repo.get_draft(engine).revision == revision  # type: ignore[union-attr]


def test_the_role_is_read_from_the_database_not_from_the_session(engine: Engine) -> None:
    a_draft(engine)
    demoted = signed_in(engine, "d@acme.com", Role.viewer, "sales")
    forged = Actor(identity="D@acme.com", name="d", team="sales", role=Role.admin)

    with pytest.raises(AccessDenied, match="viewer"):
        guarded.delete_all_data(engine, actor=forged)
    assert demoted.role is Role.viewer


def test_two_approvers_sign_for_their_teams_and_one_publishes(engine: Engine) -> None:
    revision = a_draft(engine)
    marketing = signed_in(engine, "m@acme.com", Role.approver, "marketing")
    sales = signed_in(engine, "s@acme.com", Role.approver, "sales")

    with pytest.raises(AccessDenied, match="own team"):
        guarded.sign_draft(engine, actor=marketing, expected_revision=revision, team="sales")
    revision = guarded.sign_draft(engine, actor=marketing, expected_revision=revision)
    with pytest.raises(AccessDenied, match="Needs the sign-off of someone from sales"):
        guarded.publish(engine, actor=marketing, draft=repo.get_draft(engine), note="n")  # type: ignore[arg-type]
    guarded.sign_draft(engine, actor=sales, expected_revision=revision)
    version = guarded.publish(engine, actor=sales, draft=repo.get_draft(engine), note="agreed")  # type: ignore[arg-type]

    row = repo.list_versions(engine).iloc[0]
    assert version == 1 and row["author"] == "s@acme.com"
    assert {(s["identity"], s["team"]) for s in row["signoffs"]} == {
        ("m@acme.com", "marketing"),
        ("s@acme.com", "sales"),
    }


def test_one_person_cannot_sign_for_both_teams_in_local_mode(engine: Engine) -> None:
    revision = a_draft(engine)
    maria = Actor(identity="Maria", name="Maria", team="marketing", role=Role.admin, local=True)
    lower = Actor(identity="maria", name="maria", team="sales", role=Role.admin, local=True)

    revision = guarded.sign_draft(engine, actor=maria, expected_revision=revision)
    with pytest.raises(AccessDenied, match="cannot give both sign-offs"):
        guarded.sign_draft(engine, actor=lower, expected_revision=revision)
    with pytest.raises(repo.SignOffRefused, match="cannot give both"):
        repo.sign_draft(
            engine, name="MARIA", team="sales", expected_revision=revision, identity="MARIA"
        )


def test_editors_work_the_queue_and_viewers_may_not(engine: Engine) -> None:
    from domain.follow_up.actions import LogTouch

    repo.insert_leads(engine, make_leads("L1"))
    lead_id = repo.lead_id_for(engine, "L1")
    assert lead_id is not None
    editor = signed_in(engine, "e@acme.com", Role.editor, "sales")
    viewer = signed_in(engine, "v@acme.com", Role.viewer, "sales")
    touch = LogTouch(channel="call", outcome=None, note=None, rep=None, touched_at=None)

    done = guarded.apply_to_many(engine, actor=editor, targets=[(lead_id, None)], action=touch)
    assert len(done.done) == 1
    with pytest.raises(AccessDenied):
        guarded.apply_to_many(engine, actor=viewer, targets=[(lead_id, None)], action=touch)


def test_user_changes_are_audited_and_the_last_admin_stays(engine: Engine) -> None:
    admin = users_repo.sign_in(engine, email="boss@acme.com", name=None).actor
    guarded.set_user(
        engine, actor=admin, email="x@acme.com", role="editor", team="sales", name=None
    )
    assert guarded.remove_user(engine, actor=admin, email="X@acme.com")

    with pytest.raises(AccessDenied, match="last admin"):
        guarded.set_user(
            engine, actor=admin, email="boss@acme.com", role="viewer", team=None, name=None
        )
    actions = list(repo.list_audit(engine, entity="user")["action"])
    assert actions[:2] == ["user_remove", "user_add"]


def test_the_shared_sales_capacity_is_set_by_editors_and_refused_to_viewers(engine: Engine) -> None:
    editor = signed_in(engine, "e@acme.com", Role.editor, "sales")
    viewer = signed_in(engine, "v@acme.com", Role.viewer, "sales")

    guarded.save_sales_capacity(engine, actor=editor, reps=4, per_rep=25)
    with pytest.raises(AccessDenied):
        guarded.save_sales_capacity(engine, actor=viewer, reps=1, per_rep=1)

    assert repo.get_sales_capacity(engine) == (4, 25)


def test_normalising_imported_values_is_for_admins_only(engine: Engine) -> None:
    repo.insert_leads(engine, make_leads("L1"))
    editor = signed_in(engine, "e@acme.com", Role.editor, "sales")
    admin = signed_in(engine, "a@acme.com", Role.admin, None)
    source = repo.load_leads(engine)["source"].iloc[0]

    with pytest.raises(AccessDenied):
        guarded.normalise_values(
            engine, actor=editor, attribute="source", to="x", from_values=[source]
        )
    assert repo.load_leads(engine)["source"].iloc[0] == source
    changed = guarded.normalise_values(
        engine, actor=admin, attribute="source", to="x", from_values=[source]
    )
    assert changed == 1
    assert repo.load_leads(engine)["source"].iloc[0] == "x"
