"""CSV imports: an idempotence key per imported activity, and saved column mappings.

Only adds a column, an index and a table (nothing is copied, so no row can be lost).
Imported touches reuse `sales_touch.idempotency_key`, which is unique already.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("activity", sa.Column("import_key", sa.String(), nullable=True))
    # NULLs never collide, so activities logged before (or by hand) need no key.
    op.create_index("ix_activity_import_key", "activity", ["import_key"], unique=True)
    op.create_table(
        "import_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("mapping_json", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mapping")),
        sa.UniqueConstraint("name", name=op.f("uq_import_mapping_name")),
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35): a batch rebuild of `activity` is not needed.
    op.drop_table("import_mapping")
    op.drop_index("ix_activity_import_key", table_name="activity")
    op.execute('ALTER TABLE "activity" DROP COLUMN "import_key"')
