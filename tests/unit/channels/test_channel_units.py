"""The channels' parts on their own: input cleaning, keywords, rate limit, ordering, fail-closed checks, and
the two senders (real SDKs) against the fake APIs, including errors and timeouts."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from twilio.request_validator import RequestValidator

from bot.care import outbound
from bot.care.outbound import DeliveryError
from bot.settings import Settings, get_settings
from bot.storage.models.channels import OptOut, Unreachable
from bot.turn.messages import Reply
from channels import store
from channels.intake import MAX_INPUT_CHARS, RateLimiter, SenderQueues, admit, clean_input
from channels.outbox_process import register_senders
from channels.sms.input import classify, signature_ok
from channels.sms.sender import SmsSender, merge
from channels.telegram.input import secret_ok
from channels.telegram.sender import TelegramSender
from tests.support.channels import new_chat_id, new_number, rows
from tests.support.escalation import BlueScreen
from tests.support.fakes.telegram_api import FakeTelegram, blocked, cannot_initiate, flood, server_error, slow
from tests.support.fakes.twilio_api import FakeTwilio, unsubscribed
from tests.support.fakes.twilio_api import server_error as twilio_500
from tests.support.fakes.twilio_api import slow as twilio_slow
from tests.support.fakes.webhooks import TWILIO_FROM


@pytest.fixture
def channel_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_telegram: FakeTelegram, fake_twilio: FakeTwilio
) -> Iterator[Settings]:
    """This process's settings pointed at a temporary database and the fake APIs."""
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'channels.db'}",
        "PUBLIC_URL": "https://parentbot.example.test",
        "TELEGRAM_API_BASE": fake_telegram.url,
        "TELEGRAM_BOT_TOKEN": fake_telegram.token,
        "TWILIO_API_BASE": fake_twilio.url,
        "TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
        "TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
        "TWILIO_FROM": TWILIO_FROM,
        "SEND_TIMEOUT_S": "0.5",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


# --- input -------------------------------------------------------------------------------------------------


def test_clean_input_survives_broken_and_hostile_text() -> None:
    assert clean_input("half an emoji \ud83d here").text == "half an emoji  here"
    assert clean_input("nul\x00 and \x1b escape").text == "nul and  escape"
    assert clean_input("/risk__urgent_medical_a").text == "risk__urgent_medical_a"  # no intent injection
    # Every word a channel can deliver reaches the screen (Telegram: 4,096 characters); only a script's
    # longer post is cut.
    assert len(clean_input("a" * 5000).text) == 5000
    assert len(clean_input("a" * 50_000).text) == MAX_INPUT_CHARS == 10_000
    for unreadable in ("", "   ", "\U0001f37c\U0001f476", "\ufffd\ufffd", "\ud83d", "...!?"):
        assert not clean_input(unreadable).readable
    assert clean_input("2").readable and clean_input("999").readable


@pytest.mark.parametrize(
    ("body", "opted_out", "kind"),
    [
        ("STOP", False, "stop"),
        (" stop. ", False, "stop"),
        ("Unsubscribe", False, "stop"),
        ("OPTOUT", True, "stop"),
        ("how do I stop breastfeeding", False, "text"),
        ("stop it hurts", False, "text"),
        ("START", True, "start"),
        ("yes", True, "start"),
        ("yes", False, "text"),
        ("unstop", True, "start"),
        ("HELP", False, "help"),
        ("info", False, "help"),
        ("help me my baby is not breathing", False, "text"),
    ],
)
def test_sms_keywords_are_whole_messages_only(body: str, opted_out: bool, kind: str) -> None:
    assert classify(body, 0, opted_out).kind == kind


def test_sms_picture_and_blank_messages() -> None:
    assert classify("", 1, False).kind == "non_text"
    assert classify("is this rash ok", 1, False).kind == "text"  # the words of an MMS are read
    assert classify("  ", 0, False).kind == "unreadable"


def test_rate_limiter_sends_its_kind_reply_once_per_flood() -> None:
    limiter = RateLimiter(per_minute=3)
    verdicts = [limiter.check("a") for _ in range(6)]
    assert verdicts == ["ok", "ok", "ok", "first_over", "over", "over"]
    assert limiter.check("b") == "ok"  # per sender


