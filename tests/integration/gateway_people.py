"""People for the gateway tests: users stored with a role, as a signed-in session has them."""

from __future__ import annotations

from sqlalchemy import Engine

from db.admin import users_repo
from domain.admin.access import Actor, Role


def signed_in(engine: Engine, email: str, role: Role, team: str | None = None) -> Actor:
    """`email` stored as a user with `role` (and `team`), as the app's session holds them."""
    users_repo.set_user(engine, email=email, role=role, team=team, name=None, by="test")
    actor = users_repo.get_actor(engine, email)
    assert actor is not None
    return actor
