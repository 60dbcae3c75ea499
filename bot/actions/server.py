"""The action server: rasa_sdk's app with our actions, on loopback unless told otherwise, and a shared token.

`python -m bot.actions.server --port 5055` (bot/serve.py starts it so). `rasa run actions` binds every
interface (rasa_sdk reads SANIC_HOST, default 0.0.0.0) and answers anyone; this one (issue 13, item 4):

- listens on ACTION_SERVER_HOST, 127.0.0.1 by default; production sets another address only where the Rasa
  servers reach it over a private network;
- with ACTION_SERVER_TOKEN set, refuses every call but the health check without `Authorization: Bearer
  <token>` (401), compared in constant time. The Rasa server sends it from endpoints.production.yml's
  action_endpoint headers. The production profile refuses to start with the token empty (bot/profile.py);
- answers an action's crash with its error type only: rasa_sdk's own handler echoes the request body (the
  tracker: the parent's words) back to the Rasa server, which logs it.

An escalation's reply address is never read from the request: bot/actions/escalate.py takes it from the
turn record the Rasa server's channel wrote (bot/rasa_ext/turns.py).
"""

from __future__ import annotations

import argparse
import hmac
import logging
from typing import Any

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.profile import check_profile
from bot.settings import get_settings

log = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/health"})  # liveness for the process manager: says nothing but "ok"


def token_ok(header: str | None, token: str) -> bool:
    expected = f"Bearer {token}".encode()
    return hmac.compare_digest((header or "").encode("utf-8", "replace"), expected)


def build_app(token: str) -> Sanic:
    # No CORS: no browser has any business calling the action server.
    app: Sanic = create_app("bot.actions", cors_origins=[])

    @app.on_request
    async def require_token(request: Request) -> HTTPResponse | None:
        if not token or request.path in OPEN_PATHS:
            return None
        if token_ok(request.headers.get("Authorization"), token):
            return None
        return response.json({"error": "unauthorized"}, status=401)

    async def crashed(request: Request, exception: Exception) -> HTTPResponse:
        log.error("action request failed (%s)", type(exception).__name__, exc_info=exception)
        return response.json({"error": type(exception).__name__}, status=500)

    app.error_handler.add(Exception, crashed)  # replaces rasa_sdk's, which returns the request body
    return app


def main(argv: list[str] | None = None) -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m bot.actions.server", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default=settings.ACTION_SERVER_HOST)
    parser.add_argument("--port", type=int, default=settings.ACTION_SERVER_PORT)
    parser.add_argument("--loglevel", default="INFO")
    args = parser.parse_args(argv)
    check_profile()  # production without the token (or its other secrets) does not start
    utils.configure_colored_logging(args.loglevel)
    utils.update_sanic_log_level()
    app = build_app(settings.ACTION_SERVER_TOKEN)
    log.info(
        "action server on http://%s:%s (token %s)",
        args.host,
        args.port,
        "required" if settings.ACTION_SERVER_TOKEN else "off",
    )
    run: Any = app.run
    run(args.host, args.port, workers=utils.number_of_sanic_workers(), access_log=False)


if __name__ == "__main__":
    main()
