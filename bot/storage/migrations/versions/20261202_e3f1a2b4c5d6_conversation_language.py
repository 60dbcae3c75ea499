"""conversation store: the language the family chose, beside the stated baby age (either may be unset)

Revision ID: e3f1a2b4c5d6
Revises: d7e3a9c2b415
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e3f1a2b4c5d6"
down_revision = "d7e3a9c2b415"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_stated_age", schema=None) as batch_op:
        batch_op.alter_column("age_days", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("stated_at", existing_type=sa.DateTime(), nullable=True)
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("language_at", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_conversation_stated_age_language_at"), ["language_at"], unique=False)


def downgrade() -> None:
    # Rows that hold only a language have no age to keep.
    op.execute("DELETE FROM conversation_stated_age WHERE age_days IS NULL OR stated_at IS NULL")
    with op.batch_alter_table("conversation_stated_age", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_stated_age_language_at"))
        batch_op.drop_column("language_at")
        batch_op.drop_column("language")
        batch_op.alter_column("stated_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.alter_column("age_days", existing_type=sa.Integer(), nullable=False)
