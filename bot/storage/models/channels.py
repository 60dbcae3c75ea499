"""Tables the channels keep: webhook deliveries already handled, SMS opt-outs, families a channel cannot
reach, and SMS deliveries that failed. Times are naive UTC, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column, DateTime, Integer, String, Text, UniqueConstraint

from bot.storage.base import Base


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class InboundSeen(Base):
    """One row per platform delivery id (Telegram update_id, Twilio MessageSid): both platforms redeliver,
    and the row (not memory) is what lets a restarted or second server ignore the repeat."""

    __tablename__ = "channel_inbound_seen"

    id = Column(Integer, primary_key=True)
    channel = Column(String(32), nullable=False)
    external_id = Column(String(128), nullable=False)
    seen_at = Column(DateTime, nullable=False, default=utcnow)

    __table_args__ = (UniqueConstraint("channel", "external_id", name="ux_channel_inbound_seen"),)


class OptOut(Base):
    """A number (or chat) that said STOP: nothing is sent to it until it says START again."""

    __tablename__ = "channel_opt_outs"

    id = Column(Integer, primary_key=True)
    channel = Column(String(32), nullable=False)
    recipient = Column(String(128), nullable=False)
    keyword = Column(String(32), nullable=False)
    at = Column(DateTime, nullable=False, default=utcnow)

    __table_args__ = (UniqueConstraint("channel", "recipient", name="ux_channel_opt_outs"),)


class Unreachable(Base):
    """A family the channel cannot message (Telegram: blocked the bot, or never started it). Cleared when
    they write to us again."""

    __tablename__ = "channel_unreachable"

    id = Column(Integer, primary_key=True)
    channel = Column(String(32), nullable=False)
    recipient = Column(String(128), nullable=False)
    reason = Column(Text, nullable=False)
    at = Column(DateTime, nullable=False, default=utcnow)

    __table_args__ = (UniqueConstraint("channel", "recipient", name="ux_channel_unreachable"),)


class DeliveryFailure(Base):
    """An SMS that Twilio reported as failed or undelivered (status callback)."""

    __tablename__ = "channel_delivery_failures"

    id = Column(Integer, primary_key=True)
    channel = Column(String(32), nullable=False)
    external_id = Column(String(64), nullable=False)  # MessageSid
    recipient = Column(String(128), nullable=False)
    status = Column(String(32), nullable=False)
    error_code = Column(String(16))
    at = Column(DateTime, nullable=False, default=utcnow)


class PendingMessage(Base):
    """An inbound message stored before its webhook is acknowledged (issue 13, item 2): the parent's words
    live here only until the turn is done, then the row is deleted (the delivery id stays in
    channel_inbound_seen). A server owns a row while its lease runs; a killed server's rows are taken over
    by the next one to start (channels/pending.py)."""

    __tablename__ = "channel_pending_messages"

    id = Column(Integer, primary_key=True)
    channel = Column(String(32), nullable=False)
    sender_id = Column(String(128), nullable=False)
    event = Column(JSON, nullable=False)  # the channel's event: kind, text, callback id
    received_at = Column(DateTime, nullable=False, default=utcnow)
    owner = Column(String(64), nullable=False)
    lease_until = Column(DateTime, nullable=False, index=True)


class TurnInFlight(Base):
    """A conversation the Rasa server is running a turn for right now, and the channel it came in on (issue 13,
    item 4): the action server takes an escalation's reply address from here, never from the tracker it is
    sent. One row per conversation, written before Rasa is asked and deleted after (bot/care/turns.py)."""

    __tablename__ = "turns_in_flight"

    sender_id = Column(String(128), primary_key=True)  # the conversation key, channel:id (bot/turn/keys.py)
    channel = Column(String(32), nullable=False)
    started_at = Column(DateTime, nullable=False, default=utcnow, index=True)
