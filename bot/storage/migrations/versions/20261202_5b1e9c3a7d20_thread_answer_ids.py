"""escalation thread: what the assistant sent (answer id or risk route) beside its words

Revision ID: 5b1e9c3a7d20
Revises: a15e0c1a9f01
Create Date: 2026-12-02 04:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "5b1e9c3a7d20"
down_revision = "a15e0c1a9f01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("escalation_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer_id", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("escalation_messages", schema=None) as batch_op:
        batch_op.drop_column("answer_id")
