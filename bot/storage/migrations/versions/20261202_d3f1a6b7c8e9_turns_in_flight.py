"""turns in flight: the reply address the action server trusts (issue 13, item 4)

Revision ID: d3f1a6b7c8e9
Revises: e3f1a2b4c5d6
Create Date: 2026-12-02 14:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d3f1a6b7c8e9"
down_revision = "e3f1a2b4c5d6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "turns_in_flight",
        sa.Column("sender_id", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sender_id"),
    )
    op.create_index(op.f("ix_turns_in_flight_started_at"), "turns_in_flight", ["started_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_turns_in_flight_started_at"), table_name="turns_in_flight")
    op.drop_table("turns_in_flight")
