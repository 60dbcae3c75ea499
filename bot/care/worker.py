"""The outbox worker: delivers due outbox rows (bot/care/outbox.py) and re-alerts unclaimed escalations.

Usage: `OutboxWorker().start()` inside a running event loop (the staff app, or `parentbot outbox`), then
`await worker.stop()`; tests call `await worker.run_once()`. Deliveries go through bot/care/outbound.py, so
the process must have registered its channel senders first.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging

from bot.answers.messages import messages
from bot.care import outbox
from bot.care.alerts import repeat_unclaimed
from bot.care.outbound import DeliveryError, deliver
from bot.care.outbox import (
    BATCH,
    Claimed,
    backoff_s,
    claim_next,
    mark_delivered,
    mark_failed,
    mark_retry,
    renew_lease,
)
from bot.care.undelivered import park, report_opted_out_alert
from bot.turn.messages import Reply

log = logging.getLogger(__name__)


def _cannot_contact_note() -> str:
    try:
        return messages().get("inbox_cannot_contact")
    except Exception:
        log.exception("inbox copy unavailable")
        return "Cannot contact this family here."


class OutboxWorker:
    """Delivers due rows through bot.care.outbound.deliver, and re-alerts unclaimed escalations."""

    def __init__(self, interval_s: float = 1.0, repeat_every_s: float = 15.0) -> None:
        self.interval_s = interval_s
        self.repeat_every_s = repeat_every_s
        self._task: asyncio.Task[None] | None = None
        self._stopping: asyncio.Event | None = None

    async def send(self, row: Claimed) -> None:
        """Deliver one claimed row, its lease renewed until the send returns."""
        renewing = asyncio.get_running_loop().create_task(self._keep_lease(row))
        try:
            await self._send(row)
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    @staticmethod
    async def _keep_lease(row: Claimed) -> None:
        while True:
            await asyncio.sleep(outbox.LEASE_S / 3)  # read here: tests shorten the lease
            try:
                if not await asyncio.to_thread(renew_lease, row):
                    return
            except Exception:  # the database is down: the send goes on, the lease may lapse (sent at least once)
                log.exception("outbox %s: lease renewal failed", row.id)

    async def _send(self, row: Claimed) -> None:
        reply = Reply(text=str(row.payload.get("text", "")), meta=dict(row.payload.get("meta") or {}))
        try:
            await deliver(row.channel, row.recipient, reply)
        except DeliveryError as err:
            if err.permanent and row.kind == "parent_reply":
                log.warning("outbox %s: permanent failure to %s: %s", row.id, row.channel, err.reason)
                await asyncio.to_thread(mark_failed, row, err.reason, _cannot_contact_note())
                return
            if err.opted_out and row.kind == "alert":
                # A staff phone that texted STOP: reported and sent on to the other contacts, not retried unseen.
                await asyncio.to_thread(report_opted_out_alert, row, err.reason)
                return
            # Alerts are never dropped, even on a "permanent" error: a fixed setting must still get them out.
            await self._retry(row, err.reason, backoff_s(row.attempts, err.retry_after_s))
            return
        except Exception as err:  # a sender bug must not stop the worker or lose the row
            log.exception("outbox %s: sender raised", row.id)
            # The type only: an exception's text may quote the message or the recipient.
            await self._retry(row, type(err).__name__, backoff_s(row.attempts))
            return
        await asyncio.to_thread(mark_delivered, row.id)

    @staticmethod
    async def _retry(row: Claimed, reason: str, delay: float) -> None:
        if row.attempts >= outbox.PARK_AFTER:
            await asyncio.to_thread(park, row, reason)  # shown in the inbox; a person retries it there
            return
        log.warning(
            "outbox %s (%s) attempt %s failed: %s; retry in %.0f s", row.id, row.kind, row.attempts, reason, delay
        )
        await asyncio.to_thread(mark_retry, row.id, reason, delay)

    async def run_once(self, now: dt.datetime | None = None) -> int:
        """One pass: up to BATCH due rows, each claimed only when its turn comes."""
        tried: set[int] = set()
        while len(tried) < BATCH:
            row = await asyncio.to_thread(claim_next, now, frozenset(tried))
            if row is None:
                break
            tried.add(row.id)
            await self.send(row)
        return len(tried)

    async def repeat(self) -> list[int]:
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
