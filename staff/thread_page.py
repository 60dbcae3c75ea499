"""The conversation page of one escalation: loaded in one transaction, rendered from detail.html."""

from __future__ import annotations

from typing import Any

from sanic.response import HTTPResponse

from bot.care import casework, staff
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, utcnow
from staff import conversation, queue
from staff.actions import MAX_NOTE_CHARS, MAX_REPLY_CHARS
from staff.pages import minutes_waiting, render


def facts(e: Escalation) -> list[tuple[str, object, str]]:
    """(copy key, value, element id) of the technical details, in order."""
    return [
        ("inbox_field_category", e.category, "category"),
        ("inbox_field_rule", e.rule, "rule"),
        ("inbox_field_layer", e.layer, "layer"),
        ("inbox_field_tier", e.tier, "tier"),
        ("inbox_field_priority", e.priority, "priority"),
        ("inbox_field_channel", e.channel, "channel"),
        ("inbox_field_status", e.status, "status"),
        ("inbox_field_claimed_by", e.claimed_by, "claimed-by"),
        ("inbox_field_bot_said", f"{e.reply_kind}: {', '.join(e.answer_ids)}", "bot-said"),
        ("inbox_field_waiting", f"{minutes_waiting(e.created_at)} min", "waiting"),
    ]


def load(escalation_id: int, username: str) -> conversation.View | None:
    """The page's view, the view itself logged first (who, when): it is on the page it logs."""
    with transaction() as s:
        found = s.get(Escalation, escalation_id) is not None
    if not found:
        return None
    casework.log_view(escalation_id, username)
    with transaction() as s:
        e = s.get(Escalation, escalation_id)
        view = None if e is None else conversation.build(s, e)
    if view is not None:
        view.colleagues = casework.colleagues(username)
    if view is not None and conversation.contact(view.e, username)["number"]:
        # The number is about to be shown: the audit trail says to whom.
        casework.log_number_shown(escalation_id, username)
    return view


def page(view: conversation.View, login: staff.Login, error: str = "", status: int = 200, **extra: Any) -> HTTPResponse:
    e = view.e
    label = queue.label(str(e.category))
    return render(
        "detail.html",
        f"{label} #{e.id}" if status == 200 else str(status),
        status=status,
        login=login,
        view=view,
        label=label,
        facts=facts(e),
        error=error,
        max_reply=MAX_REPLY_CHARS,
        seconds_left=queue.seconds_left(e, utcnow()),
        contact=conversation.contact(e, login.username),
        age=conversation.age_words(view.age_days),
        language=getattr(e, "language", None),
        outcomes=casework.OUTCOMES,
        max_note=MAX_NOTE_CHARS,
        **extra,
    )