async def test_sender_queues_keep_each_senders_order_and_serve_senders_side_by_side() -> None:
    done: list[tuple[str, int]] = []

    async def process(key: str, item: int) -> None:
        await asyncio.sleep(0.05 if item == 1 else 0.0)  # the first message is the slow one
        done.append((key, item))

    queues: SenderQueues[int] = SenderQueues(process)
    for item in (1, 2, 3):
        queues.put("a", item)
    queues.put("b", 9)
    await queues.drain()
    assert [i for k, i in done if k == "a"] == [1, 2, 3]
    assert done[0] == ("b", 9)  # not stuck behind another family's slow turn


def test_checks_fail_closed_without_a_configured_secret() -> None:
    url, params = "https://parentbot.example.test/webhooks/sms/webhook", {"Body": "hi", "From": "+447700900001"}
    assert not signature_ok("", url, params, RequestValidator("").compute_signature(url, params))
    assert not signature_ok("token", url, params, None)
    assert signature_ok("token", url, params, RequestValidator("token").compute_signature(url, params))
    assert not secret_ok("", "")
    assert not secret_ok("anything", "")
    assert not secret_ok("wrong", "right")
    assert secret_ok("right", "right")


def test_sms_turn_replies_merge_into_one_body_with_the_first_reply_first() -> None:
    merged = merge([Reply("Call 999 now."), Reply("More help:", buttons=[{"title": "A"}, {"title": "B"}])])
    assert merged.text.startswith("Call 999 now.")
    assert [b["title"] for b in merged.buttons] == ["A", "B"]


# --- senders against the fake APIs --------------------------------------------------------------------------


async def test_telegram_sender_maps_platform_errors(channel_env: Settings, fake_telegram: FakeTelegram) -> None:
    sender = TelegramSender()
    chat = str(new_chat_id())
    fake_telegram.inject("sendMessage", server_error(), target=chat)
    with pytest.raises(DeliveryError) as err:
        await sender.send(chat, Reply("hello"))
    assert not err.value.permanent
    fake_telegram.inject("sendMessage", slow(2.0), target=chat)  # longer than SEND_TIMEOUT_S
    with pytest.raises(DeliveryError) as err:
        await sender.send(chat, Reply("hello"))
    assert not err.value.permanent
    fake_telegram.inject("sendMessage", flood(retry_after=120), target=chat)  # too long to wait here
    with pytest.raises(DeliveryError) as err:
        await sender.send(chat, Reply("hello"))
    assert not err.value.permanent and err.value.retry_after_s == 120
    await sender.send(chat, Reply("hello", buttons=[{"title": "One"}, {"title": "Two"}]))
    sent = fake_telegram.recorded("sendMessage", chat, ok_only=True)[-1]
    assert '"callback_data": "2"' in str(sent.params["reply_markup"])


@pytest.mark.parametrize("fault", [blocked, cannot_initiate])
async def test_telegram_403_is_permanent_and_marks_the_family_unreachable(
    fault: object, channel_env: Settings, fake_telegram: FakeTelegram
) -> None:
    chat = str(new_chat_id())
    fake_telegram.inject("sendMessage", fault(), target=chat)  # type: ignore[operator]
    with pytest.raises(DeliveryError) as err:
        await TelegramSender().send(chat, Reply("hello"))
    assert err.value.permanent
    assert rows(channel_env.DATABASE_URL, Unreachable, channel="telegram", recipient=chat)


async def test_sms_sender_sends_one_message_per_reply_from_the_configured_sender(
    channel_env: Settings, fake_twilio: FakeTwilio
) -> None:
    number = new_number()
    long_text = "A long answer with many words. " * 30
    await SmsSender().send(number, Reply(long_text, buttons=[{"title": "Yes"}, {"title": "No"}, {"title": "Help"}]))
    (call,) = fake_twilio.recorded("Messages", number)
    assert call.params["From"] == TWILIO_FROM
    from bot.answers.gsm import sms_cost

    assert sms_cost(str(call.params["Body"])).segments <= 3
    service = Settings(**{**channel_env.dict(), "TWILIO_FROM": "MG" + "a" * 32})
    await SmsSender(service).send(number, Reply("hello"))
    last = fake_twilio.recorded("Messages", number)[-1]
    assert last.params["MessagingServiceSid"] == "MG" + "a" * 32 and "From" not in last.params


