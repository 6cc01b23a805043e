"""The shell's reads (sign-in, versions, the configured database), through gateways/shell.py."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from domain.admin.access import Role
from gateways import shell
from tests.integration.builders import insert_two_leads


def test_the_first_sign_in_is_the_admin_and_is_read_back(sqlite_engine: Engine) -> None:
    first = shell.sign_in(sqlite_engine, email="Boss@Acme.com", name="Boss")

    assert first.first_admin
    actor = shell.get_actor(sqlite_engine, "boss@acme.com")
    assert actor is not None and actor.role is Role.admin
    assert shell.get_actor(sqlite_engine, "nobody@acme.com") is None


def test_the_versions_and_token_move_with_the_data(sqlite_engine: Engine) -> None:
    before, token = shell.data_versions(sqlite_engine), shell.data_token(sqlite_engine)

    insert_two_leads(sqlite_engine)

    assert shell.data_versions(sqlite_engine)[0] > before[0]
    assert shell.data_token(sqlite_engine) != token
    assert shell.get_draft(sqlite_engine) is None and shell.get_published(sqlite_engine) is None


def test_the_engine_is_the_one_for_the_configured_url(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)

    assert shell.database_url() == sqlite_url
    assert shell.get_engine(sqlite_url) is shell.get_engine(shell.database_url())
