"""The turn's care collaborators: Escalations (open one on a risk hit) and Handoffs (route a held family's
messages to their health visitor). The database work runs off the event loop; copy is content/messages/."""

from __future__ import annotations

import asyncio

from bot.answers.messages import messages
from bot.care import concern, escalations, followup, thread
from bot.care.service_hours import out_of_hours_text
from bot.risk.matcher import RiskHit
from bot.turn.messages import Inbound, Reply


class Escalations:
    """Matcher-layer escalations (the model layer is bot/actions/escalate.py)."""

    async def open(self, inbound: Inbound, hits: list[RiskHit], history: list[str]) -> list[Reply]:
        layer = "classifier" if hits[0].rule == "classifier" else "matcher"
        opened = await asyncio.to_thread(escalations.open_escalation, inbound, hits, history, layer=layer)
        # The plain 'no one is reading now' note, sent after (never instead of) the emergency route.
        note = out_of_hours_text(inbound.render, inbound.lang)
        if note is None:
            return []
        return [Reply(text=note, meta={"kind": "out_of_hours", "escalation_id": opened.escalation_id})]


class Handoffs:
    async def route(self, inbound: Inbound) -> list[Reply] | None:
        # An unclaimed concern is recorded for the health visitor but does not take the conversation away.
        escalation_id = await asyncio.to_thread(
            concern.record_parent_message, inbound.channel, inbound.sender_id, inbound.text
        )
        if escalation_id is None:
            return None
        # A parent who now minimises or asks whether to wait hears the emergency advice again, not "thank you".
        key = await asyncio.to_thread(followup.restatement, escalation_id, inbound.text)
        if key is not None:
            return [
                Reply(
                    text=messages().in_language(key, inbound.render, inbound.lang),
                    meta={"kind": "restated", "message": key, "escalation_id": escalation_id},
                )
            ]
        return [
            Reply(
                text=messages().in_language("safety_handoff_ack", inbound.render, inbound.lang),
                meta={"kind": "handoff_ack", "escalation_id": escalation_id},
            )
        ]

    async def record_sent(self, inbound: Inbound, replies: list[Reply]) -> None:
        """What the family was sent this turn, on their open escalation's thread (nothing when none is open)."""
        sent = [(str(r.meta.get("kind") or "reply"), r.text, thread.reference(r.meta)) for r in replies]
        await asyncio.to_thread(thread.record_sent, inbound.channel, inbound.sender_id, sent)
