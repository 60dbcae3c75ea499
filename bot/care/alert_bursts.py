"""Bounded paging: a burst of escalations (a script posting red flags from many new numbers, or a real
incident) must not page a duty phone hundreds of times (issue 13, item 1).

Per alert recipient and five-minute window, the first SINGLE_PAGES escalations page one by one; every later
one is counted into a single grouped page ("N new urgent escalations in 5 minutes"), an outbox row due when
the window ends and rewritten as the count grows. So one recipient gets at most SINGLE_PAGES + 1 pages a
window, and no escalation goes unannounced: each one is in the inbox and in a page's count.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.answers.messages import messages as copy
from bot.care.outbox import enqueue
from bot.settings import get_settings
from bot.storage.models.escalation import AlertWindow, Outbox

log = logging.getLogger(__name__)

WINDOW = dt.timedelta(minutes=5)
SINGLE_PAGES = 3  # then one grouped page: at most 4 pages per recipient per five minutes


def window_start(now: dt.datetime) -> dt.datetime:
    return now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)


def burst_text(row: AlertWindow) -> str:
    values = {
        "count": row.grouped,
        "repeats": row.repeats,
        "minutes": int(WINDOW.total_seconds() // 60),
        "link": f"{get_settings().STAFF_URL.rstrip('/')}/inbox/",
    }
    try:
        key = "inbox_alert_burst_both" if row.grouped and row.repeats else "inbox_alert_burst"
        return copy().get("inbox_alert_burst_repeats" if not row.grouped else key, **values)
    except Exception:
        log.exception("burst alert copy unavailable")  # the page must still go: staff-facing bare facts
        return "{count} new urgent escalations in {minutes} minutes (+{repeats} unclaimed): {link}".format(**values)


def admit_page(session: Session, channel: str, recipient: str, repeat: bool, now: dt.datetime) -> bool:
    """True: send this escalation's own alert. False: it was counted into the window's grouped page.

    Runs in the escalation's transaction; the row lock (PostgreSQL) or the single writer (SQLite) keeps the
    counts exact when servers race, and a duplicate window insert fails the transaction, which is retried.
    """
    start = window_start(now)
    row = session.scalar(
        select(AlertWindow)
        .where(AlertWindow.channel == channel, AlertWindow.recipient == recipient, AlertWindow.window_start == start)
        .with_for_update()
    )
    if row is None:
        row = AlertWindow(channel=channel, recipient=recipient, window_start=start, pages=0, grouped=0, repeats=0)
        session.add(row)
        session.flush()
    if row.pages < SINGLE_PAGES:
        row.pages += 1
        return True
    if repeat:
        row.repeats += 1
    else:
        row.grouped += 1
    payload = {"text": burst_text(row), "meta": {"kind": "staff_alert_burst", "grouped": row.grouped}}
    if row.outbox_id is None:
        row.outbox_id = enqueue(session, "alert", channel, recipient, payload, now=start + WINDOW).id
    else:
        session.execute(update(Outbox).where(Outbox.id == row.outbox_id).values(payload=payload))
    return False
