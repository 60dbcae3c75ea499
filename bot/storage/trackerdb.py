"""Rasa's SQL tracker store, read and pruned directly: Rasa 3.6 has no API to delete a conversation.

The store is the one in the endpoints file the Rasa server runs with (settings ENDPOINTS_FILE; `bot.serve`
sets it for the processes it starts). Only its `events` table is touched: one row per event, keyed by
`sender_id` (our conversation key, `channel:id`: bot/turn/keys.py), with a float UNIX `timestamp`. A tracker
store that is not SQL (or a SQLite file that does not exist yet) means there is nothing here to read or delete.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, create_engine, delete, func, inspect, select
from sqlalchemy.engine import URL, Engine

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
        url, future=True, hide_parameters=True, connect_args={"timeout": 5} if url.startswith("sqlite") else {}
    )


def tracker_engine(endpoints: Path | None = None) -> Engine | None:
    url = tracker_url(endpoints or get_settings().ENDPOINTS_FILE)
    if url is None or (url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists()):
        return None
    engine = _engine(url)
    return engine if inspect(engine).has_table("events") else None


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
    engine = tracker_engine(endpoints)
    if engine is None:
        return 0
    key = conversation_key(channel, sender_id)
    with engine.begin() as conn:
        return int(conn.execute(delete(EVENTS).where(EVENTS.c.sender_id == key)).rowcount or 0)


def delete_before(cutoff: dt.datetime, endpoints: Path | None = None) -> int:
    """Events older than `cutoff` (naive UTC). A long conversation loses its old turns and keeps recent ones."""
    engine = tracker_engine(endpoints)
    if engine is None:
        return 0
    stamp = cutoff.replace(tzinfo=dt.timezone.utc).timestamp()
    with engine.begin() as conn:
        return int(conn.execute(delete(EVENTS).where(EVENTS.c.timestamp < stamp)).rowcount or 0)
