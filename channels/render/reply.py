"""Turning a Reply into what each channel sends. One place, so the web preview shows exactly what SMS and
Telegram parents get.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answers.gsm import SmsCost, fit_segments, sms_cost, to_gsm
from bot.turn.messages import Reply
from channels.render.markup import to_plain, to_telegram_html

MAX_SMS_SEGMENTS = 3
TELEGRAM_LIMIT = 4096


@dataclass(frozen=True)
class SmsRendering:
    body: str
    cost: SmsCost


def render_sms(reply: Reply, max_segments: int = MAX_SMS_SEGMENTS) -> SmsRendering:
    """One SMS body, never one per paragraph or per button: buttons become a numbered list to reply to."""
    text = to_plain(reply.text)
    if reply.buttons:
        text += "\n" + "\n".join(f"{n}. {b.get('title', '')}" for n, b in enumerate(reply.buttons, start=1))
    body = fit_segments(to_gsm(text).strip(), max_segments)
    return SmsRendering(body=body, cost=sms_cost(body))


def render_telegram(reply: Reply) -> str:
    html = to_telegram_html(reply.text)
    if reply.buttons:
        # Numbers too, so a parent can type "2" as on SMS; the inline buttons are added by the channel.
        html += "\n" + "\n".join(f"{n}. {b.get('title', '')}" for n, b in enumerate(reply.buttons, start=1))
    return html[:TELEGRAM_LIMIT]
