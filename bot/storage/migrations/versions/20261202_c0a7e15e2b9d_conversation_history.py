"""conversation history: recent messages and stated baby age, read by the risk screen

Revision ID: c0a7e15e2b9d
Revises: 7d4727895d83
Create Date: 2026-12-02 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c0a7e15e2b9d"
down_revision = "7d4727895d83"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_recent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("conversation_recent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_recent_at"), ["at"], unique=False)
        batch_op.create_index("ix_conversation_recent_family_at", ["family_id", "at"], unique=False)
    op.create_table(
        "conversation_stated_age",
        sa.Column("family_id", sa.String(length=64), nullable=False),
        sa.Column("age_days", sa.Integer(), nullable=False),
        sa.Column("stated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("family_id"),
    )
    with op.batch_alter_table("conversation_stated_age", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_stated_age_stated_at"), ["stated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("conversation_stated_age", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_stated_age_stated_at"))
    op.drop_table("conversation_stated_age")
    with op.batch_alter_table("conversation_recent", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_recent_family_at")
        batch_op.drop_index(batch_op.f("ix_conversation_recent_at"))
    op.drop_table("conversation_recent")
