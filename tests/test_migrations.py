"""The Alembic migrations build exactly the schema the models describe, on SQLite and on PostgreSQL: a model
change without a migration fails here. PostgreSQL is required (`.ci/run` starts it): unreachable fails."""

from __future__ import annotations

import uuid
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine
from test_two_servers import PG_HOST, PG_PORT, pg_admin

from bot.db import Base, head_revision, import_models, upgrade


def differences(url: str) -> list[object]:
    import_models()
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
    admin = pg_admin()
    name = f"parentbot_m{uuid.uuid4().hex[:10]}"
    user = admin.get_dsn_parameters()["user"]
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')  # a generated identifier, not input
    try:
        url = f"postgresql+psycopg2://{user}@{PG_HOST}:{PG_PORT}/{name}"
        upgrade(url)
        assert differences(url) == [], "models and migrations differ: add a migration (docs/deploy.md)"
    finally:
        with admin.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
