"""The staff app: its own Sanic process and port (`parentbot staff serve`, started by `parentbot run`).

It serves health visitors and managers only; parents never reach it, and it never talks to Rasa. Stopping it
leaves parents' replies (the Rasa server) and staff alerts (the outbox process) running.
"""

from __future__ import annotations

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.body_limit import limit_app
from staff import account, inbox, undelivered


def create_app() -> Sanic:
    app = Sanic("parentbot_staff")
    limit_app(app)  # 413 before a body over 64 kB is read (channels/body_limit.py)
    app.blueprint(inbox.bp)
    app.blueprint(account.bp)
    app.blueprint(undelivered.bp)

    @app.route("/health", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    return app


def serve(host: str, port: int) -> None:
    # One worker, no auto-reload, no access log of parent data; the host is loopback unless set otherwise.
    create_app().run(host=host, port=port, workers=1, access_log=False, motd=False)
