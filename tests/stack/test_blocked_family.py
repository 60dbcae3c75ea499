"""Issue 13, item 6: a Telegram family in a risk conversation who has blocked the bot. Telegram (the fake Bot
API) answers the emergency route with 403 "Forbidden: bot was blocked by the user"; the health visitor must
see it on the escalation and be alerted through the staff alert outbox, with no parent words.

On the old main the 403 was only noted on the thread (and, before that, the call failed by name and was only
logged): nobody was paged, and the inbox was the only place it showed.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.care import escalations
from bot.serve import Stack
from bot.storage.db import transaction
from bot.storage.models.escalation import Outbox
from tests.support.channels import new_chat_id
from tests.support.escalation import use_db
from tests.support.fakes.telegram_api import FakeTelegram, blocked
from tests.support.fakes.webhooks import TELEGRAM_SECRET, TelegramParent
from tests.support.stack import PRODUCTION_ALERT_CHAT as ALERT_CHAT
from tests.support.stack import eventually

RED_FLAG = "his lips have gone blue"


@pytest.fixture
def alerting_stack(production_stack: Stack) -> Stack:
    return production_stack  # shared with the other production-profile modules (tests/conftest.py)


def test_a_blocked_family_in_a_risk_conversation_is_noted_and_the_health_visitor_alerted(
    alerting_stack: Stack, fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_db(monkeypatch, alerting_stack.env["DATABASE_URL"], ALERT_TELEGRAM_CHAT_ID=ALERT_CHAT, ALERT_SMS_NUMBER="")
    parent = TelegramParent(alerting_stack.url, new_chat_id(), TELEGRAM_SECRET)
    fake_telegram.inject("sendMessage", blocked(), target=str(parent.chat_id), times=5)
    assert parent.text(RED_FLAG).status_code == 200

    fake_telegram.wait_for("sendMessage", str(parent.chat_id), 1, ok_only=False)
    attempts = fake_telegram.settle("sendMessage", str(parent.chat_id))
    assert [c.status for c in attempts] == [403]  # the route was tried once: a block is never retried
    esc_id = eventually(lambda: escalations.handoff_escalation("telegram", str(parent.chat_id)))

    def note() -> list[tuple[str, str, str]]:
        with transaction() as s:
            return [(m.direction, m.kind, m.text) for m in escalations.thread(s, esc_id) if m.kind == "delivery_failed"]

    assert eventually(note) == [("note", "delivery_failed", "telegram: blocked")]
    with transaction() as s:
        queued = [
            (r.kind, r.channel, r.recipient, r.payload["meta"])
            for r in s.execute(select(Outbox).where(Outbox.escalation_id == esc_id).order_by(Outbox.id)).scalars()
        ]
    assert queued == [
        (
            "alert",
            "telegram",
            ALERT_CHAT,
            {
                "kind": "staff_alert",
                "escalation_id": esc_id,
                "category": "urgent_medical_a",
                "priority": 1,
                "repeat": False,
            },
        ),
        (
            "alert",
            "telegram",
            ALERT_CHAT,
            {"kind": "staff_alert_unreachable", "escalation_id": esc_id, "channel": "telegram"},
        ),
    ]

    # The outbox worker sent both: the new escalation, then that the family cannot be reached.
    # (The stack is shared: other tests' escalations page the same chat, so only this escalation's pages count.)
    def pages() -> list[str]:
        texts = [str(c.params["text"]) for c in fake_telegram.recorded("sendMessage", ALERT_CHAT, ok_only=True)]
        ours = [t for t in texts if f"#{esc_id} (" in t]
        return ours if len(ours) >= 2 else []

    sent = eventually(pages)
    assert len(sent) == 2
    blocked_alert = next(t for t in sent if "blocked the bot" in t)
    assert blocked_alert.startswith(f"Cannot reach the family of escalation #{esc_id} (urgent_medical_a) on Telegram")
    assert f"/inbox/escalations/{esc_id}" in blocked_alert
    assert "lips" not in blocked_alert and str(parent.chat_id) not in blocked_alert
