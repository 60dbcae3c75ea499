"""Escalations through the real SMS channel on the running stack: the risk route, STOP inside the risk
conversation reaching the health visitor, and a reply that Twilio refuses (21610) flagged in the thread."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.care import escalations
from bot.storage.db import transaction
from bot.storage.models.escalation import Outbox
from tests.support.channels import new_number
from tests.support.escalation import use_db
from tests.support.fakes.twilio_api import FakeTwilio, unsubscribed
from tests.support.fakes.webhooks import PUBLIC_URL, TWILIO_FROM, SmsParent
from tests.support.stack import eventually


def thread_kinds(escalation_id: int) -> list[str]:
    with transaction() as s:
        return [m.kind for m in escalations.thread(s, escalation_id)]


def test_sms_stop_in_a_risk_conversation_and_an_undeliverable_reply(
    stack: Any, fake_twilio: FakeTwilio, stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_db(monkeypatch, stack_env["DATABASE_URL"])
    parent = SmsParent(
        stack.url, PUBLIC_URL, new_number(), fake_twilio.auth_token, fake_twilio.account_sid, TWILIO_FROM
    )
    assert parent.send("his lips have gone blue").status_code == 200
    fake_twilio.wait_for("Messages", parent.number, 1)  # the emergency route went out
    esc_id = eventually(lambda: escalations.handoff_escalation("sms", parent.number))

    assert parent.send("STOP").status_code == 200
    eventually(lambda: "stop" in thread_kinds(esc_id))
    assert escalations.handoff_escalation("sms", parent.number) == esc_id  # STOP did not end the conversation

    fake_twilio.inject("Messages", unsubscribed(), target=parent.number, times=5)
    row_id = escalations.reply(esc_id, "hv-sms", "Are you safe to talk on this phone?")
    eventually(lambda: "delivery_failed" in thread_kinds(esc_id))
    with transaction() as s:
        row = s.execute(select(Outbox).where(Outbox.id == row_id)).scalar_one()
        assert (row.dead, row.delivered_at, row.kind) == (True, None, "parent_reply")
