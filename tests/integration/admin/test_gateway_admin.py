"""The Admin and Audit pages, through gateways/admin.py and gateways/audit.py."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from domain.admin.access import AccessDenied, Role, SignInPolicy
from gateways import admin, audit
from tests.integration.gateway_people import signed_in


def test_only_an_admin_changes_users_and_the_audit_page_lists_it(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    boss = signed_in(engine, "boss@acme.com", Role.admin)
    editor = signed_in(engine, "eve@acme.com", Role.editor, "marketing")
    person = {"email": "ann@acme.com", "role": "approver", "team": "sales", "name": None}

    with pytest.raises(AccessDenied):
        admin.set_user(engine, actor=editor, **person)
    saved = admin.set_user(engine, actor=boss, **person)

    assert saved.role is Role.approver
    assert "ann@acme.com" in set(admin.list_users(engine)["email"])
    assert audit.audit_actions(engine)  # the change is in the audit log
    assert not audit.query_audit(engine, actor="boss@acme.com").empty


def test_the_sign_in_rule_is_changed_by_an_admin_only(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    boss = signed_in(engine, "boss@acme.com", Role.admin)
    viewer = signed_in(engine, "vic@acme.com", Role.viewer)
    rule = SignInPolicy(restricted=True, domains=("acme.com",))

    with pytest.raises(AccessDenied):
        admin.set_policy(engine, actor=viewer, policy=rule)
    admin.set_policy(engine, actor=boss, policy=rule)

    assert admin.get_policy(engine) == rule
