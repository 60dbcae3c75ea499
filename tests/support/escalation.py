"""Helpers shared by the escalation, outbox and inbox tests (plain functions, not fixtures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.care.outbound import DeliveryError
from bot.care.turn_hooks import Escalations, Handoffs
from bot.rasa_ext.assistant import RasaAssistant
from bot.risk.matcher import RiskHit
from bot.settings import get_settings
from bot.turn.messages import NO_CONTEXT, Reply, ScreenContext
from bot.turn.pipeline import TurnPipeline

TIER_A = RiskHit(category="urgent_medical_a", group="urgent_medical", rule="blue_or_grey", tier="A", priority=1)
TIER_B = RiskHit(category="urgent_medical_b", group="urgent_medical", rule="fast_breathing", tier="B", priority=3)
MENTAL = RiskHit(category="mental_health", group="mental_health", rule="wants_to_die", tier=None, priority=1)


class _ClearSettingsOnUndo:
    """monkeypatch undoes attributes before the environment: clearing the settings cache then means the next
    test reads its own environment, not this test's cached DATABASE_URL."""

    def __delattr__(self, name: str) -> None:
        get_settings.cache_clear()
        object.__delattr__(self, name)


_CLEARER = _ClearSettingsOnUndo()


def use_db(monkeypatch: pytest.MonkeyPatch, url: str, **env: str) -> str:
    """Point the project's settings (and so bot.storage.db.transaction) at `url` for this test."""
    monkeypatch.setattr(_CLEARER, "armed", True, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    monkeypatch.setattr(
        "bot.care.escalations.target_minutes_for", lambda category: None if category == "callback" else 15
    )
    return url


def use_temp_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> str:
    env = {
        "ALERT_TELEGRAM_CHAT_ID": "-100200",
        "ALERT_SMS_NUMBER": "+447700900001",
        "ESCALATION_NEXT_CONTACT_SMS": "+447700900002",
        **env,
    }
    return use_db(monkeypatch, f"sqlite:///{tmp_path / 'test.db'}", **env)


class RecordingRasa(RasaAssistant):
    """Rasa's stand-in behind the real adapter: records the text it was given, answers "answer"."""

    def __init__(self) -> None:
        super().__init__(self.receive)
        self.texts: list[str] = []

    async def receive(self, message: Any) -> None:
        self.texts.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "answer"})


def real_turn(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, screen: Any) -> TurnPipeline:
    """The turn with the real Escalations and Handoffs on a temporary database, inside service hours."""
    use_temp_db(monkeypatch, tmp_path)
    monkeypatch.setattr("bot.care.service_hours.in_service_hours", lambda spec, now=None: True)
    return TurnPipeline(screen=screen, escalations=Escalations(), handoffs=Handoffs())


def http_sender(url: str):  # type: ignore[no-untyped-def]
    """An outbound sender that posts to a recorder, mapping its statuses like a real channel would."""

    async def send(recipient: str, reply: Reply) -> None:
        async with httpx.AsyncClient(timeout=5) as client:
            resp = await client.post(url, json={"to": recipient, "text": reply.text, "meta": reply.meta})
        if resp.status_code == 429:
            raise DeliveryError("rate limited", retry_after_s=5)
        if resp.status_code == 403:
            raise DeliveryError("blocked", permanent=True)
        if resp.status_code != 200:
            raise DeliveryError(f"HTTP {resp.status_code}")

    return send


class BlueScreen:
    """A RiskScreen stand-in: a tier A hit whenever the latest message says "blue"; the route names its category."""

    def check(self, text: str, context: ScreenContext = NO_CONTEXT) -> list[RiskHit]:
        return [TIER_A] if "blue" in text else []

    def reply(self, category: str, render: str) -> str:
        return f"route {category}"
