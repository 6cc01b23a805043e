"""What a restore-as-draft replaced, kept in the restore's audit row, so that anyone, in any
session, can bring it back later; bringing it back marks that row undone (once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select, update

from db.convert import aware_utc
from db.meta_repo import log_audit
from db.models import AuditLog, table_of, utcnow
from domain.definitions.definition import Definition, DefinitionError, parse_definition

RESTORE_ACTION = "restore_draft"
BRING_BACK_ACTION = "bring_back_draft"
_audit = table_of(AuditLog)


@dataclass(frozen=True)
class ReplacedDraft:
    """The draft the latest restore replaced: who restored which version, and when."""

    restore_id: int
    version: int
    restored_by: str
    restored_at: datetime
    definition: Definition


def record_restore(
    engine: Engine,
    *,
    author: str,
    version: int,
    restored: Definition,
    revision: int,
    replaced: Definition,
) -> None:
    """Audit that published `version` (`restored`) became draft `revision`, keeping the
    draft it replaced (what `replaced_draft` reads back), so it can be brought back even
    from another session."""
    log_audit(
        engine,
        actor=author,
        action=RESTORE_ACTION,
        entity="definition",
        entity_id=version,
        payload={
            "draft_revision": revision,
            "fingerprint": restored.fingerprint(),
            "replaced_definition": replaced.model_dump(mode="json"),
        },
    )


def replaced_draft(engine: Engine) -> ReplacedDraft | None:
    """The draft the latest restore replaced, unless it was brought back already."""
    a = _audit.c
    statement = (
        select(a.id, a.at, a.actor, a.entity_id, a.payload, a.undone_at)
        .where(a.action == RESTORE_ACTION)
        .order_by(a.id.desc())
        .limit(1)
    )
    with engine.connect() as connection:
        row = connection.execute(statement).first()
    if row is None or row.undone_at is not None:
        return None
    raw = (row.payload or {}).get("replaced_definition")
    try:
        definition = parse_definition(raw) if raw is not None else None
    except DefinitionError:  # written by an older, incompatible version: nothing to offer
        definition = None
    if definition is None:
        return None
    return ReplacedDraft(
        int(row.id), int(row.entity_id), str(row.actor), aware_utc(row.at), definition
    )


def mark_brought_back(engine: Engine, replaced: ReplacedDraft, actor: str) -> bool:
    """Record that `actor` brought the replaced draft back; False if someone already had."""
    a = _audit.c
    with engine.begin() as connection:
        done = connection.execute(
            update(_audit)
            .where(a.id == replaced.restore_id, a.undone_at.is_(None))
            .values(undone_at=utcnow(), undone_by=actor)
        )
        if done.rowcount != 1:
            return False
        log_audit(
            connection,
            actor=actor,
            action=BRING_BACK_ACTION,
            entity="definition",
            entity_id=replaced.version,
            payload={"restore_id": replaced.restore_id},
        )
    return True
