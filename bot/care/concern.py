"""The concern tier's handoff: recorded for the health visitor, but the assistant keeps answering.

A concern escalation (bot/risk/tiers.py) opens the family's handoff like any other, so its messages join one
thread in the inbox and a later emergency raises its priority (bot/care/escalations.py `_join`). Until a health
visitor claims it, the family's messages are recorded on that thread and still answered by the assistant; once
claimed, the health visitor holds the conversation as for any escalation.
"""

from __future__ import annotations

from bot.care.escalations import _open_handoff
from bot.risk.tiers import CONCERN
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, EscalationMessage


def record_parent_message(channel: str, sender_id: str, text: str, kind: str = "message") -> int | None:
    """Add the message to the family's open escalation; its id when a health visitor holds the conversation,
    None when the assistant should answer (no escalation open, or an unclaimed concern)."""
    with transaction() as s:
        handoff = _open_handoff(s, channel, sender_id)
        if handoff is None:
            return None
        esc = s.get(Escalation, handoff.escalation_id)
        s.add(EscalationMessage(escalation_id=handoff.escalation_id, direction="in", kind=kind, text=text))
        if esc is not None and esc.tier == CONCERN and esc.status == "open":
            return None
        return int(handoff.escalation_id)
