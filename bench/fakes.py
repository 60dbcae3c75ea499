"""The fake Telegram and Twilio APIs of tests/support/fakes, noting when each chat or number got a reply,
and the environment that points the stack at them."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tests.support.fakes.telegram_api import FakeTelegram
from tests.support.fakes.twilio_api import FakeTwilio
from tests.support.fakes.webhooks import PUBLIC_URL, TELEGRAM_SECRET, TWILIO_FROM


class Delivered:
    """Mixed into a fake API: when each target (chat id, number) got each reply, with a condition to wait on."""

    def _init_delivered(self) -> None:
        self.delivered: dict[str, list[float]] = {}
        self.cond = threading.Condition()

    def note(self, target: str | None) -> None:
        if target is None:
            return
        with self.cond:
            self.delivered.setdefault(target, []).append(time.monotonic())
            self.cond.notify_all()

    def wait_reply(self, target: str, after: int, timeout_s: float) -> float | None:
        """The time the reply number `after` (0-based) for target arrived, or None on timeout."""
        deadline = time.monotonic() + timeout_s
        with self.cond:
            while len(self.delivered.get(target, ())) <= after:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)
            return self.delivered[target][after]

    def count(self, target: str) -> int:
        with self.cond:
            return len(self.delivered.get(target, ()))


class BenchTelegram(FakeTelegram, Delivered):
    def __init__(self) -> None:
        super().__init__()
        self._init_delivered()
        self.calls_kept = 0

    def handle(self, path: str, raw: bytes, content_type: str, headers: dict[str, str]) -> tuple[int, bytes]:
        status, body = super().handle(path, raw, content_type, headers)
        with self._lock:
            call = self.calls.pop() if self.calls else None  # bounded memory over a long soak
        if call is not None and call.method == "sendMessage" and status < 300:
            self.note(self.target(call))
        return status, body


class BenchTwilio(FakeTwilio, Delivered):
    def __init__(self) -> None:
        super().__init__()
        self._init_delivered()

    def handle(self, path: str, raw: bytes, content_type: str, headers: dict[str, str]) -> tuple[int, bytes]:
        status, body = super().handle(path, raw, content_type, headers)
        with self._lock:
            call = self.calls.pop() if self.calls else None
        if call is not None and status < 300:
            self.note(self.target(call))
        return status, body


def stack_env(content_dir: Path, db_dir: Path, telegram: BenchTelegram, twilio: BenchTwilio) -> dict[str, str]:
    return {
        "CONTENT_DIR": str(content_dir),
        "DATABASE_URL": f"sqlite:///{db_dir / 'parentbot.db'}",
        "PSEUDONYM_KEY": "bench-key",
        "PUBLIC_URL": PUBLIC_URL,
        "TELEGRAM_API_BASE": telegram.url,
        "TELEGRAM_BOT_TOKEN": telegram.token,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TWILIO_API_BASE": twilio.url,
        "TWILIO_ACCOUNT_SID": twilio.account_sid,
        "TWILIO_AUTH_TOKEN": twilio.auth_token,
        "TWILIO_FROM": TWILIO_FROM,
        "SEND_TIMEOUT_S": "5",
        # The bench measures the service, not the per-sender flood limit.
        "RATE_LIMIT_PER_MINUTE": "1000000",
        "RATE_LIMIT_GLOBAL_PER_MINUTE": "1000000",
    }
