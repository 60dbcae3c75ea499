"""The Telegram channel through the real Rasa web app, with the secret header, replying to the fake Bot API."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from bot.storage.models.channels import OptOut, Unreachable
from tests.support.channels import clarifying_exchange, kind_telegram, new_chat_id, rows
from tests.support.fakes.telegram_api import FakeTelegram, blocked, flood, server_error
from tests.support.fakes.webhooks import TELEGRAM_SECRET, TelegramParent

QUESTION = "how do i no if baby is getting enough milk"


@pytest.fixture
def parent(stack: object) -> TelegramParent:
    return TelegramParent(stack.url, new_chat_id(), TELEGRAM_SECRET)  # type: ignore[attr-defined]


def texts(fake: FakeTelegram, chat_id: int | str, count: int = 1) -> list[str]:
    return [str(c.params["text"]) for c in fake.wait_for("sendMessage", str(chat_id), count)]


def test_a_wrong_or_missing_secret_gets_403_and_nothing_is_sent(
    parent: TelegramParent, fake_telegram: FakeTelegram
) -> None:
    assert parent.text(QUESTION, secret="not-the-secret").status_code == 403
    assert parent.text(QUESTION, secret="").status_code == 403
    assert fake_telegram.settle("sendMessage", str(parent.chat_id)) == []


def test_malformed_bodies_get_400_and_nothing_is_recorded(parent: TelegramParent, fake_telegram: FakeTelegram) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET, "Content-Type": "application/json"}
    for body in (
        b"{not json",
        b"[1, 2]",
        json.dumps({"message": {"text": "hi"}}).encode(),
        json.dumps({"update_id": 5, "message": {"text": "no chat"}}).encode(),
    ):
        assert httpx.post(parent.url, content=body, headers=headers, timeout=30).status_code == 400
    # The refused update id was not recorded as seen: the same id, well formed, is answered.
    assert parent.text(QUESTION, update_id=5).status_code == 200
    assert len(texts(fake_telegram, parent.chat_id)) == 1


def test_a_question_gets_an_html_reply(parent: TelegramParent, fake_telegram: FakeTelegram) -> None:
    assert parent.text(QUESTION).json() == {"status": "ok"}
    texts(fake_telegram, parent.chat_id)
    call = fake_telegram.recorded("sendMessage", str(parent.chat_id))[0]
    assert call.params["parse_mode"] == "HTML"
    assert len(fake_telegram.settle("sendMessage", str(parent.chat_id))) == 1


def test_a_redelivered_update_id_gets_one_reply(parent: TelegramParent, fake_telegram: FakeTelegram) -> None:
    parent.text(QUESTION)
    assert parent.text(QUESTION, update_id=parent.last_update_id).json() == {"status": "duplicate"}
    texts(fake_telegram, parent.chat_id)
    assert len(fake_telegram.settle("sendMessage", str(parent.chat_id))) == 1


def test_an_edited_message_is_answered(parent: TelegramParent, fake_telegram: FakeTelegram) -> None:
    parent.edited(QUESTION)
    assert len(texts(fake_telegram, parent.chat_id)) == 1


def test_a_button_press_answers_the_callback_and_picks_the_option(
    parent: TelegramParent, fake_telegram: FakeTelegram
) -> None:
    parent.text(QUESTION)
    texts(fake_telegram, parent.chat_id)
    callback_id = f"cb{parent.chat_id}"
    assert parent.press("2", callback_id).status_code == 200
    assert len(fake_telegram.wait_for("answerCallbackQuery", callback_id, 1)) == 1
    assert len(texts(fake_telegram, parent.chat_id, 2)) == 2


@pytest.mark.parametrize("kind", ["photo", "sticker", "voice", "location"])
def test_non_text_gets_a_kind_reply(
    kind: str, parent: TelegramParent, fake_telegram: FakeTelegram, live_content: Path
) -> None:
    assert getattr(parent, kind)().status_code == 200
    assert texts(fake_telegram, parent.chat_id) == [kind_telegram(live_content, "channels_non_text")]


@pytest.mark.parametrize("text", ["\U0001f622\U0001f622", "   ", "\ufffd"])
def test_emoji_only_or_blank_gets_a_kind_reply(
    text: str, parent: TelegramParent, fake_telegram: FakeTelegram, live_content: Path
) -> None:
    assert parent.text(text).status_code == 200
    assert texts(fake_telegram, parent.chat_id) == [kind_telegram(live_content, "channels_unreadable")]


def test_a_group_chat_is_asked_to_message_directly(
    parent: TelegramParent, fake_telegram: FakeTelegram, live_content: Path
) -> None:
    parent.group_text(QUESTION)
    group = -abs(parent.chat_id)
    assert texts(fake_telegram, group) == [kind_telegram(live_content, "channels_group_chat")]
    assert fake_telegram.settle("sendMessage", str(parent.chat_id), quiet_s=0.5) == []


def test_start_help_and_stop(
    parent: TelegramParent, fake_telegram: FakeTelegram, live_content: Path, stack_env: dict[str, str]
) -> None:
    parent.text("/start")
    parent.text("/help")
    parent.text("/stop")
    assert texts(fake_telegram, parent.chat_id, 3) == [
        kind_telegram(live_content, key) for key in ("channels_welcome", "channels_help", "channels_stopped")
    ]
    assert rows(stack_env["DATABASE_URL"], OptOut, channel="telegram", recipient=str(parent.chat_id))
    parent.text("/start")
    texts(fake_telegram, parent.chat_id, 4)
    assert not rows(stack_env["DATABASE_URL"], OptOut, channel="telegram", recipient=str(parent.chat_id))


def test_a_429_is_retried_after_retry_after(parent: TelegramParent, fake_telegram: FakeTelegram) -> None:
    fake_telegram.inject("sendMessage", flood(retry_after=1), target=str(parent.chat_id))
    parent.text(QUESTION)
    delivered = fake_telegram.wait_for("sendMessage", str(parent.chat_id), 1)
    attempts = fake_telegram.recorded("sendMessage", str(parent.chat_id))
    assert [c.status for c in attempts] == [429, 200]
    assert len(delivered) == 1
    assert attempts[1].at - attempts[0].at >= 1.0


def test_a_403_marks_the_family_unreachable(
    parent: TelegramParent, fake_telegram: FakeTelegram, stack_env: dict[str, str]
) -> None:
    fake_telegram.inject("sendMessage", blocked(), target=str(parent.chat_id))
    parent.text(QUESTION)
    attempts = fake_telegram.settle("sendMessage", str(parent.chat_id))
    assert [c.status for c in attempts] == [403]  # permanent: never retried
    marked = rows(stack_env["DATABASE_URL"], Unreachable, channel="telegram", recipient=str(parent.chat_id))
    assert len(marked) == 1
    # Writing to us again shows they unblocked the bot.
    parent.text(QUESTION)
    texts(fake_telegram, parent.chat_id)
    assert not rows(stack_env["DATABASE_URL"], Unreachable, channel="telegram", recipient=str(parent.chat_id))


def test_an_emergency_route_telegram_refused_three_times_is_delivered_from_the_outbox(
    parent: TelegramParent, fake_telegram: FakeTelegram
) -> None:
    """Issue 13, item 10: the channel's three tries fail (Telegram 500s); the route is not dropped but queued,
    and the stack's outbox worker delivers it once."""
    fake_telegram.inject("sendMessage", server_error(), target=str(parent.chat_id), times=3)
    parent.text("my baby has gone blue and floppy")
    [delivered] = fake_telegram.wait_for("sendMessage", str(parent.chat_id), 1)
    assert "999" in str(delivered.params["text"])
    assert [c.status for c in fake_telegram.settle("sendMessage", str(parent.chat_id))] == [500, 500, 500, 200]


