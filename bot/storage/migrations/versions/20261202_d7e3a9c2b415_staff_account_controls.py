"""Staff account controls (issue 13, item 7): casework permission, disabled leavers, locked accounts.

A manager does not reply to or close a family's case unless given casework; health visitors have it.

Revision ID: d7e3a9c2b415
Revises: 5b1e9c3a7d20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d7e3a9c2b415"
down_revision = "5b1e9c3a7d20"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("casework", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("disabled_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
    op.execute("UPDATE staff_users SET casework = (role = 'health_visitor')")


def downgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("disabled_at")
        batch.drop_column("casework")
