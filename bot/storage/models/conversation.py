"""Tables of the conversation's short memory: a family's last few messages and the baby age they stated.

The risk screen reads them on every message (bot/conversation/store.py), so a restart or a second server
screens the same history. Families are known only by `family_id` (the keyed hash of bot/privacy/themes.py).
The words are kept for the history window only (minutes: each write prunes what is older) and erased by
"delete my data" and retention (bot/privacy/forget.py). Times are naive UTC.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, String, Text

from bot.storage.base import Base
from bot.storage.models.channels import utcnow


class RecentMessage(Base):
    """One parent message, for the screen to read together with the next ones."""

    __tablename__ = "conversation_recent"

    id = Column(Integer, primary_key=True)
    family_id = Column(String(64), nullable=False)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    text = Column(Text, nullable=False)

    __table_args__ = (Index("ix_conversation_recent_family_at", "family_id", "at"),)


class StatedAge(Base):
    """The baby's age as the family last stated it ("she's 6 weeks"), in days on the day it was said."""

    __tablename__ = "conversation_stated_age"

    family_id = Column(String(64), primary_key=True)
    age_days = Column(Integer, nullable=False)
    stated_at = Column(DateTime, nullable=False, default=utcnow, index=True)
