"""Database errors in logs: their type and where they were raised, never their message (issue 13, item 9).

A database error's text can quote the row it was about: SQLAlchemy appends the statement's parameters (a
parent's words, a phone number, a Telegram chat id) unless the engine hides them, and PostgreSQL's own
messages quote key values ("Key (sender_id)=(+44...) already exists"). Engines are built with
`hide_parameters=True` (bot/storage/db.py); this covers the rest, in every logger of the process (ours,
Rasa's, Sanic's): a record carrying such an exception keeps its traceback's frames and the exception types,
and loses the exception messages.

`install()` is called when a process first opens the database (bot/storage/db.py make_engine); it is
idempotent and changes nothing at import time.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import traceback
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

WITHHELD = "(message withheld: a database error may quote a family's data)"

_installed = False
_lock = threading.Lock()


def _chain(err: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def is_database_error(err: BaseException) -> bool:
    """SQLAlchemy's errors and the drivers' own (sqlite3, psycopg2: their DB-API `Error` classes)."""
    for link in _chain(err):
        if isinstance(link, SQLAlchemyError | sqlite3.Error):
            return True
        if type(link).__module__.split(".")[0] in ("psycopg2", "psycopg", "asyncpg"):
            return True
    return False


def describe(err: BaseException) -> str:
    """The traceback of `err` and of what caused it, types only: what an engineer needs to find the place."""
    parts: list[str] = []
    for link in reversed(_chain(err)):
        if parts:
            parts.append("\nThe above exception led to:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_list(traceback.extract_tb(link.__traceback__)))
        parts.append(f"{type(link).__module__}.{type(link).__qualname__} {WITHHELD}\n")
    return "".join(parts).rstrip("\n")


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    exc_info = record.exc_info
    if exc_info and exc_info[1] is not None and is_database_error(exc_info[1]):
        record.exc_text = describe(exc_info[1])
        record.exc_info = None  # the formatter uses exc_text as it is
    return record


def install() -> None:
    """Wrap the process's log record factory once, so every logger's records are redacted as they are made."""
    global _installed
    with _lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return redact_record(previous(*args, **kwargs))

        logging.setLogRecordFactory(factory)
        _installed = True
