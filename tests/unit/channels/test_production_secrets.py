"""Issue 13, item 8: the production profile refuses to start without its secrets, one clear line each.
On the old main a production server started with the development pseudonym key and no secrets at all."""

from __future__ import annotations

import pytest

from bot.profile import check_profile, production_problems
from bot.settings import Settings, get_settings


def test_each_missing_secret_has_its_own_line() -> None:
    settings = Settings(
        PROFILE="production", PSEUDONYM_KEY="dev-only-change-me", TWILIO_AUTH_TOKEN="", TELEGRAM_WEBHOOK_SECRET=""
    )
    assert production_problems(settings) == [
        "PSEUDONYM_KEY is empty or the development default: set a long random value",
        "TWILIO_AUTH_TOKEN is empty: no SMS signature could be verified",
        "TELEGRAM_WEBHOOK_SECRET is missing: run `parentbot telegram set-webhook`",
    ]
    good = Settings(PROFILE="production", PSEUDONYM_KEY="k" * 40, TWILIO_AUTH_TOKEN="t", TELEGRAM_WEBHOOK_SECRET="s")
    assert production_problems(good) == []


def test_the_production_profile_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROFILE", "production")
    monkeypatch.setenv("PSEUDONYM_KEY", "")
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit, match="PSEUDONYM_KEY is empty"):
            check_profile()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
