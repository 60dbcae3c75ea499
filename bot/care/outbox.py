"""The outbox: every staff alert and every health visitor reply is a row first, then a delivery.

Rows are written in the same transaction as what caused them (bot/care/escalations.py), so a killed process
loses nothing: the next worker finds the row and sends it. A worker claims one row at a time, just before
sending it, with one conditional UPDATE (`... WHERE delivered_at IS NULL AND next_attempt_at <= now`, which
also pushes next_attempt_at a lease ahead), and renews the lease while the send runs (a Telegram send may
wait out flood control for longer than one lease). So two servers never send the same row at the same time:
claiming a whole batch under one lease let a second server take and send again the rows the first had not
reached when the lease ran out (issue 13, item 10). A worker killed mid-send stops renewing, the lease runs
out and the row is sent again (at least once, never silently dropped). A row that keeps failing is parked
(bot/care/undelivered.py): shown in the staff inbox, retried from there.

The worker that delivers the rows is bot/care/worker.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.db import transaction
from bot.storage.models.escalation import EscalationMessage, Outbox, utcnow

log = logging.getLogger(__name__)

LEASE_S = 30.0  # a claimed row is not due again for this long; the worker renews it every third of it
MAX_BACKOFF_S = 60.0
BATCH = 20  # rows one worker sends per pass, claimed one by one
PARK_AFTER = 10  # failed attempts (about 4 minutes of backoff) before a row waits for a person instead


def enqueue(
    session: Session,
    kind: str,
    channel: str,
    recipient: str,
    payload: dict[str, Any],
    escalation_id: int | None = None,
    now: dt.datetime | None = None,
) -> Outbox:
    row = Outbox(
        kind=kind,
        channel=channel,
        recipient=recipient,
        payload=payload,
        escalation_id=escalation_id,
        attempts=0,
        next_attempt_at=now or utcnow(),
        dead=False,
    )
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


def _due(now: dt.datetime) -> tuple[Any, ...]:
    return (
        Outbox.delivered_at.is_(None),
        Outbox.dead.is_(False),
        Outbox.parked_at.is_(None),
        Outbox.next_attempt_at <= now,
    )


def claim_next(now: dt.datetime | None = None, skip: frozenset[int] = frozenset()) -> Claimed | None:
    """The next due row, claimed for LEASE_S (its attempt counted), or None when none is due. `skip`: rows
    this pass has already tried (a failed row's backoff may already have passed on an injected clock)."""
    now = now or utcnow()
    query = select(Outbox.id).where(*_due(now)).order_by(Outbox.next_attempt_at, Outbox.id).limit(5)
    if skip:
        query = query.where(Outbox.id.not_in(skip))
    with transaction() as s:
        candidates = list(s.execute(query).scalars())
    lease_end = now + dt.timedelta(seconds=LEASE_S)
    for row_id in candidates:  # one lost to another worker: try the next
        with transaction() as s:
            won = s.execute(
                update(Outbox)
                .where(Outbox.id == row_id, *_due(now))
                .values(next_attempt_at=lease_end, attempts=Outbox.attempts + 1)
                .execution_options(synchronize_session=False)
            )
            if won.rowcount != 1:
                continue
            row = s.get(Outbox, row_id)
            assert row is not None
            return Claimed(
                row.id, row.kind, row.channel, row.recipient, dict(row.payload), row.attempts, row.escalation_id
            )
    return None


def renew_lease(row: Claimed) -> bool:
    """Push this claim's lease on while its send runs; False if the row is no longer ours (delivered, or
    claimed again after our lease ran out: its attempt count moved on)."""
    with transaction() as s:
        won = s.execute(
            update(Outbox)
            .where(Outbox.id == row.id, Outbox.attempts == row.attempts, Outbox.delivered_at.is_(None))
            .values(next_attempt_at=utcnow() + dt.timedelta(seconds=LEASE_S))
            .execution_options(synchronize_session=False)
        )
        return bool(won.rowcount == 1)


def mark_delivered(row_id: int) -> None:
    with transaction() as s:
        s.execute(update(Outbox).where(Outbox.id == row_id).values(delivered_at=utcnow(), last_error=None))


def mark_retry(row_id: int, error: str, delay_s: float) -> None:
    with transaction() as s:
        s.execute(
            update(Outbox)
            .where(Outbox.id == row_id)
            .values(last_error=error[:1000], next_attempt_at=utcnow() + dt.timedelta(seconds=delay_s))
        )


def mark_failed(row: Claimed, error: str, note: str) -> None:
    """A parent reply that can never be delivered here: stop retrying and tell the health visitor."""
    with transaction() as s:
        s.execute(update(Outbox).where(Outbox.id == row.id).values(dead=True, last_error=error[:1000]))
        if row.escalation_id is not None:
            s.add(
                EscalationMessage(escalation_id=row.escalation_id, direction="note", kind="delivery_failed", text=note)
            )
