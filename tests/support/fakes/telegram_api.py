"""A fake Telegram Bot API (getMe, sendMessage, answerCallbackQuery, setWebhook) that records what it got.

Errors are Telegram's own shapes, so python-telegram-bot raises what it raises in production:
`flood(retry_after)` -> RetryAfter, `blocked()` -> Forbidden, `server_error()`, and a delay for timeouts.
"""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

from tests.support.fakes.http import Call, FakeServer, Fault

TOKEN = "123456789:AAtest-token_for-the-fake-api"
PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>\w+)$")


def flood(retry_after: int) -> Fault:
    return Fault(
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after},
        },
    )


def blocked() -> Fault:
    return Fault(403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"})


def cannot_initiate() -> Fault:
    return Fault(
        403, {"ok": False, "error_code": 403, "description": "Forbidden: bot can't initiate conversation with a user"}
    )


def server_error() -> Fault:
    return Fault(500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})


def slow(delay_s: float) -> Fault:
    return Fault(200, {"ok": True, "result": True}, delay_s=delay_s)


class FakeTelegram(FakeServer):
    def __init__(self, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        self._ids = itertools.count(1)
        self._last_token: str | None = None

    def route(self, path: str) -> str | None:
        match = PATH.match(path)
        if match is None:
            return None
        self._last_token = match.group("token")
        return match.group("method")

    def target(self, call: Call) -> str | None:
        value = call.params.get("chat_id", call.params.get("callback_query_id"))
        return None if value is None else str(value)

    def answer(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if self._last_token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if method == "getMe":
            return 200, {
                "ok": True,
                "result": {
                    "id": 123456789,
                    "is_bot": True,
                    "first_name": "Parent Advice",
                    "username": "parent_advice_test_bot",
                    "can_join_groups": False,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": False,
                },
            }
        if method == "sendMessage":
            chat_id = params.get("chat_id")
            if not params.get("text"):
                return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
            return 200, {
                "ok": True,
                "result": {
                    "message_id": next(self._ids),
                    "date": int(time.time()),
                    "chat": {"id": int(chat_id), "type": "private" if int(chat_id) > 0 else "group"},
                    "from": {"id": 123456789, "is_bot": True, "first_name": "Parent Advice"},
                    "text": params["text"],
                },
            }
        if method in ("answerCallbackQuery", "setWebhook", "deleteWebhook"):
            return 200, {"ok": True, "result": True}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
