"""Outbox rows whose automatic retries stopped ("parked"): an alert, an emergency-route or a health visitor's
reply is never dropped in silence. A parked row is in the staff inbox's "not delivered" page (staff/undelivered.py)
and, for an escalation, a note in its thread, until someone retries it there.

Two ways in: a row that failed PARK_AFTER times (a channel setting that is wrong, a sender that always raises:
retrying every minute forever helps no one and hides it), and an alert to a staff phone that texted STOP
(Twilio error 21610, or our own opt-out record): no retry can reach it, so the alert is reported and sent on
to the duty contacts who have not had it (the next contact, ESCALATION_NEXT_CONTACT_SMS).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.answers.messages import messages
from bot.care.alerts import alert_recipients
from bot.care.outbox import Claimed, enqueue
from bot.storage.db import transaction
from bot.storage.models.escalation import EscalationMessage, Outbox, utcnow

log = logging.getLogger(__name__)


def _note(key: str) -> str:
    try:
        return messages().get(key)
    except Exception:  # broken copy must not stop the row being parked
        log.exception("inbox copy unavailable")
        return "A message could not be delivered: see Not delivered in the inbox."


def _park(s: Session, row: Claimed, error: str, note_key: str, now: dt.datetime) -> bool:
    # Only our own claim (its attempt count): a row another worker took since is theirs to settle.
    parked = s.execute(
        update(Outbox)
        .where(Outbox.id == row.id, Outbox.attempts == row.attempts, Outbox.delivered_at.is_(None))
        .values(parked_at=now, last_error=error[:1000])
        .execution_options(synchronize_session=False)
    )
    if parked.rowcount != 1:
        return False
    if row.escalation_id is not None:
        s.add(
            EscalationMessage(
                escalation_id=row.escalation_id, at=now, direction="note", kind="delivery_parked", text=_note(note_key)
            )
        )
    return True


def park(row: Claimed, error: str, now: dt.datetime | None = None) -> None:
    """Stop retrying a row that keeps failing; staff see it and can retry it."""
    with transaction() as s:
        if _park(s, row, error, "inbox_parked_note", now or utcnow()):
            log.error("outbox %s (%s) parked after %s attempts: %s", row.id, row.kind, row.attempts, error)


def report_opted_out_alert(row: Claimed, error: str, now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """An alert to a staff phone that texted STOP: parked (reported in the inbox), and sent to every duty
    contact that has had no alert for this escalation yet. Returns those contacts (channel, recipient)."""
    now = now or utcnow()
    with transaction() as s:
        if not _park(s, row, error, "inbox_alert_opted_out_note", now):
            return []
        had = {(row.channel, row.recipient)}
        if row.escalation_id is None:  # an account lockout alert: queued to every contact already
            had |= set(alert_recipients(repeat=True))
        else:
            sent = s.execute(
                select(Outbox.channel, Outbox.recipient).where(
                    Outbox.escalation_id == row.escalation_id, Outbox.kind == "alert"
                )
            )
            had |= {(str(channel), str(recipient)) for channel, recipient in sent}
        others = [c for c in alert_recipients(repeat=True) if c not in had]
        payload = {**row.payload, "meta": {**dict(row.payload.get("meta") or {}), "rerouted": True}}
        for channel, recipient in others:
            enqueue(s, "alert", channel, recipient, payload, escalation_id=row.escalation_id, now=now)
    # The staff number is not parent data; still, only its channel goes to the log.
    log.error(
        "outbox %s: alert to an %s number that texted STOP; sent on to %s other contacts",
        row.id,
        row.channel,
        len(others),
    )
    return others


@dataclass(frozen=True)
class Parked:
    id: int
    kind: str
    channel: str
    recipient: str  # a staff contact for an alert; empty for a parent's reply (their number is not shown)
    escalation_id: int | None
    attempts: int
    error: str
    parked_at: dt.datetime


def parked(session: Session) -> list[Parked]:
    rows = session.execute(
        select(Outbox).where(Outbox.parked_at.is_not(None), Outbox.delivered_at.is_(None)).order_by(Outbox.parked_at)
    ).scalars()
    return [
        Parked(
            r.id,
            r.kind,
            r.channel,
            r.recipient if r.kind == "alert" else "",
            r.escalation_id,
            int(r.attempts),
            r.last_error or "",
            r.parked_at,
        )
        for r in rows
    ]


def count_parked() -> int:
    with transaction() as s:
        return len(parked(s))


def retry(row_id: int, now: dt.datetime | None = None) -> bool:
    """A person asked for another try: the row is due now with a fresh retry budget."""
    with transaction() as s:
        done = s.execute(
            update(Outbox)
            .where(Outbox.id == row_id, Outbox.parked_at.is_not(None), Outbox.delivered_at.is_(None))
            .values(parked_at=None, attempts=0, next_attempt_at=now or utcnow())
            .execution_options(synchronize_session=False)
        )
        return bool(done.rowcount == 1)
