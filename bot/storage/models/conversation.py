"""Tables of the conversation's short memory: a family's last few messages, the baby age they stated, the
language they chose and the interpreter offer awaiting their yes.

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
    """What the family told us about themselves: the baby's age as last stated ("she's 6 weeks"), in days on
    the day it was said, and the language they chose ("polski", "/language pl"); and the interpreter offer we
    made them in another language, awaiting their "yes" (bot/languages/support.py). Any may be unset (NULL):
    a family can choose a language without ever giving an age. Each has its own time, for retention."""

    __tablename__ = "conversation_stated_age"

    family_id = Column(String(64), primary_key=True)
    age_days = Column(Integer, nullable=True)
    stated_at = Column(DateTime, nullable=True, index=True)
    language = Column(String(8), nullable=True)  # a code of content/languages/ ("pl"); NULL: never chosen
    language_at = Column(DateTime, nullable=True, index=True)
    offered = Column(String(8), nullable=True)  # the language of the interpreter offer awaiting a yes
    offered_at = Column(DateTime, nullable=True, index=True)
