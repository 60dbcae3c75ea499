"""Durable inbound messages (issue 13, item 2): stored before the 200, processed from the store, deleted when
the turn is done.

`accept` writes the delivery id (dedupe) and the message in one transaction, so a redelivery after a crash is
still a duplicate and the message is not lost with it. Each server has an owner id; its rows carry a lease
it renews while it runs (`heartbeat`). Rows whose lease ran out (their server was killed) are claimed by
another or the next server (`take_over`) and processed again, in the order they arrived.
Plain synchronous functions: the channels call them through `asyncio.to_thread`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.storage.db import transaction
from bot.storage.models.channels import InboundSeen, PendingMessage, utcnow

LEASE = dt.timedelta(seconds=30)  # renewed every HEARTBEAT_S; a killed server's rows wait at most this long
HEARTBEAT_S = 5.0
OWNER = f"{uuid.uuid4().hex[:12]}"  # this process


def accept(channel: str, external_id: str, sender_id: str, event: dict[str, Any]) -> int | None:
    """The pending row's id, or None for a redelivery (already accepted by any server, before any restart)."""
    try:
        with transaction() as s:
            s.add(InboundSeen(channel=channel, external_id=external_id[:128]))
            row = PendingMessage(
                channel=channel, sender_id=sender_id, event=event, owner=OWNER, lease_until=utcnow() + LEASE
            )
            s.add(row)
            s.flush()
            return int(row.id)
    except IntegrityError:  # the unique delivery id is the arbiter when two servers race
        return None


def done(row_id: int) -> None:
    """The turn is over (replied, or given up): the parent's words leave this table."""
    with transaction() as s:
        s.execute(delete(PendingMessage).where(PendingMessage.id == row_id))


def still_mine(row_id: int) -> bool:
    """Renew this row's lease before its turn; False when another server took it over meanwhile."""
    with transaction() as s:
        won = s.execute(
            update(PendingMessage)
            .where(PendingMessage.id == row_id, PendingMessage.owner == OWNER)
            .values(lease_until=utcnow() + LEASE)
            .execution_options(synchronize_session=False)
        )
        return bool(won.rowcount == 1)


def heartbeat() -> None:
    with transaction() as s:
        s.execute(
            update(PendingMessage)
            .where(PendingMessage.owner == OWNER)
            .values(lease_until=utcnow() + LEASE)
            .execution_options(synchronize_session=False)
        )


def take_over(channel: str, limit: int = 200) -> list[tuple[int, str, dict[str, Any]]]:
    """Claim rows whose server stopped renewing them: (id, sender, event), oldest first."""
    now = utcnow()
    with transaction() as s:
        rows = s.execute(
            select(PendingMessage.id, PendingMessage.owner, PendingMessage.lease_until)
            .where(PendingMessage.channel == channel, PendingMessage.lease_until < now)
            .order_by(PendingMessage.id)
            .limit(limit)
        ).all()
    taken: list[tuple[int, str, dict[str, Any]]] = []
    for row_id, owner, lease in rows:
        with transaction() as s:
            won = s.execute(
                update(PendingMessage)
                .where(PendingMessage.id == row_id, PendingMessage.owner == owner, PendingMessage.lease_until == lease)
                .values(owner=OWNER, lease_until=now + LEASE)
                .execution_options(synchronize_session=False)
            )
            if won.rowcount == 1:  # else another server claimed it first
                mine = s.get(PendingMessage, row_id)
                assert mine is not None
                taken.append((row_id, str(mine.sender_id), dict(mine.event)))
    return taken


def release() -> None:
    """A graceful stop: this server's rows are left for the next server to start, at once."""
    with transaction() as s:
        s.execute(
            update(PendingMessage)
            .where(PendingMessage.owner == OWNER)
            .values(lease_until=utcnow() - dt.timedelta(seconds=1))
            .execution_options(synchronize_session=False)
        )
