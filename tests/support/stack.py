"""Talking to a running stack from tests and bench: free loopback ports, a parent on the web chat, waiting for
work the stack finishes after its reply."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import yaml

from bot import paths
from bot.serve import Stack, action_endpoint

ACTION_TOKEN = "test-action-server-token_0123456789"  # the production-profile stacks' shared token
# The duty contact the shared production stack (tests/conftest.py) pages; no other stack pages it, and a test of
# its alerts counts only its own escalation's.
PRODUCTION_ALERT_CHAT = "-100424242"


def eventually(check: Callable[[], Any], timeout_s: float = 30.0) -> Any:
    """The first true value of check() within the time: for work the stack finishes after it has replied (the
    emergency reply goes out before the escalation is written)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"not true within {timeout_s} s: {check.__doc__ or check}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class WebChat:
    """A parent on the web chat, through the real HTTP webhook, in one browser session: the server issues the
    session cookie with the first reply and the client sends it back, as a browser does."""

    def __init__(self, base_url: str, render: str = "long") -> None:
        self.url = f"{base_url}/webhooks/webchat/webhook"
        self.render = render
        self.client = httpx.Client(timeout=30)
        self.sender = ""  # the conversation's sender id as the server reports it (set by the first send)

    def send(self, text: str) -> list[dict]:
        resp = self.client.post(self.url, json={"message": text, "render": self.render})
        resp.raise_for_status()
        data = resp.json()
        self.sender = str(data["sender"])
        return list(data["messages"])


@contextmanager
def staff_only(root: Path, **env: str) -> Iterator[tuple[str, str]]:
    """The staff app alone (no Rasa, no outbox worker) on a fresh SQLite database: its URL and the database's.
    `env` adds to or replaces its settings."""
    from bot.serve import Stack

    url = f"sqlite:///{root / 'parentbot.db'}"
    running = Stack(
        staff_port=free_port(),
        env={"DATABASE_URL": url, "PSEUDONYM_KEY": "test-key", "STAFF_URL": "https://staff.example.test", **env},
        log_dir=root / "logs",
        actions=False,
        rasa=False,
        outbox=False,
    )
    running.start()
    try:
        running.wait_ready(timeout_s=120)
        yield running.staff_url, url
    finally:
        running.stop()
        for log in sorted((root / "logs").glob("*.log")):
            print(f"---- {log.name}\n{log.read_text()[-3000:]}")


def own_stack(tmp: Path, model: Path, env: dict[str, str], **kwargs: Any) -> Stack:
    """A stack of a test module's own (its own database, tracker store and log files under `tmp`), on the
    production profile: SMS, Telegram and the health route. Started; the caller waits and stops it."""
    action_port = free_port()
    endpoints = yaml.safe_load(paths.ENDPOINTS.read_text())
    env = {**env, "PROFILE": "production", "DATABASE_URL": f"sqlite:///{tmp / 'parentbot.db'}"}
    env.setdefault("ACTION_SERVER_TOKEN", ACTION_TOKEN)
    # As endpoints.production.yml: every call to the action server carries the token.
    endpoints["action_endpoint"] = action_endpoint(
        f"http://127.0.0.1:{action_port}/webhook", env["ACTION_SERVER_TOKEN"]
    )
    endpoints["tracker_store"]["db"] = str(tmp / "tracker.db")
    (tmp / "endpoints.yml").write_text(yaml.safe_dump(endpoints))
    return Stack(
        rasa_port=free_port(),
        action_port=action_port,
        staff_port=free_port(),
        model=model,
        credentials=paths.ROOT / "credentials.production.yml",
        endpoints=tmp / "endpoints.yml",
        env=env,
        log_dir=tmp / "logs",
        **kwargs,
    ).start()
