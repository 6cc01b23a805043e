"""The writes people make, each checked against the writer's role on the server.

Pages call these, never the repository's writers directly: the check happens in the
function that writes, with the role read from the database at that moment (a role taken
away mid-session counts at once), so a hidden button is a convenience, not the guard.
A refusal raises AccessDenied with a sentence. In local mode (no sign-in configured) the
actor is `local`: anyone may act for any team, but one person still cannot sign twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Engine

from db.admin import users_repo
from db.definitions.definitions_repo import DraftState, get_draft, get_published
from db.definitions.definitions_repo import publish as _publish
from db.definitions.definitions_repo import save_draft as _save_draft
from db.definitions.definitions_repo import sign_draft as _sign_draft
from db.definitions.meeting_repo import save_sales_capacity as _save_sales_capacity
from db.follow_up.actions_repo import ActionResult, BulkOutcome
from db.follow_up.actions_repo import apply_to_many as _apply_to_many
from db.follow_up.undo_repo import undo_action as _undo_action
from db.importing.import_repo import ImportReport
from db.importing.import_repo import import_csv as _import_csv
from db.importing.values_repo import normalise_values as _normalise_values
from db.meta_repo import delete_all_data as _delete_all_data
from db.meta_repo import log_audit
from domain.admin.access import (
    AccessDenied,
    Actor,
    Capability,
    Role,
    SignInPolicy,
    require,
    signoff_refusal,
    two_people_refusal,
)
from domain.definitions.definition import Definition, SqlCriteria
from domain.definitions.diff import describe_diff
from domain.follow_up.actions import Action
from domain.importing import CsvSource, Mapping


def authorize(engine: Engine, actor: Actor | None, capability: Capability) -> Actor:
    """The actor as stored now, if they may do `capability`; else AccessDenied."""
    if actor is None or actor.local:
        return require(actor, capability)
    stored = users_repo.get_actor(engine, actor.identity)
    if stored is None:
        raise AccessDenied(f"{actor.identity} is not a user of this Baton any more.")
    return require(stored, capability)


def save_draft(
    engine: Engine, *, actor: Actor | None, definition: Definition, expected_revision: int | None
) -> int:
    """Save the draft and audit what changed (as sentences), under the checked actor."""
    who = authorize(engine, actor, Capability.edit_draft)
    before = get_draft(engine)
    revision = _save_draft(
        engine, definition=definition, expected_revision=expected_revision, author=who.name
    )
    base = before.definition if before else _published_definition(engine)
    changes = describe_diff(base, definition) if base else ["created the draft"]
    if changes:
        log_audit(
            engine, actor=who.identity, action="save_draft", entity="definition_draft",
            entity_id=revision,
            payload={"changes": changes, "fingerprint": definition.fingerprint()},
        )  # fmt: skip
    return revision


def _published_definition(engine: Engine) -> Definition | None:
    published = get_published(engine)
    return None if published is None else published[1]


def sign_draft(
    engine: Engine, *, actor: Actor | None, expected_revision: int, team: str | None = None
) -> int:
    """Sign the draft for the actor's own team (in local mode: the team they chose)."""
    who = authorize(engine, actor, Capability.sign_off)
    chosen = team or who.team or ""
    draft = get_draft(engine)
    refusal = signoff_refusal(who, chosen, draft.signoffs if draft else ())
    if refusal:
        raise AccessDenied(refusal)
    revision = _sign_draft(
        engine, name=who.name, team=chosen, expected_revision=expected_revision,
        identity=who.identity,
    )  # fmt: skip
    fingerprint = draft.definition.fingerprint() if draft else None
    log_audit(
        engine, actor=who.identity, action="sign_draft", entity="definition_draft",
        entity_id=revision, payload={"team": chosen, "fingerprint": fingerprint},
    )  # fmt: skip
    return revision


def publish(
    engine: Engine,
    *,
    actor: Actor | None,
    draft: DraftState,
    note: str,
) -> int:
    """Publish the signed draft; both teams signed, by two different people."""
    who = authorize(engine, actor, Capability.publish)
    refusal = two_people_refusal(draft.signoffs)
    if refusal:
        raise AccessDenied(f"Not published. {refusal}")
    return _publish(
        engine, definition=draft.definition, author=who.identity, note=note,
        signoffs=draft.signoffs, expected_revision=draft.revision,
    )  # fmt: skip


