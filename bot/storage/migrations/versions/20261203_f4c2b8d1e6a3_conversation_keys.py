"""conversation keys: turns in flight keyed channel:id (issue 13, item 3)

Rasa's sender id, and so the key of `turns_in_flight`, is now `channel:id` (bot/turn/keys.py). A row written
before the upgrade is rewritten to its key, so a turn running across the upgrade keeps its reply address.
The project's other tables already keep channel and sender id in two columns; Rasa's own `events` table is
not in this schema (the tracker store's database): pre-release, its conversations under bare ids simply
start again under their keys (docs/deploy.md).

Revision ID: f4c2b8d1e6a3
Revises: f4b2c8d9e0a1
Create Date: 2026-12-03 09:50:00
"""

from __future__ import annotations

from alembic import op

revision = "f4c2b8d1e6a3"
down_revision = "f4b2c8d9e0a1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # `||`, substr and length are the same on SQLite and PostgreSQL. Rows already keyed are left alone.
    op.execute(
        "UPDATE turns_in_flight SET sender_id = channel || ':' || sender_id "
        "WHERE substr(sender_id, 1, length(channel) + 1) != channel || ':'"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE turns_in_flight SET sender_id = substr(sender_id, length(channel) + 2) "
        "WHERE substr(sender_id, 1, length(channel) + 1) = channel || ':'"
    )
