"""A family in an open escalation that the channel can no longer reach (Telegram: "Forbidden: bot was blocked
by the user"), issue 13, item 6. Nothing we send gets through until they write to us again, so the health
visitor must hear it now, not find it later: a note on the escalation's thread (the inbox shows "cannot
contact") and a staff alert through the outbox, written in one transaction. One alert per block: further
failures before the family writes again only add nothing.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answers.messages import messages as copy
from bot.care.alerts import alert_recipients, inbox_link
from bot.care.outbox import enqueue
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, EscalationMessage, Handoff

log = logging.getLogger(__name__)

NOTE_KIND = "delivery_failed"  # what staff/conversation.py shows as "cannot contact this family here"


def alert_text(esc: Escalation) -> str:
    values = {"id": esc.id, "category": esc.category, "link": inbox_link(esc.id)}
    try:
        return copy().get(f"inbox_alert_unreachable_{esc.channel}", **values)
    except Exception:
        # Broken copy must not stop the alert: staff-facing bare facts.
        log.exception("unreachable alert copy unavailable")
        return "Cannot reach the family of escalation #{id} on {channel}: {link}".format(channel=esc.channel, **values)


def _already_told(s: Session, escalation_id: int) -> bool:
    """True when the thread's latest note or parent message is already a delivery failure."""
    last: str | None = s.scalar(
        select(EscalationMessage.kind)
        .where(
            EscalationMessage.escalation_id == escalation_id,
            (EscalationMessage.direction == "in") | (EscalationMessage.kind == NOTE_KIND),
        )
        .order_by(EscalationMessage.at.desc(), EscalationMessage.id.desc())
        .limit(1)
    )
    return last == NOTE_KIND


def record_unreachable(channel: str, sender_id: str, reason: str) -> int | None:
    """The escalation id it was recorded on (note and alert), or None when the family has no open escalation."""
    with transaction() as s:
        handoff = s.execute(
            select(Handoff).where(Handoff.channel == channel, Handoff.sender_id == sender_id, Handoff.open.is_(True))
        ).scalar_one_or_none()
        if handoff is None:
            return None
        esc = s.get(Escalation, handoff.escalation_id)
        assert esc is not None
        if _already_told(s, esc.id):
            return int(esc.id)
        s.add(EscalationMessage(escalation_id=esc.id, direction="note", kind=NOTE_KIND, text=reason))
        payload = {
            "text": alert_text(esc),
            "meta": {"kind": "staff_alert_unreachable", "escalation_id": esc.id, "channel": channel},
        }
        recipients = alert_recipients(repeat=False)
        if not recipients:
            log.error("escalation %s: family unreachable, but no alert recipient is configured", esc.id)
        for alert_channel, recipient in recipients:
            enqueue(s, "alert", alert_channel, recipient, payload, escalation_id=esc.id)
        log.warning("escalation %s: family unreachable on %s; %d alert(s) queued", esc.id, channel, len(recipients))
        return int(esc.id)
