"""The one code path that sends anything to the outside world: parents' replies from health visitors,
staff alerts, and channel replies. Each channel registers a sender; callers name the channel.

A sender raises DeliveryError: permanent=True when retrying cannot help (blocked bot, opted-out number,
invalid recipient), otherwise the caller (the outbox) retries later. opted_out=True: the recipient texted STOP
(the outbox reports an alert that cannot reach a staff phone for that reason, bot/care/undelivered.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.turn.messages import Reply


class DeliveryError(Exception):
    def __init__(
        self, reason: str, permanent: bool = False, retry_after_s: float | None = None, opted_out: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent or opted_out
        self.retry_after_s = retry_after_s
        self.opted_out = opted_out


Sender = Callable[[str, Reply], Awaitable[None]]  # (recipient id on that channel, reply)
_SENDERS: dict[str, Sender] = {}


def register(channel: str, sender: Sender) -> None:
    _SENDERS[channel] = sender


async def deliver(channel: str, recipient: str, reply: Reply) -> None:
    sender = _SENDERS.get(channel)
    if sender is None:
        raise DeliveryError(f"no sender registered for channel {channel!r}", permanent=False)
    await sender(recipient, reply)
