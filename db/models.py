"""Tables. Timestamps are stored as naive UTC (the repository converts at the edge).

`*Base` classes hold the columns a caller supplies; the `table=True` classes add keys and
bookkeeping, as in the fastapi full-stack template. The ORM classes stay inside `db/`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, Index, Table, Text, text
from sqlmodel import Field, SQLModel

# Named constraints keep Alembic batch migrations on SQLite deterministic.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLModel maps `datetime` to TIMESTAMP WITH TIME ZONE; we store naive UTC explicitly so
# PostgreSQL never reinterprets values in the session time zone.
NAIVE = DateTime(timezone=False)
_EMPTY_OBJECT = {"server_default": text("'{}'")}
_EMPTY_LIST = {"server_default": text("'[]'")}


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a model: the repository builds bulk SQL on it, not on rows."""
    return model.__table__  # type: ignore[attr-defined, no-any-return]


def utcnow() -> datetime:
    """Now, as the naive UTC value the tables store."""
    return datetime.now(UTC).replace(tzinfo=None)


class LeadBase(SQLModel):
    external_id: str = Field(unique=True, index=True)
    name: str | None = None
    email: str | None = None
    company: str | None = None
    title: str | None = None
    industry: str | None = None
    company_size: float | None = None
    country: str | None = None
    source: str | None = None
    segment: str | None = None
    owner: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=NAIVE)
    custom: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSON, sa_column_kwargs=_EMPTY_OBJECT
    )


class Lead(LeadBase, table=True):
    __tablename__ = "lead"
    id: int | None = Field(default=None, primary_key=True)
    # Bumped by every write to the lead's owner or sales facts: the token an action
    # carries to notice that another user moved the lead meanwhile.
    version: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})


class ActivityBase(SQLModel):
    lead_id: int = Field(foreign_key="lead.id", ondelete="CASCADE")
    activity_type: str
    occurred_at: datetime = Field(sa_type=NAIVE)
    content_stage: str | None = None  # awareness / consideration / decision
    asset: str | None = None
    duration_s: float | None = None


class Activity(ActivityBase, table=True):
    __tablename__ = "activity"
    # In GROUP BY order, so load_activity_counts reads it in order; occurred_at at the end
    # makes it covering (min/max never touch the table, about 2x faster on SQLite). Starts
    # with lead_id, so it also serves the foreign key and per-lead lookups.
    __table_args__ = (
        Index(
            "ix_activity_lead_type_stage_day",
            "lead_id",
            "activity_type",
            "content_stage",
            "occurred_day",
            "occurred_at",
        ),
        # A CSV import stores each row's key, so importing the same file again adds nothing.
        Index("ix_activity_import_key", "import_key", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    # Whole days since 1970-01-01 UTC, computed on insert so the GROUP BY is portable SQL.
    occurred_day: int
    import_key: str | None = None


class SalesTouchBase(SQLModel):
    lead_id: int = Field(foreign_key="lead.id", ondelete="CASCADE", index=True)
    touched_at: datetime = Field(sa_type=NAIVE)
    rep: str | None = None
    channel: str
    outcome: str | None = None
    note: str | None = None
    created_by: str | None = None


class SalesTouch(SalesTouchBase, table=True):
    __tablename__ = "sales_touch"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=NAIVE)
    # Lets a double-clicked "log touch" button insert once; NULLs never collide.
    idempotency_key: str | None = Field(default=None, unique=True)


class SalesFactBase(SQLModel):
    accepted_at: datetime | None = Field(default=None, sa_type=NAIVE)
    conversation_at: datetime | None = Field(default=None, sa_type=NAIVE)
    budget: bool | None = None
    authority: bool | None = None
    need: bool | None = None
    timeline: bool | None = None
    bant_at: datetime | None = Field(default=None, sa_type=NAIVE)
    opportunity_at: datetime | None = Field(default=None, sa_type=NAIVE)
    won_at: datetime | None = Field(default=None, sa_type=NAIVE)
    lost_at: datetime | None = Field(default=None, sa_type=NAIVE)
    amount: float | None = None
    disqualified_at: datetime | None = Field(default=None, sa_type=NAIVE)
    recycled_at: datetime | None = Field(default=None, sa_type=NAIVE)
    reason: str | None = None
    # The CRM's own "reached SQL" moment (an import), besides Baton's BANT criteria.
    qualified_at: datetime | None = Field(default=None, sa_type=NAIVE)


class SalesFact(SalesFactBase, table=True):
    __tablename__ = "sales_fact"
    lead_id: int = Field(foreign_key="lead.id", ondelete="CASCADE", primary_key=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=NAIVE)
    updated_by: str | None = None


class DefinitionVersion(SQLModel, table=True):
    __tablename__ = "definition_version"
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(unique=True)
    definition_json: str = Field(sa_type=Text)
    author: str
    note: str = ""
    signoffs: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=JSON, sa_column_kwargs=_EMPTY_LIST
    )
    published_at: datetime = Field(default_factory=utcnow, sa_type=NAIVE)


class DefinitionDraft(SQLModel, table=True):
    __tablename__ = "definition_draft"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
    id: int = Field(default=1, primary_key=True)
    definition_json: str = Field(sa_type=Text)
    revision: int
    updated_by: str
    updated_at: datetime = Field(default_factory=utcnow, sa_type=NAIVE)
    signoffs: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=JSON, sa_column_kwargs=_EMPTY_LIST
    )


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),
        # An action submitted twice (a double click, a retried script) is recorded once.
        Index("ix_audit_log_idempotency_key", "idempotency_key", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=NAIVE, index=True)
    actor: str
    action: str
    entity: str
    entity_id: str | None = None
    payload: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSON, sa_column_kwargs=_EMPTY_OBJECT
    )
    idempotency_key: str | None = None
    undone_at: datetime | None = Field(default=None, sa_type=NAIVE)
    undone_by: str | None = None


class ImportMapping(SQLModel, table=True):
    """A column mapping saved by name, reused for the next export of the same CRM."""

    __tablename__ = "import_mapping"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    kind: str
    mapping_json: str = Field(sa_type=Text)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=NAIVE)


class CustomAttribute(SQLModel, table=True):
    """The type of each custom lead attribute (number, date, yes/no, text).

    Values stay in `lead.custom` (JSON numbers, booleans, ISO date texts); this registry
    says how to read them back. An attribute missing here is text (stored before types).
    """

    __tablename__ = "custom_attribute"
    name: str = Field(primary_key=True)
    value_type: str
    updated_at: datetime = Field(default_factory=utcnow, sa_type=NAIVE)


class AppUser(SQLModel, table=True):
    """A person who may sign in, with their team and role (see domain/admin/access.py)."""

    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint("role IN ('viewer', 'editor', 'approver', 'admin')", name="role"),
        CheckConstraint("team IS NULL OR team IN ('marketing', 'sales')", name="team"),
    )
    id: int | None = Field(default=None, primary_key=True)
    # Stored lower case: one person, however their provider capitalises the address.
    email: str = Field(unique=True)
    name: str | None = None
    team: str | None = None
    role: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=NAIVE)
    created_by: str
    last_sign_in_at: datetime | None = Field(default=None, sa_type=NAIVE)


class Meta(SQLModel, table=True):
    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str = Field(sa_type=Text)


DATA_VERSION_KEY = "data_version"
# Bumped by sales actions (touches, facts, owners): cheap to reload, unlike the activity log.
SALES_VERSION_KEY = "sales_version"
DATA_STAMP_KEY = "data_stamp"
