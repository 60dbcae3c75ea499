"""Data rights: erase one family's conversation data on request, and everyone's after the retention period.

Erasure covers Rasa's tracker store, the theme log, consent rows and the conversation's recent messages,
stated baby age, chosen language and pending interpreter offer (by family id), the channel tables, the
outbox's parent replies, web chat replies and handoffs. Escalation records are kept under the records policy
(safeguarding): they are marked `records_hold` and their thread gets a note with the time of the request, so
a health visitor sees that the family asked. `forget` and `retention` are synchronous and idempotent.

Both raise trackerdb.TrackerStoreUnavailable, before deleting anything, when Rasa's conversation store cannot
be reached: a request that cannot be carried out is reported, never answered "done".
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update

from bot.privacy.themes import family_id
from bot.settings import get_settings
from bot.storage import trackerdb
from bot.storage.db import transaction
from bot.storage.models.channels import DeliveryFailure, InboundSeen, OptOut, Unreachable, utcnow
from bot.storage.models.conversation import RecentMessage, StatedAge
from bot.storage.models.escalation import Escalation, EscalationMessage, Handoff, Outbox, WebchatMessage
from bot.storage.models.themes import Consent, ForgetRequest, ThemeEvent

log = logging.getLogger(__name__)


@dataclass
class Erased:
    """Rows removed per table (and escalations kept on hold): for the CLI's output and the tests."""

    deleted: dict[str, int] = field(default_factory=dict)
    held_escalations: list[int] = field(default_factory=list)

    def add(self, table: str, count: int | None) -> None:
        self.deleted[table] = self.deleted.get(table, 0) + int(count or 0)


def forget(channel: str, sender_id: str, now: dt.datetime | None = None) -> Erased:
    now = now or utcnow()
    fid = family_id(channel, sender_id)
    trackerdb.require_engine()  # fail before anything is gone, so the request stays whole for a retry
    out = Erased()
    with transaction() as s:
        for table, column in (
            (ThemeEvent, ThemeEvent.family_id),
            (Consent, Consent.family_id),
            (ForgetRequest, ForgetRequest.family_id),
            (RecentMessage, RecentMessage.family_id),
            (StatedAge, StatedAge.family_id),
        ):
            out.add(table.__tablename__, s.execute(delete(table).where(column == fid)).rowcount)
        for model in (OptOut, Unreachable, DeliveryFailure):
            out.add(
                model.__tablename__,
                s.execute(delete(model).where(model.channel == channel, model.recipient == sender_id)).rowcount,
            )
        out.add(
            "outbox",
            s.execute(
                delete(Outbox).where(
                    Outbox.kind == "parent_reply", Outbox.channel == channel, Outbox.recipient == sender_id
                )
            ).rowcount,
        )
        if channel == "webchat":
            out.add(
                "webchat_messages",
                s.execute(delete(WebchatMessage).where(WebchatMessage.sender_id == sender_id)).rowcount,
            )
        # A handoff only routes the family's messages to a person; the escalation itself is the record.
        out.add(
            "handoffs",
            s.execute(delete(Handoff).where(Handoff.channel == channel, Handoff.sender_id == sender_id)).rowcount,
        )
        held = list(
            s.execute(
                select(Escalation).where(Escalation.channel == channel, Escalation.sender_id == sender_id)
            ).scalars()
        )
        for esc in held:
            esc.records_hold = True
            s.add(
                EscalationMessage(
                    escalation_id=esc.id,
                    at=now,
                    direction="note",
                    kind="forget_requested",
                    text=f"Family asked for their data to be deleted at {now:%Y-%m-%d %H:%M} UTC; "
                    "this record is kept under the records policy.",
                )
            )
        out.held_escalations = [e.id for e in held]
    # Last: if this fails, the request can simply be run again (everything above is already gone).
    out.add("events", trackerdb.delete_conversation(channel, sender_id))
    log.info("forget: %s rows deleted, %s escalations on hold", sum(out.deleted.values()), len(out.held_escalations))
    return out


def retention(now: dt.datetime | None = None, days: int | None = None) -> Erased:
    """Delete conversation data older than `days` (default RETENTION_DAYS). Kept: escalation records (records
    policy) and opt-outs (a STOP must hold for as long as the number exists, however old)."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(days=days if days is not None else get_settings().RETENTION_DAYS)
    trackerdb.require_engine()
    out = Erased()
    with transaction() as s:
        for table, column in (
            (ThemeEvent, ThemeEvent.at),
            (Consent, Consent.notice_at),
            (ForgetRequest, ForgetRequest.requested_at),
            (WebchatMessage, WebchatMessage.created_at),
            (DeliveryFailure, DeliveryFailure.at),
            (Unreachable, Unreachable.at),
            (InboundSeen, InboundSeen.seen_at),
            (RecentMessage, RecentMessage.at),
        ):
            out.add(table.__tablename__, s.execute(delete(table).where(column < cutoff)).rowcount)
        # A family's age, language choice and interpreter offer each age on their own clock; the row goes once
        # none is left.
        s.execute(update(StatedAge).where(StatedAge.stated_at < cutoff).values(age_days=None, stated_at=None))
        s.execute(update(StatedAge).where(StatedAge.language_at < cutoff).values(language=None, language_at=None))
        s.execute(update(StatedAge).where(StatedAge.offered_at < cutoff).values(offered=None, offered_at=None))
        empty = StatedAge.age_days.is_(None), StatedAge.language.is_(None), StatedAge.offered.is_(None)
        out.add(StatedAge.__tablename__, s.execute(delete(StatedAge).where(*empty)).rowcount)
        # Delivered or abandoned replies only: an undelivered one is still work in progress.
        finished = Outbox.delivered_at.is_not(None) | Outbox.dead.is_(True)
        out.add(
            "outbox",
            s.execute(
                delete(Outbox).where(Outbox.kind == "parent_reply", Outbox.created_at < cutoff, finished)
            ).rowcount,
        )
        out.add(
            "handoffs", s.execute(delete(Handoff).where(Handoff.open.is_(False), Handoff.created_at < cutoff)).rowcount
        )
    out.add("events", trackerdb.delete_before(cutoff))
    return out
