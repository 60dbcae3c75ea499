"""Tables of the escalation path: escalations and their threads, the outbox, handoffs, staff and sessions.

Times are naive UTC (`utcnow()`), the same on SQLite and PostgreSQL. The parent's channel id (`sender_id`)
is stored only here and in the outbox, which only the inbox login and the worker read.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Text, text, true

from bot.storage.base import Base


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Escalation(Base):
    __tablename__ = "escalations"

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    channel = Column(String(32), nullable=False)
    sender_id = Column(String(128), nullable=False)
    render = Column(String(8), nullable=False, default="long")
    category = Column(String(64), nullable=False)
    group = Column("risk_group", String(32), nullable=False)  # "group" is an SQL keyword
    rule = Column(String(128), nullable=False)
    tier = Column(String(4))
    priority = Column(Integer, nullable=False)
    layer = Column(String(16), nullable=False)  # matcher | model | request
    parent_words = Column(JSON, nullable=False, default=list)  # [{"at": iso, "text": ...}] exactly as sent
    reply_kind = Column(String(32), nullable=False)
    answer_ids = Column(JSON, nullable=False, default=list)
    status = Column(String(16), nullable=False, default="open")  # open | claimed | closed
    claimed_by = Column(String(64))
    claimed_at = Column(DateTime)
    closed_at = Column(DateTime)
    outcome = Column(Text)
    records_hold = Column(Boolean, nullable=False, default=False)  # safeguarding: never erased on request
    # Per-category target copied at creation, so re-alerting does not depend on the rules loading later.
    response_target_minutes = Column(Integer)
    last_alert_at = Column(DateTime)
    alerts_repeated = Column(Integer, nullable=False, default=0)
    language = Column(String(8))  # the parent's language when not English ("pl"): staff book an interpreter

    @property
    def language_name(self) -> str | None:
        """ "Polish" for "pl", from content/languages/ (the code itself for a language since dropped)."""
        from bot.languages.catalogue import language_name  # lazy: content is read on first use

        return language_name(self.language) if self.language else None


class EscalationMessage(Base):
    __tablename__ = "escalation_messages"

    id = Column(Integer, primary_key=True)
    escalation_id = Column(Integer, ForeignKey("escalations.id"), nullable=False, index=True)
    at = Column(DateTime, nullable=False, default=utcnow)
    # in (parent) | bot (the assistant's reply) | out (staff) | note (system) | audit (staff actions, internal
    # notes: never sent to the family)
    direction = Column(String(8), nullable=False)
    kind = Column(String(32), nullable=False, default="message")  # message | risk | stop | delivery_failed ...
    author = Column(String(64))
    text = Column(Text, nullable=False)
    answer_id = Column(String(128))  # the assistant's replies: the answer id, or risk/<category> for a route


class Outbox(Base):
    __tablename__ = "outbox"

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    kind = Column(String(16), nullable=False)  # alert | parent_reply
    channel = Column(String(32), nullable=False)
    recipient = Column(String(128), nullable=False)
    payload = Column(JSON, nullable=False)
    escalation_id = Column(Integer, ForeignKey("escalations.id"), index=True)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False, default=utcnow)
    delivered_at = Column(DateTime)
    last_error = Column(Text)
    dead = Column(Boolean, nullable=False, default=False)  # parent replies only: alerts retry until delivered
    # Set when automatic retries stopped (PARK_AFTER failures, or an alert to a staff phone that texted STOP):
    # shown in the staff inbox until someone retries it there (bot/care/undelivered.py).
    parked_at = Column(DateTime)

    __table_args__ = (Index("ix_outbox_due", "delivered_at", "dead", "next_attempt_at"),)


class Handoff(Base):
    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    channel = Column(String(32), nullable=False)
    sender_id = Column(String(128), nullable=False)
    escalation_id = Column(Integer, ForeignKey("escalations.id"), nullable=False)
    open = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)

    # One open handoff per family: two servers racing on the same family cannot open two escalations.
    __table_args__ = (Index("ux_handoffs_open_family", "channel", "sender_id", unique=True,
                            sqlite_where=text("open = 1"), postgresql_where=text("open")),)


class StaffUser(Base):
    __tablename__ = "staff_users"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(256), nullable=False)  # scrypt$n$r$p$salt$hash (bot/care/staff.py)
    role = Column(String(32), nullable=False)  # health_visitor | manager
    created_at = Column(DateTime, nullable=False, default=utcnow)
    # May claim, reply to, close and reopen a family's case: health visitors always, managers when given it.
    casework = Column(Boolean, nullable=False, default=True, server_default=true())
    disabled_at = Column(DateTime, nullable=True)  # a leaver: no login, no session, not offered for hand over
    locked_until = Column(DateTime, nullable=True)  # after repeated failed sign-ins (staff/throttle.py)


class StaffSession(Base):
    __tablename__ = "staff_sessions"

    token_hash = Column(String(64), primary_key=True)  # sha256 of the cookie: a leaked table logs no one in
    user_id = Column(Integer, ForeignKey("staff_users.id"), nullable=False)
    csrf_token = Column(String(64), nullable=False)
    expires_at = Column(DateTime, nullable=False)


class WebchatMessage(Base):
    """Health visitors' replies to web chat parents, waiting for the page to fetch them (no push channel)."""

    __tablename__ = "webchat_messages"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(128), nullable=False, index=True)
    payload = Column(JSON, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    fetched_at = Column(DateTime)


class AlertWindow(Base):
    """Staff pages sent to one alert recipient in one five-minute window (bot/care/alert_bursts.py): a burst
    of new senders pages a bounded number of times, the rest are counted into one grouped page."""

    __tablename__ = "alert_windows"

    id = Column(Integer, primary_key=True)
    channel = Column(String(32), nullable=False)
    recipient = Column(String(128), nullable=False)
    window_start = Column(DateTime, nullable=False)
    pages = Column(Integer, nullable=False, default=0)  # single alerts sent in this window
    grouped = Column(Integer, nullable=False, default=0)  # new escalations counted into the grouped page
    repeats = Column(Integer, nullable=False, default=0)  # unclaimed reminders counted into it
    outbox_id = Column(Integer, ForeignKey("outbox.id"))  # the grouped page, due when the window ends

    # The arbiter when two servers open the same window at once (the loser's transaction is retried).
    __table_args__ = (Index("ux_alert_windows", "channel", "recipient", "window_start", unique=True),)
