"""Tables of the theme log and of data rights: one row per parent message (no words, except a scrubbed copy of
questions the assistant could not answer), first-contact notices and consent, pending "delete my data" requests.

Families are known here only by `family_id`, a keyed hash of channel + sender id (bot/privacy/themes.py): these tables
never hold a phone number, chat id or the parent's raw words. Times are naive UTC.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Float, Index, Integer, String, Text

from bot.storage.base import Base
from bot.storage.models.channels import utcnow


class ThemeEvent(Base):
    """One parent message: what it was about and how it was handled. Written by the turn pipeline."""

    __tablename__ = "theme_events"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    channel = Column(String(32), nullable=False)
    family_id = Column(String(64), nullable=False, index=True)
    kind = Column(String(32), nullable=False)  # answer | clarify | fallback | risk | handoff_ack | safe_default ...
    topic = Column(String(64))
    answer_id = Column(String(128))
    content_version = Column(String(32))  # 12 hex characters today (bot/answers/loader.py)
    confidence = Column(Float)
    risk_category = Column(String(64))
    fell_back = Column(Boolean, nullable=False, default=False)
    handed_off = Column(Boolean, nullable=False, default=False)
    scrubbed_text = Column(Text)  # fall-backs only, after bot/privacy/scrub.py: the editors' missing-content queue

    __table_args__ = (Index("ix_theme_events_family_at", "family_id", "at"),)


class Consent(Base):
    """The first-contact notice shown to a family, and their next message (continuing is consenting)."""

    __tablename__ = "privacy_consents"

    id = Column(Integer, primary_key=True)
    family_id = Column(String(64), nullable=False, unique=True)
    channel = Column(String(32), nullable=False)
    notice_at = Column(DateTime, nullable=False, default=utcnow)
    replied_at = Column(DateTime)
    reply_kind = Column(String(32))  # continued | forget


class ForgetRequest(Base):
    """A "delete my data" waiting for the parent's YES (valid for a few minutes)."""

    __tablename__ = "privacy_forget_requests"

    id = Column(Integer, primary_key=True)
    family_id = Column(String(64), nullable=False, unique=True)
    requested_at = Column(DateTime, nullable=False, default=utcnow)
