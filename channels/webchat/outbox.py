"""The web chat's sender for the outbox (a health visitor's reply): the page has no push, so the reply is
stored and waits for the page's next poll. No Rasa here: the outbox process imports it."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.storage.db import transaction
from bot.storage.models.escalation import WebchatMessage
from bot.turn.messages import Reply


def _store(sender: str, payload: dict[str, Any]) -> None:
    with transaction() as s:
        s.add(WebchatMessage(sender_id=sender, payload=payload))


async def send_to_webchat(sender: str, reply: Reply) -> None:
    """The outbox's sender for this channel: the page has no push, so the reply waits for its next poll."""
    await asyncio.to_thread(_store, sender, {"text": reply.text, "buttons": reply.buttons, "meta": reply.meta})
