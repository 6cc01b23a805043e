"""People who may sign in, their roles, and who may sign in without being listed.

Every change is audited in the same transaction. Checks of *who may change users* live in
db/guarded.py; this module keeps the invariants (one row per e-mail, at least one admin).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from db.convert import read_frame
from db.meta_repo import log_audit
from db.models import AppUser, Meta, table_of, utcnow
from domain.admin.access import AccessDenied, Actor, Role, SignInPolicy, normal_email
from domain.definitions.publishing import REQUIRED_TEAMS

_user = table_of(AppUser)
_meta = table_of(Meta)
POLICY_KEY = "signin_policy"
USER_COLUMNS = ["email", "name", "team", "role", "created_at", "created_by", "last_sign_in_at"]


@dataclass(frozen=True)
class SignIn:
    """Who signed in; `first_admin` when they were the first and became the admin."""

    actor: Actor
    first_admin: bool = False


def list_users(engine: Engine) -> pd.DataFrame:
    statement = select(*(_user.c[name] for name in USER_COLUMNS)).order_by(_user.c.email)
    with engine.connect() as connection:
        return read_frame(connection, statement)


def get_actor(engine: Engine, email: str) -> Actor | None:
    """The stored person behind `email` as an Actor, or None when not listed."""
    with engine.connect() as connection:
        return _actor(connection, normal_email(email))


def _actor(connection: Connection, email: str) -> Actor | None:
    row = connection.execute(select(_user).where(_user.c.email == email)).first()
    if row is None:
        return None
    return Actor(identity=row.email, name=row.name or row.email, team=row.team, role=Role(row.role))


def set_user(
    engine: Engine, *, email: str, role: Role | str, team: str | None, name: str | None, by: str
) -> Actor:
    """Add the person, or change their role/team; audited. Returns them as stored."""
    email = normal_email(email)
    role = Role(role)
    if team is not None and team not in REQUIRED_TEAMS:
        raise ValueError(f"team must be one of {', '.join(REQUIRED_TEAMS)}, not {team!r}")
    with engine.begin() as connection:
        before = _actor(connection, email)
        values = {"role": role.value, "team": team}
        if name:
            values["name"] = name.strip()[:120]
        if before is None:
            connection.execute(
                insert(_user).values(email=email, created_by=by, created_at=utcnow(), **values)
            )
        else:
            if before.role is Role.admin and role is not Role.admin:
                _keep_an_admin(connection, email)
            connection.execute(update(_user).where(_user.c.email == email).values(**values))
        change: dict[str, object] = {"role": role.value, "team": team}
        if before is not None:
            change["was"] = {"role": before.role.value, "team": before.team}
        action = "user_add" if before is None else "user_change"
        log_audit(
            connection, actor=by, action=action, entity="user", entity_id=email, payload=change
        )
        stored = _actor(connection, email)
    assert stored is not None
    return stored


def remove_user(engine: Engine, *, email: str, by: str) -> bool:
    """Remove the person; False when they were not listed. The last admin cannot go."""
    email = normal_email(email)
    with engine.begin() as connection:
        before = _actor(connection, email)
        if before is None:
            return False
        if before.role is Role.admin:
            _keep_an_admin(connection, email)
        connection.execute(delete(_user).where(_user.c.email == email))
        payload = {"role": before.role.value, "team": before.team}
        log_audit(
            connection, actor=by, action="user_remove", entity="user", entity_id=email,
            payload=payload,
        )  # fmt: skip
    return True


def _keep_an_admin(connection: Connection, leaving: str) -> None:
    others = connection.scalar(
        select(func.count())
        .select_from(_user)
        .where(_user.c.role == Role.admin.value, _user.c.email != leaving)
    )
    if not others:
        raise AccessDenied(f"{leaving} is the last admin: make someone else admin first.")


def sign_in(engine: Engine, *, email: str, name: str | None) -> SignIn:
    """Record a sign-in: the first person becomes admin, unknown people become viewers.

    Raises AccessDenied when the admin restricted sign-in and `email` is neither listed
    nor in an allowed domain.
    """
    email = normal_email(email)
    with engine.begin() as connection:
        known = _actor(connection, email)
        if known is not None:
            stamp: dict[str, object] = {"last_sign_in_at": utcnow()}
            if name and known.name == known.identity:
                stamp["name"] = name.strip()[:120]
            connection.execute(update(_user).where(_user.c.email == email).values(**stamp))
            return SignIn(_actor(connection, email) or known)
        first = not connection.scalar(select(func.count()).select_from(_user))
        if not first and not _policy(connection).admits(email, listed=False):
            raise AccessDenied(
                f"{email} is not on this Baton's list of users: ask an admin to add you."
            )
    role = Role.admin if first else Role.viewer
    try:
        actor = set_user(engine, email=email, role=role, team=None, name=name, by=email)
    except IntegrityError:
        # Someone else with this e-mail signed in at the same moment: use their row.
        return sign_in(engine, email=email, name=name)
    if first and _admin_count(engine) > 1:
        # Two first sign-ins raced: the later one becomes a viewer, one admin remains.
        actor = set_user(engine, email=email, role=Role.viewer, team=None, name=name, by=email)
        return SignIn(actor)
    return SignIn(actor, first_admin=first)


def _admin_count(engine: Engine) -> int:
    with engine.connect() as connection:
        count = connection.scalar(
            select(func.count()).select_from(_user).where(_user.c.role == Role.admin.value)
        )
    return int(count or 0)


def get_policy(engine: Engine) -> SignInPolicy:
    with engine.connect() as connection:
        return _policy(connection)


def _policy(connection: Connection) -> SignInPolicy:
    text = connection.scalar(select(_meta.c.value).where(_meta.c.key == POLICY_KEY))
    if not text:
        return SignInPolicy()
    raw = json.loads(text)
    return SignInPolicy(
        restricted=bool(raw.get("restricted")), domains=tuple(raw.get("domains", ()))
    )


def set_policy(engine: Engine, policy: SignInPolicy, *, by: str) -> None:
    domains = sorted({d.strip().casefold().lstrip("@") for d in policy.domains if d.strip()})
    value = json.dumps({"restricted": policy.restricted, "domains": domains})
    with engine.begin() as connection:
        done = connection.execute(
            update(_meta).where(_meta.c.key == POLICY_KEY).values(value=value)
        )
        if done.rowcount == 0:
            connection.execute(insert(_meta).values(key=POLICY_KEY, value=value))
        payload = {"restricted": policy.restricted, "domains": domains}
        log_audit(
            connection, actor=by, action="signin_policy", entity="user", entity_id=None,
            payload=payload,
        )  # fmt: skip
