"""HealthInput: the Rasa server's own health check at /webhooks/health/, in both profiles.

A load balancer or container runtime polls it. It answers 503 until the model is loaded, and stays 503 when
the model failed to load (Rasa then still serves HTTP, but every turn would fall back to the safe default).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.profile import check_profile
from channels.body_limit import limit_server_of


def health_status(agent: Any) -> tuple[dict[str, str], int]:
    """What the route answers for this agent (None before Rasa attached one)."""
    if agent is None or not agent.is_ready():
        return {"status": "unhealthy", "reason": "model not loaded"}, 503
    return {"status": "ok"}, 200


class HealthInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "health"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        check_profile()  # production without its secrets does not start (issue 13, item 8)
        bp = Blueprint("health_webhook", __name__)
        limit_server_of(bp)

        @bp.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            body, status = health_status(getattr(request.app.ctx, "agent", None))
            return response.json(body, status=status)

        return bp
