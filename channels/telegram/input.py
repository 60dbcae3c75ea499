"""TelegramInput: Telegram's webhook at /webhooks/telegram/webhook (python-telegram-bot for parsing and sending).

Rasa's own telegram connector checks no secret and calls Telegram at start-up; this one checks the
X-Telegram-Bot-Api-Secret-Token header in constant time (403 otherwise, and when no secret is configured),
ignores an update_id it has seen (Telegram redelivers on any non-2xx, and a row in the database survives a
restart), answers 200 at once and does the work in a per-chat ordered queue.
Register the webhook with `parentbot telegram set-webhook`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import Update
from telegram.constants import ChatType

from bot.care import escalations, unreachable
from bot.rasa_ext.assistant import RasaAssistant
from bot.settings import get_settings
from bot.turn.keys import conversation_key
from bot.turn.messages import Inbound, Reply
from bot.wiring import default_pipeline
from channels import store
from channels.body_limit import limit_server_of
from channels.durable import DurableQueues
from channels.intake import (
    admit,
    clean_input,
    family_reply,
    limiter_from_settings,
    tell_escalations,
)
from channels.reply_outbox import send_or_queue
from channels.telegram.sender import CHANNEL, TelegramSender

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
COMMAND = re.compile(r"^/(start|help|stop)(?:@\w+)?(?:\s|$)", re.IGNORECASE)


@dataclass(frozen=True)
class TelegramEvent:
    chat_id: str
    kind: str  # text | start | help | stop | non_text | group | unreadable | rate_limited
    text: str = ""
    callback_id: str | None = None


def secret_ok(given: str | None, expected: str) -> bool:
    if not expected:  # fail closed: an unconfigured secret must not mean "anyone may post"
        return False
    return hmac.compare_digest((given or "").encode("utf-8"), expected.encode("utf-8"))


def classify(update: Update) -> TelegramEvent | None:
    """What an update asks of us; None for updates that need no answer (joins, polls, channel posts)."""
    query = update.callback_query
    if query is not None:
        chat = query.message.chat if query.message is not None else None
        chat_id = str(chat.id if chat is not None else query.from_user.id)
        if chat is not None and chat.type != ChatType.PRIVATE:
            return TelegramEvent(chat_id, "group", callback_id=query.id)
        return text_event(chat_id, query.data or "", callback_id=query.id)
    message = update.message or update.edited_message  # an edit is a corrected question: answer it again
    if message is None:
        return None
    chat_id = str(message.chat.id)
    # A caption is the parent's words about a photo: it goes through the risk screen like any text.
    text = message.text if message.text is not None else message.caption
    if message.chat.type != ChatType.PRIVATE:
        # Answers are private; in a group only a direct attempt to talk to us gets the pointer.
        return TelegramEvent(chat_id, "group") if text else None
    if text is None:
        return TelegramEvent(chat_id, "non_text")
    command = COMMAND.match(text)
    if command:
        return TelegramEvent(chat_id, command.group(1).lower())
    return text_event(chat_id, text)


def text_event(chat_id: str, raw: str, callback_id: str | None = None) -> TelegramEvent:
    cleaned = clean_input(raw)
    kind = "text" if cleaned.readable else "unreadable"
    return TelegramEvent(chat_id, kind, cleaned.text, callback_id=callback_id)


FIXED = {
    "start": "channels_welcome",
    "help": "channels_help",
    "stop": "channels_stopped",
    "non_text": "channels_non_text",
    "group": "channels_group_chat",
    "unreadable": "channels_unreadable",
    "rate_limited": "channels_rate_limited",
}


class TelegramInput(InputChannel):
    """Serves Telegram's webhook; replies go out through TelegramSender (the outbox process uses it too)."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()  # settings come from bot.settings (the environment), never from credentials.yml

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sender = TelegramSender()
        limiter = limiter_from_settings()

        async def process(chat_id: str, event: TelegramEvent) -> None:
            if event.callback_id is not None:
                await sender.answer_callback(event.callback_id)
            replies = await self.replies_for(event, on_new_message)

            async def send(reply: Reply) -> None:
                await sender.send(chat_id, reply)

            for reply in replies:
                if not await send_or_queue(CHANNEL, chat_id, send, reply):
                    if await asyncio.to_thread(store.is_unreachable, CHANNEL, chat_id):
                        # Blocked mid-conversation: where a health visitor holds it, they must know now (a note
                        # on the thread and a staff alert). The outbox notes this itself for their own replies.
                        await tell_escalations(unreachable.record_unreachable, CHANNEL, chat_id, "telegram: blocked")
                    break

        queues = DurableQueues(CHANNEL, process, dataclasses.asdict, lambda row: TelegramEvent(**row))
        bp = Blueprint("telegram_webhook", __name__)
        limit_server_of(bp)
        queues.attach(bp)

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not secret_ok(request.headers.get(SECRET_HEADER), get_settings().TELEGRAM_WEBHOOK_SECRET):
                return response.json({"error": "forbidden"}, status=403)
            try:
                data = json.loads(request.body)
                if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                    raise ValueError("not an update")
                update = Update.de_json(data, None)
                event = classify(update)
            except Exception:  # malformed: refuse before anything is recorded or queued
                return response.json({"error": "expected a Telegram update"}, status=400)
            delivery = str(update.update_id)
            if await asyncio.to_thread(store.seen, CHANNEL, delivery):
                return response.json({"status": "duplicate"})
            if event is not None and event.kind == "stop":
                # Recorded before the acknowledgement: the opt-out holds, and inside an open risk conversation
                # the health visitor sees the STOP, even if this process dies next.
                await asyncio.to_thread(store.opt_out, CHANNEL, event.chat_id, "/stop")
                await tell_escalations(escalations.record_stop, CHANNEL, event.chat_id, "/stop")
            if event is None:
                await asyncio.to_thread(store.first_delivery, CHANNEL, delivery)
                return response.json({"status": "ok"})
            verdict = admit(limiter, conversation_key(CHANNEL, event.chat_id), event.text, default_pipeline().screen)
            if verdict == "drop":
                await asyncio.to_thread(store.first_delivery, CHANNEL, delivery)
                return response.json({"status": "ok"})
            if verdict == "notice":
                event = TelegramEvent(event.chat_id, "rate_limited", callback_id=event.callback_id)
            # Stored (words included) before the 200: a crash from here on loses nothing (issue 13, item 2).
            await queues.accept(delivery, event.chat_id, event)
            return response.json({"status": "ok"})

        return bp

    async def replies_for(
        self,
        event: TelegramEvent,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> list[Reply]:
        chat_id = event.chat_id
        if event.kind == "start":
            await asyncio.to_thread(store.opt_in, CHANNEL, chat_id)
            await asyncio.to_thread(store.clear_unreachable, CHANNEL, chat_id)
        if event.kind in FIXED:
            return [await family_reply(FIXED[event.kind], "long", CHANNEL, chat_id)]
        # They wrote to us, so they have not blocked us (any more).
        await asyncio.to_thread(store.clear_unreachable, CHANNEL, chat_id)
        inbound = Inbound(CHANNEL, chat_id, event.text, "long")
        return await default_pipeline().handle(inbound, RasaAssistant(on_new_message))
