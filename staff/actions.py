"""What a health visitor can do on a family's page, by form action: each is one call into bot/care/, run off
the event loop by staff/inbox.py. A refused action names its error's copy key."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.care import casework, escalations

MAX_REPLY_CHARS = 1000  # a health visitor's reply: about 7 SMS segments at most
MAX_NOTE_CHARS = 2000

# Working a family's case: health visitors, and managers only when given casework (bot/care/staff.py).
# Notes and hand over stay open to managers (a manager reallocating a case writes why).
CASEWORK = frozenset({"claim", "reply", "close", "reopen"})

ERRORS = {
    "claim": "inbox_action_failed",
    "reply": "inbox_action_failed",
    "note": "inbox_note_required",
    "handover": "inbox_handover_required",
    "close": "inbox_outcome_required",
    "reopen": "inbox_reopen_failed",
}


def _field(form: Mapping[str, object], name: str, limit: int = 200) -> str:
    return str(form.get(name) or "")[:limit]


def _close(escalation_id: int, username: str, form: Mapping[str, object]) -> None:
    detail = _field(form, "detail", MAX_NOTE_CHARS).strip()
    code = _field(form, "outcome")
    if code not in casework.OUTCOMES and code:
        raise escalations.EscalationError("unknown outcome")
    casework.close(escalation_id, username, code)
    if detail:
        casework.add_note(escalation_id, username, detail)


def _reply(escalation_id: int, username: str, form: Mapping[str, object]) -> None:
    escalations.reply(escalation_id, username, _field(form, "text", MAX_REPLY_CHARS))


ACTIONS: dict[str, Callable[[int, str, Mapping[str, object]], None]] = {
    "claim": lambda i, u, f: casework.claim(i, u),
    "reply": lambda i, u, f: _reply(i, u, f),
    "note": lambda i, u, f: casework.add_note(i, u, _field(f, "note", MAX_NOTE_CHARS)),
    "handover": lambda i, u, f: casework.hand_over(i, u, _field(f, "to", 64)),
    "close": _close,
    "reopen": lambda i, u, f: casework.reopen(i, u),
}