def test_three_quick_messages_get_three_replies_in_order(stack: object, fake_telegram: FakeTelegram) -> None:
    sequence = [lambda p: p.text(QUESTION), lambda p: p.photo(), lambda p: p.text("/help")]
    expected = []
    for send in sequence:  # each alone, from its own chat: what the reply to it is
        alone = TelegramParent(stack.url, new_chat_id(), TELEGRAM_SECRET)  # type: ignore[attr-defined]
        send(alone)
        expected.append(texts(fake_telegram, alone.chat_id)[0])
    parent = TelegramParent(stack.url, new_chat_id(), TELEGRAM_SECRET)  # type: ignore[attr-defined]
    for send in sequence:  # the slow one (a Rasa turn) first: a concurrent design would answer it last
        send(parent)
    assert texts(fake_telegram, parent.chat_id, 3) == expected


def test_a_flood_of_messages_gets_one_rate_limit_reply(
    parent: TelegramParent, fake_telegram: FakeTelegram, live_content: Path
) -> None:
    for _ in range(23):  # the limit is 20 a minute (RATE_LIMIT_PER_MINUTE)
        assert parent.photo().status_code == 200
    sent = [str(c.params["text"]) for c in fake_telegram.settle("sendMessage", str(parent.chat_id))]
    assert len(sent) == 21
    assert sent[-1] == kind_telegram(live_content, "channels_rate_limited")


def test_a_risk_message_is_answered_even_over_the_rate_limit(
    parent: TelegramParent, fake_telegram: FakeTelegram
) -> None:
    for _ in range(21):
        parent.photo()
    parent.text("my baby has gone blue and floppy")
    sent = [str(c.params["text"]) for c in fake_telegram.wait_for("sendMessage", str(parent.chat_id), 22)]
    assert "999" in sent[-1]


def test_the_bot_token_never_reaches_the_logs(
    parent: TelegramParent, fake_telegram: FakeTelegram, stack: object
) -> None:
    parent.text(QUESTION)
    texts(fake_telegram, parent.chat_id)
    logs = "".join(p.read_text(errors="replace") for p in stack.log_dir.glob("*.log"))  # type: ignore[attr-defined]
    assert "/sendMessage" in logs  # the request lines are there, without the secret
    assert fake_telegram.token not in logs


def test_options_arrive_as_inline_buttons_and_pressing_2_picks_the_second(
    parent: TelegramParent, fake_telegram: FakeTelegram, stack: object
) -> None:
    text, clarify, chosen = clarifying_exchange(stack.url, "long")  # type: ignore[attr-defined]
    parent.text(text)
    assert texts(fake_telegram, parent.chat_id) == [clarify["html"]]
    markup = json.loads(fake_telegram.recorded("sendMessage", str(parent.chat_id))[0].params["reply_markup"])
    data = [row[0]["callback_data"] for row in markup["inline_keyboard"]]
    assert data == [str(n) for n in range(1, len(clarify["buttons"]) + 1)]
    parent.press("2", f"cb-options-{parent.chat_id}")
    assert texts(fake_telegram, parent.chat_id, 2)[1] == chosen["html"]
