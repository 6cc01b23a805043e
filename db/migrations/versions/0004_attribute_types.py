"""Typed custom attributes: a registry of each custom lead attribute's type.

Only adds a table (nothing is copied or rewritten, so no value can be lost). Attributes
stored before it have no entry and are read as text, as before; the next import of their
column types them.

Revision ID: 0004
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "custom_attribute",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("value_type", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_custom_attribute")),
    )


def downgrade() -> None:
    # The values stay in lead.custom; without the registry they read as text again.
    op.drop_table("custom_attribute")
