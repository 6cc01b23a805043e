"""Sales facts: when the CRM says a lead reached SQL (`qualified_at`).

An imported "qualified" flag or an SQL stage is a fact the CRM recorded, independent of
Baton's BANT criteria. Only adds a nullable column: no row is copied, none can be lost.

Revision ID: 0008
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("sales_fact", sa.Column("qualified_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35): a batch rebuild of `sales_fact` is not needed.
    op.execute('ALTER TABLE "sales_fact" DROP COLUMN "qualified_at"')
