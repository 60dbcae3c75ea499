"""Staff sessions: HttpOnly, SameSite=Strict cookies (the token is stored hashed, bot/care/staff.py) and CSRF
tokens on every form (the login form's is a double-submit cookie: there is no session to hold it yet)."""

from __future__ import annotations

import asyncio
import hmac
from urllib.parse import urlsplit

from sanic.request import Request
from sanic.response import HTTPResponse

from bot.care import staff
from bot.settings import get_settings
from staff.pages import PREFIX

COOKIE = "inbox_session"
LOGIN_CSRF_COOKIE = "inbox_login_csrf"


def reached_over_https(request: Request) -> bool:
    """Through the public https address (a TLS proxy keeps the Host), or TLS here. A local http check-up
    (127.0.0.1) must still be able to log in, and a Secure cookie would never come back over http."""
    public = urlsplit(get_settings().STAFF_URL)
    return request.scheme == "https" or (public.scheme == "https" and request.host == public.netloc)


def set_cookie(request: Request, resp: HTTPResponse, name: str, value: str, max_age: int) -> None:
    resp.cookies[name] = value
    resp.cookies[name]["httponly"] = True
    resp.cookies[name]["samesite"] = "Strict"
    resp.cookies[name]["path"] = PREFIX
    resp.cookies[name]["max-age"] = max_age
    if reached_over_https(request):
        resp.cookies[name]["secure"] = True


def client_address(request: Request) -> str:
    """The address sign-in failures are counted against: Sanic's remote_addr, which reads X-Forwarded-For
    only when the app is told how many proxies to trust (PROXIES_COUNT), else the socket's peer."""
    return str(request.remote_addr or request.ip or "unknown")


async def current(request: Request) -> staff.Login | None:
    return await asyncio.to_thread(staff.session_for, request.cookies.get(COOKIE))


def csrf_ok(request: Request, login: staff.Login) -> bool:
    return hmac.compare_digest(str(request.form.get("csrf") or ""), login.csrf_token)


def login_csrf_ok(request: Request) -> bool:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
    return bool(cookie) and hmac.compare_digest(str(request.form.get("csrf") or ""), cookie)
