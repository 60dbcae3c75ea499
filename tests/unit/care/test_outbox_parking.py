"""Issue 13, item 10: an outbox row is never dropped in silence. A row whose sender always fails is parked
after PARK_AFTER attempts, shown in the staff inbox and retried from there; an alert to a staff phone that
texted STOP (Twilio error 21610, from the fake Twilio server) is reported and sent on to the next contact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.care import escalations, outbound, undelivered
from bot.care.alerts import queue_lockout_alert
from bot.care.escalations import Facts, open_escalation
from bot.care.worker import OutboxWorker
from bot.settings import get_settings
from bot.storage.db import transaction
from bot.storage.models.escalation import Outbox, utcnow
from bot.turn.messages import Reply
from channels.sms.sender import SmsSender
from tests.support.escalation import TIER_A, http_sender, use_temp_db
from tests.support.fakes.recorder import Recorder
from tests.support.fakes.twilio_api import FakeTwilio, unsubscribed
from tests.support.fakes.webhooks import TWILIO_FROM

PARENT = Facts(channel="telegram", sender_id="555", text="she won't wake up", render="long")
DUTY_PHONE, NEXT_CONTACT = "+447700900011", "+447700900012"


def rows() -> list[Outbox]:
    with transaction() as s:
        return list(s.execute(select(Outbox).order_by(Outbox.id)).scalars())


def later(seconds: float) -> dt.datetime:
    return utcnow() + dt.timedelta(seconds=seconds)


def notes(escalation_id: int) -> list[str]:
    with transaction() as s:
        return [m.kind for m in escalations.thread(s, escalation_id) if m.direction == "note"]


async def test_a_row_whose_sender_always_raises_is_parked_shown_and_retryable(
    rec: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def poison(recipient: str, reply: Reply) -> None:
        raise KeyError("a sender bug")

    monkeypatch.setitem(outbound._SENDERS, "telegram", poison)
    opened = open_escalation(PARENT, [TIER_A], [PARENT.text])
    worker = OutboxWorker()
    for step in range(12):  # backoff is capped at 60 s: one attempt per step
        await worker.run_once(later(61 * step))
    [row] = rows()
    assert (row.attempts, row.parked_at is not None, row.delivered_at, row.dead) == (10, True, None, False)
    assert await worker.run_once(later(86400)) == 0  # parked: no longer retried by itself
    assert notes(opened.escalation_id) == ["delivery_parked"]
    with transaction() as s:
        [shown] = undelivered.parked(s)
    assert (shown.kind, shown.channel, shown.recipient, shown.error) == ("alert", "telegram", "-100200", "KeyError")

    monkeypatch.setitem(outbound._SENDERS, "telegram", http_sender(rec.url))  # the sender is fixed
    assert undelivered.retry(row.id) is True
    assert await worker.run_once() == 1
    [got] = rec.wait_for(1)
    assert got["body"]["meta"]["escalation_id"] == opened.escalation_id
    [row] = rows()
    assert row.delivered_at is not None and row.parked_at is None
    with transaction() as s:
        assert undelivered.parked(s) == []


@pytest.fixture
def sms_alerts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_twilio: FakeTwilio) -> FakeTwilio:
    """Alerts by SMS only, through the real SmsSender to the fake Twilio server."""
    use_temp_db(
        monkeypatch,
        tmp_path,
        ALERT_TELEGRAM_CHAT_ID="",
        ALERT_SMS_NUMBER=DUTY_PHONE,
        ESCALATION_NEXT_CONTACT_SMS=NEXT_CONTACT,
        PUBLIC_URL="https://parentbot.example.test",
        TWILIO_API_BASE=fake_twilio.url,
        TWILIO_ACCOUNT_SID=fake_twilio.account_sid,
        TWILIO_AUTH_TOKEN=fake_twilio.auth_token,
        TWILIO_FROM=TWILIO_FROM,
        SEND_TIMEOUT_S="2",
    )
    monkeypatch.setitem(outbound._SENDERS, "sms", SmsSender().send)
    yield fake_twilio
    get_settings.cache_clear()


async def test_an_alert_to_a_staff_phone_that_texted_stop_is_reported_and_sent_to_the_next_contact(
    sms_alerts: FakeTwilio,
) -> None:
    before = len(sms_alerts.recorded("Messages", NEXT_CONTACT, ok_only=True))  # the fake serves the session
    sms_alerts.inject("Messages", unsubscribed(), target=DUTY_PHONE)
    opened = open_escalation(PARENT, [TIER_A], [PARENT.text])
    worker = OutboxWorker()
    await worker.run_once()  # the duty phone: Twilio says 21610
    await worker.run_once(later(1))  # the next contact's copy

    assert sms_alerts.recorded("Messages", DUTY_PHONE, ok_only=True) == []
    [to_next] = sms_alerts.recorded("Messages", NEXT_CONTACT, ok_only=True)[before:]
    assert f"#{opened.escalation_id}" in str(to_next.params["Body"])
    # Reported, not skipped: in the inbox's Not delivered list and the escalation's thread.
    with transaction() as s:
        [shown] = undelivered.parked(s)
    assert (shown.kind, shown.channel, shown.recipient, shown.error) == (
        "alert",
        "sms",
        DUTY_PHONE,
        "Twilio error 21610",
    )
    assert notes(opened.escalation_id) == ["delivery_parked"]
    # Not retried by itself: the STOP stands until the phone texts START.
    before = len(sms_alerts.recorded("Messages", DUTY_PHONE))
    assert await worker.run_once(later(3600)) == 0
    assert len(sms_alerts.recorded("Messages", DUTY_PHONE)) == before


async def test_a_lockout_alert_to_a_stopped_phone_is_reported_and_not_sent_twice_to_the_others(
    sms_alerts: FakeTwilio,
) -> None:
    before = len(sms_alerts.recorded("Messages", NEXT_CONTACT, ok_only=True))  # the fake serves the session
    with transaction() as s:
        queue_lockout_alert(s, "hv-locked", 5, 15)  # to every contact at once: the duty phone and the next
    sms_alerts.inject("Messages", unsubscribed(), target=DUTY_PHONE)
    worker = OutboxWorker()
    await worker.run_once()
    await worker.run_once(later(1))
    assert [(r.recipient, r.parked_at is not None, r.delivered_at is not None) for r in rows()] == [
        (DUTY_PHONE, True, False),
        (NEXT_CONTACT, False, True),
    ]
    assert len(sms_alerts.recorded("Messages", NEXT_CONTACT, ok_only=True)) == before + 1
