"""Issue 13, item 3: one family's conversation is reachable only from its own channel.

Through the real Rasa stack (local profile: web chat, SMS, Telegram): a web chat post naming an SMS family's
number as its "sender" must not answer that family's numbered options, must not erase their conversation
with "delete my data", and a web chat id that leaks (the inbox shows it, the page used to put it in the URL)
must neither read nor hide a health visitor's reply. The web chat's session is a server-issued cookie.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from bot.storage import trackerdb
from bot.turn.messages import Reply
from channels.webchat.outbox import send_to_webchat
from tests.support.channels import clarifying_exchange, new_number
from tests.support.escalation import use_db
from tests.support.fakes.twilio_api import FakeTwilio
from tests.support.fakes.webhooks import PUBLIC_URL, TWILIO_FROM, SmsParent
from tests.support.stack import WebChat

HV_REPLY = "Hello, this is Sam, your health visitor. I will call you at 3pm."


@pytest.fixture
def parent(stack: Any, fake_twilio: FakeTwilio) -> SmsParent:
    return SmsParent(stack.url, PUBLIC_URL, new_number(), fake_twilio.auth_token, fake_twilio.account_sid, TWILIO_FROM)


def sms_bodies(fake: FakeTwilio, parent: SmsParent, count: int) -> list[str]:
    fake.wait_for("Messages", parent.number, count)
    return fake.bodies(parent.number)


def forged(stack: Any, sender: str, text: str) -> dict[str, Any]:
    """A web chat post that names its own sender, as a script would (no session cookie)."""
    resp = httpx.post(
        f"{stack.url}/webhooks/webchat/webhook", json={"sender": sender, "message": text, "render": "sms"}, timeout=60
    )
    resp.raise_for_status()
    return dict(resp.json())


def tracker_rows(session_dir: Path, key: str) -> int:
    engine = create_engine(f"sqlite:///{session_dir / 'tracker.db'}", future=True)
    try:
        with engine.connect() as conn:
            query = select(func.count()).select_from(trackerdb.EVENTS).where(trackerdb.EVENTS.c.sender_id == key)
            return int(conn.execute(query).scalar_one())
    finally:
        engine.dispose()


# First in the module: its turns also warm a freshly started Rasa server up for the slower checks below.
def test_the_web_chat_session_is_a_server_issued_http_only_strict_cookie(stack: Any) -> None:
    browser = httpx.Client(timeout=60)
    page = browser.get(f"{stack.url}/webhooks/webchat/")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("parentbot_webchat=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/webhooks/webchat" in cookie
    assert "sender" not in page.text  # the page names no sender: not in its JSON, not in a URL
    token = browser.cookies["parentbot_webchat"]
    assert len(token) == 43

    url = f"{stack.url}/webhooks/webchat/webhook"
    first = browser.post(url, json={"message": "jabs"})
    second = browser.post(url, json={"message": "2"})
    assert "set-cookie" not in second.headers  # the session is kept, not reissued
    assert first.json()["sender"] == second.json()["sender"]
    assert token not in first.json()["sender"]  # the id shown to staff is not the secret
    stranger = httpx.post(url, json={"message": "jabs"}, timeout=60).json()
    assert stranger["sender"] != first.json()["sender"]
    # A cookie that is not a well-formed secret is replaced, never taken as a sender id.
    not_a_secret = {"Cookie": f"parentbot_webchat={first.json()['sender']}"}
    odd = httpx.post(url, json={"message": "jabs"}, headers=not_a_secret, timeout=60)
    assert odd.json()["sender"] != first.json()["sender"] and "set-cookie" in odd.headers


def test_a_web_chat_post_naming_a_parents_number_cannot_answer_their_options(
    stack: Any, parent: SmsParent, fake_twilio: FakeTwilio, session_dir: Path
) -> None:
    text, clarify, chosen = clarifying_exchange(stack.url, "sms")
    parent.send(text)
    assert sms_bodies(fake_twilio, parent, 1) == [clarify["body"]]

    post = forged(stack, parent.number, "2")
    assert post["sender"] != parent.number  # the server chose the conversation, not the JSON
    assert chosen["meta"]["answer_id"] not in [m["meta"].get("answer_id") for m in post["messages"]]

    parent.send("2")  # the family's own options are still theirs
    assert sms_bodies(fake_twilio, parent, 2)[1] == chosen["body"]
    # Rasa's tracker holds the family under the channel's key, never under the bare number.
    assert tracker_rows(session_dir, f"sms:{parent.number}") > 0
    assert tracker_rows(session_dir, parent.number) == 0


def test_delete_my_data_on_the_web_chat_leaves_the_sms_family_with_that_number_alone(
    stack: Any, parent: SmsParent, fake_twilio: FakeTwilio
) -> None:
    text, clarify, chosen = clarifying_exchange(stack.url, "sms")
    parent.send(text)
    assert sms_bodies(fake_twilio, parent, 1) == [clarify["body"]]

    # A browser session that names the family's number in its JSON: its own data goes, not theirs.
    browser = httpx.Client(timeout=60)
    url = f"{stack.url}/webhooks/webchat/webhook"
    kinds = []
    for words in ("delete my data", "YES"):
        resp = browser.post(url, json={"sender": parent.number, "message": words, "render": "sms"})
        kinds.append([m["meta"]["kind"] for m in resp.json()["messages"]])
    assert kinds == [["privacy_forget_confirm"], ["privacy_forgotten"]]

    parent.send("2")  # their conversation (and its options) survived
    assert sms_bodies(fake_twilio, parent, 2)[1] == chosen["body"]


def test_a_leaked_web_chat_id_neither_reads_nor_hides_a_health_visitors_reply(
    stack: Any, stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    family = WebChat(stack.url)
    assert family.send("how often should a newborn feed")
    use_db(monkeypatch, stack_env["DATABASE_URL"])
    asyncio.run(send_to_webchat(family.sender, Reply(text=HV_REPLY)))  # what the outbox does for a staff reply

    messages = f"{stack.url}/webhooks/webchat/messages"
    leaked = httpx.get(messages, params={"sender": family.sender}, timeout=30)
    assert leaked.status_code == 200 and leaked.json()["messages"] == []
    assert forged(stack, family.sender, "hello")["sender"] != family.sender

    mine = family.client.get(messages, params={"render": "long"})
    assert [m["text"] for m in mine.json()["messages"]] == [HV_REPLY]
