"""The project's database (SQLAlchemy 1.4 in 2.0 style): SQLite by default, PostgreSQL in production.

Every table module (bot/storage/models/*.py) registers on `Base`. The schema is Alembic's (bot/storage/migrations):
`parentbot db upgrade` brings a database to the latest revision. On SQLite (the embedded default, tests) the
first use creates missing tables directly, so `make run` needs no step; on any other database (PostgreSQL in
production) the first use checks that the database is at the latest revision and refuses to run if not.
Engines are built on first use, never at import time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.settings import get_settings
from bot.storage import redact
from bot.storage.base import Base

if TYPE_CHECKING:  # alembic is imported only when migrating, not by every process that opens the database
    from alembic.config import Config

# Imported for their side effect: each table registers on Base.metadata, which create_all and Alembic read.
from bot.storage.models import channels, conversation, escalation, themes  # noqa: F401


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:  # the DB-API connection, untyped
    # WAL lets the Rasa server and the action server (two processes) read while one writes; the busy timeout
    # makes a writer wait for the lock instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    # A process that opens the database keeps database errors' messages out of its logs (bot/storage/redact.py);
    # hide_parameters keeps the statement's values (a parent's words, a number) out of every error's text.
    redact.install()
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # SQLAlchemy 1.4 gives file SQLite a NullPool: a new connection (and the pragmas above, WAL needing a
        # lock) for every transaction. `make bench` measured that as a tenth of the Rasa server's time; a
        # pool of reused connections (each used by one thread at a time) removes it.
        engine = create_engine(
            url,
            future=True,
            hide_parameters=True,
            connect_args={"timeout": 5, "check_same_thread": False},
            poolclass=QueuePool,
            pool_size=5,
            max_overflow=10,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)


_SCHEMA_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    # lru_cache does not stop two threads (a webhook's to_thread and the outbox worker) from both getting
    # here first: the lock does. Another process (the action server) may create the same tables at the same
    # moment: then "already exists" is the outcome we wanted, and a second pass finds everything in place.
    with _SCHEMA_LOCK:
        engine = make_engine(url)
        if not url.startswith("sqlite"):
            check_migrated(engine)
            return engine
        try:
            Base.metadata.create_all(engine)
        except DBAPIError as err:
            if "already exists" not in str(err).lower():
                raise
            Base.metadata.create_all(engine)
        return engine


def get_engine() -> Engine:
    return engine_for(get_settings().DATABASE_URL)


@lru_cache(maxsize=4)
def _factory(url: str) -> sessionmaker:
    return sessionmaker(engine_for(url), future=True, expire_on_commit=False)


@contextmanager
def transaction() -> Iterator[Session]:
    """`with transaction() as s:` commits on success, rolls back on error."""
    with _factory(get_settings().DATABASE_URL)() as session, session.begin():
        yield session


MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class NotMigrated(RuntimeError):
    """The database is behind the code's schema: run `parentbot db upgrade`."""


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision(url: str) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def check_migrated(engine: Engine) -> None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    head = head_revision(str(engine.url))
    if current != head:
        raise NotMigrated(
            f"database {engine.url.render_as_string(hide_password=True)} is at revision {current}, "
            f"the code needs {head}: run `parentbot db upgrade`"
        )


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """`parentbot db upgrade`: apply every migration not yet applied to DATABASE_URL (or `url`)."""
    from alembic import command

    command.upgrade(alembic_config(url or get_settings().DATABASE_URL), revision)
