"""Sign-in and roles: the people who may sign in, with their team and role.

Only adds a table (nothing is copied, so no row can be lost). Who may sign in without
being listed is a row in `meta` (key `signin_policy`), so it needs no table of its own.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("team", sa.String(), nullable=True),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "role IN ('viewer', 'editor', 'approver', 'admin')", name=op.f("ck_app_user_role")
        ),
        sa.CheckConstraint(
            "team IS NULL OR team IN ('marketing', 'sales')", name=op.f("ck_app_user_team")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("email", name=op.f("uq_app_user_email")),
    )


def downgrade() -> None:
    op.drop_table("app_user")
