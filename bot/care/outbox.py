"""The outbox: every staff alert and every health visitor reply is a row first, then a delivery.

Rows are written in the same transaction as what caused them (bot/care/escalations.py), so a killed process
loses nothing: the next worker finds the row and sends it. A worker claims a row with one conditional
UPDATE (`... WHERE delivered_at IS NULL AND next_attempt_at <= now`, which also pushes next_attempt_at a
lease ahead), so two servers never send the same row at the same time; a worker killed mid-send lets the
lease run out and the row is sent again (at least once, never silently dropped).

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

LEASE_S = 30.0  # a claimed row is not due again for this long: longer than any one send may take
MAX_BACKOFF_S = 60.0
BATCH = 20


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


def claim_due(now: dt.datetime | None = None, limit: int = BATCH) -> list[Claimed]:
    now = now or utcnow()
    with transaction() as s:
        due = (
            s.execute(
                select(Outbox.id)
                .where(Outbox.delivered_at.is_(None), Outbox.dead.is_(False), Outbox.next_attempt_at <= now)
                .order_by(Outbox.next_attempt_at, Outbox.id)
                .limit(limit)
            )
            .scalars()
            .all()
        )
    claimed: list[Claimed] = []
    lease_end = now + dt.timedelta(seconds=LEASE_S)
    for row_id in due:
        with transaction() as s:
            won = s.execute(
                update(Outbox)
                .where(
                    Outbox.id == row_id,
                    Outbox.delivered_at.is_(None),
                    Outbox.dead.is_(False),
                    Outbox.next_attempt_at <= now,
                )
                .values(next_attempt_at=lease_end, attempts=Outbox.attempts + 1)
                .execution_options(synchronize_session=False)
            )
            if won.rowcount != 1:
                continue  # another worker has it
            row = s.get(Outbox, row_id)
            assert row is not None
            claimed.append(
                Claimed(
                    row.id, row.kind, row.channel, row.recipient, dict(row.payload), row.attempts, row.escalation_id
                )
            )
    return claimed


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
