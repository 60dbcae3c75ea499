"""Staff alerts through the real Telegram and SMS senders (channels/telegram/, channels/sms/) to the fake APIs:
delivered once each, with no parent words and no phone number, and retried through an outage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.care import outbound
from bot.care.escalations import Facts, open_escalation
from bot.care.worker import OutboxWorker
from bot.storage.models.escalation import utcnow
from channels.outbox_process import register_senders
from tests.support.channels import new_chat_id, new_number
from tests.support.escalation import TIER_A, use_temp_db
from tests.support.fakes.telegram_api import FakeTelegram, flood, server_error
from tests.support.fakes.twilio_api import FakeTwilio
from tests.support.fakes.webhooks import PUBLIC_URL, TWILIO_FROM

PARENT_NUMBER = "+447700912345"
WORDS = "my partner hit me and I am scared to go home"


@pytest.fixture
def alert_to(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_telegram: FakeTelegram, fake_twilio: FakeTwilio
) -> tuple[str, str]:
    chat, number = f"-100{new_chat_id()}", new_number()
    use_temp_db(
        monkeypatch,
        tmp_path,
        ALERT_TELEGRAM_CHAT_ID=chat,
        ALERT_SMS_NUMBER=number,
        PUBLIC_URL=PUBLIC_URL,
        TELEGRAM_API_BASE=fake_telegram.url,
        TELEGRAM_BOT_TOKEN=fake_telegram.token,
        TWILIO_API_BASE=fake_twilio.url,
        TWILIO_ACCOUNT_SID=fake_twilio.account_sid,
        TWILIO_AUTH_TOKEN=fake_twilio.auth_token,
        TWILIO_FROM=TWILIO_FROM,
        SEND_TIMEOUT_S="2",
    )
    monkeypatch.setattr(outbound, "_SENDERS", {})  # the outbox process registers the real channels' senders
    register_senders()
    return chat, number


async def test_alerts_reach_telegram_and_sms_once_without_parent_details(
    alert_to: tuple[str, str], fake_telegram: FakeTelegram, fake_twilio: FakeTwilio
) -> None:
    chat, number = alert_to
    opened = open_escalation(Facts("sms", PARENT_NUMBER, WORDS, "sms"), [TIER_A], [WORDS])
    worker = OutboxWorker()
    await worker.run_once()
    await worker.run_once(utcnow() + dt.timedelta(hours=1))
    telegram = fake_telegram.recorded("sendMessage", chat, ok_only=True)
    sms = fake_twilio.bodies(number)
    assert len(telegram) == 1 and len(sms) == 1
    for text in (str(telegram[0].params.get("text")), sms[0]):
        assert f"/inbox/escalations/{opened.escalation_id}" in text
        assert "scared" not in text and PARENT_NUMBER not in text


async def test_telegram_outage_and_flood_control_are_retried_until_delivered(
    alert_to: tuple[str, str], fake_telegram: FakeTelegram
) -> None:
    chat, _ = alert_to
    fake_telegram.inject("sendMessage", server_error(), target=chat, times=2)
    fake_telegram.inject("sendMessage", flood(3), target=chat)
    open_escalation(Facts("sms", PARENT_NUMBER, WORDS, "sms"), [TIER_A], [WORDS])
    worker = OutboxWorker()
    for minutes in range(6):  # every pass is past any backoff: the fake decides what fails
        await worker.run_once(utcnow() + dt.timedelta(minutes=minutes * 2))
    assert len(fake_telegram.recorded("sendMessage", chat)) == 4  # two 500s, one 429, then delivered
    assert len(fake_telegram.recorded("sendMessage", chat, ok_only=True)) == 1
