"""The theme log: one pseudonymous row per parent message, for service planning (bot/reports/report.py).

`record_turn` is called by the turn pipeline once the replies are decided. It reads only the replies' meta
(kind, answer id, topic, version, confidence, risk categories); the parent's words are stored only for a
fall-back, and only after bot/privacy/scrub.py. Functions are synchronous; async callers use `asyncio.to_thread`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from bot.privacy.scrub import scrub
from bot.settings import get_settings
from bot.storage.db import transaction
from bot.storage.models.channels import utcnow
from bot.storage.models.themes import Consent, ThemeEvent

# Replies that accompany the answer rather than being it: they do not decide the row's kind.
EXTRAS = frozenset({"privacy_notice", "out_of_hours"})
HANDED_OFF = frozenset({"risk", "handoff_ack", "handoff_request", "restated"})
MAX_SCRUBBED_CHARS = 500


def family_id(channel: str, sender_id: str, key: str | None = None) -> str:
    """Keyed hash (HMAC-SHA256) of channel + sender id: the same family gets the same id while the key stays;
    without the key it cannot be turned back into a number. Rotating the key starts new ids (docs/deploy.md)."""
    secret = (key if key is not None else get_settings().PSEUDONYM_KEY).encode("utf-8")
    return hmac.new(secret, f"{channel}:{sender_id}".encode(), hashlib.sha256).hexdigest()


def theme_row(
    channel: str, fid: str, text: str, metas: Sequence[Mapping[str, Any]], at: dt.datetime | None = None
) -> ThemeEvent:
    """The row for one message, from the meta of the replies it got (no database access)."""
    main = next((m for m in metas if m.get("kind") not in EXTRAS), metas[0] if metas else {})
    kind = str(main.get("kind") or "none")
    answered = next((m for m in metas if m.get("answer_id")), {})
    categories = next((m.get("categories") for m in metas if m.get("categories")), None) or []
    fell_back = kind == "fallback"
    confidence = answered.get("confidence", main.get("confidence"))
    return ThemeEvent(
        at=at or utcnow(),
        channel=channel,
        family_id=fid,
        kind=kind[:32],
        topic=answered.get("topic") or ("risk" if categories else None),
        answer_id=answered.get("answer_id"),
        content_version=answered.get("version"),
        confidence=float(confidence) if confidence is not None else None,
        risk_category=str(categories[0]) if categories else None,
        fell_back=fell_back,
        handed_off=any(m.get("kind") in HANDED_OFF for m in metas),
        scrubbed_text=scrub(text)[:MAX_SCRUBBED_CHARS] if fell_back else None,
    )


def record_turn(
    channel: str, sender_id: str, text: str, metas: Sequence[Mapping[str, Any]], at: dt.datetime | None = None
) -> int:
    with transaction() as s:
        row = theme_row(channel, family_id(channel, sender_id), text, metas, at)
        s.add(row)
        s.flush()
        return int(row.id)


def known_family(fid: str) -> bool:
    """Has this family written before (a theme row or a first-contact notice)?"""
    with transaction() as s:
        # One row is enough (a count would read all of a long-standing family's rows, every message).
        if s.scalar(select(ThemeEvent.id).where(ThemeEvent.family_id == fid).limit(1)) is not None:
            return True
        return s.scalar(select(Consent.id).where(Consent.family_id == fid)) is not None


def record_notice(channel: str, fid: str, at: dt.datetime | None = None) -> None:
    with transaction() as s:
        if s.scalar(select(Consent.id).where(Consent.family_id == fid)) is None:
            s.add(Consent(family_id=fid, channel=channel, notice_at=at or utcnow()))


def record_consent(fid: str, reply_kind: str = "continued", at: dt.datetime | None = None) -> bool:
    """The parent's first message after the notice is their consent record; True when this one was it."""
    with transaction() as s:
        row = s.scalar(select(Consent).where(Consent.family_id == fid, Consent.replied_at.is_(None)))
        if row is None:
            return False
        row.replied_at, row.reply_kind = at or utcnow(), reply_kind
        return True
