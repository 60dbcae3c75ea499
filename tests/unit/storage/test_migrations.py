"""The Alembic migrations build exactly the schema the models describe, on SQLite and on PostgreSQL: a model
change without a migration fails here. PostgreSQL is required (`.ci/run` starts it): unreachable fails."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from bot.storage.db import Base, head_revision, upgrade
from tests.support.pg import fresh_databases


def differences(url: str) -> list[object]:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert context.get_current_revision() == head_revision(url)
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_sqlite_upgrade_matches_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    assert differences(url) == [], "models and migrations differ: add a migration (docs/deploy.md)"


def test_postgresql_upgrade_matches_models() -> None:
    # An unreachable server raises pg_support.ServiceMissing (how to start it): the test errors, never skips.
    with fresh_databases("parentbot_m", need_redis=False) as dbs:
        url = dbs.url(dbs.project)
        upgrade(url)
        assert differences(url) == [], "models and migrations differ: add a migration (docs/deploy.md)"


def test_turns_in_flight_from_before_the_keys_are_rewritten_to_them(tmp_path: Path) -> None:
    """Issue 13, item 3: a turn running across the upgrade keeps its reply address under its new key."""
    from alembic import command
    from sqlalchemy import text

    from bot.storage.db import alembic_config

    url = f"sqlite:///{tmp_path / 'keys.db'}"
    upgrade(url, "d3f1a6b7c8e9")
    engine = create_engine(url, future=True)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO turns_in_flight (sender_id, channel, started_at) VALUES "
                    "('+447700900123', 'sms', '2026-12-01 10:00:00'), ('700123456', 'telegram', '2026-12-01 10:00:00')"
                )
            )
        upgrade(url)
        with engine.connect() as conn:
            keys = sorted(conn.execute(text("SELECT sender_id FROM turns_in_flight")).scalars())
        assert keys == ["sms:+447700900123", "telegram:700123456"]
        command.downgrade(alembic_config(url), "d3f1a6b7c8e9")
        with engine.connect() as conn:
            keys = sorted(conn.execute(text("SELECT sender_id FROM turns_in_flight")).scalars())
        assert keys == ["+447700900123", "700123456"]
    finally:
        engine.dispose()
