from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.admin.access import (
    AccessDenied,
    Actor,
    Capability,
    Role,
    SignInPolicy,
    identity_key,
    normal_email,
    require,
    signoff_refusal,
    two_people_refusal,
)


def person(email: str, team: str | None, role: Role, *, local: bool = False) -> Actor:
    return Actor(identity=email, name=email.split("@")[0], team=team, role=role, local=local)


def test_a_viewer_may_do_nothing_and_an_admin_everything() -> None:
    viewer = person("v@x.com", "sales", Role.viewer)
    admin = person("a@x.com", None, Role.admin)
    for capability in Capability:
        assert not viewer.can(capability)
        assert admin.can(capability)


def test_editors_edit_and_work_the_queue_but_do_not_sign_or_manage() -> None:
    editor = person("e@x.com", "marketing", Role.editor)
    assert editor.can(Capability.edit_draft) and editor.can(Capability.work_queue)
    for capability in (Capability.sign_off, Capability.publish, Capability.manage_users):
        with pytest.raises(AccessDenied, match="editor and may not"):
            require(editor, capability)


def test_nobody_unnamed_may_write() -> None:
    with pytest.raises(AccessDenied, match="Say who you are"):
        require(None, Capability.edit_draft)


def test_an_approver_signs_only_for_their_own_team() -> None:
    approver = person("m@x.com", "marketing", Role.approver)
    assert signoff_refusal(approver, "marketing", []) is None
    assert "own team" in (signoff_refusal(approver, "sales", []) or "")


def test_one_person_cannot_sign_for_both_teams_whatever_the_case() -> None:
    local = person("Maria", "sales", Role.admin, local=True)
    signed = [{"name": "maria ", "team": "marketing"}]
    assert "both sign-offs" in (signoff_refusal(local, "sales", signed) or "")


def test_publishing_needs_two_different_people() -> None:
    same = [
        {"name": "Ann", "identity": "ann@x.com", "team": "marketing"},
        {"name": "Ann B.", "identity": "ANN@x.com", "team": "sales"},
    ]
    assert "one person" in (two_people_refusal(same) or "")
    assert "sales" in (two_people_refusal(same[:1]) or "")
    other = [same[0], {"name": "Bo", "identity": "bo@x.com", "team": "sales"}]
    assert two_people_refusal(other) is None


def test_a_restricted_policy_admits_listed_people_and_allowed_domains_only() -> None:
    policy = SignInPolicy(restricted=True, domains=("acme.com",))
    assert policy.admits("x@ACME.com", listed=False)
    assert not policy.admits("x@evil.com", listed=False)
    assert policy.admits("x@evil.com", listed=True)
    assert SignInPolicy().admits("x@evil.com", listed=False)


def test_e_mails_are_stored_lower_case_and_checked() -> None:
    assert normal_email("  Ann@Acme.COM ") == "ann@acme.com"
    with pytest.raises(ValueError, match="not an e-mail"):
        normal_email("ann")


@given(st.text(min_size=1, max_size=30))
def test_identity_ignores_case_and_padding(text: str) -> None:
    assert identity_key(text) == identity_key(f"  {text} ") == identity_key(text.casefold())
    assert identity_key("MARIA") == identity_key("maria")
