"""One family's conversation for the inbox: every message both ways in order (the parent's, what the assistant
sent with its answer title or risk route, the health visitor's with its delivery), staff alerts and their
delivery, how to reach the family, the baby's age if they gave it, the language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answers.messages import MessageError, messages
from bot.storage.models.escalation import Escalation, EscalationMessage, Outbox, utcnow

SMS = "sms"


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    who: str  # parent | assistant | visitor | alert | system
    text: str
    heading: str  # "Parent", "Assistant sent: Safe sleep", "hv-jones", "Alert to the duty phone"
    status: str = ""  # delivery, for the visitor's replies and the alerts


@dataclass
class View:
    e: Escalation
    entries: list[Entry]
    thread: list[EscalationMessage]
    age_days: int | None = None
    colleagues: list[str] = field(default_factory=list)  # who it can be handed over to

    @property
    def audit(self) -> list[EscalationMessage]:
        """Every staff action (claim, hand over, number shown, close, reopen), for the page's audit trail."""
        return [m for m in self.thread if m.direction == "audit" and m.kind not in ("note", "viewed")]

    @property
    def views(self) -> list[tuple[str, int, dt.datetime]]:
        """Who has looked at this page: (who, how many times, last time), first viewer first."""
        seen: dict[str, tuple[int, dt.datetime]] = {}
        for m in self.thread:
            if m.direction == "audit" and m.kind == "viewed":
                count = seen.get(m.author or "", (0, m.at))[0]
                seen[m.author or ""] = (count + 1, m.at)
        return [(who, count, last) for who, (count, last) in seen.items()]

    @property
    def notes(self) -> list[EscalationMessage]:
        """Colleagues' internal notes: never sent to the family."""
        return [m for m in self.thread if m.direction == "audit" and m.kind == "note"]

    @property
    def stopped(self) -> bool:
        return any(m.kind == "stop" for m in self.thread)

    @property
    def cannot_contact(self) -> bool:
        return any(m.kind == "delivery_failed" for m in self.thread)


def answer_title(ref: str | None) -> str:
    """The title an editor gave what was sent (an answer, or a risk category's route)."""
    if not ref:
        return ""
    try:
        if ref.startswith("risk/"):
            from bot.risk.screening import risk_screen

            return str(risk_screen().category(ref.removeprefix("risk/")).title)
        from bot.answers.runtime import content_store

        answer = content_store().get(ref)
        return answer.title if answer is not None else ref
    except Exception:
        # The content cannot be read here: the id still tells the visitor what was sent.
        return ref


def _note_title(kind: str) -> str:
    """The assistant's own notes (out of hours, "a health visitor has your messages") by their kind."""
    try:
        return messages().get(f"inbox_sent_{kind}")
    except MessageError:
        return ""


def delivery(row: Outbox | None) -> str:
    if row is None:
        return ""
    if row.delivered_at is not None:
        return messages().get("inbox_delivered", time=row.delivered_at.strftime("%H:%M"))
    if row.dead:
        return messages().get("inbox_not_delivered")
    return messages().get("inbox_sending", attempts=int(row.attempts))


def _entry(m: EscalationMessage, reply_rows: list[Outbox]) -> Entry | None:
    t = messages().get
    if m.direction == "in":
        return Entry(m.at, "parent", m.text, t("inbox_who_parent"))
    if m.direction == "bot":
        title = answer_title(m.answer_id) or _note_title(m.kind)
        return Entry(m.at, "assistant", m.text, t("inbox_who_assistant", title=title) if title else t("inbox_who_bot"))
    if m.direction == "out":
        return Entry(m.at, "visitor", m.text, m.author or "", delivery(reply_rows.pop(0) if reply_rows else None))
    if m.direction == "note" and m.kind != "restated":  # a restatement's words are its "bot" row
        return Entry(m.at, "system", m.text, t(f"inbox_event_{m.kind}") if m.kind in EVENTS else m.kind)
    return None  # audit rows and internal notes: shown apart, never as part of the conversation


EVENTS = ("closed", "delivery_failed", "delivery_parked")


def _alert(row: Outbox) -> Entry:
    heading = messages().get("inbox_who_alert", channel=messages().get(f"inbox_channel_{row.channel}"))
    return Entry(row.created_at, "alert", "", heading, delivery(row))


def build(s: Session, e: Escalation) -> View:
    thread = list(
        s.execute(
            select(EscalationMessage)
            .where(EscalationMessage.escalation_id == e.id)
            .order_by(EscalationMessage.at, EscalationMessage.id)
        ).scalars()
    )
    rows = list(s.execute(select(Outbox).where(Outbox.escalation_id == e.id).order_by(Outbox.id)).scalars())
    replies = [r for r in rows if r.kind == "parent_reply"]
    entries = [x for x in (_entry(m, replies) for m in thread) if x is not None]
    entries += [_alert(r) for r in rows if r.kind == "alert"]
    entries.sort(key=lambda x: x.at)
    return View(e=e, entries=entries, thread=thread, age_days=baby_age_days(s, e))


def baby_age_days(s: Session, e: Escalation, now: dt.datetime | None = None) -> int | None:
    """The age the family last stated (bot/conversation/), grown by the days since."""
    from bot.privacy.themes import family_id
    from bot.storage.models.conversation import StatedAge

    stated = s.get(StatedAge, family_id(str(e.channel), str(e.sender_id)))
    if stated is None or stated.age_days is None or stated.stated_at is None:  # a language chosen, no age
        return None
    return int(stated.age_days) + max(0, int(((now or utcnow()) - stated.stated_at).days))


def age_words(days: int | None) -> str:
    if days is None:
        return messages().get("inbox_age_unknown")
    if days < 28:
        return messages().get("inbox_age_days", n=days)
    if days < 183:
        return messages().get("inbox_age_weeks", n=days // 7)
    return messages().get("inbox_age_months", n=days * 12 // 365)


def contact(e: Escalation, viewer: str) -> dict[str, Any]:
    """How to reach the family. An SMS number is shown (as a tel: link) only to the visitor who claimed it."""
    mine = e.status != "closed" and e.claimed_by == viewer
    if e.channel == SMS:
        return {
            "how": messages().get("inbox_reach_sms"),
            "number": str(e.sender_id) if mine else None,
            "hidden": not mine,
        }
    return {"how": messages().get(f"inbox_reach_{e.channel}"), "number": None, "hidden": False}
