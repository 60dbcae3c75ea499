"""bot/care/unreachable.py (issue 13, item 6): a family in an open escalation who blocked the bot is noted on
the thread and the health visitor is alerted through the outbox, once per block, with no parent words."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.care import escalations
from bot.care.escalations import Facts, open_escalation
from bot.care.unreachable import record_unreachable
from bot.storage.db import transaction
from bot.storage.models.escalation import Outbox
from tests.support.escalation import TIER_A, use_temp_db

FAMILY = Facts(channel="telegram", sender_id="700123456", text="his lips have gone blue", render="long")


@pytest.fixture(autouse=True)
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    return use_temp_db(monkeypatch, tmp_path, STAFF_URL="https://staff.example.test")


def unreachable_alerts() -> list[tuple[str, str, str, dict]]:
    with transaction() as s:
        rows = s.execute(select(Outbox).order_by(Outbox.id)).scalars()
        return [
            (r.channel, r.recipient, r.payload["text"], r.payload["meta"])
            for r in rows
            if r.payload["meta"]["kind"] == "staff_alert_unreachable"
        ]


def thread(escalation_id: int) -> list[tuple[str, str, str]]:
    with transaction() as s:
        return [(m.direction, m.kind, m.text) for m in escalations.thread(s, escalation_id)]


def test_a_blocked_family_is_noted_on_the_thread_and_the_duty_contacts_are_alerted() -> None:
    esc_id = open_escalation(FAMILY, [TIER_A], [FAMILY.text]).escalation_id
    assert record_unreachable("telegram", "700123456", "telegram: blocked") == esc_id
    assert thread(esc_id)[-1] == ("note", "delivery_failed", "telegram: blocked")
    text = (
        f"Cannot reach the family of escalation #{esc_id} (urgent_medical_a) on Telegram: they have blocked the "
        f"bot. Try another way to contact them. Open the inbox: https://staff.example.test/inbox/escalations/{esc_id}"
    )
    meta = {"kind": "staff_alert_unreachable", "escalation_id": esc_id, "channel": "telegram"}
    assert unreachable_alerts() == [
        ("telegram", "-100200", text, meta),
        ("sms", "+447700900001", text, meta),
    ]
    assert "lips" not in text and "700123456" not in text


def test_repeated_failures_alert_once_until_the_family_writes_again() -> None:
    esc_id = open_escalation(FAMILY, [TIER_A], [FAMILY.text]).escalation_id
    record_unreachable("telegram", "700123456", "telegram: blocked")
    record_unreachable("telegram", "700123456", "telegram: blocked")
    assert len(unreachable_alerts()) == 2  # one per duty contact, not two each
    assert [k for _, k, _ in thread(esc_id)].count("delivery_failed") == 1
    # They unblocked and wrote; blocked again later: the health visitor must hear it again.
    escalations.record_parent_message("telegram", "700123456", "are you there")
    record_unreachable("telegram", "700123456", "telegram: blocked")
    assert len(unreachable_alerts()) == 4


def test_a_family_without_an_open_escalation_records_nothing() -> None:
    assert record_unreachable("telegram", "700999999", "telegram: blocked") is None
    assert unreachable_alerts() == []
