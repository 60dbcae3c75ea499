"""The manager's report page of the inbox (/webhooks/inbox/report): the theme report of bot/reports/report.py.

Kept apart from channels/inbox/channel.py, which only routes here after its own session check and a manager role
check. Charts are inline data: URIs, so the page still loads nothing from anywhere else.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt

from sanic.request import Request
from sanic.response import HTTPResponse

from bot.answers.messages import messages
from bot.care import staff
from bot.reports import report, report_data
from channels.inbox.page import html_page

DEFAULT_DAYS = 28


def period(request: Request, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """?from=YYYY-MM-DD&to=YYYY-MM-DD, default the last four weeks; anything unreadable gets the default."""
    end = today or dt.date.today()
    start = end - dt.timedelta(days=DEFAULT_DAYS - 1)
    try:
        start = dt.date.fromisoformat(str(request.args.get("from") or start.isoformat()))
        end = dt.date.fromisoformat(str(request.args.get("to") or end.isoformat()))
    except ValueError:
        pass
    return (start, end) if start <= end else (end, start)


def render(start: dt.date, end: dt.date) -> str:
    data = report_data.build(start, end)
    images = {name: base64.b64encode(png).decode("ascii") for name, png in report.charts(data).items()}
    form = (f'<form method="get" action="report" id="period-form"><label>{report.t("report_form_from")} '
            f'<input type="date" name="from" value="{start.isoformat()}"></label> <label>'
            f'{report.t("report_form_to")} <input type="date" name="to" value="{end.isoformat()}"></label> '
            f'<button id="show">{report.t("report_form_submit")}</button></form>')
    return form + report.body_html(data, lambda name: f"data:image/png;base64,{images[name]}")


async def page(request: Request, login: staff.Login) -> HTTPResponse:
    start, end = period(request)
    body = await asyncio.to_thread(render, start, end)
    resp = html_page(messages().get("report_title"), body, login)
    # The inbox's policy allows no images; this page's charts are inline data: URIs and nothing else.
    resp.headers["Content-Security-Policy"] = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                               "form-action 'self'")
    return resp
