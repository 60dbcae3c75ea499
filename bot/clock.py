"""Today's date for content review dates, read through one function so it can be pinned.

Every answer carries a review date (content/); past it, the answer is not served. Reading the date here
rather than calling date.today() at each use lets tests (and an editor previewing next month) fix the date:
CONTENT_DATE=YYYY-MM-DD in the environment, or a `today` callable handed to the code that checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.settings import get_settings

Clock = Callable[[], dt.date]


def content_today() -> dt.date:
    pinned = get_settings().CONTENT_DATE
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()