def publish_signed_by(
    engine: Engine, *, definition: Definition, note: str, author: str, approvers: Sequence[str]
) -> int:
    """Publish from the CLI with the e-mails of an approver of each team (two people)."""
    signoffs = []
    for email in approvers:
        person = users_repo.get_actor(engine, email)
        if person is None:
            raise AccessDenied(f"{email} is not a user; add them with `cli.py user add`.")
        if not person.can(Capability.sign_off) or person.team is None:
            raise AccessDenied(f"{email} is a {person.role.value} with no sign-off right.")
        signoffs.append({"name": person.name, "team": person.team, "identity": person.identity})
    refusal = two_people_refusal(signoffs)
    if refusal:
        raise AccessDenied(refusal)
    return _publish(engine, definition=definition, author=author, note=note, signoffs=signoffs)


def publish_forced(engine: Engine, *, definition: Definition, note: str, author: str) -> int:
    """Publish without sign-offs (the CLI's --force); the audit log says so."""
    version = _publish(engine, definition=definition, author=author, note=note)
    log_audit(
        engine, actor=author, action="publish_forced", entity="definition", entity_id=version,
        payload={"note": note, "why": "published with --force, without sign-offs"},
    )  # fmt: skip
    return version


def apply_to_many(
    engine: Engine,
    *,
    actor: Actor | None,
    targets: Sequence[tuple[int, int | None]],
    action: Action,
    key_prefix: str | None = None,
    sql_criteria: SqlCriteria | None = None,
) -> BulkOutcome:
    who = authorize(engine, actor, Capability.work_queue)
    return _apply_to_many(
        engine, targets=targets, action=action, actor=who.name, key_prefix=key_prefix,
        sql_criteria=sql_criteria,
    )  # fmt: skip


def undo_action(engine: Engine, *, actor: Actor | None, audit_id: int) -> ActionResult:
    who = authorize(engine, actor, Capability.work_queue)
    return _undo_action(engine, audit_id=audit_id, actor=who.name)


def import_csv(
    engine: Engine,
    source: CsvSource,
    mapping: Mapping,
    *,
    actor: Actor | None,
    all_or_nothing: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    who = authorize(engine, actor, Capability.import_data)
    return _import_csv(
        engine, source, mapping, all_or_nothing=all_or_nothing, on_progress=on_progress,
        actor=who.identity,
    )  # fmt: skip


def save_sales_capacity(engine: Engine, *, actor: Actor | None, reps: int, per_rep: int) -> None:
    """The meeting's shared sales capacity is part of the draft's settings: editors set it."""
    authorize(engine, actor, Capability.edit_draft)
    _save_sales_capacity(engine, reps=reps, per_rep=per_rep)


def normalise_values(
    engine: Engine, *, actor: Actor | None, attribute: str, to: str, from_values: list[str]
) -> int:
    """Rewrite imported values on every lead: a data change, so admins only (as imports)."""
    who = authorize(engine, actor, Capability.import_data)
    return _normalise_values(engine, attribute, to, from_values, actor=who.identity)


def delete_all_data(engine: Engine, *, actor: Actor | None) -> None:
    who = authorize(engine, actor, Capability.reset_data)
    _delete_all_data(engine, actor=who.identity)


def set_user(engine: Engine, *, actor: Actor | None, **user: Any) -> Actor:
    who = authorize(engine, actor, Capability.manage_users)
    return users_repo.set_user(engine, by=who.identity, **user)


def remove_user(engine: Engine, *, actor: Actor | None, email: str) -> bool:
    who = authorize(engine, actor, Capability.manage_users)
    return users_repo.remove_user(engine, email=email, by=who.identity)


def set_policy(engine: Engine, *, actor: Actor | None, policy: SignInPolicy) -> None:
    who = authorize(engine, actor, Capability.manage_users)
    users_repo.set_policy(engine, policy, by=who.identity)


LOCAL_ROLE = Role.admin  # local mode: everyone here may do everything (the label says so)