async def test_sms_sender_maps_twilio_errors(channel_env: Settings, fake_twilio: FakeTwilio) -> None:
    number = new_number()
    fake_twilio.inject("Messages", twilio_500(), target=number)
    with pytest.raises(DeliveryError) as err:
        await SmsSender().send(number, Reply("hello"))
    assert not err.value.permanent
    fake_twilio.inject("Messages", twilio_slow(2.0), target=number)
    with pytest.raises(DeliveryError) as err:
        await SmsSender().send(number, Reply("hello"))
    assert not err.value.permanent
    fake_twilio.inject("Messages", unsubscribed(), target=number)
    with pytest.raises(DeliveryError) as err:
        await SmsSender().send(number, Reply("hello"))
    assert err.value.permanent
    assert rows(channel_env.DATABASE_URL, OptOut, channel="sms", recipient=number)
    before = len(fake_twilio.recorded("Messages", number))
    with pytest.raises(DeliveryError) as err:  # opted out: Twilio is not even asked
        await SmsSender().send(number, Reply("hello"))
    assert err.value.permanent and len(fake_twilio.recorded("Messages", number)) == before


async def test_outbound_deliver_uses_the_senders_the_outbox_process_registers(
    channel_env: Settings, fake_twilio: FakeTwilio, fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbound, "_SENDERS", {})  # other tests' senders come back afterwards
    register_senders()
    number, chat = new_number(), str(new_chat_id())
    await outbound.deliver("sms", number, Reply("A health visitor's reply"))
    await outbound.deliver("telegram", chat, Reply("A health visitor's reply"))
    assert len(fake_twilio.recorded("Messages", number, ok_only=True)) == 1
    assert len(fake_telegram.recorded("sendMessage", chat, ok_only=True)) == 1
    store.opt_out("telegram", chat, "/stop")
    with pytest.raises(DeliveryError) as err:
        await outbound.deliver("telegram", chat, Reply("after /stop"))
    assert err.value.permanent


def test_cli_set_webhook_registers_the_public_url_with_a_new_secret(
    channel_env: Settings, fake_telegram: FakeTelegram, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    assert main(["telegram", "set-webhook"]) == 0
    printed = capsys.readouterr().out
    secret = re.search(r"^TELEGRAM_WEBHOOK_SECRET=(\S+)$", printed, re.MULTILINE).group(1)  # type: ignore[union-attr]
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret)
    call = fake_telegram.recorded("setWebhook")[-1]
    assert call.params["url"] == "https://parentbot.example.test/webhooks/telegram/webhook"
    assert call.params["secret_token"] == secret


def test_cli_set_webhook_refuses_a_plain_http_public_url(
    channel_env: Settings, fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import main

    monkeypatch.setenv("PUBLIC_URL", "http://127.0.0.1:5005")
    get_settings.cache_clear()
    before = len(fake_telegram.recorded("setWebhook"))
    assert main(["telegram", "set-webhook"]) == 1
    assert len(fake_telegram.recorded("setWebhook")) == before


def test_first_database_use_from_many_threads_at_once(tmp_path: Path) -> None:
    """The first webhook and the outbox worker touch a fresh database together: both must get tables."""
    from concurrent.futures import ThreadPoolExecutor

    from bot.storage.db import engine_for

    urls = [f"sqlite:///{tmp_path / f'race{i}.db'}" for i in range(3)]
    with ThreadPoolExecutor(8) as pool:
        engines = list(pool.map(engine_for, [u for u in urls for _ in range(4)]))
    assert len(engines) == 12


def test_over_the_limit_only_what_the_risk_screen_flags_is_admitted() -> None:
    limiter = RateLimiter(per_minute=1)
    screen = BlueScreen()
    assert admit(limiter, "c", "hello", screen) == "ok"
    assert admit(limiter, "c", "hello again", screen) == "notice"
    assert admit(limiter, "c", "his lips are blue", screen) == "ok"  # the emergency route is never rate limited
    assert admit(limiter, "c", "and again", screen) == "drop"
