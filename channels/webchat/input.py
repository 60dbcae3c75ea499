"""WebChatInput: the local web chat of `make run`, at /webhooks/webchat/ (page) and /webhooks/webchat/webhook.

It lets a person (a newcomer, an editor) chat with the assistant and switch the rendering between SMS and
Telegram, with the SMS cost (segments, characters, GSM-7 or not) shown under each reply.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import select, update

from bot.rasa_ext.assistant import RasaAssistant
from bot.settings import get_settings
from bot.storage.db import transaction
from bot.storage.models.escalation import WebchatMessage, utcnow
from bot.turn.messages import Inbound, Reply
from bot.wiring import default_pipeline
from channels.body_limit import limit_server_of
from channels.intake import MAX_INPUT_CHARS
from channels.render.reply import render_sms, render_telegram
from channels.webchat.preview import ANSWER_ID, preview
from channels.webchat.session import keep, session

PAGE = Path(__file__).resolve().parent / "static" / "webchat.html"


# Which risk rules fired is for the escalation record and the inbox, not for whoever posts to the web chat
# (it would teach a script the matcher's words). The page shows kind and answer id; tests read the rest.
INTERNAL_META = frozenset({"rules", "rule"})


def to_json(reply: Reply, render: str) -> dict[str, Any]:
    meta = {key: value for key, value in reply.meta.items() if key not in INTERNAL_META}
    out: dict[str, Any] = {"text": reply.text, "buttons": reply.buttons, "meta": meta}
    if render == "sms":
        sms = render_sms(reply)
        out["body"] = sms.body
        out["sms"] = {"segments": sms.cost.segments, "characters": sms.cost.units, "encoding": sms.cost.encoding}
    else:
        out["html"] = render_telegram(reply)
    return out


def _fetch(sender: str) -> list[dict[str, Any]]:
    with transaction() as s:
        rows = (
            s.execute(
                select(WebchatMessage)
                .where(WebchatMessage.sender_id == sender, WebchatMessage.fetched_at.is_(None))
                .order_by(WebchatMessage.id)
            )
            .scalars()
            .all()
        )
        if rows:
            s.execute(
                update(WebchatMessage).where(WebchatMessage.id.in_([r.id for r in rows])).values(fetched_at=utcnow())
            )
        return [dict(r.payload) for r in rows]


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "webchat"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if get_settings().PROFILE != "local":
            # No login and no rate limit: on the internet it would let a script page staff at will.
            raise RuntimeError(
                "the web chat exists only in the local profile; production mounts credentials.production.yml"
            )
        bp = Blueprint("webchat_webhook", __name__)
        limit_server_of(bp)

        @bp.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            _, token = session(request)  # issued with the page, so its first poll already has it
            return keep(response.html(PAGE.read_text(encoding="utf-8")), request, token)

        @bp.route("/preview", methods=["GET"])
        async def preview_answer(request: Request) -> HTTPResponse:
            # The editor's preview of one answer as SMS and as Telegram, straight from content/.
            answer_id = str(request.args.get("id") or "")
            if not ANSWER_ID.match(answer_id):
                return response.json({"error": "expected ?id=topic/name"}, status=400)
            shown = preview(answer_id, dt.date.today())
            if shown is None:
                return response.json({"error": f"no answer with id {answer_id!r}"}, status=404)
            return response.json(shown)

        @bp.route("/messages", methods=["GET"])
        async def poll(request: Request) -> HTTPResponse:
            # Health visitors' replies (queued by the outbox) for this browser's session only: a ?sender= is ignored.
            sender, token = session(request)
            render = request.args.get("render") if request.args.get("render") in ("sms", "long") else "long"
            stored = await asyncio.to_thread(_fetch, sender)
            replies = [
                Reply(text=m.get("text", ""), buttons=m.get("buttons") or [], meta=m.get("meta") or {}) for m in stored
            ]
            return keep(response.json({"messages": [to_json(r, render) for r in replies]}), request, token)

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else None
            if body is None or not isinstance(body.get("message"), str):
                return response.json({"error": "expected JSON with a 'message' string"}, status=400)
            render = "sms" if body.get("render") == "sms" else "long"
            # The session's id, never the posted JSON's "sender": a client must not pick whose conversation this is.
            sender, token = session(request)
            text = body["message"][:MAX_INPUT_CHARS]
            inbound = Inbound("webchat", sender, text, render)
            replies = await default_pipeline().handle(inbound, RasaAssistant(on_new_message))
            # "sender" is the conversation's id (a hash of the session secret): for tests and logs, useless as a cookie.
            out = {"sender": sender, "render": render, "messages": [to_json(r, render) for r in replies]}
            return keep(response.json(out), request, token)

        return bp
