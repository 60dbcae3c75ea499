"""The inbox's "Not delivered" page: outbox rows whose automatic retries stopped (bot/care/undelivered.py), each
with a Retry button. An alert to a staff phone that texted STOP shows here with that reason."""

from __future__ import annotations

import asyncio

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.answers.messages import messages
from bot.care import undelivered
from bot.storage.db import transaction
from staff.auth import csrf_ok, current
from staff.pages import PREFIX, render

bp = Blueprint("undelivered", url_prefix=PREFIX)


def load() -> list[undelivered.Parked]:
    with transaction() as s:
        return undelivered.parked(s)


@bp.route("/undelivered", methods=["GET"])
async def page(request: Request) -> HTTPResponse:
    login = await current(request)
    if login is None:
        return response.redirect(f"{PREFIX}/login", status=303)
    rows = await asyncio.to_thread(load)
    done = request.args.get("retried") == "1"
    return render("undelivered.html", messages().get("inbox_undelivered_heading"), login=login, rows=rows, done=done)


@bp.route("/undelivered/<row_id:int>/retry", methods=["POST"])
async def retry(request: Request, row_id: int) -> HTTPResponse:
    login = await current(request)
    if login is None:
        return response.redirect(f"{PREFIX}/login", status=303)
    if not csrf_ok(request, login):
        return render("message.html", "403", status=403, text=messages().get("inbox_forbidden"))
    await asyncio.to_thread(undelivered.retry, row_id)
    return response.redirect(f"{PREFIX}/undelivered?retried=1", status=303)
