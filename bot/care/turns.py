"""Turns in flight (issue 13, item 4): which channel the conversation the Rasa server is answering right now
came in on. The action server is sent a tracker, and whoever can reach it can write any channel and sender
into one; an escalation's reply address (where health visitors' replies go) must be ours. So the turn writes
a row before it asks Rasa and deletes it after, and the action server's escalations read the channel from
that row for the tracker's conversation, recording nothing when there is none (bot/actions/escalate.py).
Rows are keyed by the conversation key (`channel:id`, bot/turn/keys.py), the tracker's own sender id.

Rows live for one turn. One a crash left behind is replaced by the family's next turn, ignored once older
than MAX_TURN, and deleted by the next turn of anyone after STALE. Synchronous; callers use asyncio.to_thread.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.storage.db import transaction
from bot.storage.models.channels import TurnInFlight, utcnow

MAX_TURN = dt.timedelta(minutes=2)  # far beyond the turn's own timeout (TURN_TIMEOUT_S)
STALE = dt.timedelta(hours=1)


def begin(key: str, channel: str, now: dt.datetime | None = None) -> dt.datetime:
    """Record the turn; returns its start, which `end` needs."""
    now = now or utcnow()
    for attempt in range(2):
        try:
            with transaction() as s:
                s.execute(delete(TurnInFlight).where(TurnInFlight.started_at < now - STALE))
                row = s.get(TurnInFlight, key)
                if row is None:
                    s.add(TurnInFlight(sender_id=key, channel=channel, started_at=now))
                else:
                    row.channel, row.started_at = channel, now
            return now
        except IntegrityError:  # another server began a turn for the same key at the same moment: update it
            if attempt == 1:
                raise
    raise AssertionError("unreachable")


def end(key: str, started_at: dt.datetime | None = None) -> None:
    """Delete the turn's row; given `started_at`, only if no later turn of the family has replaced it (the
    assistant runs this after the reply has gone, so the family's next turn may already have begun)."""
    query = delete(TurnInFlight).where(TurnInFlight.sender_id == key)
    if started_at is not None:
        query = query.where(TurnInFlight.started_at == started_at)
    with transaction() as s:
        s.execute(query)


def channel_of(key: str, now: dt.datetime | None = None) -> str | None:
    """The channel of this conversation's turn in flight; None when we are answering no turn for it."""
    now = now or utcnow()
    with transaction() as s:
        channel: str | None = s.scalar(
            select(TurnInFlight.channel).where(TurnInFlight.sender_id == key, TurnInFlight.started_at >= now - MAX_TURN)
        )
        return channel
