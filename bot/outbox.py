"""The outbox: every staff alert and every health visitor reply is a row first, then a delivery.

Rows are written in the same transaction as what caused them (bot/escalations.py), so a killed process
loses nothing: the next worker finds the row and sends it. A worker claims a row with one conditional
UPDATE (`... WHERE delivered_at IS NULL AND next_attempt_at <= now`, which also pushes next_attempt_at a
lease ahead), so two servers never send the same row at the same time; a worker killed mid-send lets the
lease run out and the row is sent again (at least once, never silently dropped).

Usage: OutboxWorker().start(loop) from the Rasa server (channels/inbox.py registers it); tests call
`await worker.run_once()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db import transaction
from bot.models_escalation import EscalationMessage, Outbox, utcnow

log = logging.getLogger(__name__)

LEASE_S = 30.0  # a claimed row is not due again for this long: longer than any one send may take
MAX_BACKOFF_S = 60.0
BATCH = 20


def enqueue(session: Session, kind: str, channel: str, recipient: str, payload: dict[str, Any],
            escalation_id: int | None = None, now: dt.datetime | None = None) -> Outbox:
    row = Outbox(kind=kind, channel=channel, recipient=recipient, payload=payload, escalation_id=escalation_id,
                 attempts=0, next_attempt_at=now or utcnow(), dead=False)
    session.add(row)
    session.flush()
    return row


def backoff_s(attempts: int, retry_after_s: float | None = None) -> float:
    """1, 2, 4 ... capped at 60 s; the service's own Retry-After wins when it asks for longer."""
    delay = min(MAX_BACKOFF_S, 2.0 ** max(0, attempts - 1))
    return max(delay, retry_after_s or 0.0)


@dataclass(frozen=True)
class Claimed:
    id: int
    kind: str
    channel: str
    recipient: str
    payload: dict[str, Any]
    attempts: int
    escalation_id: int | None


def claim_due(now: dt.datetime | None = None, limit: int = BATCH) -> list[Claimed]:
    now = now or utcnow()
    with transaction() as s:
        due = s.execute(select(Outbox.id).where(Outbox.delivered_at.is_(None), Outbox.dead.is_(False),
                                                Outbox.next_attempt_at <= now)
                        .order_by(Outbox.next_attempt_at, Outbox.id).limit(limit)).scalars().all()
    claimed: list[Claimed] = []
    lease_end = now + dt.timedelta(seconds=LEASE_S)
    for row_id in due:
        with transaction() as s:
            won = s.execute(update(Outbox).where(Outbox.id == row_id, Outbox.delivered_at.is_(None),
                                                 Outbox.dead.is_(False), Outbox.next_attempt_at <= now)
                            .values(next_attempt_at=lease_end, attempts=Outbox.attempts + 1)
                            .execution_options(synchronize_session=False))
            if won.rowcount != 1:
                continue  # another worker has it
            row = s.get(Outbox, row_id)
            assert row is not None
            claimed.append(Claimed(row.id, row.kind, row.channel, row.recipient, dict(row.payload), row.attempts,
                                   row.escalation_id))
    return claimed


def mark_delivered(row_id: int) -> None:
    with transaction() as s:
        s.execute(update(Outbox).where(Outbox.id == row_id).values(delivered_at=utcnow(), last_error=None))


def mark_retry(row_id: int, error: str, delay_s: float) -> None:
    with transaction() as s:
        s.execute(update(Outbox).where(Outbox.id == row_id)
                  .values(last_error=error[:1000], next_attempt_at=utcnow() + dt.timedelta(seconds=delay_s)))


def mark_failed(row: Claimed, error: str, note: str) -> None:
    """A parent reply that can never be delivered here: stop retrying and tell the health visitor."""
    with transaction() as s:
        s.execute(update(Outbox).where(Outbox.id == row.id).values(dead=True, last_error=error[:1000]))
        if row.escalation_id is not None:
            s.add(EscalationMessage(escalation_id=row.escalation_id, direction="note", kind="delivery_failed",
                                    text=note))


def _cannot_contact_note() -> str:
    from bot.messages import messages

    try:
        return messages().get("inbox_cannot_contact")
    except Exception:
        log.exception("inbox copy unavailable")
        return "Cannot contact this family here."


class OutboxWorker:
    """Delivers due rows through channels.outbound.deliver, and re-alerts unclaimed escalations."""

    def __init__(self, interval_s: float = 1.0, repeat_every_s: float = 15.0) -> None:
        self.interval_s = interval_s
        self.repeat_every_s = repeat_every_s
        self._task: asyncio.Task[None] | None = None
        self._stopping: asyncio.Event | None = None

    async def send(self, row: Claimed) -> None:
        from channels.outbound import DeliveryError, deliver  # lazy: channels import Rasa
        from channels.turns import Reply

        reply = Reply(text=str(row.payload.get("text", "")), meta=dict(row.payload.get("meta") or {}))
        try:
            await deliver(row.channel, row.recipient, reply)
        except DeliveryError as err:
            if err.permanent and row.kind == "parent_reply":
                log.warning("outbox %s: permanent failure to %s: %s", row.id, row.channel, err.reason)
                await asyncio.to_thread(mark_failed, row, err.reason, _cannot_contact_note())
                return
            # Alerts are never dropped, even on a "permanent" error: a fixed setting must still get them out.
            delay = backoff_s(row.attempts, err.retry_after_s)
            log.warning("outbox %s (%s) attempt %s failed: %s; retry in %.0f s", row.id, row.kind, row.attempts,
                        err.reason, delay)
            await asyncio.to_thread(mark_retry, row.id, err.reason, delay)
            return
        except Exception as err:  # a sender bug must not stop the worker or lose the row
            log.exception("outbox %s: sender raised", row.id)
            await asyncio.to_thread(mark_retry, row.id, repr(err), backoff_s(row.attempts))
            return
        await asyncio.to_thread(mark_delivered, row.id)

    async def run_once(self, now: dt.datetime | None = None) -> int:
        rows = await asyncio.to_thread(claim_due, now)
        for row in rows:
            await self.send(row)
        return len(rows)

    async def repeat(self) -> list[int]:
        from bot.escalations import repeat_unclaimed

        return await asyncio.to_thread(repeat_unclaimed)

    async def run_forever(self) -> None:
        loop = asyncio.get_running_loop()
        stopping = self._stopping = self._stopping or asyncio.Event()
        next_repeat = loop.time()
        while not stopping.is_set():
            try:
                if loop.time() >= next_repeat:
                    await self.repeat()
                    next_repeat = loop.time() + self.repeat_every_s
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # database down: keep trying, the rows are safe where they are
                log.exception("outbox worker pass failed; retrying")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=self.interval_s)

    def start(self) -> asyncio.Task[None]:
        if self._task is None or self._task.done():
            self._stopping = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self.run_forever())
        return self._task

    async def stop(self, grace_s: float = 10.0) -> None:
        """Let the current pass finish (a row sent but not yet marked would be sent again after a restart),
        then end; cancel only if it takes longer than grace_s."""
        if self._task is None:
            return
        if self._stopping is not None:
            self._stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=grace_s)
        except asyncio.TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None
