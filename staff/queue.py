"""The inbox list: one row per family in plain words, urgent first, then by time left to the response target.

The labels are editors' copy (content/messages/inbox.yml, `inbox_label_<category>`); a category without its
own label (a new risk file) reads "Concern: <its title>", so a new rule never shows an internal name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.answers.messages import MessageError, messages
from bot.storage.models.escalation import Escalation, EscalationMessage, utcnow

FILTERS = ("unclaimed", "mine", "all", "closed")
DEFAULT_FILTER = "all"
FIRST_WORDS = 12  # the latest message, cut at a word: enough to tell "pinker now" from "not breathing"
FIRST_CHARS = 90


@dataclass(frozen=True)
class Row:
    id: int
    label: str
    priority: int
    status: str
    claimed_by: str | None
    channel: str
    seconds_left: int | None  # None: no response target (a call back)
    new_messages: int  # the parent's messages since a health visitor last claimed or replied
    latest: str  # first words of the parent's latest message
    latest_at: dt.datetime
    language: str | None = None  # the language line (issue 15): filled once the escalation records it

    @property
    def overdue(self) -> bool:
        return self.seconds_left is not None and self.seconds_left < 0

    @property
    def language_name(self) -> str | None:
        """ "Punjabi" for "pa", as the escalation page shows it (a staff member may not know the codes)."""
        from bot.languages.catalogue import language_name  # lazy: content is read on first use

        return language_name(self.language) if self.language else None


def label(category: str) -> str:
    try:
        return messages().get(f"inbox_label_{category}")
    except MessageError:
        return messages().get("inbox_label_other", title=_title(category))


def _title(category: str) -> str:
    try:
        from bot.risk.screening import risk_screen

        return str(risk_screen().category(category).title)
    except Exception:
        # The rules cannot be read here: the category name is still better than an empty row.
        return category.replace("_", " ")


def first_words(text: str) -> str:
    words = text.split()
    cut = " ".join(words[:FIRST_WORDS])
    if len(cut) > FIRST_CHARS:
        cut = cut[:FIRST_CHARS].rsplit(" ", 1)[0]
    return cut + ("…" if cut != " ".join(words) else "")


def seconds_left(e: Escalation, now: dt.datetime) -> int | None:
    if e.response_target_minutes is None or e.status == "closed":
        return None
    deadline = e.created_at + dt.timedelta(minutes=int(e.response_target_minutes))
    return int((deadline - now).total_seconds())


def _query(name: str, username: str, now: dt.datetime) -> Select:
    q = select(Escalation)
    if name == "closed":
        start = dt.datetime.combine(now.date(), dt.time())  # today in UTC
        end = start + dt.timedelta(days=1)
        return q.where(Escalation.status == "closed", Escalation.closed_at >= start, Escalation.closed_at < end)
    q = q.where(Escalation.status != "closed")
    if name == "unclaimed":
        return q.where(Escalation.status == "open")
    if name == "mine":
        return q.where(Escalation.claimed_by == username)
    return q


def _row(e: Escalation, thread: Sequence[EscalationMessage], now: dt.datetime) -> Row:
    parent = [m for m in thread if m.direction == "in"]
    staff_times = [m.at for m in thread if m.direction == "out" and m.author]
    if e.claimed_at is not None:
        staff_times.append(e.claimed_at)
    since = max(staff_times) if staff_times else e.created_at
    latest = parent[-1] if parent else None
    return Row(
        id=int(e.id),
        label=label(str(e.category)),
        priority=int(e.priority),
        status=str(e.status),
        claimed_by=e.claimed_by,
        channel=str(e.channel),
        seconds_left=seconds_left(e, now),
        new_messages=sum(1 for m in parent if m.at > since),
        latest=first_words(latest.text) if latest else "",
        latest_at=latest.at if latest else e.created_at,
        language=getattr(e, "language", None),
    )


def sort_key(row: Row) -> tuple[int, float, int]:
    # Urgent first; within a priority the least time left (overdue first), rows without a target last.
    left = row.seconds_left if row.seconds_left is not None else float("inf")
    return (row.priority, left, row.id)


def rows(session: Session, name: str, username: str, now: dt.datetime | None = None) -> list[Row]:
    now = now or utcnow()
    name = name if name in FILTERS else DEFAULT_FILTER
    found = list(session.execute(_query(name, username, now)).scalars())
    threads: dict[int, list[EscalationMessage]] = {int(e.id): [] for e in found}
    if threads:
        for m in session.execute(
            select(EscalationMessage)
            .where(EscalationMessage.escalation_id.in_(list(threads)))
            .order_by(EscalationMessage.at, EscalationMessage.id)
        ).scalars():
            threads[int(m.escalation_id)].append(m)
    listed = [_row(e, threads[int(e.id)], now) for e in found]
    if name == "closed":
        return sorted(listed, key=lambda r: r.latest_at, reverse=True)
    return sorted(listed, key=sort_key)


def countdown(seconds: int | None) -> str:
    """ "12 min left" / "3 min over"; the page's script keeps it ticking between polls."""
    if seconds is None:
        return messages().get("inbox_no_target")
    minutes = abs(seconds) // 60
    key = "inbox_time_left" if seconds >= 0 else "inbox_time_over"
    return messages().get(key, minutes=minutes)
