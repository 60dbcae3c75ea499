"""SmsInput: Twilio's SMS webhook at /webhooks/sms/webhook and its status callback at /webhooks/sms/status.

Rasa's own twilio connector checks no signature, answers a picture message with a 500 and sends with a
blocking call in the event loop. This one checks X-Twilio-Signature against PUBLIC_URL (behind a TLS proxy the
app sees http://127.0.0.1, but Twilio signed the public https URL) and refuses everything when no auth token
is set; ignores a MessageSid it has seen (Twilio retries); acknowledges with empty TwiML at once and replies
through the REST API from a per-number ordered queue.

STOP words follow Twilio's defaults (safety.md section 5): only the whole message counts, so "how do I stop
breastfeeding" is a question. Twilio itself confirms STOP and START, so we send nothing for them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.care import escalations
from bot.rasa_ext.assistant import RasaAssistant
from bot.risk.commands import commands
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
from channels.sms.sender import CHANNEL, UNSUBSCRIBED, SmsSender, merge

log = logging.getLogger(__name__)

KEYWORD = re.compile(r"^\s*([A-Za-z]+)[\s.!]*$")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
FAILED = frozenset({"failed", "undelivered"})
FORM_TYPE = "application/x-www-form-urlencoded"  # what Twilio posts, always


@dataclass(frozen=True)
class SmsEvent:
    kind: str  # text | stop | start | help | non_text | unreadable | rate_limited
    text: str = ""


def keyword(body: str) -> str | None:
    match = KEYWORD.match(body)
    return match.group(1).upper() if match else None


def signed_url(request: Request, public_url: str) -> str:
    """The URL Twilio called, as it signed it: PUBLIC_URL + path + query, not what the app saw behind a proxy."""
    return public_url.rstrip("/") + request.path + (f"?{request.query_string}" if request.query_string else "")


def signature_ok(auth_token: str, url: str, params: Any, signature: str | None) -> bool:
    """Twilio signs the URL it called and every POST field with the account's auth token."""
    if not auth_token or not signature:  # fail closed: no token means nothing can be verified
        return False
    return bool(RequestValidator(auth_token).validate(url, params, signature))


def form_fields(request: Request) -> RequestParameters:
    # Twilio posts (and signs) blank fields such as FromZip=; Sanic's request.form drops them, which would
    # break every signature, so the body is parsed here keeping blanks.
    return RequestParameters(parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True))


def verified_form(request: Request) -> RequestParameters | None:
    """Twilio's fields once their signature checks, else None. Twilio signs the fields, so they must be
    read to check it; what can be checked without them is checked first (a configured token, a signature
    header, a form body), so an unsigned post is refused without its body being parsed."""
    settings = get_settings()
    signature = request.headers.get("X-Twilio-Signature")
    content_type = request.headers.get("content-type", "").lower()
    if not settings.TWILIO_AUTH_TOKEN or not signature or not content_type.startswith(FORM_TYPE):
        return None
    form = form_fields(request)
    url = signed_url(request, settings.PUBLIC_URL)
    return form if signature_ok(settings.TWILIO_AUTH_TOKEN, url, form, signature) else None


def classify(body: str, num_media: int, opted_out: bool) -> SmsEvent:
    word = keyword(body)
    # The keywords live in content/commands.yml, which the risk screen also reads (bot/risk/commands.py); read on
    # first use, not at import.
    words = commands().sms
    if word in words["opt_out"]:
        return SmsEvent("stop", word or "")
    if word in words["opt_in"] and opted_out:  # "yes" from a subscribed parent is an answer, not an opt-in
        return SmsEvent("start", word or "")
    if word in words["help"]:
        return SmsEvent("help")
    cleaned = clean_input(body)
    if not cleaned.readable:
        return SmsEvent("non_text" if num_media > 0 else "unreadable")
    # A picture message with words: the words are read (and risk screened); the picture cannot be.
    return SmsEvent("text", cleaned.text)


FIXED = {
    "help": "channels_help",
    "non_text": "channels_non_text",
    "unreadable": "channels_unreadable",
    "rate_limited": "channels_rate_limited",
}


def twiml() -> HTTPResponse:
    return response.text(EMPTY_TWIML, content_type="text/xml")


class SmsInput(InputChannel):
    """Serves Twilio's webhooks; replies go out through SmsSender (the outbox process uses it too)."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()  # settings come from bot.settings (the environment), never from credentials.yml

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sender = SmsSender()
        limiter = limiter_from_settings()

        async def process(number: str, event: SmsEvent) -> None:
            replies = await self.replies_for(number, event, on_new_message)
            if replies:

                async def send(reply: Reply) -> None:
                    await sender.send(number, reply)

                await send_or_queue(CHANNEL, number, send, merge(replies))

        queues = DurableQueues(CHANNEL, process, dataclasses.asdict, lambda row: SmsEvent(**row))
        bp = Blueprint("sms_webhook", __name__)
        limit_server_of(bp)
        queues.attach(bp)

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            form = verified_form(request)
            if form is None:
                return response.text("forbidden", status=403)
            message_sid = form.get("MessageSid") or form.get("SmsSid")
            number = form.get("From")
            try:
                num_media = int(form.get("NumMedia") or 0)
            except ValueError:
                num_media = 0
            if not message_sid or not number:
                return response.text("expected a Twilio message", status=400)
            if await asyncio.to_thread(store.seen, CHANNEL, message_sid):
                return twiml()
            body = form.get("Body") or ""
            opted_out = await asyncio.to_thread(store.is_opted_out, CHANNEL, number)
            event = classify(body, num_media, opted_out)
            # Opting out and in take effect before the acknowledgement, so no queued reply slips past a STOP.
            if event.kind == "stop":
                await asyncio.to_thread(store.opt_out, CHANNEL, number, event.text)
                # Inside an open risk conversation the health visitor must see the STOP, not lose the family.
                await tell_escalations(escalations.record_stop, CHANNEL, number, event.text)
            elif event.kind == "start":
                await asyncio.to_thread(store.opt_in, CHANNEL, number)
            else:
                verdict = admit(limiter, conversation_key(CHANNEL, number), event.text, default_pipeline().screen)
                if verdict == "drop":
                    await asyncio.to_thread(store.first_delivery, CHANNEL, message_sid)
                    return twiml()
                if verdict == "notice":
                    event = SmsEvent("rate_limited")
            # Stored (words included) before the 200: a crash from here on loses nothing (issue 13, item 2).
            await queues.accept(message_sid, number, event)
            return twiml()

        @bp.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            form = verified_form(request)
            if form is None:
                return response.text("forbidden", status=403)
            state, message_sid = form.get("MessageStatus") or "", form.get("MessageSid") or ""
            if state in FAILED and message_sid:
                code, number = form.get("ErrorCode"), form.get("To") or ""
                await asyncio.to_thread(store.record_delivery_failure, CHANNEL, message_sid, number, state, code)
                if code == str(UNSUBSCRIBED) and number:
                    await asyncio.to_thread(store.opt_out, CHANNEL, number, "twilio-21610")
            return response.empty()

        return bp

    async def replies_for(
        self, number: str, event: SmsEvent, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> list[Reply]:
        if event.kind in ("stop", "start"):
            return []  # Twilio confirms both itself; a second SMS would cost the parent
        if event.kind in FIXED:
            return [await family_reply(FIXED[event.kind], "sms", CHANNEL, number)]
        inbound = Inbound(CHANNEL, number, event.text, "sms")
        return await default_pipeline().handle(inbound, RasaAssistant(on_new_message))
