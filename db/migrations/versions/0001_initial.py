"""Initial schema: leads, activity log, sales touches and facts, definitions, audit, meta.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _lead_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["lead_id"],
        ["lead.id"],
        name=op.f(f"fk_{table}_lead_id_lead"),
        ondelete="CASCADE",
    )


def _json(name: str, empty: str) -> sa.Column[Any]:
    return sa.Column(name, sa.JSON(), server_default=sa.text(f"'{empty}'"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "lead",
        _id(),
        sa.Column("external_id", sa.String(), nullable=False),
        *(
            sa.Column(name, sa.String(), nullable=True)
            for name in ("name", "email", "company", "title", "industry")
        ),
        sa.Column("company_size", sa.Float(), nullable=True),
        *(sa.Column(name, sa.String(), nullable=True) for name in ("country", "source")),
        *(sa.Column(name, sa.String(), nullable=True) for name in ("segment", "owner")),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _json("custom", "{}"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead")),
    )
    op.create_index(op.f("ix_lead_external_id"), "lead", ["external_id"], unique=True)

    op.create_table(
        "activity",
        _id(),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("activity_type", sa.String(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("content_stage", sa.String(), nullable=True),
        sa.Column("asset", sa.String(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("occurred_day", sa.Integer(), nullable=False),
        _lead_fk("activity"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    op.create_index(
        "ix_activity_lead_type_stage_day",
        "activity",
        ["lead_id", "activity_type", "content_stage", "occurred_day", "occurred_at"],
    )

    op.create_table(
        "sales_touch",
        _id(),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("touched_at", sa.DateTime(), nullable=False),
        sa.Column("rep", sa.String(), nullable=True),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("created_by", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("idempotency_key", sa.String(), nullable=True),
        _lead_fk("sales_touch"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_touch")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_sales_touch_idempotency_key")),
    )
    op.create_index(op.f("ix_sales_touch_lead_id"), "sales_touch", ["lead_id"])

    op.create_table(
        "sales_fact",
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("conversation_at", sa.DateTime(), nullable=True),
        *(
            sa.Column(name, sa.Boolean(), nullable=True)
            for name in ("budget", "authority", "need", "timeline")
        ),
        *(
            sa.Column(name, sa.DateTime(), nullable=True)
            for name in ("bant_at", "opportunity_at", "won_at", "lost_at")
        ),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("disqualified_at", sa.DateTime(), nullable=True),
        sa.Column("recycled_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=True),
        _lead_fk("sales_fact"),
        sa.PrimaryKeyConstraint("lead_id", name=op.f("pk_sales_fact")),
    )

    op.create_table(
        "definition_version",
        _id(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition_json", sa.Text(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        _json("signoffs", "[]"),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_definition_version")),
        sa.UniqueConstraint("version", name=op.f("uq_definition_version_version")),
    )

    op.create_table(
        "definition_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("definition_json", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _json("signoffs", "[]"),
        sa.CheckConstraint("id = 1", name=op.f("ck_definition_draft_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_definition_draft")),
    )

    op.create_table(
        "audit_log",
        _id(),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=True),
        _json("payload", "{}"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])

    meta = op.create_table(
        "meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.bulk_insert(meta, [{"key": "data_version", "value": "0"}])


def downgrade() -> None:
    for table in (
        "meta",
        "audit_log",
        "definition_draft",
        "definition_version",
        "sales_fact",
        "sales_touch",
        "activity",
        "lead",
    ):
        op.drop_table(table)
