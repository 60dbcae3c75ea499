"""InboxChannel: the health visitor inbox at /webhooks/inbox/, and the process's outbox worker.

Registered in credentials.yml as `channels.inbox.channel.InboxChannel: {}` so the Rasa server serves it; it receives
no parent messages. Every page but the login needs a session (HttpOnly, SameSite=Strict cookie; the token is
stored hashed); every form carries a CSRF token. HTML is built with string.Template and every value goes
through html.escape; the copy is content/messages/inbox.yml.

The outbox worker (bot/care/outbox.py) starts with the server from this blueprint's listener, so alerts and
replies are delivered wherever the Rasa server runs.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
from collections.abc import Awaitable, Callable
from html import escape
from typing import Any
from urllib.parse import urlsplit

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.answers.messages import messages
from bot.care import escalations, staff
from bot.care.worker import OutboxWorker
from bot.settings import get_settings
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation
from channels.inbox import report as inbox_report
from channels.inbox.page import PREFIX, csrf_field, html_page, minutes_waiting, t

COOKIE = "inbox_session"
LOGIN_CSRF_COOKIE = "inbox_login_csrf"
MAX_REPLY_CHARS = 1000  # a health visitor's reply: about 7 SMS segments at most



def reached_over_https(request: Request) -> bool:
    """Through the public https address (a TLS proxy keeps the Host), or TLS here. A local http check-up
    (127.0.0.1) must still be able to log in, and a Secure cookie would never come back over http."""
    public = urlsplit(get_settings().PUBLIC_URL)
    return request.scheme == "https" or (public.scheme == "https" and request.host == public.netloc)


def set_cookie(request: Request, resp: HTTPResponse, name: str, value: str, max_age: int) -> None:
    resp.cookies[name] = value
    resp.cookies[name]["httponly"] = True
    resp.cookies[name]["samesite"] = "Strict"
    resp.cookies[name]["path"] = PREFIX
    resp.cookies[name]["max-age"] = max_age
    if reached_over_https(request):
        resp.cookies[name]["secure"] = True


def login_page(request: Request, error: str = "", status: int = 200) -> HTTPResponse:
    token = secrets.token_urlsafe(24)
    err = f'<p class="error" id="login-error">{error}</p>' if error else ""
    body = (f'<h1>{t("inbox_login_heading")}</h1>{err}<form method="post" action="{PREFIX}/login">'
            f'{csrf_field(token)}<p><label>{t("inbox_login_username")} <input name="username" id="username" '
            f'autocomplete="username" required></label></p><p><label>{t("inbox_login_password")} <input '
            f'type="password" name="password" id="password" autocomplete="current-password" required></label></p>'
            f'<button type="submit" id="login">{t("inbox_login_submit")}</button></form>')
    resp = html_page(messages().get("inbox_login_heading"), body, status=status)
    # Double-submit token: the login form has no session to hold its CSRF token yet.
    set_cookie(request, resp, LOGIN_CSRF_COOKIE, token, 3600)
    return resp


def list_body(rows: list[Escalation], login: staff.Login) -> str:
    if not rows:
        return f'<h1>{t("inbox_list_heading")}</h1><p id="empty">{t("inbox_list_empty")}</p>'
    head = "".join(f"<th>{t(k)}</th>" for k in ("inbox_col_priority", "inbox_col_category", "inbox_col_channel",
                                                 "inbox_col_status", "inbox_col_waiting"))
    body = []
    for e in rows:
        body.append(f'<tr class="escalation p{e.priority}" data-escalation-id="{e.id}"><td>{e.priority}</td>'
                    f'<td><a href="{PREFIX}/escalations/{e.id}">#{e.id} {escape(e.category)}</a></td>'
                    f'<td>{escape(e.channel)}</td><td class="status">{escape(e.status)}</td>'
                    f'<td>{minutes_waiting(e.created_at)} min</td></tr>')
    return (f'<h1>{t("inbox_list_heading")}</h1><table id="escalations"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def detail_body(e: Escalation, thread: list[Any], login: staff.Login, error: str = "") -> str:
    def field(key: str, value: object, ident: str) -> str:
        return f'<tr><th>{t(key)}</th><td id="{ident}">{escape(str(value if value is not None else ""))}</td></tr>'

    facts = "".join([
        field("inbox_field_category", e.category, "category"), field("inbox_field_rule", e.rule, "rule"),
        field("inbox_field_layer", e.layer, "layer"), field("inbox_field_tier", e.tier, "tier"),
        field("inbox_field_priority", e.priority, "priority"), field("inbox_field_channel", e.channel, "channel"),
        field("inbox_field_status", e.status, "status"), field("inbox_field_claimed_by", e.claimed_by, "claimed-by"),
        field("inbox_field_bot_said", f"{e.reply_kind}: {', '.join(e.answer_ids)}", "bot-said"),
        field("inbox_field_waiting", f"{minutes_waiting(e.created_at)} min", "waiting"),
    ])
    words = "".join(f'<div class="words">{escape(w["at"])}: {escape(w["text"])}</div>' for w in e.parent_words)
    notes = ""
    if any(m.kind == "stop" for m in thread):
        notes += f'<p class="note" id="stop-note">{t("inbox_stop_note")}</p>'
    if any(m.kind == "delivery_failed" for m in thread):
        notes += f'<p class="note" id="cannot-contact">{t("inbox_cannot_contact")}</p>'
    lines = "".join(f'<li class="msg {escape(m.direction)} {escape(m.kind)}">'
                    f'{escape(m.at.isoformat("T", "minutes"))} {escape(m.author or m.direction)}: {escape(m.text)}</li>'
                    for m in thread)
    csrf = csrf_field(login.csrf_token)
    base = f"{PREFIX}/escalations/{e.id}"
    forms = ""
    if e.status != "closed":
        if e.status == "open":
            forms += (f'<form method="post" action="{base}/claim">{csrf}'
                      f'<button id="claim">{t("inbox_claim")}</button></form>')
        forms += (f'<form method="post" action="{base}/reply">{csrf}<label>{t("inbox_reply_label")}'
                  f'<textarea name="text" id="reply-text" maxlength="{MAX_REPLY_CHARS}" required></textarea></label>'
                  f'<button id="reply">{t("inbox_reply_submit")}</button></form>'
                  f'<form method="post" action="{base}/close">{csrf}<label>{t("inbox_outcome_label")}'
                  f'<textarea name="outcome" id="outcome"></textarea></label>'
                  f'<button id="close">{t("inbox_close_submit")}</button></form>')
    err = f'<p class="error" id="form-error">{escape(error)}</p>' if error else ""
    return (f'<p><a href="{PREFIX}/" id="back">{t("inbox_back")}</a></p><h1>{t("inbox_detail_heading")} #{e.id}</h1>'
            f'{err}{notes}<table id="facts">{facts}</table><h2>{t("inbox_field_words")}</h2>'
            f'<div id="words">{words}</div><h2>{t("inbox_field_thread")}</h2><ol id="thread">{lines}</ol>{forms}')


def _load_list() -> list[Escalation]:
    with transaction() as s:
        return escalations.list_open(s)


def _load_detail(escalation_id: int) -> tuple[Escalation, list[Any]] | None:
    with transaction() as s:
        e = s.get(Escalation, escalation_id)
        return None if e is None else (e, escalations.thread(s, escalation_id))


class InboxChannel(InputChannel):
    """The health visitors' web inbox; also starts the outbox worker with the Rasa server."""

    def __init__(self) -> None:
        self.worker = OutboxWorker()

    @classmethod
    def name(cls) -> str:
        return "inbox"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("inbox_webhook", __name__)
        worker = self.worker

        @bp.listener("before_server_start")
        async def start_worker(_app: Any, _loop: Any) -> None:
            worker.start()

        @bp.listener("before_server_stop")
        async def stop_worker(_app: Any, _loop: Any) -> None:
            await worker.stop()

        async def current(request: Request) -> staff.Login | None:
            return await asyncio.to_thread(staff.session_for, request.cookies.get(COOKIE))

        def csrf_ok(request: Request, login: staff.Login) -> bool:
            return hmac.compare_digest(str(request.form.get("csrf") or ""), login.csrf_token)

        def forbidden() -> HTTPResponse:
            return html_page("403", f'<p class="error">{t("inbox_forbidden")}</p>', status=403)

        @bp.route("/health", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/", methods=["GET"])
        async def index(request: Request) -> HTTPResponse:
            login = await current(request)
            if login is None:
                return response.redirect(f"{PREFIX}/login", status=303)
            rows = await asyncio.to_thread(_load_list)
            return html_page(messages().get("inbox_list_heading"), list_body(rows, login), login)

        @bp.route("/login", methods=["GET"])
        async def login_form(request: Request) -> HTTPResponse:
            return login_page(request)

        @bp.route("/login", methods=["POST"])
        async def login_submit(request: Request) -> HTTPResponse:
            cookie = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
            if not cookie or not hmac.compare_digest(str(request.form.get("csrf") or ""), cookie):
                return forbidden()
            token = await asyncio.to_thread(staff.login, str(request.form.get("username") or ""),
                                            str(request.form.get("password") or ""),
                                            get_settings().INBOX_SESSION_MINUTES)
            if token is None:
                return login_page(request, t("inbox_login_failed"), status=401)
            resp = response.redirect(f"{PREFIX}/", status=303)
            set_cookie(request, resp, COOKIE, token, get_settings().INBOX_SESSION_MINUTES * 60)
            return resp

        @bp.route("/logout", methods=["POST"])
        async def logout(request: Request) -> HTTPResponse:
            login = await current(request)
            if login is not None and csrf_ok(request, login):
                await asyncio.to_thread(staff.logout, request.cookies.get(COOKIE))
            resp = response.redirect(f"{PREFIX}/login", status=303)
            set_cookie(request, resp, COOKIE, "", 0)
            return resp

        @bp.route("/report", methods=["GET"])
        async def manager_report(request: Request) -> HTTPResponse:
            # The theme report (channels/inbox/report.py): the same session check as every page, managers only.
            login = await current(request)
            if login is None:
                return response.redirect(f"{PREFIX}/login", status=303)
            if login.role != "manager":
                return forbidden()
            return await inbox_report.page(request, login)

        @bp.route("/escalations/<escalation_id:int>", methods=["GET"])
        async def detail(request: Request, escalation_id: int) -> HTTPResponse:
            login = await current(request)
            if login is None:
                return response.redirect(f"{PREFIX}/login", status=303)
            found = await asyncio.to_thread(_load_detail, escalation_id)
            if found is None:
                return html_page("404", "", login, status=404)
            return html_page(messages().get("inbox_detail_heading"), detail_body(*found, login), login)

        @bp.route("/escalations/<escalation_id:int>/<action:str>", methods=["POST"])
        async def act(request: Request, escalation_id: int, action: str) -> HTTPResponse:
            if action not in ("claim", "reply", "close"):
                return response.text("not found", status=404)
            login = await current(request)
            if login is None:
                return response.redirect(f"{PREFIX}/login", status=303)
            if not csrf_ok(request, login):
                return forbidden()
            try:
                if action == "claim":
                    await asyncio.to_thread(escalations.claim, escalation_id, login.username)
                elif action == "reply":
                    text = str(request.form.get("text") or "")[:MAX_REPLY_CHARS]
                    await asyncio.to_thread(escalations.reply, escalation_id, login.username, text)
                else:
                    await asyncio.to_thread(escalations.close, escalation_id, login.username,
                                            str(request.form.get("outcome") or ""))
                    return response.redirect(f"{PREFIX}/", status=303)
            except escalations.EscalationError:
                found = await asyncio.to_thread(_load_detail, escalation_id)
                if found is None:
                    return html_page("404", "", login, status=404)
                error = messages().get("inbox_outcome_required") if action == "close" else ""
                return html_page("400", detail_body(*found, login, error=error), login, status=400)
            return response.redirect(f"{PREFIX}/escalations/{escalation_id}", status=303)

        return bp
