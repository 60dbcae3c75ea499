"""The staff pages' shell: one HTML template, the security headers, and small helpers shared by the pages."""

from __future__ import annotations

import datetime as dt
from html import escape
from string import Template

from sanic import response
from sanic.response import HTTPResponse

from bot.answers.messages import messages
from bot.care import staff
from bot.storage.models.escalation import utcnow

PREFIX = "/webhooks/inbox"

PAGE = Template("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#212b32}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d8dde0;padding:.4rem;text-align:left}
.p1 td:first-child{border-left:5px solid #d5281b}.note{background:#fff9c4;padding:.5rem}
.words{background:#f0f4f5;padding:.5rem;white-space:pre-wrap}textarea{width:100%;min-height:4rem}
.error{color:#d5281b;font-weight:bold}
</style></head><body><header><strong>$heading</strong> $logout</header><main>$body</main></body></html>""")


def t(key: str) -> str:
    return escape(messages().get(key))


def minutes_waiting(since: dt.datetime, now: dt.datetime | None = None) -> int:
    return max(0, int(((now or utcnow()) - since).total_seconds() // 60))


def csrf_field(token: str) -> str:
    return f'<input type="hidden" name="csrf" value="{escape(token)}">'


def html_page(title: str, body: str, login: staff.Login | None = None, status: int = 200) -> HTTPResponse:
    logout = ""
    if login is not None:
        logout = (f'{escape(login.username)} <form method="post" action="{PREFIX}/logout" style="display:inline">'
                  f'{csrf_field(login.csrf_token)}<button id="logout">{t("inbox_logout")}</button></form>')
    resp = response.html(PAGE.substitute(title=escape(title), heading=t("inbox_title"), logout=logout, body=body),
                         status=status)
    # Parent data: never cached, never framed, no scripts from anywhere.
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp
