"""The turn's Assistant (bot/turn/ports.py) backed by Rasa: one UserMessage in, our Replies out.

Input channels build one per request around the `on_new_message` Rasa hands their blueprint.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.care import turns
from bot.turn.keys import conversation_key
from bot.turn.messages import Reply

log = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class ReplyCollector(OutputChannel):
    """Keeps each bot message whole (text, buttons and our metadata together), unlike Rasa's collector."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []

    @classmethod
    def name(cls) -> str:
        return "collector"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        custom = message.get("custom") or {}
        meta = dict(custom.get("parentbot", {})) if isinstance(custom, dict) else {}
        if message.get("utter_action"):
            # Which domain response was sent: tests and the theme log use the name, never the wording.
            meta.setdefault("kind", "response")
            meta["response"] = message["utter_action"]
        text = message.get("text") or ""
        if text or message.get("buttons"):
            self.replies.append(Reply(text=text, buttons=list(message.get("buttons") or []), meta=dict(meta)))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.replies.append(Reply(text=text))


class RasaAssistant:
    """Asks the Rasa server (through the channel's on_new_message) and collects what it answered."""

    def __init__(self, on_new_message: OnNewMessage) -> None:
        self.on_new_message = on_new_message

    async def respond(self, channel: str, sender_id: str, text: str, metadata: dict[str, Any]) -> list[Reply]:
        collector = ReplyCollector()
        # Rasa keys trackers by this id alone: with the channel in it, the same digits on SMS and on the web
        # chat are two conversations (bot/turn/keys.py).
        key = conversation_key(channel, sender_id)
        # The reply address the action server's escalations trust (bot/care/turns.py), not the tracker's.
        started = None
        try:
            started = await asyncio.to_thread(turns.begin, key, channel)
        except Exception as err:  # the answer does not depend on it; only a model-layer escalation would
            log.error("turn in flight not recorded (%s)", type(err).__name__)
        try:
            await self.on_new_message(UserMessage(text, collector, key, input_channel=channel, metadata=metadata))
        finally:
            if started is not None:
                # Off the reply's path (a commit, ~4 ms on SQLite): the reply does not wait for the delete.
                task = asyncio.get_running_loop().create_task(_end(key, started))
                _ENDING.add(task)
                task.add_done_callback(_ENDING.discard)
        return collector.replies


_ENDING: set[asyncio.Task[None]] = set()  # strong references: the loop keeps only weak ones


async def _end(key: str, started: dt.datetime) -> None:
    with contextlib.suppress(Exception):  # a row left behind expires (turns.MAX_TURN)
        await asyncio.to_thread(turns.end, key, started)
