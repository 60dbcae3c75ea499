"""Issue 13, item 1 (profiles, rate limits) and item 12 (health). On the old main credentials.yml mounted the
web chat for production, there was no global limit and no health route of its own."""

from __future__ import annotations

import gc

import pytest
import yaml
from rasa.core.agent import Agent

from bot import paths
from bot.settings import get_settings
from channels.health import health_status
from channels.intake import RateLimiter
from channels.webchat.input import WebChatInput


def channels_of(name: str) -> set[str]:
    return set(yaml.safe_load((paths.ROOT / name).read_text(encoding="utf-8")))


def test_production_mounts_sms_telegram_and_health_only() -> None:
    assert channels_of("credentials.production.yml") == {
        "channels.sms.input.SmsInput",
        "channels.telegram.input.TelegramInput",
        "channels.health.HealthInput",
    }
    assert "channels.webchat.input.WebChatInput" in channels_of("credentials.yml")  # the local profile


def test_the_web_chat_refuses_to_mount_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROFILE", "production")
    get_settings.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="only in the local profile"):
            WebChatInput().blueprint(lambda message: None)  # type: ignore[arg-type,return-value]
    finally:
        monkeypatch.delenv("PROFILE")
        get_settings.cache_clear()


def test_health_is_503_while_the_model_is_not_loaded() -> None:
    """Item 12: an agent whose model failed to load is unhealthy."""
    assert health_status(None) == ({"status": "unhealthy", "reason": "model not loaded"}, 503)
    assert health_status(Agent()) == ({"status": "unhealthy", "reason": "model not loaded"}, 503)


def test_per_sender_limit_is_20_a_minute() -> None:
    limiter = RateLimiter(per_minute=20, global_per_minute=600)
    verdicts = [limiter.check("sms:+447700900001") for _ in range(23)]
    assert verdicts == ["ok"] * 20 + ["first_over", "over", "over"]
    assert limiter.check("sms:+447700900002") == "ok"


def test_the_limiter_survives_garbage_collection() -> None:
    """The `limits` strategy holds its storage weakly; a collected storage made every webhook fail with 500."""
    limiter = RateLimiter(per_minute=20, global_per_minute=600)
    gc.collect()
    assert limiter.check("sms:+447700900001") == "ok"


def test_global_limit_holds_600_new_senders_a_minute() -> None:
    limiter = RateLimiter(per_minute=20, global_per_minute=600)
    verdicts = [limiter.check(f"sms:+4477009{i:05d}") for i in range(605)]
    assert verdicts.count("ok") == 600
    assert verdicts[600:] == ["over"] * 5
