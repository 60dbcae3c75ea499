"""Issue 13, item 9: no parent's words, phone number or Telegram chat id in any log line, even when the database
fails mid-turn. A production-profile stack (action server, Rasa server, staff app, outbox worker) runs on a
database whose escalation, conversation and theme tables are then dropped, so every write of the turn fails;
a red flag comes in by SMS and by Telegram from a known sender. Every line the four servers wrote (their
stdout and stderr files) is then searched.

On the old main the escalation failure was logged with SQLAlchemy's "[parameters: ('sms', '+447700...')]".
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.serve import Stack
from tests.support.channels import new_chat_id, new_number
from tests.support.fakes.telegram_api import FakeTelegram
from tests.support.fakes.twilio_api import FakeTwilio
from tests.support.fakes.webhooks import PUBLIC_URL, TELEGRAM_SECRET, TWILIO_FROM, SmsParent, TelegramParent
from tests.support.stack import own_stack

RED_FLAG = "Zebedee his lips have gone blue"
# Everything a turn writes beyond the channel's own intake (dedupe, pending message): children first.
BROKEN_TABLES = (
    "escalation_messages",
    "outbox",
    "handoffs",
    "alert_windows",
    "escalations",
    "conversation_recent",
    "conversation_stated_age",
    "theme_events",
    "privacy_consents",
)


@pytest.fixture(scope="module")
def failing_db_stack(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory, stack_env: dict[str, str]
) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("private-logs")
    db_file = tmp / "parentbot.db"
    stack = own_stack(tmp, trained_model, {**stack_env, "DATABASE_URL": f"sqlite:///{db_file}"})
    try:
        stack.wait_ready(timeout_s=420)
        # Every server has opened the database (and created its tables) by now; break it under them.
        conn = sqlite3.connect(db_file, timeout=10)
        try:
            for table in BROKEN_TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.commit()
        finally:
            conn.close()
        yield stack
    finally:
        stack.stop()


def all_logs(stack: Stack) -> str:
    assert stack.log_dir is not None
    return "".join(p.read_text(errors="replace") for p in sorted(stack.log_dir.glob("*.log")))


def wait_for_log(stack: Stack, needle: str, timeout_s: float = 30.0) -> str:
    deadline = time.monotonic() + timeout_s
    while True:
        logs = all_logs(stack)
        if needle in logs or time.monotonic() > deadline:
            return logs
        time.sleep(0.5)


def test_a_red_flag_with_a_failing_database_gets_the_route_and_leaves_no_words_number_or_chat_id_in_any_log(
    failing_db_stack: Stack, fake_twilio: FakeTwilio, fake_telegram: FakeTelegram
) -> None:
    sms = SmsParent(
        failing_db_stack.url, PUBLIC_URL, new_number(), fake_twilio.auth_token, fake_twilio.account_sid, TWILIO_FROM
    )
    telegram = TelegramParent(failing_db_stack.url, new_chat_id(), TELEGRAM_SECRET)

    assert sms.send(RED_FLAG).status_code == 200
    assert telegram.text(RED_FLAG).status_code == 200

    (sms_reply,) = fake_twilio.wait_for("Messages", sms.number, 1)
    (telegram_reply,) = fake_telegram.wait_for("sendMessage", str(telegram.chat_id), 1)
    assert "999" in str(sms_reply.params["Body"])  # the emergency route, in the first reply
    assert "999" in str(telegram_reply.params["text"])

    # The escalation write failed on both channels, and the failure was logged (the search below has lines).
    logs = wait_for_log(failing_db_stack, "escalation failed to record")
    assert logs.count("escalation failed to record") == 2
    assert "OperationalError" in logs
    for secret in (
        RED_FLAG,
        "Zebedee",
        sms.number,
        sms.number.removeprefix("+"),  # also URL-encoded (%2B44...) or reformatted
        str(telegram.chat_id),
    ):
        assert secret not in logs, f"{secret!r} is in a log line"
