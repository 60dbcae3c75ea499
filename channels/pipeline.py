"""The process's one TurnPipeline, wired to the risk content and the escalation store on first use."""

from __future__ import annotations

from functools import lru_cache

from bot.screening import risk_screen
from bot.settings import get_settings
from channels.turns import TurnPipeline


def risk_reply(category: str, render: str) -> str:
    cat = risk_screen().category(category)
    return cat.reply_sms if render == "sms" else cat.reply


@lru_cache(maxsize=1)
def default_pipeline() -> TurnPipeline:
    screen = risk_screen()
    return TurnPipeline(screen=screen.screen, risk_reply=risk_reply, escalate=None,
                        timeout_s=get_settings().TURN_TIMEOUT_S)
