"""A staff member's own account: changing the password (the current one required; every session of theirs
ends and a new one is set, so a stolen cookie dies with the old password)."""

from __future__ import annotations

import asyncio

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.answers.messages import messages
from bot.care import staff
from bot.settings import get_settings
from staff.auth import COOKIE, csrf_ok, current, set_cookie
from staff.pages import PREFIX, render

bp = Blueprint("inbox_account", url_prefix=PREFIX)


def form_page(login: staff.Login, error: str = "", status: int = 200, done: bool = False) -> HTTPResponse:
    return render(
        "password.html",
        messages().get("inbox_password_heading"),
        status=status,
        login=login,
        error=error,
        done=done,
        min_length=staff.MIN_PASSWORD,
    )


@bp.route("/password", methods=["GET"])
async def password_form(request: Request) -> HTTPResponse:
    login = await current(request)
    if login is None:
        return response.redirect(f"{PREFIX}/login", status=303)
    return form_page(login, done=request.args.get("done") == "1")


@bp.route("/password", methods=["POST"])
async def password_change(request: Request) -> HTTPResponse:
    login = await current(request)
    if login is None:
        return response.redirect(f"{PREFIX}/login", status=303)
    if not csrf_ok(request, login):
        return render("message.html", "403", status=403, login=login, text=messages().get("inbox_forbidden"))
    old, new = str(request.form.get("old") or ""), str(request.form.get("new") or "")
    if new != str(request.form.get("again") or "") or len(new) < staff.MIN_PASSWORD:
        return form_page(login, messages().get("inbox_password_mismatch"), status=400)
    minutes = get_settings().INBOX_SESSION_MINUTES
    try:
        token = await asyncio.to_thread(staff.change_password, request.cookies.get(COOKIE), old, new, minutes)
    except staff.StaffError:
        return form_page(login, messages().get("inbox_password_wrong"), status=400)
    resp = response.redirect(f"{PREFIX}/password?done=1", status=303)
    set_cookie(request, resp, COOKIE, token, minutes * 60)
    return resp
