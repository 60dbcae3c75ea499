"""ThreadedSQLTrackerStore: Rasa's SQL tracker store without the event-loop stalls measured under `make bench`.

Rasa 3.6's SQLTrackerStore is `async` in name only: its queries and commits run synchronously inside the
Rasa server's event loop, so while one family's tracker is read or written every other conversation on that
server waits (py-spy under `make bench`: a third of the loop's time was the SQLite commit). This subclass:

- on PostgreSQL (network round trips), runs the same queries in a worker thread (`asyncio.to_thread`); the
  lock store still serialises one conversation's turns, so each tracker is read and written by one thread at a
  time;
- knows how many of a tracker's events are already stored (from the read at the start of the turn, or its own
  last write) instead of counting the rows again before every write (Rasa's `_additional_events`: about 5% of
  the loop's time on SQLite under `make bench`). Correct on several servers too: the lock store holds the
  conversation between the read and the write;
- on SQLite, keeps them on the loop (measured: the thread hop cost more than it saved, 30.6 against 34.0
  messages a second) but reuses connections (SQLAlchemy 1.4 opens one per query for file SQLite) and puts
  the file in WAL mode (one sync per commit instead of several, same durability): 20.6 -> 34 messages a second
  on Telegram and SMS with 4 concurrent senders, together with bot/rasa_ext/perf.py.

Used in endpoints.yml (SQLite) and endpoints.production.yml (PostgreSQL):

    tracker_store:
      type: bot.rasa_ext.tracker_store.ThreadedSQLTrackerStore
      dialect: postgresql
      ...
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Coroutine
from typing import Any, TypeVar

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from bot.storage import redact, trackerdb

T = TypeVar("T")
# Set on a tracker object: how many of its events (from the start of its `events`) are rows in the table.
STORED = "_parentbot_stored_events"


def _sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _run_to_end(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine that never suspends (Rasa's SQL methods await nothing) to its result, in this thread."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]  # StopIteration.value is Any
    coro.close()
    raise RuntimeError("the tracker store coroutine suspended; it cannot run in a worker thread")


class ThreadedSQLTrackerStore(SQLTrackerStore):
    """Built by Rasa from endpoints (`type: bot.rasa_ext.tracker_store.ThreadedSQLTrackerStore`), same keys as `SQL`."""

    engine: Engine  # set by SQLTrackerStore.__init__ (untyped Rasa code)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The events are parents' words: a failed statement's error (logged by Rasa) must not quote them.
        # Rasa builds its engine without asking us; the attribute is what SQLAlchemy reads when it raises.
        self.engine.hide_parameters = True
        redact.install()
        self.offload = self.engine.dialect.name != "sqlite"
        if not self.offload:
            # SQLAlchemy 1.4 gives file SQLite a NullPool (a new connection per query); reuse connections, which
            # the worker threads take one at a time, and put the file in WAL mode.
            url = self.engine.url
            self.engine.dispose()
            self.engine = create_engine(
                url,
                hide_parameters=True,
                poolclass=QueuePool,
                pool_size=5,
                max_overflow=10,
                connect_args={"check_same_thread": False, "timeout": 5},
            )
            event.listen(self.engine, "connect", _sqlite_wal)
            self.sessionmaker = sessionmaker(bind=self.engine)
        # "Delete my data" in this process erases from this store, not from whatever a settings file names.
        trackerdb.use_running_store(self.engine.url.render_as_string(hide_password=False))

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        parent = super()._retrieve
        if not self.offload:
            tracker = await parent(sender_id, fetch_events_from_all_sessions)
        else:
            tracker = await asyncio.to_thread(lambda: _run_to_end(parent(sender_id, fetch_events_from_all_sessions)))
        if tracker is not None and not fetch_events_from_all_sessions:
            # Rasa rebuilt the tracker from exactly the stored rows of the latest session, one event per row.
            setattr(tracker, STORED, len(tracker.events))
        return tracker

    async def create_tracker(self, sender_id: str, append_action_listen: bool = True) -> DialogueStateTracker:
        # TrackerStore.create_tracker (Rasa 3.6.21) plus the mark: the mark must be set before the save inside.
        # Rasa calls this only when a read found nothing stored for the conversation: none of its events are.
        tracker = self.init_tracker(sender_id)
        setattr(tracker, STORED, 0)
        if append_action_listen:
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        await self.save(tracker)
        return tracker

    async def keys(self) -> Any:
        parent = super().keys
        if not self.offload:
            return await parent()
        return await asyncio.to_thread(lambda: _run_to_end(parent()))

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)  # an event broker, if any, stays on the loop
        if self.offload:
            await asyncio.to_thread(self._save_rows, tracker)
        else:
            self._save_rows(tracker)

    def _save_rows(self, tracker: DialogueStateTracker) -> None:
        # The body of SQLTrackerStore.save (Rasa 3.6.21), minus the event broker and, for a tracker this store
        # read or wrote, the row count.
        with self.session_scope() as session:
            stored = getattr(tracker, STORED, None)
            if stored is None or tracker.events.maxlen is not None:  # unknown, or a capped history: count rows
                new = self._additional_events(session, tracker)
            else:
                new = itertools.islice(tracker.events, stored, None)
            for ev in new:
                data = ev.as_dict()
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=ev.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
        setattr(tracker, STORED, len(tracker.events))
