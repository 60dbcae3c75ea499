"""pending inbound messages: stored before the webhook's 200 (issue 13, item 2)

Revision ID: b24c1f6d52e2
Revises: a13b0e5c41d1
Create Date: 2026-12-02 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b24c1f6d52e2"
down_revision = "a13b0e5c41d1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_pending_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("sender_id", sa.String(length=128), nullable=False),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("lease_until", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_channel_pending_messages_lease_until"), "channel_pending_messages", ["lease_until"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_channel_pending_messages_lease_until"), table_name="channel_pending_messages")
    op.drop_table("channel_pending_messages")
