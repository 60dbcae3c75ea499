"""The turn's privacy collaborators: DataRights (data-rights requests, the first-contact notice) and ThemeLog.

Each runs the database work off the event loop. Copy is content/messages/privacy.yml.
"""

from __future__ import annotations

import asyncio

from bot.answers.messages import messages
from bot.privacy import rights, themes
from bot.turn.messages import Inbound, Reply

REPLY_KEYS = {"confirm": "privacy_forget_confirm", "forgotten": "privacy_forgotten", "failed": "privacy_forget_failed"}


def yes_words(lang: str | None) -> tuple[str, ...]:
    """The family's language's own yes words ("tak", "ਹਾਂ"), so they can confirm "delete my data" in it."""
    if not lang:
        return ()
    from bot.languages.screen import catalogue  # lazy: the languages are read only for a family that has one

    language = catalogue().get(lang)
    words = language.messages.get("yes_words") if language else None
    return tuple(str(w) for w in words) if isinstance(words, list) else ()


class DataRights:
    """`send_notice=False` where families are told another way (the PRIVACY_NOTICE setting)."""

    def __init__(self, send_notice: bool = True) -> None:
        self.send_notice = send_notice

    async def request(self, inbound: Inbound) -> list[Reply] | None:
        own = yes_words(inbound.lang)
        outcome = await asyncio.to_thread(
            rights.data_request, inbound.channel, inbound.sender_id, inbound.text, None, own
        )
        if outcome is None:
            return None
        key = REPLY_KEYS[outcome]
        return [Reply(text=messages().in_language(key, inbound.render, inbound.lang), meta={"kind": key})]

    async def notice(self, inbound: Inbound) -> list[Reply]:
        if not self.send_notice:
            return []
        if not await asyncio.to_thread(rights.first_contact, inbound.channel, inbound.sender_id):
            return []
        text = messages().in_language("privacy_notice", inbound.render, inbound.lang)
        return [Reply(text=text, meta={"kind": "privacy_notice"})]


class ThemeLog:
    async def record(self, inbound: Inbound, replies: list[Reply]) -> None:
        await asyncio.to_thread(
            themes.record_turn, inbound.channel, inbound.sender_id, inbound.text, [r.meta for r in replies]
        )
