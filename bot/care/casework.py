"""Health visitors working a family's escalation together: the audit trail of who did what (number shown,
claim, hand over, internal notes, close with an outcome code, reopen). Audit rows live on the escalation's
thread with direction "audit": the inbox shows them, nothing ever sends them to the family.

Synchronous (SQLAlchemy); the staff app runs these with `asyncio.to_thread`.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.db import transaction
from bot.storage.models.escalation import EscalationMessage

AUDIT = "audit"


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
