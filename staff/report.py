"""The managers' report page (/inbox/report): the theme report of bot/reports/, charts as inline data: URIs
so the page still loads nothing from anywhere else."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt

from sanic.request import Request
from sanic.response import HTTPResponse

from bot.answers.messages import messages
from bot.care import staff
from bot.reports import report, report_data
from staff.pages import render

DEFAULT_DAYS = 28
# The inbox's policy allows no images; this page's charts are inline data: URIs and nothing else.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'"


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


def body(start: dt.date, end: dt.date) -> str:
    data = report_data.build(start, end)
    images = {name: base64.b64encode(png).decode("ascii") for name, png in report.charts(data).items()}
    return report.body_html(data, lambda name: f"data:image/png;base64,{images[name]}")


async def page(request: Request, login: staff.Login) -> HTTPResponse:
    start, end = period(request)
    html = await asyncio.to_thread(body, start, end)
    return render(
        "report.html",
        messages().get("report_title"),
        csp=CSP,
        login=login,
        start=start.isoformat(),
        end=end.isoformat(),
        body=html,
    )
