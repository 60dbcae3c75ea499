"""Escalations: what happens after the risk screen (or the model, or a parent asking for a person) fires.

Used by the pipeline's escalate hook (matcher layer), ActionEscalate (model layer) and ActionRequestPerson
(callback). One open escalation per family (channel + sender): later hits and messages join its thread. The
escalation, its handoff and its staff alerts' outbox rows are written in ONE transaction, so a crash cannot
leave an escalation nobody was told about. Nothing here closes an escalation on its own: only a person does.

All functions are synchronous (SQLAlchemy); async callers run them with `asyncio.to_thread`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bot.care.alerts import queue_alerts
from bot.care.outbox import enqueue
from bot.risk.matcher import RiskHit
from bot.risk.screening import risk_screen
from bot.risk.tiers import is_concern
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, EscalationMessage, Handoff, utcnow
from bot.turn.messages import Inbound

log = logging.getLogger(__name__)

CALLBACK = "callback"
CALLBACK_PRIORITY = 9  # after every risk tier: a request for a call back, not a risk
DEFAULT_TARGET_MINUTES = 15  # used only when a risk category's own target cannot be read
ATTEMPTS = 4  # a race with another writer for the same family resolves on the next try


@dataclass(frozen=True)
class Facts:
    """An inbound message seen outside the channel pipeline (the action server builds one from the tracker)."""

    channel: str
    sender_id: str
    text: str
    render: str = "long"


InboundLike = Inbound | Facts  # a channel's message, or what the action server reads from the tracker


@dataclass(frozen=True)
class Opened:
    escalation_id: int
    created: bool


class EscalationError(ValueError):
    pass


def callback_hit() -> RiskHit:
    return RiskHit(category=CALLBACK, group=CALLBACK, rule="ask_for_person", tier=None, priority=CALLBACK_PRIORITY)


def target_minutes_for(category: str) -> int | None:
    """Minutes before an unclaimed escalation is re-alerted, from the category's risk rules."""
    if category == CALLBACK or is_concern(category):
        return None  # a concern is low priority: in the inbox, not re-alerted
    try:
        return int(risk_screen().category(category).response_target_minutes)
    except Exception:
        # Re-alerting must not depend on the rules loading here: fall back to the strictest common target.
        log.exception("no response target for %s; using %d minutes", category, DEFAULT_TARGET_MINUTES)
        return DEFAULT_TARGET_MINUTES


def _open_handoff(session: Session, channel: str, sender_id: str) -> Handoff | None:
    handoff: Handoff | None = session.execute(
        select(Handoff).where(Handoff.channel == channel, Handoff.sender_id == sender_id, Handoff.open.is_(True))
    ).scalar_one_or_none()
    return handoff


def _words(texts: Sequence[str], now: dt.datetime) -> list[dict[str, str]]:
    return [{"at": now.isoformat(timespec="seconds"), "text": t} for t in texts]


def open_escalation(
    facts: InboundLike,
    hits: Sequence[RiskHit],
    messages: Sequence[str],
    *,
    layer: str = "matcher",
    reply_kind: str = "risk",
    answer_ids: Sequence[str] | None = None,
    now: dt.datetime | None = None,
) -> Opened:
    """Record an escalation (or add to the family's open one) and queue its alerts, atomically."""
    if not hits:
        raise EscalationError("open_escalation needs at least one hit")
    top = min(hits, key=lambda h: h.priority)
    now = now or utcnow()
    texts = list(messages) or [facts.text]
    ids = list(answer_ids) if answer_ids is not None else [f"risk/{h.category}" for h in hits]
    target = target_minutes_for(top.category)
    for attempt in range(ATTEMPTS):
        try:
            with transaction() as s:
                handoff = _open_handoff(s, facts.channel, facts.sender_id)
                if handoff is not None:
                    return Opened(
                        _join(s, handoff.escalation_id, facts, top, layer, reply_kind, ids, target, now), False
                    )
                esc = Escalation(
                    created_at=now,
                    channel=facts.channel,
                    sender_id=facts.sender_id,
                    render=facts.render,
                    category=top.category,
                    group=top.group,
                    rule=top.rule,
                    tier=top.tier,
                    priority=top.priority,
                    layer=layer,
                    parent_words=_words(texts, now),
                    reply_kind=reply_kind,
                    answer_ids=ids,
                    status="open",
                    records_hold=top.group != CALLBACK,
                    response_target_minutes=target,
                    last_alert_at=now,
                    alerts_repeated=0,
                    language=next((h.lang for h in hits if h.lang), None) or getattr(facts, "lang", None),
                )
                s.add(esc)
                s.flush()  # the id, for the handoff, the thread and the alert link
                s.add(Handoff(channel=facts.channel, sender_id=facts.sender_id, escalation_id=esc.id, created_at=now))
                for t in texts:
                    s.add(EscalationMessage(escalation_id=esc.id, at=now, direction="in", kind=reply_kind, text=t))
                queue_alerts(s, esc, now=now)
                return Opened(esc.id, True)
        except IntegrityError:
            # Another server opened this family's handoff at the same moment: join it instead.
            if attempt == ATTEMPTS - 1:
                raise
        except OperationalError:
            # SQLite: a read snapshot cannot become a write after another writer committed (WAL); try again.
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _join(
    s: Session,
    escalation_id: int,
    facts: InboundLike,
    top: RiskHit,
    layer: str,
    reply_kind: str,
    ids: list[str],
    target: int | None,
    now: dt.datetime,
) -> int:
    esc = s.get(Escalation, escalation_id)
    assert esc is not None
    esc.parent_words = [*esc.parent_words, *_words([facts.text], now)]
    esc.answer_ids = [*esc.answer_ids, *(i for i in ids if i not in esc.answer_ids)]
    s.add(EscalationMessage(escalation_id=esc.id, at=now, direction="in", kind=reply_kind, text=facts.text))
    if top.priority < esc.priority:
        # More urgent than what was open (a callback that became a risk): staff must hear about it now.
        esc.category, esc.group, esc.rule, esc.tier, esc.priority = (
            top.category,
            top.group,
            top.rule,
            top.tier,
            top.priority,
        )
        esc.layer, esc.response_target_minutes, esc.last_alert_at, esc.records_hold = layer, target, now, True
        s.flush()
        queue_alerts(s, esc, now=now)
    return int(esc.id)


