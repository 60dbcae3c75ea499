"""Input bounds on the real servers (issue 13, item 11): a body over 64 kB is refused with 413 before it is
parsed, on the parents' webhooks and the staff app; the answer preview takes only `topic/name` ids."""

from __future__ import annotations

import httpx

from tests.support.channels import new_chat_id, new_number
from tests.support.fakes.twilio_api import FakeTwilio
from tests.support.fakes.webhooks import PUBLIC_URL, TELEGRAM_SECRET, TWILIO_FROM, SmsParent, TelegramParent

OVER = "a" * 70_000  # over 64 kB (65,536 bytes) as a body on its own
UNDER = "my baby has a rash " * 200  # 3,800 characters: a long but real message


def test_a_signed_sms_over_64_kb_gets_413_and_nothing_is_sent(stack: object, fake_twilio: FakeTwilio) -> None:
    parent = SmsParent(
        stack.url,  # type: ignore[attr-defined]
        PUBLIC_URL,
        new_number(),
        fake_twilio.auth_token,
        fake_twilio.account_sid,
        TWILIO_FROM,
    )
    assert parent.send(OVER).status_code == 413
    assert fake_twilio.settle("Messages", parent.number, quiet_s=1.0) == []
    assert parent.send(UNDER).status_code == 200


def test_a_telegram_update_over_64_kb_gets_413(stack: object) -> None:
    parent = TelegramParent(stack.url, new_chat_id(), TELEGRAM_SECRET)  # type: ignore[attr-defined]
    assert parent.text(OVER).status_code == 413
    assert parent.text(UNDER).status_code == 200


def test_a_chunked_body_over_64_kb_gets_413(stack: object) -> None:
    # No Content-Length to refuse on: the server stops reading at the limit.
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b"x" * 8192

    url = f"{stack.url}/webhooks/telegram/webhook"  # type: ignore[attr-defined]
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET, "Content-Type": "application/json"}
    assert httpx.post(url, content=chunks(), headers=headers, timeout=30).status_code == 413


def test_the_staff_app_refuses_a_body_over_64_kb_with_413(stack: object) -> None:
    url = f"{stack.staff_url}/inbox/login"  # type: ignore[attr-defined]
    got = httpx.post(url, data={"username": "a", "password": OVER, "csrf": "x"}, timeout=30)
    assert got.status_code == 413
    assert httpx.post(url, data={"username": "a", "password": "b", "csrf": "x"}, timeout=30).status_code == 403


def test_the_preview_takes_only_topic_slash_name_ids(stack: object) -> None:
    url = f"{stack.url}/webhooks/webchat/preview"  # type: ignore[attr-defined]
    for bad in ("", "safe_sleep", "../content/x", "safe_sleep/on_the_back/x", "Safe_Sleep/on_the_back", "a/b c"):
        got = httpx.get(url, params={"id": bad}, timeout=30)
        assert (bad, got.status_code, got.json()) == (bad, 400, {"error": "expected ?id=topic/name"})
    assert httpx.get(url, params={"id": "safe_sleep/nope"}, timeout=30).status_code == 404
    assert httpx.get(url, params={"id": "safe_sleep/on_the_back"}, timeout=30).status_code == 200
