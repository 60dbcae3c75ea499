"""What the assistant sent a family whose conversation a health visitor holds, recorded on their escalation's
thread (the inbox shows both sides: "was she already told to call 999?").

The words are the content we sent, kept only on the thread (behind the inbox login), never logged. Synchronous
(SQLAlchemy); the turn runs it off the event loop (bot/care/turn_hooks.py Handoffs.record_sent).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.care.escalations import _open_handoff
from bot.storage.db import transaction
from bot.storage.models.escalation import EscalationMessage


def reference(meta: Mapping[str, Any]) -> str | None:
    """The answer id of a reply (risk/<category> for an emergency route), or the response it came from."""
    if meta.get("answer_id"):
        return str(meta["answer_id"])
    if meta.get("kind") == "risk" and meta.get("categories"):
        return f"risk/{meta['categories'][0]}"
    return str(meta["response"]) if meta.get("response") else None


def record_sent(channel: str, sender_id: str, sent: Sequence[tuple[str, str, str | None]]) -> int | None:
    """Add (kind, text, answer id) replies to the family's open escalation; None when none is open."""
    if not sent:
        return None
    with transaction() as s:
        handoff = _open_handoff(s, channel, sender_id)
        if handoff is None:
            return None
        for kind, text, ref in sent:
            s.add(
                EscalationMessage(
                    escalation_id=handoff.escalation_id, direction="bot", kind=kind, text=text, answer_id=ref
                )
            )
        return int(handoff.escalation_id)
