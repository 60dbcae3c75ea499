"""Issue 13, item 8: the production profile refuses to start without its secrets, one clear line each.
On the old main a production server started with the development pseudonym key and no secrets at all."""

from __future__ import annotations

import pytest

from bot.profile import check_profile, production_problems
from bot.settings import Settings, get_settings


def test_each_missing_secret_has_its_own_line() -> None:
    settings = Settings(
        PROFILE="production",
        PSEUDONYM_KEY="dev-only-change-me",
        TWILIO_AUTH_TOKEN="",
        TELEGRAM_WEBHOOK_SECRET="",
        ACTION_SERVER_TOKEN="",
    )
    assert production_problems(settings) == [
        "PSEUDONYM_KEY is empty or the development default: set a long random value",
        "TWILIO_AUTH_TOKEN is empty: no SMS signature could be verified",
        "TELEGRAM_WEBHOOK_SECRET is missing: run `parentbot telegram set-webhook`",
        "ACTION_SERVER_TOKEN is empty: anyone who reaches the action server could call it",
    ]
    good = Settings(
        PROFILE="production",
        PSEUDONYM_KEY="k" * 40,
        TWILIO_AUTH_TOKEN="t",
        TELEGRAM_WEBHOOK_SECRET="s",
        ACTION_SERVER_TOKEN="a",
    )
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


def test_the_action_server_refuses_to_start_in_production_without_its_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13, item 4: the same check runs in `python -m bot.actions.server` before it listens."""
    from bot.actions.server import main

    for key, value in {
        "PROFILE": "production",
        "PSEUDONYM_KEY": "k" * 40,
        "TWILIO_AUTH_TOKEN": "t",
        "TELEGRAM_WEBHOOK_SECRET": "s",
        "ACTION_SERVER_TOKEN": "",
    }.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as refused:
            main(["--port", "1"])
        assert str(refused.value) == (
            "refusing to start the production profile:\n"
            "ACTION_SERVER_TOKEN is empty: anyone who reaches the action server could call it"
        )
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
