"""The request body limit of every server a script can reach: the Rasa server's webhooks and the staff app.

Sanic reads a whole body before any handler or middleware runs, and its default limit is 100 MB, so the limit
must be the server's own: with REQUEST_MAX_SIZE at 64 kB, a Content-Length over it is answered 413 before one
byte of the body is read (a chunked body is cut off at the limit). The largest legitimate bodies are far
below it: a Telegram update with 4,096 characters of text, Twilio's form with a 1,600-character SMS, a health
visitor's 2,000-character note.
"""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Sanic

MAX_BODY_BYTES = 64 * 1024


def limit_app(app: Sanic) -> None:
    app.config.REQUEST_MAX_SIZE = min(int(app.config.REQUEST_MAX_SIZE), MAX_BODY_BYTES)


def limit_server_of(bp: Blueprint) -> None:
    """For an input channel: Rasa builds the app, a channel gets only its blueprint. The limit is set before
    the server accepts a connection (each connection reads it when it opens)."""

    @bp.listener("before_server_start")
    async def _limit(app: Sanic, _loop: Any) -> None:
        limit_app(app)
