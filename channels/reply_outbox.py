"""A turn's emergency route that the channel could not deliver now goes to the outbox instead of being dropped.

The channels send turn replies straight away (channels/intake.py send_with_retry: a few tries over a few
seconds). When a passing failure (Telegram or Twilio down, a timeout, flood control longer than we wait) outlasts
those tries and the reply is the risk screen's (the emergency route), it becomes an outbox row
(`parent_reply`): the outbox worker retries it with backoff and the service's Retry-After, and parks it where
staff see it if it keeps failing (bot/care/outbox.py, bot/care/undelivered.py). A permanent failure (blocked,
STOP) is not queued: no retry can deliver it, and the channel reports it (bot/care/unreachable.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.care.outbound import DeliveryError
from bot.care.outbox import enqueue
from bot.storage.db import transaction
from bot.turn.messages import Reply
from channels.intake import send_with_retry

log = logging.getLogger(__name__)

QUEUED_KINDS = frozenset({"risk"})  # the emergency (or concern) route: it must reach the family


def _queue(channel: str, recipient: str, reply: Reply) -> int:
    with transaction() as s:
        return int(enqueue(s, "parent_reply", channel, recipient, {"text": reply.text, "meta": reply.meta}).id)


async def send_or_queue(channel: str, recipient: str, send: Callable[[Reply], Awaitable[None]], reply: Reply) -> bool:
    """True when sent now. False when not: the emergency route is then queued in the outbox (if the failure may
    pass); anything else is given up, as before."""
    failures: list[DeliveryError] = []

    async def recorded(r: Reply) -> None:
        try:
            await send(r)
        except DeliveryError as err:
            failures.append(err)
            raise

    if await send_with_retry(recorded, reply):
        return True
    if reply.meta.get("kind") in QUEUED_KINDS and failures and not failures[-1].permanent:
        try:
            row = await asyncio.to_thread(_queue, channel, recipient, reply)
            log.warning("%s: the emergency route was not delivered now; outbox row %s retries it", channel, row)
        except Exception:  # the database is down too: nothing more can be done here, say so loudly
            log.exception("%s: the emergency route was not delivered and could not be queued", channel)
    return False
