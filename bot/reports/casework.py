"""The manager's figures on casework (issue 16, step 6): escalations opened and closed per day, the time from an
escalation to the first reply a person sent the family, by category against its response target, and the
escalations that breached the target.

"First human reply" is the first staff message on the thread (direction "out"), not the claim: a family is
helped when someone writes to them, and the claim time is already in the escalations table. The target is the
one stored on the escalation when it opened (from content/risk/, so a later edit does not rewrite history); a
category with no target (concerns, call-backs) has no breaches. An escalation with no reply yet breaches once
its target has passed by the end of the period (or by now, for a period that has not ended).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.models.escalation import Escalation, EscalationMessage


@dataclass(frozen=True)
class CaseRow:
    """One escalation, as the figures need it: no words, no family."""

    id: int
    category: str
    opened: dt.datetime
    closed: dt.datetime | None
    first_reply: dt.datetime | None
    target_minutes: int | None


@dataclass(frozen=True)
class DayCounts:
    day: dt.date
    opened: int
    closed: int


@dataclass(frozen=True)
class FirstReply:
    category: str
    count: int
    replied: int
    median_minutes: float | None
    p90_minutes: float | None
    target_minutes: int | None


@dataclass(frozen=True)
class Breach:
    escalation_id: int
    category: str
    opened: dt.datetime
    minutes_to_reply: float | None  # None: no reply by the end of the period
    target_minutes: int


def _minutes(since: dt.datetime, until: dt.datetime) -> float:
    return (until - since).total_seconds() / 60


def per_day(rows: Iterable[CaseRow], start: dt.date, end: dt.date) -> list[DayCounts]:
    """Every day of the period, including days with nothing (a gap in the chart would read as missing data)."""
    opened: dict[dt.date, int] = defaultdict(int)
    closed: dict[dt.date, int] = defaultdict(int)
    for r in rows:
        opened[r.opened.date()] += 1
        if r.closed is not None:
            closed[r.closed.date()] += 1
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    return [DayCounts(d, opened[d], closed[d]) for d in days]


def opened_in(rows: Iterable[CaseRow], lo: dt.datetime, hi: dt.datetime) -> list[CaseRow]:
    return [r for r in rows if lo <= r.opened < hi]


def first_replies(rows: Iterable[CaseRow]) -> list[FirstReply]:
    groups: dict[str, list[CaseRow]] = defaultdict(list)
    for r in rows:
        groups[r.category].append(r)
    out = []
    for category, cases in sorted(groups.items()):
        done = [_minutes(c.opened, c.first_reply) for c in cases if c.first_reply is not None]
        targets = {c.target_minutes for c in cases if c.target_minutes is not None}
        out.append(
            FirstReply(
                category,
                len(cases),
                len(done),
                float(np.median(done)) if done else None,
                float(np.percentile(done, 90)) if done else None,
                max(targets) if targets else None,  # one target per category unless content changed mid-period
            )
        )
    return out


def breaches(rows: Iterable[CaseRow], until: dt.datetime) -> list[Breach]:
    out = []
    for r in rows:
        if r.target_minutes is None:
            continue
        if r.first_reply is not None:
            waited = _minutes(r.opened, r.first_reply)
            if waited > r.target_minutes:
                out.append(Breach(r.id, r.category, r.opened, waited, r.target_minutes))
        elif _minutes(r.opened, until) > r.target_minutes:
            out.append(Breach(r.id, r.category, r.opened, None, r.target_minutes))
    return sorted(out, key=lambda b: (b.opened, b.escalation_id))


def load(s: Session, lo: dt.datetime, hi: dt.datetime) -> list[CaseRow]:
    """The escalations opened or closed in [lo, hi), each with its first staff reply (one closed in the period
    but opened before it counts as closed that day, and nowhere else)."""
    first = (
        select(EscalationMessage.escalation_id, func.min(EscalationMessage.at).label("at"))
        .where(EscalationMessage.direction == "out")
        .group_by(EscalationMessage.escalation_id)
        .subquery()
    )
    found = s.execute(
        select(
            Escalation.id,
            Escalation.category,
            Escalation.created_at,
            Escalation.closed_at,
            first.c.at,
            Escalation.response_target_minutes,
        )
        .outerjoin(first, first.c.escalation_id == Escalation.id)
        .where(
            ((Escalation.created_at >= lo) & (Escalation.created_at < hi))
            | ((Escalation.closed_at >= lo) & (Escalation.closed_at < hi))
        )
        .order_by(Escalation.id)
    ).all()
    return [CaseRow(int(i), str(c), o, cl, f, t) for i, c, o, cl, f, t in found]
