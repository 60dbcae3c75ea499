"""Rasa's SQL tracker store, read and pruned directly: Rasa 3.6 has no API to delete a conversation.

Which store: in the Rasa server's process, the one it runs with (our tracker store class registers itself
when Rasa builds it, so "delete my data" acts on it whatever files or settings say); elsewhere (`parentbot
forget`, `parentbot retention`) the endpoints file of settings ENDPOINTS_FILE, by default that of the profile:
endpoints.production.yml (PostgreSQL) with PROFILE=production, endpoints.yml (SQLite) otherwise. Only its
`events` table is touched: one row per event, keyed by
`sender_id` (our conversation key, `channel:id`: bot/turn/keys.py), with a float UNIX `timestamp`.

Deleting fails loudly (TrackerStoreUnavailable) when the store cannot be reached, is not SQL, or has no
`events` table: "nothing to delete" from the wrong database once told parents their data was gone while it
stayed in PostgreSQL (issue 13, item 5).
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, create_engine, delete, func, inspect, select
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.paths import ROOT
from bot.settings import get_settings
from bot.turn.keys import conversation_key

# Rasa's own table, described here (not on bot.storage.db.Base: it is not ours to create).
EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("timestamp", Float),
)


class TrackerStoreUnavailable(RuntimeError):
    """The conversation store cannot be reached or is not the one Rasa writes: nothing was deleted from it."""


# Set in the Rasa server's process by bot.rasa_ext.tracker_store when Rasa builds the tracker store.
_running_url: str | None = None


def use_running_store(url: str | None) -> None:
    global _running_url
    _running_url = url


def endpoints_file() -> Path:
    settings = get_settings()
    if settings.ENDPOINTS_FILE:
        return ROOT / settings.ENDPOINTS_FILE  # an absolute path stays as it is
    return ROOT / ("endpoints.production.yml" if settings.PROFILE == "production" else "endpoints.yml")


def tracker_url(endpoints: Path) -> str | None:
    """The SQLAlchemy URL of the SQL tracker store named in an endpoints file, or None."""
    # ${VAR} is expanded from the environment, as Rasa does when it reads the file (the production profile).
    text = os.path.expandvars(endpoints.read_text(encoding="utf-8"))
    config = (yaml.safe_load(text) or {}).get("tracker_store") or {}
    # "SQL" or our subclass of it (bot/rasa_ext/tracker_store.py: same tables, queries off the event loop).
    if str(config.get("type", "")).lower() not in ("sql", "bot.rasa_ext.tracker_store.threadedsqltrackerstore"):
        return None
    dialect = str(config.get("dialect", "sqlite"))
    db = str(config.get("db", "rasa.db"))
    if dialect == "sqlite":
        path = Path(db)
        # Rasa opens a relative path from its working directory, which bot.serve sets to the repository.
        return f"sqlite:///{path if path.is_absolute() else ROOT / path}"
    port = config.get("port")
    return str(
        URL.create(
            dialect,
            username=config.get("username"),
            password=config.get("password"),
            host=config.get("url"),
            port=int(port) if port else None,
            database=db,
        )
    )


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    # The events hold parents' words: an error must not quote them (issue 13, item 9).
    return create_engine(
        url,
        future=True,
        hide_parameters=True,
        connect_args={"timeout": 5} if url.startswith("sqlite") else {"connect_timeout": 5},
    )


def _where(endpoints: Path | None) -> tuple[str | None, str]:
    """The store's URL and, for error messages, where it came from (never the URL: it may hold a password)."""
    if endpoints is None and _running_url is not None:
        return _running_url, "the Rasa server's tracker store"
    path = endpoints or endpoints_file()
    try:
        return tracker_url(path), f"the tracker store of {path}"
    except OSError as err:
        raise TrackerStoreUnavailable(f"cannot read the endpoints file {path}: {err.strerror}") from None


def require_engine(endpoints: Path | None = None) -> Engine:
    """The tracker store's engine, checked: reachable, with Rasa's `events` table. Raises TrackerStoreUnavailable."""
    url, where = _where(endpoints)
    if url is None:
        raise TrackerStoreUnavailable(f"{where} is not an SQL tracker store: its conversations cannot be deleted")
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise TrackerStoreUnavailable(f"{where} is a SQLite file that does not exist: {url.removeprefix('sqlite:///')}")
    engine = _engine(url)
    try:
        has_events = inspect(engine).has_table("events")
    except SQLAlchemyError as err:
        raise TrackerStoreUnavailable(f"cannot reach {where}: {type(err).__name__}") from None
    if not has_events:
        raise TrackerStoreUnavailable(f"{where} has no `events` table: is it the database the Rasa server uses?")
    return engine


def tracker_engine(endpoints: Path | None = None) -> Engine | None:
    """For reading only: None when there is no store to read (a first contact then gets the notice)."""
    try:
        return require_engine(endpoints)
    except TrackerStoreUnavailable:
        return None


def has_conversation(channel: str, sender_id: str, endpoints: Path | None = None) -> bool:
    engine = tracker_engine(endpoints)
    if engine is None:
        return False
    key = conversation_key(channel, sender_id)  # Rasa's sender_id is our channel:id key
    with engine.connect() as conn:
        query = select(func.count()).select_from(EVENTS).where(EVENTS.c.sender_id == key)
        return bool(conn.execute(query).scalar_one())


def delete_conversation(channel: str, sender_id: str, endpoints: Path | None = None) -> int:
    """This family's Rasa conversation on this channel only: the same digits on another channel are another family."""
    engine = require_engine(endpoints)
    key = conversation_key(channel, sender_id)
    try:
        with engine.begin() as conn:
            return int(conn.execute(delete(EVENTS).where(EVENTS.c.sender_id == key)).rowcount or 0)
    except SQLAlchemyError as err:
        raise TrackerStoreUnavailable(f"deleting from the tracker store failed: {type(err).__name__}") from None


def delete_before(cutoff: dt.datetime, endpoints: Path | None = None) -> int:
    """Events older than `cutoff` (naive UTC). A long conversation loses its old turns and keeps recent ones."""
    engine = require_engine(endpoints)
    stamp = cutoff.replace(tzinfo=dt.timezone.utc).timestamp()
    try:
        with engine.begin() as conn:
            return int(conn.execute(delete(EVENTS).where(EVENTS.c.timestamp < stamp)).rowcount or 0)
    except SQLAlchemyError as err:
        raise TrackerStoreUnavailable(f"deleting from the tracker store failed: {type(err).__name__}") from None
