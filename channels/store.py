"""What the channels remember in the database (tables in bot/storage/models/channels.py).

Plain synchronous functions: the channels call them through `asyncio.to_thread` so a slow database never
blocks the event loop that is acknowledging webhooks.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.storage.db import transaction
from bot.storage.models.channels import DeliveryFailure, InboundSeen, OptOut, Unreachable


def first_delivery(channel: str, external_id: str) -> bool:
    """True the first time a platform delivery id is seen; False for a redelivery (any server, any restart)."""
    try:
        with transaction() as s:
            s.add(InboundSeen(channel=channel, external_id=external_id[:128]))
    except IntegrityError:  # the unique constraint is the arbiter when two servers race
        return False
    return True


def seen(channel: str, external_id: str) -> bool:
    """True when this platform delivery id was already accepted (a redelivery); writes nothing."""
    with transaction() as s:
        found = s.scalar(
            select(InboundSeen.id).where(InboundSeen.channel == channel, InboundSeen.external_id == external_id[:128])
        )
        return found is not None


def opt_out(channel: str, recipient: str, keyword: str) -> None:
    try:
        with transaction() as s:
            if s.scalar(select(OptOut.id).where(OptOut.channel == channel, OptOut.recipient == recipient)) is None:
                s.add(OptOut(channel=channel, recipient=recipient, keyword=keyword[:32]))
    except IntegrityError:  # recorded meanwhile by another server: same outcome
        pass


def opt_in(channel: str, recipient: str) -> None:
    with transaction() as s:
        s.execute(delete(OptOut).where(OptOut.channel == channel, OptOut.recipient == recipient))


def is_opted_out(channel: str, recipient: str) -> bool:
    with transaction() as s:
        return s.scalar(select(OptOut.id).where(OptOut.channel == channel, OptOut.recipient == recipient)) is not None


def mark_unreachable(channel: str, recipient: str, reason: str) -> None:
    try:
        with transaction() as s:
            row = s.scalar(
                select(Unreachable).where(Unreachable.channel == channel, Unreachable.recipient == recipient)
            )
            if row is None:
                s.add(Unreachable(channel=channel, recipient=recipient, reason=reason[:500]))
            else:
                row.reason = reason[:500]
    except IntegrityError:
        pass


def clear_unreachable(channel: str, recipient: str) -> None:
    with transaction() as s:
        s.execute(delete(Unreachable).where(Unreachable.channel == channel, Unreachable.recipient == recipient))


def is_unreachable(channel: str, recipient: str) -> bool:
    with transaction() as s:
        return (
            s.scalar(select(Unreachable.id).where(Unreachable.channel == channel, Unreachable.recipient == recipient))
            is not None
        )


def record_delivery_failure(
    channel: str, external_id: str, recipient: str, status: str, error_code: str | None
) -> None:
    with transaction() as s:
        s.add(
            DeliveryFailure(
                channel=channel,
                external_id=external_id[:64],
                recipient=recipient[:128],
                status=status[:32],
                error_code=(error_code or None) and error_code[:16],
            )
        )
