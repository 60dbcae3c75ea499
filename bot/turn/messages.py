"""What a turn takes in and gives out, the same on every channel. Plain data: no Rasa, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Metadata the turn sends the model with a question in another language: an answer to show beside the interpreter
# offer is all it wants, so the model's actions take no other step (bot/actions/escalate.py).
ANSWER_ONLY = "answer_only"


@dataclass
class Reply:
    """What the parent is sent: text (Markdown for long channels), optional buttons, and facts for logs/tests."""

    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Inbound:
    """One parent message as a channel received it, after its own checks (signature, dedupe, rate limit)."""

    channel: str  # "webchat", "telegram", "sms"
    sender_id: str
    text: str
    render: str  # "sms" or "long"
    metadata: dict[str, Any] = field(default_factory=dict)
    # Set by the turn, not the channel: the family's language (their stored choice, else this message's detected
    # language; None: English), so copy sent in the turn (handoff, data rights, notice) goes out in it.
    lang: str | None = None
    # Set by the turn from the store: the language of the interpreter offer awaiting this family's "yes".
    offered: str | None = None


@dataclass(frozen=True)
class ScreenContext:
    """What the risk screen reads besides the newest message: the family's recent messages (oldest first,
    within the history window), the baby's age in days as they last stated it (None: never said) and the
    language the parent chose (a code of content/languages/, None: never chosen). `detected` is this message's
    language as the turn detected it ("en" for English; None: not detected), so detection runs once per message.
    `offered` is the interpreter offer awaiting the family's yes, read in the same query for the turn."""

    previous: tuple[str, ...] = ()
    age_days: int | None = None
    language: str | None = None
    detected: str | None = None
    offered: str | None = None  # not screened: read with the rest, for the turn (Inbound.offered)


NO_CONTEXT = ScreenContext()
