"""Rendering staff pages: Jinja2 templates (staff/templates/, autoescaped) and the headers every page carries."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import response
from sanic.response import HTTPResponse

from bot.answers.messages import messages
from bot.storage.models.escalation import utcnow
from staff.queue import countdown

PREFIX = "/inbox"
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Parent data: never cached, never framed, scripts only the app's own (the list's poll), no inline script.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; form-action 'self'"


def minutes_waiting(since: dt.datetime, now: dt.datetime | None = None) -> int:
    return max(0, int(((now or utcnow()) - since).total_seconds() // 60))


@lru_cache(maxsize=1)
def environment() -> Environment:
    # Built on first render, not at import. Copy comes from content/messages/*.yml through t(); every value,
    # copy included, is escaped by autoescape.
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.globals.update(
        t=lambda key, **values: messages().get(key, **values),
        prefix=PREFIX,
        waiting=minutes_waiting,
        countdown=countdown,
    )
    return env


def render(template: str, title: str, status: int = 200, csp: str = CSP, **context: Any) -> HTTPResponse:
    html = environment().get_template(template).render(title=title, **context)
    resp = response.html(html, status=status)
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Content-Security-Policy"] = csp
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp
