"""Issue 13, item 4: the action server's token check and the production endpoints that send the token."""

from __future__ import annotations

import pytest

from bot import paths
from bot.actions.server import token_ok
from bot.serve import action_endpoint
from bot.settings import Settings

PRODUCTION_ENV = {
    "ACTION_ENDPOINT_URL": "http://actions.internal:5055/webhook",
    "ACTION_SERVER_TOKEN": "s3cret-token",
    "TRACKER_DB_HOST": "db",
    "TRACKER_DB_PORT": "5432",
    "TRACKER_DB_NAME": "parentbot_tracker",
    "TRACKER_DB_USER": "parentbot",
    "TRACKER_DB_PASSWORD": "",
    "REDIS_HOST": "redis",
    "REDIS_PORT": "6379",
    "REDIS_DB": "1",
    "REDIS_PASSWORD": "",
}


def test_only_the_exact_bearer_token_passes() -> None:
    assert token_ok("Bearer s3cret-token", "s3cret-token")
    for given in (None, "", "s3cret-token", "Bearer s3cret-toke", "Bearer s3cret-token ", "bearer s3cret-token"):
        assert not token_ok(given, "s3cret-token")


def test_the_production_endpoints_send_the_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.utils import read_endpoints_from_path

    for key, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(key, value)
    endpoints = read_endpoints_from_path(paths.ROOT / "endpoints.production.yml")
    assert endpoints.action.url == "http://actions.internal:5055/webhook"
    assert endpoints.action.headers == {"Authorization": "Bearer s3cret-token"}


def test_the_local_endpoints_carry_a_token_only_when_one_is_set() -> None:
    assert action_endpoint("http://127.0.0.1:5055/webhook") == {"url": "http://127.0.0.1:5055/webhook"}
    assert action_endpoint("http://127.0.0.1:5055/webhook", "t") == {
        "url": "http://127.0.0.1:5055/webhook",
        "headers": {"Authorization": "Bearer t"},
    }


def test_the_action_server_listens_on_loopback_by_default() -> None:
    assert Settings().ACTION_SERVER_HOST == "127.0.0.1"  # type: ignore[call-arg]
