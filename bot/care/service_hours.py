"""Service hours ("Mon-Fri 09:00-17:00, Sat 10:00-12:00", Europe/London): is a person reading the inbox now?

Only used to add the out-of-hours message after the emergency route; nothing safety-critical waits on it.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from bot.answers.messages import messages
from bot.settings import get_settings

LONDON = ZoneInfo("Europe/London")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^\s*(\w{3})(?:\s*-\s*(\w{3}))?\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class ServiceHoursError(ValueError):
    pass


def parse(spec: str) -> list[tuple[set[int], dt.time, dt.time]]:
    spans = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        m = _SPAN.match(part)
        if not m or m.group(1).lower() not in DAYS or (m.group(2) and m.group(2).lower() not in DAYS):
            raise ServiceHoursError(f"SERVICE_HOURS: cannot read {part!r} (expected like 'Mon-Fri 09:00-17:00')")
        first = DAYS.index(m.group(1).lower())
        last = DAYS.index(m.group(2).lower()) if m.group(2) else first
        days = {d % 7 for d in range(first, last + 1 if last >= first else last + 8)}
        spans.append((days, dt.time(int(m.group(3)), int(m.group(4))), dt.time(int(m.group(5)), int(m.group(6)))))
    return spans


def in_service_hours(spec: str, now: dt.datetime | None = None) -> bool:
    """`now` is aware, or naive UTC; an empty spec means no one is ever on duty (always out of hours)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.timezone.utc)
    local = now.astimezone(LONDON)
    return any(local.weekday() in days and start <= local.time() < end for days, start, end in parse(spec))


def out_of_hours_text(render: str, lang: str | None = None, now: dt.datetime | None = None) -> str | None:
    """The plain 'no one is reading now' note (content/messages/safety.yml), or None in service hours."""
    if in_service_hours(get_settings().SERVICE_HOURS, now):
        return None
    return messages().in_language("safety_out_of_hours", render, lang)
