"""Escalations record the parent's language (issue 15): staff see "Language: Polish, interpreter needed".

Revision ID: a15e0c1a9f01
Revises: b24c1f6d52e2
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a15e0c1a9f01"
down_revision = "b24c1f6d52e2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("escalations") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("escalations") as batch:
        batch.drop_column("language")
