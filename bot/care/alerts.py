"""Staff alerts for an escalation: who gets them, what they say (no parent words, no phone number), and the
outbox rows that carry them, written in the caller's transaction (bot/care/escalations.py)."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.answers.messages import messages as copy
from bot.care.alert_bursts import admit_page
from bot.care.outbox import enqueue
from bot.settings import get_settings
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, utcnow

log = logging.getLogger(__name__)


def alert_recipients(repeat: bool) -> list[tuple[str, str]]:
    settings = get_settings()
    found = [("telegram", settings.ALERT_TELEGRAM_CHAT_ID), ("sms", settings.ALERT_SMS_NUMBER)]
    if repeat:
        found.append(("sms", settings.ESCALATION_NEXT_CONTACT_SMS))
    seen: list[tuple[str, str]] = []
    for channel, recipient in found:
        if recipient and (channel, recipient) not in seen:
            seen.append((channel, recipient))
    return seen


def inbox_link(escalation_id: int) -> str:
    return f"{get_settings().STAFF_URL.rstrip('/')}/inbox/escalations/{escalation_id}"


def alert_text(esc: Escalation, repeat: bool) -> str:
    values = {"id": esc.id, "category": esc.category, "priority": esc.priority, "link": inbox_link(esc.id)}
    try:
        label = copy().get("inbox_alert_repeat" if repeat else "inbox_alert_new")
        return copy().get("inbox_alert", label=label, **values)
    except Exception:
        # Broken copy must not stop an alert: fall back to the bare facts (staff-facing only).
        log.exception("alert copy unavailable")
        return "Escalation #{id} ({category}, priority {priority}): {link}".format(**values)


def queue_alerts(session: Session, esc: Escalation, repeat: bool = False, now: dt.datetime | None = None) -> int:
    """Outbox rows for the staff alert: category, priority, id and link only; no parent words, no number."""
    recipients = alert_recipients(repeat)
    if not recipients:
        log.error(
            "escalation %s: no alert recipient configured (ALERT_TELEGRAM_CHAT_ID / ALERT_SMS_NUMBER); "
            "it is in the inbox only",
            esc.id,
        )
    payload = {
        "text": alert_text(esc, repeat),
        "meta": {
            "kind": "staff_alert",
            "escalation_id": esc.id,
            "category": esc.category,
            "priority": esc.priority,
            "repeat": repeat,
        },
    }
    now = now or utcnow()
    sent = 0
    for channel, recipient in recipients:
        if admit_page(session, channel, recipient, repeat, now):  # else counted into the grouped page
            enqueue(session, "alert", channel, recipient, payload, escalation_id=esc.id)
            sent += 1
    return sent


def repeat_unclaimed(now: dt.datetime | None = None) -> list[int]:
    """Re-alert (duty contacts and the next contact) every escalation unclaimed past its target, once per
    interval. The conditional UPDATE makes two servers running this at once alert only once."""
    now = now or utcnow()
    repeated: list[int] = []
    with transaction() as s:
        candidates = s.execute(
            select(Escalation.id, Escalation.last_alert_at, Escalation.response_target_minutes).where(
                Escalation.status == "open", Escalation.response_target_minutes.is_not(None)
            )
        ).all()
    for esc_id, last, minutes in candidates:
        if last is not None and now < last + dt.timedelta(minutes=minutes):
            continue
        try:
            repeated += _repeat_one(esc_id, last, now)
        except IntegrityError:  # another server opened the same alert window: this one is tried next pass
            continue
    return repeated


def _repeat_one(esc_id: int, last: dt.datetime | None, now: dt.datetime) -> list[int]:
    with transaction() as s:
        won = s.execute(
            update(Escalation)
            .where(Escalation.id == esc_id, Escalation.status == "open", Escalation.last_alert_at == last)
            .values(last_alert_at=now, alerts_repeated=Escalation.alerts_repeated + 1)
            .execution_options(synchronize_session=False)
        )
        if won.rowcount != 1:
            return []
        esc = s.get(Escalation, esc_id)
        assert esc is not None
        queue_alerts(s, esc, repeat=True, now=now)
        return [esc_id]


def queue_lockout_alert(session: Session, username: str, failures: int, minutes: int) -> int:
    """The alert that an inbox account was locked after failed sign-ins (no password, no address), to the
    duty contacts and the next contact (the duty manager, ESCALATION_NEXT_CONTACT_SMS), as outbox rows in
    the caller's transaction, so the lock and its alert go together."""
    recipients = alert_recipients(repeat=True)
    if not recipients:
        log.error("inbox account locked: no alert recipient configured (ALERT_TELEGRAM_CHAT_ID / ALERT_SMS_NUMBER)")
    values = {"username": username, "count": failures, "minutes": minutes}
    try:
        text = copy().get("inbox_alert_lockout", "long", **values)
    except Exception:
        log.exception("lockout alert copy unavailable")
        text = "Inbox account {username} locked after {count} failed sign-ins".format(**values)
    payload = {"text": text, "meta": {"kind": "staff_lockout", "username": username}}
    for channel, recipient in recipients:
        enqueue(session, "alert", channel, recipient, payload)
    return len(recipients)
