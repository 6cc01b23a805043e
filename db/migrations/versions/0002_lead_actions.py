"""Lead actions: a version per lead, and undoable, idempotent audit entries.

Only adds columns and indexes (no table is copied, so no row can be lost): SQLite adds
columns in place, and builds indexes, without a batch table rebuild.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "lead", sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    op.add_column("audit_log", sa.Column("idempotency_key", sa.String(), nullable=True))
    op.add_column("audit_log", sa.Column("undone_at", sa.DateTime(), nullable=True))
    op.add_column("audit_log", sa.Column("undone_by", sa.String(), nullable=True))
    op.create_index("ix_audit_log_entity_entity_id", "audit_log", ["entity", "entity_id"])
    op.create_index("ix_audit_log_idempotency_key", "audit_log", ["idempotency_key"], unique=True)


def downgrade() -> None:
    # Drops only what upgrade added. Plain DROP COLUMN (SQLite >= 3.35): a batch rebuild
    # of `lead` would drop the table, and with it, by cascade, every activity.
    op.drop_index("ix_audit_log_idempotency_key", table_name="audit_log")
    op.drop_index("ix_audit_log_entity_entity_id", table_name="audit_log")
    for table, column in (
        ("audit_log", "undone_by"),
        ("audit_log", "undone_at"),
        ("audit_log", "idempotency_key"),
        ("lead", "version"),
    ):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
