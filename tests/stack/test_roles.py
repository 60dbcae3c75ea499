"""One process per role (issue 11): parents' replies do not need the staff app, and staff alerts do not
need the Rasa server. Real processes, started and stopped as `parentbot run` does (bot/serve.py)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.care.escalations import Facts, open_escalation
from bot.serve import Stack
from tests.support.channels import new_chat_id
from tests.support.escalation import TIER_A, use_db
from tests.support.fakes.telegram_api import FakeTelegram
from tests.support.stack import WebChat, free_port

WORDS = "my partner hit me and I am scared to go home"


def test_parents_are_answered_while_the_staff_app_is_down(stack: Stack) -> None:
    stack.stop_role("staff")
    try:
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{stack.staff_url}/health", timeout=5)
        (reply,) = WebChat(stack.url).send("how often should a newborn feed")
        assert reply["meta"]["kind"] == "answer"
    finally:
        stack.start_role("staff")
        stack.wait_ready()
    assert httpx.get(f"{stack.staff_url}/health", timeout=5).status_code == 200


def test_alerts_are_delivered_with_no_rasa_server(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, stack_env: dict[str, str], fake_telegram: FakeTelegram
) -> None:
    chat = f"-100{new_chat_id()}"
    env = {**stack_env, "DATABASE_URL": f"sqlite:///{tmp_path / 'alerts.db'}", "ALERT_TELEGRAM_CHAT_ID": chat}
    # Only the outbox worker: no action server, no Rasa server, no staff app.
    outbox_only = Stack(
        rasa_port=free_port(),
        staff_port=free_port(),
        env=env,
        log_dir=tmp_path / "logs",
        actions=False,
        rasa=False,
        staff=False,
    )
    outbox_only.start()
    try:
        assert list(outbox_only.roles) == ["outbox"]
        use_db(monkeypatch, env["DATABASE_URL"], ALERT_TELEGRAM_CHAT_ID=chat)
        opened = open_escalation(Facts("sms", "+447700912399", WORDS, "sms"), [TIER_A], [WORDS])
        (alert,) = fake_telegram.wait_for("sendMessage", chat, 1, timeout_s=30)
        assert f"/inbox/escalations/{opened.escalation_id}" in str(alert.params.get("text"))
    finally:
        outbox_only.stop()
