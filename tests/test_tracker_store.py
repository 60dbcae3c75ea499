"""Rasa builds bot.tracker_store.ThreadedSQLTrackerStore from our endpoints files, and it keeps a conversation.

Rasa falls back to the in-memory store, with only a warning, when a custom tracker store cannot be imported:
this test is what notices."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from bot.paths import ROOT
from bot.tracker_store import ThreadedSQLTrackerStore


def store_for(endpoints: Path) -> object:
    store = TrackerStore.create(read_endpoint_config(str(endpoints), "tracker_store"))
    return getattr(store, "_tracker_store", store)


async def test_embedded_endpoints_build_the_threaded_store(tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    config["tracker_store"]["db"] = str(tmp_path / "tracker.db")
    (tmp_path / "endpoints.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    store = store_for(tmp_path / "endpoints.yml")
    assert isinstance(store, ThreadedSQLTrackerStore)

    tracker = DialogueStateTracker.from_events("family-1", [ActionExecuted("action_listen"),
                                                            UserUttered("hello", {"name": "greet"})])
    await store.save(tracker)
    again = await store.retrieve("family-1")
    assert again is not None and again.latest_message.text == "hello"
    assert list(await store.keys()) == ["family-1"]


def test_production_endpoints_name_the_threaded_store() -> None:
    config = yaml.safe_load((ROOT / "endpoints.production.yml").read_text(encoding="utf-8"))
    assert config["tracker_store"]["type"] == "bot.tracker_store.ThreadedSQLTrackerStore"
    assert config["lock_store"]["type"] == "bot.lock_store.AtomicRedisLockStore"
