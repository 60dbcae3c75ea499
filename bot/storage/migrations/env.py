"""Alembic environment: the project's tables are bot.storage.db.Base.metadata (every bot/storage/models/*.py).

The URL is the Alembic config's `sqlalchemy.url` when a caller sets it (tests, bot.storage.db.upgrade), else
DATABASE_URL from the settings. SQLite gets batch mode, since it cannot ALTER most things in place.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

import bot.storage.db  # noqa: F401  (imports every model, so Base.metadata holds every table)
from bot.settings import get_settings
from bot.storage.base import Base

target_metadata = Base.metadata


def database_url() -> str:
    return context.config.get_main_option("sqlalchemy.url") or get_settings().DATABASE_URL


def run_offline() -> None:
    url = database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    url = database_url()
    connectable = context.config.attributes.get("connection")
    if connectable is not None:
        _run(connectable, url)
        return
    engine = create_engine(url, future=True, hide_parameters=True)
    try:
        with engine.connect() as connection:
            _run(connection, url)
    finally:
        engine.dispose()


def _run(connection: Connection, url: str) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