def handoff_escalation(channel: str, sender_id: str) -> int | None:
    """The escalation holding this family's conversation, if a health visitor has it."""
    with transaction() as s:
        handoff = _open_handoff(s, channel, sender_id)
        return None if handoff is None else int(handoff.escalation_id)


def record_parent_message(channel: str, sender_id: str, text: str, kind: str = "message") -> int | None:
    """Add a parent's message to their open escalation's thread; None when no handoff is open."""
    with transaction() as s:
        handoff = _open_handoff(s, channel, sender_id)
        if handoff is None:
            return None
        s.add(EscalationMessage(escalation_id=handoff.escalation_id, direction="in", kind=kind, text=text))
        return int(handoff.escalation_id)


def record_stop(channel: str, sender_id: str, text: str) -> int | None:
    """For the SMS channel: a STOP inside an open risk conversation must reach the health visitor, not end it.

    Returns the escalation id it was recorded on, or None when the family has no open conversation (then
    STOP is an ordinary opt-out).
    """
    return record_parent_message(channel, sender_id, text, kind="stop")


# --- staff actions (the inbox) ---------------------------------------------------------------------------


def list_open(session: Session) -> list[Escalation]:
    """Urgent first (priority), then the longest waiting."""
    return list(
        session.execute(
            select(Escalation)
            .where(Escalation.status != "closed")
            .order_by(Escalation.priority, Escalation.created_at, Escalation.id)
        ).scalars()
    )


def thread(session: Session, escalation_id: int) -> list[EscalationMessage]:
    return list(
        session.execute(
            select(EscalationMessage)
            .where(EscalationMessage.escalation_id == escalation_id)
            .order_by(EscalationMessage.at, EscalationMessage.id)
        ).scalars()
    )


def _get_open(s: Session, escalation_id: int) -> Escalation:
    esc: Escalation | None = s.get(Escalation, escalation_id)
    if esc is None or esc.status == "closed":
        raise EscalationError(f"escalation {escalation_id} is not open")
    return esc


def claim(escalation_id: int, username: str, now: dt.datetime | None = None) -> None:
    with transaction() as s:
        esc = _get_open(s, escalation_id)
        if esc.status == "open":
            esc.status, esc.claimed_by, esc.claimed_at = "claimed", username, now or utcnow()


def reply(escalation_id: int, username: str, text: str) -> int:
    """Queue a health visitor's reply to the parent on their own channel; returns the outbox row id."""
    text = text.strip()
    if not text:
        raise EscalationError("empty reply")
    with transaction() as s:
        esc = _get_open(s, escalation_id)
        if esc.status == "open":
            esc.status, esc.claimed_by, esc.claimed_at = "claimed", username, utcnow()
        s.add(EscalationMessage(escalation_id=esc.id, direction="out", kind="message", author=username, text=text))
        row = enqueue(
            s,
            "parent_reply",
            esc.channel,
            esc.sender_id,
            {"text": text, "meta": {"kind": "staff_reply", "escalation_id": esc.id}},
            escalation_id=esc.id,
        )
        return int(row.id)


def close(escalation_id: int, username: str, outcome: str) -> None:
    outcome = outcome.strip()
    with transaction() as s:
        esc = _get_open(s, escalation_id)
        if esc.group != CALLBACK and not outcome:
            raise EscalationError("a risk escalation needs an outcome to close")
        esc.status, esc.closed_at, esc.outcome = "closed", utcnow(), outcome
        if esc.claimed_by is None:
            esc.claimed_by, esc.claimed_at = username, esc.closed_at
        s.add(EscalationMessage(escalation_id=esc.id, direction="note", kind="closed", author=username, text=outcome))
        s.execute(update(Handoff).where(Handoff.escalation_id == esc.id).values(open=False))
