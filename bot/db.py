"""The project's database (SQLAlchemy 1.4 in 2.0 style): SQLite by default, PostgreSQL in production.

Every table module (bot/models_*.py) registers on `Base`; `create_schema()` creates what is missing.
Engines are built on first use, never at import time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from bot.settings import get_settings

Base = declarative_base()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets the Rasa server and the action server (two processes) read while one writes; the busy timeout
    # makes a writer wait for the lock instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args={"timeout": 5})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    engine = make_engine(url)
    import_models()
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


def import_models() -> None:
    """Import every table module so Base.metadata knows all tables (add new modules here)."""
    import importlib
    import pkgutil

    import bot

    for module in pkgutil.iter_modules(bot.__path__):
        if module.name.startswith("models_"):
            importlib.import_module(f"bot.{module.name}")
