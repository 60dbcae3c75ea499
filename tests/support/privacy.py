"""Helpers for the data-rights tests: a temporary Rasa tracker store and a fake Rasa turn."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import create_engine, func, insert, select

from bot.rasa_ext.assistant import RasaAssistant
from bot.storage import trackerdb


def use_tracker(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An endpoints file naming a SQLite tracker store with Rasa's `events` table, used via ENDPOINTS_FILE."""
    db = tmp_path / "tracker.db"
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(db)}}))
    engine = create_engine(f"sqlite:///{db}", future=True)
    trackerdb.EVENTS.metadata.create_all(engine)
    engine.dispose()
    monkeypatch.setenv("ENDPOINTS_FILE", str(endpoints))
    return endpoints


def add_events(sender_id: str, at: dt.datetime, n: int = 3) -> None:
    engine = trackerdb.tracker_engine()
    assert engine is not None
    stamp = at.replace(tzinfo=dt.timezone.utc).timestamp()
    with engine.begin() as conn:
        for i in range(n):
            conn.execute(insert(trackerdb.EVENTS).values(sender_id=sender_id, timestamp=stamp + i))


def events(sender_id: str | None = None) -> int:
    engine = trackerdb.tracker_engine()
    assert engine is not None
    query = select(func.count()).select_from(trackerdb.EVENTS)
    if sender_id is not None:
        query = query.where(trackerdb.EVENTS.c.sender_id == sender_id)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


class FakeRasa(RasaAssistant):
    """Rasa's on_new_message stand-in, behind the real adapter (its collector is what the channels use)."""

    """Answers every message with one answer; records what reached it."""

    def __init__(self) -> None:
        super().__init__(self.receive)
        self.calls: list[str] = []

    async def receive(self, message: Any) -> None:
        self.calls.append(message.text)
        meta = {
            "kind": "answer",
            "answer_id": "breastfeeding/how_often",
            "topic": "breastfeeding",
            "version": "abc",
            "confidence": 0.9,
        }
        await message.output_channel.send_response(message.sender_id, {"text": "answer", "custom": {"parentbot": meta}})
