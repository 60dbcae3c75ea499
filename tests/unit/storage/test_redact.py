"""Issue 13, item 9: a database error's message (which can quote a parent's words or number) never reaches a
log line; its type and traceback do. Other errors keep their messages."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from bot.storage import redact
from bot.storage.db import make_engine

# Messages built away from the raise lines: a traceback shows each line's source, and these are the data.
LOCKED = "database is locked: " + "Zebedee"
TURN_FAILED = "turn failed for " + "Zebedee"


def logged(logger_name: str, err: BaseException) -> str:
    redact.install()
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        try:
            raise err
        except BaseException:
            logger.exception("write failed")
    finally:
        logger.removeHandler(handler)
    return out.getvalue()


def failing_insert(tmp_path: Path) -> OperationalError:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO no_such_table (words) VALUES (:w)"), {"w": "Zebedee +447700900123"})
    except OperationalError as err:
        return err
    finally:
        engine.dispose()
    raise AssertionError("the insert did not fail")


def test_the_engine_hides_statement_parameters(tmp_path: Path) -> None:
    err = failing_insert(tmp_path)
    assert "Zebedee" not in str(err)
    assert "+447700900123" not in str(err)
    assert "SQL parameters hidden" in str(err)


def test_a_database_error_is_logged_by_type_and_frames_without_its_message(tmp_path: Path) -> None:
    err = failing_insert(tmp_path)
    out = logged("tests.redact.db", err)
    assert out.startswith("ERROR write failed\nTraceback (most recent call last):\n")
    assert "sqlite3.OperationalError (message withheld: a database error may quote a family's data)" in out
    assert "sqlalchemy.exc.OperationalError (message withheld" in out
    assert "test_redact.py" in out  # where it was raised
    # The message ("no such table: ...") and SQLAlchemy's statement are gone (source lines are code, kept).
    assert "no such table" not in out
    assert "[SQL:" not in out


def test_a_driver_error_quoting_a_value_is_withheld_even_without_sqlalchemy() -> None:
    # PostgreSQL's own messages quote key values: 'Key (sender_id)=(+447700900123) already exists'.
    import sqlite3

    out = logged("tests.redact.driver", sqlite3.IntegrityError("Key (sender_id)=(+447700900123) already exists"))
    assert "+447700900123" not in out
    assert "sqlite3.IntegrityError (message withheld" in out


def test_an_error_caused_by_a_database_error_is_withheld_too() -> None:
    import sqlite3

    try:
        try:
            raise sqlite3.OperationalError(LOCKED)
        except sqlite3.OperationalError as inner:
            raise RuntimeError(TURN_FAILED) from inner
    except RuntimeError as outer:
        out = logged("tests.redact.chain", outer)
    assert "Zebedee" not in out
    assert "builtins.RuntimeError (message withheld" in out


@pytest.mark.parametrize("err", [ValueError("bad option 7"), KeyError("render")])
def test_other_errors_keep_their_messages(err: BaseException) -> None:
    out = logged("tests.redact.other", err)
    assert str(err) in out
    assert "withheld" not in out
