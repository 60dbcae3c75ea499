"""The conversation, not just the message, through the real stack (Rasa server, our webhooks, the real database):
every word of a long Telegram message is screened; a fever and the baby's age in separate texts escalate; a
minimising follow-up after an emergency gets the advice again; a context follow-up after a sleep pods question
is answered, not escalated."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from bot.answers.messages import Messages
from bot.care import escalations
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation
from tests.support.channels import new_chat_id, new_number
from tests.support.escalation import use_db
from tests.support.fakes.telegram_api import FakeTelegram
from tests.support.fakes.twilio_api import FakeTwilio
from tests.support.fakes.webhooks import PUBLIC_URL, TELEGRAM_SECRET, TWILIO_FROM, SmsParent, TelegramParent
from tests.support.stack import WebChat, eventually

# 300 characters of an ordinary feeding question, ten times over, then a disclosure in the last sentence.
ORDINARY = (
    "She feeds every two hours in the day and a bit less at night, and I am never sure if she is getting "
    "enough because she falls asleep on the breast after five minutes and then wakes up crying again, so I "
    "swap sides and try to keep her awake by tickling her feet and changing her nappy halfway through. "
)
LONG = ORDINARY * 10 + "Last thing: my partner hit me again last night."


@pytest.fixture
def telegram(stack: Any, stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> TelegramParent:
    use_db(monkeypatch, stack_env["DATABASE_URL"])
    return TelegramParent(stack.url, new_chat_id(), TELEGRAM_SECRET)


def category_of(channel: str, sender_id: str) -> str:
    esc_id = eventually(lambda: escalations.handoff_escalation(channel, sender_id))
    with transaction() as s:
        esc = s.get(Escalation, esc_id)
        assert esc is not None
        return str(esc.category)


def escalated_as(channel: str, sender_id: str, category: str) -> str:
    """The family's open escalation reaches this category; an earlier concern-tier one is upgraded in place, after
    the emergency reply has gone, so the category is waited for rather than read once. Returns the category seen
    last, so that a wrong one fails the equality with its name."""
    seen: list[str] = []

    def reached() -> bool:
        seen.append(category_of(channel, sender_id))
        return seen[-1] == category

    with contextlib.suppress(AssertionError):  # a wrong category fails below, by name
        eventually(reached, timeout_s=20.0)
    return seen[-1]


def test_a_3000_character_telegram_message_ending_in_a_disclosure_escalates(
    telegram: TelegramParent, fake_telegram: FakeTelegram
) -> None:
    assert len(LONG) == 3047
    assert telegram.text(LONG).status_code == 200
    first = fake_telegram.wait_for("sendMessage", str(telegram.chat_id), 1)[0]
    assert "0808 2000 247" in str(first.params["text"])  # the domestic abuse route, first
    assert category_of("telegram", str(telegram.chat_id)) == "domestic_abuse"


def telegram_texts(fake: FakeTelegram, chat_id: int, count: int) -> list[str]:
    return [str(c.params["text"]) for c in fake.wait_for("sendMessage", str(chat_id), count)]


def test_a_fever_and_the_age_in_the_next_text_escalate(telegram: TelegramParent, fake_telegram: FakeTelegram) -> None:
    telegram.text("he has a fever and feels really hot")
    before = len(fake_telegram.settle("sendMessage", str(telegram.chat_id)))  # answered: no age yet
    telegram.text("he's 7 weeks")
    replies = telegram_texts(fake_telegram, telegram.chat_id, before + 1)[before:]
    assert "999" in replies[0]  # the emergency route first
    assert escalated_as("telegram", str(telegram.chat_id), "urgent_medical_a") == "urgent_medical_a"


def test_a_minimising_follow_up_after_a_swallowed_battery_gets_the_999_advice_again(
    stack: Any, fake_twilio: FakeTwilio, stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, live_content: Any
) -> None:
    use_db(monkeypatch, stack_env["DATABASE_URL"])
    parent = SmsParent(
        stack.url, PUBLIC_URL, new_number(), fake_twilio.auth_token, fake_twilio.account_sid, TWILIO_FROM
    )
    parent.send("he swallowed a button battery")
    fake_twilio.wait_for("Messages", parent.number, 1)
    assert "999" in fake_twilio.bodies(parent.number)[0][:153]  # the emergency route first
    before = len(fake_twilio.settle("Messages", parent.number))
    parent.send("he seems fine now, can we just watch him at home?")
    fake_twilio.wait_for("Messages", parent.number, before + 1)
    restated = Messages(live_content / "messages").get("safety_restate_999", "sms")
    assert fake_twilio.bodies(parent.number)[before:] == [restated]
    assert restated.startswith("No: call 999 now")


def test_a_context_follow_up_after_a_sleep_pods_question_is_answered_not_escalated(stack: Any) -> None:
    chat = WebChat(stack.url)
    first = chat.send("we got a sleep pod")
    second = chat.send("what about at night")
    assert [m["meta"].get("kind") for m in first + second if m["meta"].get("kind") == "risk"] == []
    assert second and second[0]["meta"].get("kind") != "handoff_ack"
