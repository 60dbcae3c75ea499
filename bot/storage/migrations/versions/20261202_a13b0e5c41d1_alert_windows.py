"""alert windows: bounded staff paging in a burst (issue 13, item 1)

Revision ID: a13b0e5c41d1
Revises: c0a7e15e2b9d
Create Date: 2026-12-02 04:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a13b0e5c41d1"
down_revision = "c0a7e15e2b9d"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=128), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("grouped", sa.Integer(), nullable=False),
        sa.Column("repeats", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ux_alert_windows", "alert_windows", ["channel", "recipient", "window_start"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_alert_windows", table_name="alert_windows")
    op.drop_table("alert_windows")
