"""The turn's collaborators, by name: what the turn needs from each, nothing about how it is done.

Implementations: bot/risk/screening.py (RiskScreen), bot/conversation/hooks.py (History),
bot/care/turn_hooks.py (Escalations, Handoffs),
bot/privacy/hooks.py (DataRights, ThemeLog), bot/rasa_ext/assistant.py (Assistant). They are built together
in one place, bot/wiring.py.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.risk.matcher import RiskHit
from bot.turn.messages import NO_CONTEXT, Inbound, Reply, ScreenContext


class RiskScreen(Protocol):
    """The deterministic screen, run on every word of the newest message, read with the family's recent
    messages and stated baby age, before anything else."""

    def check(self, text: str, context: ScreenContext = NO_CONTEXT) -> list[RiskHit]: ...

    def reply(self, category: str, render: str, lang: str | None = None) -> str:
        """The emergency route of a category (also "safe_default"), in the channel's rendering; with `lang`
        (a hit's language) in that language and in English."""
        ...


class History(Protocol):
    async def remember(self, inbound: Inbound) -> ScreenContext:
        """Store the message in the family's durable history; what the screen should read with it."""
        ...


class Escalations(Protocol):
    async def open(self, inbound: Inbound, hits: list[RiskHit], history: list[str]) -> list[Reply]:
        """Record the escalation and queue its staff alerts; the replies to send after the route."""
        ...


class Handoffs(Protocol):
    async def route(self, inbound: Inbound) -> list[Reply] | None:
        """While a health visitor holds the family's conversation: record the message for them and return
        the acknowledgement; None when no handoff is open (the assistant answers)."""
        ...

    async def record_sent(self, inbound: Inbound, replies: list[Reply]) -> None:
        """What the turn sent, on the family's open escalation (the inbox shows both sides)."""
        ...


class DataRights(Protocol):
    async def request(self, inbound: Inbound) -> list[Reply] | None:
        """ "delete my data" and its YES: the replies when the message was a data-rights request, else None."""
        ...

    async def notice(self, inbound: Inbound) -> list[Reply]:
        """The privacy notice for a family's first message ([] for everyone else)."""
        ...


class LanguageHelp(Protocol):
    async def respond(self, inbound: Inbound) -> list[Reply] | None:
        """For a parent writing in another supported language: the replies in it; None for English."""
        ...

    def detect(self, text: str) -> str | None:
        """The message's language when it is a supported one other than English, else None."""
        ...

    def with_answer(self, offer: list[Reply], answer: list[Reply]) -> list[Reply]:
        """For an ordinary question (`offer`'s meta "question"): the assistant's `answer` added when it is
        sure of it, else the offer alone."""
        ...


class ThemeLog(Protocol):
    async def record(self, inbound: Inbound, replies: list[Reply]) -> None: ...


class Assistant(Protocol):
    """The model's turn (Rasa); returns the bot's replies."""

    async def respond(self, channel: str, sender_id: str, text: str, metadata: dict[str, Any]) -> list[Reply]: ...
