"""The turn's History collaborator (bot/turn/ports.py): the durable store, off the event loop."""

from __future__ import annotations

import asyncio

from bot.conversation import store
from bot.turn.messages import Inbound, ScreenContext


class History:
    async def remember(self, inbound: Inbound) -> ScreenContext:
        return await asyncio.to_thread(store.remember, inbound.channel, inbound.sender_id, inbound.text)
