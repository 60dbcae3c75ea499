"""The health visitor inbox: open escalations (urgent first), one escalation's thread, claim, reply, close."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from bot.answers.messages import messages
from bot.care import escalations, staff, undelivered
from bot.care.alerts import queue_lockout_alert
from bot.settings import get_settings
from bot.storage.db import transaction
from staff import actions, drafts, queue, report, thread_page
from staff.auth import COOKIE, LOGIN_CSRF_COOKIE, client_address, csrf_ok, current, login_csrf_ok, set_cookie
from staff.pages import PREFIX, render
from staff.throttle import ACCOUNT_FAILURES, LOCK_MINUTES, throttle

STATIC = Path(__file__).resolve().parent / "static"
SCRIPTS = ("inbox.js", "reply.js")  # the list's poll; the reply box's SMS count and template picker
POLL_MS = 3000  # the list's refresh: a new red flag shows within a few seconds, light for a few open pages


def login_page(request: Request, error: str = "", status: int = 200) -> HTTPResponse:
    token = secrets.token_urlsafe(24)
    resp = render("login.html", messages().get("inbox_login_heading"), status=status, csrf=token, error=error)
    set_cookie(request, resp, LOGIN_CSRF_COOKIE, token, 3600)
    return resp


def forbidden() -> HTTPResponse:
    return render("message.html", "403", status=403, text=messages().get("inbox_forbidden"))


def load_rows(name: str, username: str) -> list[queue.Row]:
    with transaction() as s:
        return queue.rows(s, name, username)


def list_filter(request: Request) -> str:
    name = str(request.args.get("filter") or queue.DEFAULT_FILTER)
    return name if name in queue.FILTERS else queue.DEFAULT_FILTER


def to_login() -> HTTPResponse:
    return response.redirect(f"{PREFIX}/login", status=303)


bp = Blueprint("inbox", url_prefix=PREFIX)


@bp.route("/", methods=["GET"])
async def index(request: Request) -> HTTPResponse:
    login = await current(request)
    if login is None:
        return to_login()
    name = list_filter(request)
    rows = await asyncio.to_thread(load_rows, name, login.username)
    return render(
        "list.html",
        messages().get("inbox_list_heading"),
        login=login,
        rows=rows,
        parked=await asyncio.to_thread(undelivered.count_parked),  # stopped retrying: a person must look
        filters=queue.FILTERS,
        current=name,
        poll_ms=POLL_MS,
    )


@bp.route("/rows", methods=["GET"])
async def list_rows(request: Request) -> HTTPResponse:
    # The list page's poll: the rows alone, as HTML escaped here (the script only swaps them in).
    login = await current(request)
    if login is None:
        return response.text("sign in again", status=401)
    rows = await asyncio.to_thread(load_rows, list_filter(request), login.username)
    return render("rows.html", "", rows=rows)


@bp.route("/static/<name:str>", methods=["GET"])
async def script(_: Request, name: str) -> HTTPResponse:
    if name not in SCRIPTS:  # a fixed list: never a path from the request
        return response.text("not found", status=404)
    resp = response.raw((STATIC / name).read_bytes(), content_type="text/javascript; charset=utf-8")
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.route("/login", methods=["GET"])
async def login_form(request: Request) -> HTTPResponse:
    return login_page(request)


@bp.route("/login", methods=["POST"])
async def login_submit(request: Request) -> HTTPResponse:
    if not login_csrf_ok(request):
        return forbidden()
    username, password = str(request.form.get("username") or "")[:64], str(request.form.get("password") or "")
    address = client_address(request)
    gate = throttle()
    # Off the loop: with RATE_LIMIT_STORAGE=redis://... each check is a network call.
    if await asyncio.to_thread(lambda: gate.address_held(address) or gate.account_held(username)):
        # Held before the password is even checked: a script learns nothing more here.
        return login_page(request, messages().get("inbox_login_held"), status=429)
    minutes = get_settings().INBOX_SESSION_MINUTES
    token = await asyncio.to_thread(staff.login, username, password, minutes)
    if token is None:
        if await asyncio.to_thread(gate.failed, address, username):
            await asyncio.to_thread(lock_out, username)
            return login_page(request, messages().get("inbox_login_held"), status=429)
        if await asyncio.to_thread(staff.locked, username):  # locked before this process started
            return login_page(request, messages().get("inbox_login_held"), status=429)
        return login_page(request, messages().get("inbox_login_failed"), status=401)
    resp = response.redirect(f"{PREFIX}/", status=303)
    set_cookie(request, resp, COOKIE, token, minutes * 60)
    return resp


def lock_out(username: str) -> None:
    def alert(session: Session, name: str) -> None:
        queue_lockout_alert(session, name, ACCOUNT_FAILURES, LOCK_MINUTES)

    staff.lock(username, LOCK_MINUTES, alert)


@bp.route("/logout", methods=["POST"])
async def logout(request: Request) -> HTTPResponse:
    # The session ends whatever the form's CSRF token: a page left open past a restart still signs out.
    # Forcing a sign-out from another site is no risk to guard against, and the SameSite=Strict cookie is
    # not sent from one anyway.
    await asyncio.to_thread(staff.logout, request.cookies.get(COOKIE))
    resp = to_login()
    set_cookie(request, resp, COOKIE, "", 0)
    return resp


@bp.route("/report", methods=["GET"])
async def manager_report(request: Request) -> HTTPResponse:
    # The theme report (staff/report.py): the same session check as every page, managers only.
    login = await current(request)
    if login is None:
        return to_login()
    if login.role != "manager":
        return render("message.html", "403", status=403, login=login, text=messages().get("inbox_managers_only"))
    return await report.page(request, login)


@bp.route("/escalations/<escalation_id:int>", methods=["GET"])
async def detail(request: Request, escalation_id: int) -> HTTPResponse:
    login = await current(request)
    if login is None:
        return to_login()
    found = await asyncio.to_thread(thread_page.load, escalation_id, login.username)
    if found is None:
        return render("message.html", "404", status=404, login=login, text="")
    draft = drafts.from_template(str(request.args.get("template") or ""))
    return thread_page.page(found, login, draft=draft)


async def held_reply(escalation_id: int, login: staff.Login, form: dict[str, object]) -> HTTPResponse | None:
    """The thread page again, the draft kept, when a reply must not go yet (staff/drafts.py says why). The
    decision reads the escalation alone: a reply that goes is not a view of the page (the audit counts views)."""
    e = await asyncio.to_thread(thread_page.escalation, escalation_id)
    if e is None:
        return render("message.html", "404", status=404, login=login, text="")
    draft = drafts.hold(e, form)
    if draft is None:
        return None
    found = await asyncio.to_thread(thread_page.load, escalation_id, login.username)  # shown again: a view
    if found is None:
        return render("message.html", "404", status=404, login=login, text="")
    return thread_page.page(found, login, error=draft.error, status=400 if draft.error else 200, draft=draft)


@bp.route("/escalations/<escalation_id:int>/<action:str>", methods=["POST"])
async def act(request: Request, escalation_id: int, action: str) -> HTTPResponse:
    if action not in actions.ACTIONS:
        return response.text("not found", status=404)
    login = await current(request)
    if login is None:
        return to_login()
    if not csrf_ok(request, login):
        return forbidden()
    if action in actions.CASEWORK and not login.casework:
        return render("message.html", "403", status=403, login=login, text=messages().get("inbox_casework_only"))
    form = {key: request.form.get(key) for key in request.form}
    if action == "reply":
        held = await held_reply(escalation_id, login, form)
        if held is not None:
            return held
    try:
        await asyncio.to_thread(actions.ACTIONS[action], escalation_id, login.username, form)
    except escalations.EscalationError:
        found = await asyncio.to_thread(thread_page.load, escalation_id, login.username)
        if found is None:
            return render("message.html", "404", status=404, login=login, text="")
        return thread_page.page(found, login, error=messages().get(actions.ERRORS[action]), status=400)
    if action == "close":
        return response.redirect(f"{PREFIX}/", status=303)
    return response.redirect(f"{PREFIX}/escalations/{escalation_id}", status=303)
