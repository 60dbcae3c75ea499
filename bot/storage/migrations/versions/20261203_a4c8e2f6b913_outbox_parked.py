"""outbox rows parked after repeated failures, shown in the staff inbox (issue 13, item 10)

Revision ID: a4c8e2f6b913
Revises: d3f1a6b7c8e9
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a4c8e2f6b913"
down_revision = "d3f1a6b7c8e9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("parked_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("parked_at")
