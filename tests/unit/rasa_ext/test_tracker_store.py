"""Rasa builds bot.rasa_ext.tracker_store.ThreadedSQLTrackerStore from our endpoints files, and it keeps a conversation.

Rasa falls back to the in-memory store, with only a warning, when a custom tracker store cannot be imported:
this test is what notices."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config
from sqlalchemy import event, func, select

from bot.paths import ROOT
from bot.rasa_ext.tracker_store import ThreadedSQLTrackerStore


def store_for(endpoints: Path) -> object:
    store = TrackerStore.create(read_endpoint_config(str(endpoints), "tracker_store"))
    return getattr(store, "_tracker_store", store)


async def test_embedded_endpoints_build_the_threaded_store(tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    config["tracker_store"]["db"] = str(tmp_path / "tracker.db")
    (tmp_path / "endpoints.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    store = store_for(tmp_path / "endpoints.yml")
    assert isinstance(store, ThreadedSQLTrackerStore)

    tracker = DialogueStateTracker.from_events(
        "family-1", [ActionExecuted("action_listen"), UserUttered("hello", {"name": "greet"})]
    )
    await store.save(tracker)
    again = await store.retrieve("family-1")
    assert again is not None and again.latest_message.text == "hello"
    assert list(await store.keys()) == ["family-1"]


def test_production_endpoints_name_the_threaded_store() -> None:
    config = yaml.safe_load((ROOT / "endpoints.production.yml").read_text(encoding="utf-8"))
    assert config["tracker_store"]["type"] == "bot.rasa_ext.tracker_store.ThreadedSQLTrackerStore"
    assert config["lock_store"]["type"] == "bot.rasa_ext.lock_store.AtomicRedisLockStore"


async def test_turns_store_each_event_once_without_recounting_rows(tmp_path: Path) -> None:
    """The store remembers how many of a tracker's events are rows; the rows stay exactly the events, turn after
    turn, with a session restart in between, and no turn counts the rows again."""
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    config["tracker_store"]["db"] = str(tmp_path / "tracker.db")
    (tmp_path / "endpoints.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    store = store_for(tmp_path / "endpoints.yml")
    assert isinstance(store, ThreadedSQLTrackerStore)
    store.domain = Domain.empty()
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda _c, _cur, sql, *_a: statements.append(sql.lower()))

    def rows() -> int:
        with store.session_scope() as session:
            return int(session.scalar(select(func.count()).select_from(store.SQLEvent)))

    tracker = await store.get_or_create_tracker("family-2")  # new: created and saved
    assert rows() == len(tracker.events) == 1
    for turn in range(4):
        tracker = await store.get_or_create_tracker("family-2")
        # Rasa's session query goes by timestamp: the restart's events are made when it happens.
        extra = [ActionExecuted("action_session_start"), SessionStarted()] if turn == 2 else []
        for ev in [*extra, UserUttered(f"message {turn}", {"name": "greet"}), ActionExecuted("action_listen")]:
            tracker.update(ev)
        statements.clear()
        await store.save(tracker)
        assert not any("count(" in sql for sql in statements), statements
    # Two sessions: the latest holds what followed the restart; every event was written once.
    latest = await store.retrieve("family-2")
    full = await store.retrieve_full_tracker("family-2")
    assert latest is not None and full is not None
    assert rows() == len(full.events) == 1 + 4 * 2 + 2
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == [f"message {i}" for i in range(4)]
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["message 2", "message 3"]
