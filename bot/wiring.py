"""The process's one TurnPipeline, wired to the risk content and the escalation store on first use."""

from __future__ import annotations

import asyncio
from functools import lru_cache

from bot.answers.messages import messages
from bot.care import escalations
from bot.care.service_hours import out_of_hours_text
from bot.privacy import hooks as privacy
from bot.rasa_ext import perf
from bot.risk.matcher import RiskHit
from bot.risk.screening import risk_screen
from bot.settings import get_settings
from bot.turn.messages import Inbound, Reply
from bot.turn.pipeline import TurnPipeline


def risk_reply(category: str, render: str) -> str:
    cat = risk_screen().category(category)
    return cat.reply_sms if render == "sms" else cat.reply


def out_of_hours_replies(render: str) -> list[Reply]:
    """The plain 'no one is reading now' note, sent after (never instead of) the emergency route."""
    note = out_of_hours_text(render)
    return [] if note is None else [Reply(text=note, meta={"kind": "out_of_hours"})]


async def escalate(inbound: Inbound, hits: list[RiskHit], messages_read: list[str]) -> list[Reply]:
    opened = await asyncio.to_thread(escalations.open_escalation, inbound, hits, messages_read, layer="matcher")
    replies = out_of_hours_replies(inbound.render)
    for r in replies:
        r.meta["escalation_id"] = opened.escalation_id
    return replies


async def handoff(inbound: Inbound) -> list[Reply] | None:
    escalation_id = await asyncio.to_thread(escalations.record_parent_message, inbound.channel, inbound.sender_id,
                                            inbound.text)
    if escalation_id is None:
        return None
    return [Reply(text=messages().get("safety_handoff_ack", inbound.render),
                  meta={"kind": "handoff_ack", "escalation_id": escalation_id})]


@lru_cache(maxsize=1)
def default_pipeline() -> TurnPipeline:
    perf.install()  # measured Rasa hot-spot fixes (bot/rasa_ext/perf.py)
    screen = risk_screen()
    settings = get_settings()
    return TurnPipeline(screen=screen.screen, risk_reply=risk_reply, escalate=escalate,
                        timeout_s=settings.TURN_TIMEOUT_S, handoff=handoff, data_request=privacy.data_request,
                        first_contact=privacy.first_contact if settings.PRIVACY_NOTICE else None,
                        record=privacy.record)
