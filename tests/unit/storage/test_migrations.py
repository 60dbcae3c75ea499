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
