"""Health visitors working a family's escalation together: the audit trail of who did what (number shown,
claim, hand over, internal notes, close with an outcome code, reopen). Audit rows live on the escalation's
thread with direction "audit": the inbox shows them, nothing ever sends them to the family.

Synchronous (SQLAlchemy); the staff app runs these with `asyncio.to_thread`.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.care import escalations
from bot.care.escalations import EscalationError
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, EscalationMessage, Handoff, StaffUser, utcnow

AUDIT = "audit"
VIEWED = "viewed"  # an audit kind the page lists apart ("Who has looked"), not among the actions


def log_number_shown(escalation_id: int, username: str) -> None:
    """The family's phone number was shown to this visitor (once per visitor: reloading adds nothing)."""
    with transaction() as s:
        seen = s.execute(
            select(EscalationMessage.id).where(
                EscalationMessage.escalation_id == escalation_id,
                EscalationMessage.direction == AUDIT,
                EscalationMessage.kind == "number_shown",
                EscalationMessage.author == username,
            )
        ).first()
        if seen is None:
            s.add(
                EscalationMessage(
                    escalation_id=escalation_id, direction=AUDIT, kind="number_shown", author=username, text=""
                )
            )


def log_view(escalation_id: int, username: str) -> None:
    """Every view of a family's page, one row each (who, when): the audit trail of who has read it."""
    with transaction() as s:
        _audit(s, escalation_id, VIEWED, username)


# Outcome codes on close (their words are content/messages/inbox.yml `inbox_outcome_<code>`).
OUTCOMES = ("advice_given", "999_confirmed", "referred_to_gp", "safeguarding_referral", "no_contact_3_tries")


def _audit(s: Session, escalation_id: int, kind: str, username: str, text: str = "") -> None:
    s.add(EscalationMessage(escalation_id=escalation_id, direction=AUDIT, kind=kind, author=username, text=text))


def _open(s: Session, escalation_id: int) -> Escalation:
    esc: Escalation | None = s.get(Escalation, escalation_id)
    if esc is None or esc.status == "closed":
        raise EscalationError(f"escalation {escalation_id} is not open")
    return esc


def claim(escalation_id: int, username: str) -> None:
    with transaction() as s:
        esc = _open(s, escalation_id)
        if esc.status == "open":
            esc.status, esc.claimed_by, esc.claimed_at = "claimed", username, utcnow()
            _audit(s, esc.id, "claimed", username)


def colleagues(username: str) -> list[str]:
    """Who a family can be handed over to: every other staff account."""
    with transaction() as s:
        return list(
            s.execute(
                select(StaffUser.username)
                .where(StaffUser.username != username, StaffUser.disabled_at.is_(None))
                .order_by(StaffUser.username)
            ).scalars()
        )


def hand_over(escalation_id: int, username: str, to: str) -> None:
    with transaction() as s:
        esc = _open(s, escalation_id)
        active = select(StaffUser.id).where(StaffUser.username == to, StaffUser.disabled_at.is_(None))
        if to == username or s.execute(active).first() is None:
            raise EscalationError("hand over to a named colleague")
        esc.status, esc.claimed_by = "claimed", to
        esc.claimed_at = esc.claimed_at or utcnow()
        _audit(s, esc.id, "handed_over", username, to)


def add_note(escalation_id: int, username: str, text: str) -> None:
    text = text.strip()
    if not text:
        raise EscalationError("empty note")
    with transaction() as s:
        if s.get(Escalation, escalation_id) is None:
            raise EscalationError(f"no escalation {escalation_id}")
        _audit(s, escalation_id, "note", username, text)


def close(escalation_id: int, username: str, code: str) -> None:
    """Close with an outcome code (a call back may close without one)."""
    if code and code not in OUTCOMES:
        raise EscalationError(f"unknown outcome {code!r}")
    escalations.close(escalation_id, username, code)
    with transaction() as s:
        _audit(s, escalation_id, "closed", username, code)


def reopen(escalation_id: int, username: str) -> None:
    """Back to the visitor who reopens it, the family's messages routed to the inbox again."""
    with transaction() as s:
        esc = s.get(Escalation, escalation_id)
        if esc is None or esc.status != "closed":
            raise EscalationError(f"escalation {escalation_id} is not closed")
        held = s.execute(
            select(Handoff.id).where(
                Handoff.channel == esc.channel, Handoff.sender_id == esc.sender_id, Handoff.open.is_(True)
            )
        ).first()
        if held is not None:
            raise EscalationError("the family has another open escalation")
        esc.status, esc.claimed_by, esc.closed_at, esc.outcome = "claimed", username, None, None
        s.execute(update(Handoff).where(Handoff.escalation_id == esc.id).values(open=True))
        _audit(s, esc.id, "reopened", username)
