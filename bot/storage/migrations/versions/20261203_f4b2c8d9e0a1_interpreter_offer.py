"""conversation store: the interpreter offer awaiting the family's yes, beside their language choice (issue 15)

Revision ID: f4b2c8d9e0a1
Revises: a4c8e2f6b913
Create Date: 2026-12-03 09:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f4b2c8d9e0a1"
down_revision = "a4c8e2f6b913"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_stated_age", schema=None) as batch_op:
        batch_op.add_column(sa.Column("offered", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("offered_at", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_conversation_stated_age_offered_at"), ["offered_at"], unique=False)


def downgrade() -> None:
    # Rows that hold only an offer have nothing left to keep.
    op.execute("DELETE FROM conversation_stated_age WHERE age_days IS NULL AND language IS NULL")
    with op.batch_alter_table("conversation_stated_age", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_stated_age_offered_at"))
        batch_op.drop_column("offered_at")
        batch_op.drop_column("offered")
