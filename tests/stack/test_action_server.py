"""Issue 13, item 4: the action server on a production-profile stack (bot/actions/server.py). It listens on
loopback only, refuses a call without the shared token (401), answers one with it, the Rasa server's own
calls carry it (endpoints as endpoints.production.yml), and even a call with the token cannot choose an
escalation's reply address.

On the old main `rasa run actions` listened on 0.0.0.0 and ran any action for anyone: a forged tracker opened
an escalation (and paged staff) for whatever channel and number it named.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.serve import Stack
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation
from bot.wiring import default_pipeline
from channels.render.reply import render_telegram
from tests.support.channels import new_chat_id
from tests.support.escalation import use_db
from tests.support.fakes.telegram_api import FakeTelegram
from tests.support.fakes.webhooks import TELEGRAM_SECRET, TelegramParent
from tests.support.stack import ACTION_TOKEN

QUESTION = "how do i no if baby is getting enough milk"
VICTIM = "+447700900999"  # a number the forger wants health visitors to text


@pytest.fixture
def production(production_stack: Stack) -> Stack:
    return production_stack  # shared with the other production-profile module (tests/conftest.py)


def webhook(stack: Stack) -> str:
    return f"http://127.0.0.1:{stack.action_port}/webhook"


def forged_call(action: str = "action_request_person") -> dict[str, Any]:
    latest = {"text": "call me", "intent": {"name": "ask_for_person", "confidence": 1.0}, "entities": []}
    return {
        "next_action": action,
        "sender_id": VICTIM,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": VICTIM,
            "slots": {},
            "latest_message": latest,
            "events": [{"event": "user", "text": "call me", "parse_data": latest, "input_channel": "sms"}],
            "paused": False,
            "latest_action_name": "action_listen",
        },
    }


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the sockets LISTENing on `port`, from the kernel's tables (hex, as /proc has them)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.add(address)
    return found


def test_the_action_server_listens_on_loopback_only(production: Stack) -> None:
    assert listening_addresses(production.action_port) == {"0100007F"}  # 127.0.0.1, and nothing on 0.0.0.0


def test_a_call_without_the_token_is_refused(production: Stack) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": ACTION_TOKEN}):
        resp = httpx.post(webhook(production), json=forged_call(), headers=headers, timeout=10)
        assert (resp.status_code, resp.json()) == (401, {"error": "unauthorized"})
    resp = httpx.get(f"http://127.0.0.1:{production.action_port}/actions", timeout=10)
    assert resp.status_code == 401


def test_a_call_with_the_token_is_answered_but_cannot_choose_the_reply_address(
    production: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_db(monkeypatch, production.env["DATABASE_URL"])
    resp = httpx.post(
        webhook(production), json=forged_call(), headers={"Authorization": f"Bearer {ACTION_TOKEN}"}, timeout=10
    )
    assert resp.status_code == 200
    assert [r["response"] for r in resp.json()["responses"]] == ["utter_request_person"]
    with transaction() as s:  # no turn of ours was in flight for that number: nothing recorded, nobody paged
        assert s.execute(select(Escalation).where(Escalation.sender_id == VICTIM)).scalars().all() == []


def test_the_rasa_servers_calls_carry_the_token(production: Stack, fake_telegram: FakeTelegram) -> None:
    # An ordinary question is answered by the action server (action_answer); refused, Rasa would have
    # nothing to say and the parent would get the safe default.
    parent = TelegramParent(production.url, new_chat_id(), TELEGRAM_SECRET)
    assert parent.text(QUESTION).status_code == 200
    (reply,) = fake_telegram.wait_for("sendMessage", str(parent.chat_id), 1, timeout_s=60)
    safe_default = render_telegram(default_pipeline().safe_default("long"))
    assert str(reply.params["text"]) != safe_default
    time.sleep(0.5)
    assert production.log_dir is not None
    logs = "".join(p.read_text(errors="replace") for p in production.log_dir.glob("*.log"))
    assert "Failed to execute custom action" not in logs
