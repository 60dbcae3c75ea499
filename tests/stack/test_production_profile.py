"""Issue 13, items 1 and 12, on a real Rasa server started with the production profile.

On the old main the production server mounted the web chat (credentials.yml), and its only health check was
the web chat's, which answered 200 whether or not a model had loaded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot import paths
from bot.serve import Stack
from tests.support.stack import free_port


@pytest.fixture(scope="module")
def broken_model_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("production")
    bad = tmp / "broken.tar.gz"
    bad.write_text("not a model")
    stack = Stack(
        rasa_port=free_port(),
        model=bad,
        credentials=paths.ROOT / "credentials.production.yml",
        actions=False,
        staff=False,
        outbox=False,
        env={
            "PROFILE": "production",
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite'}",
            "PSEUDONYM_KEY": "production-test-key-0123456789",
            "TWILIO_AUTH_TOKEN": "token",
            "TELEGRAM_WEBHOOK_SECRET": "secret",
            "ACTION_SERVER_TOKEN": "action-token",
        },
        log_dir=tmp / "logs",
    ).start()
    try:
        yield stack
    finally:
        stack.stop()


def first_answer(url: str, timeout_s: float = 300.0) -> httpx.Response:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_health_is_503_when_the_model_failed_to_load(broken_model_server: Stack) -> None:
    resp = first_answer(f"{broken_model_server.url}/webhooks/health/")
    assert resp.status_code == 503
    assert resp.json() == {"status": "unhealthy", "reason": "model not loaded"}


def test_production_serves_no_web_chat_and_no_preview(broken_model_server: Stack, tmp_path: Path) -> None:
    first_answer(f"{broken_model_server.url}/webhooks/health/")
    base = f"{broken_model_server.url}/webhooks/webchat"
    assert httpx.post(f"{base}/webhook", json={"message": "his lips are blue"}, timeout=5).status_code == 404
    assert httpx.get(f"{base}/preview", params={"id": "sleep/safe_sleep"}, timeout=5).status_code == 404
    assert httpx.get(f"{base}/", timeout=5).status_code == 404
