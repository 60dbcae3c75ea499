"""A family's recent messages, stated baby age, chosen language and pending interpreter offer, in the database
(bot/storage/models/conversation.py).

`remember` stores the newest message and returns what the risk screen reads with it: the family's earlier
messages inside the window (the last few, within minutes), the age they last stated, grown by the days
since, the language they chose (`choose_language`) and the interpreter offer awaiting their yes
(`offer_interpreter`), so a restart or a second server answers in it and understands the yes too.
Every write also deletes everyone's messages older than the window, so the words live minutes, not until
retention. Synchronous (SQLAlchemy); the turn runs it off the event loop (bot/conversation/hooks.py).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.conversation.age import stated_age_days
from bot.privacy.themes import family_id
from bot.storage.db import transaction
from bot.storage.models.channels import utcnow
from bot.storage.models.conversation import RecentMessage, StatedAge
from bot.turn.messages import ScreenContext

WINDOW_MESSAGES = 3  # the newest and the two before it: reports come split over two or three texts
WINDOW = dt.timedelta(minutes=30)


def remember(channel: str, sender_id: str, text: str, now: dt.datetime | None = None) -> ScreenContext:
    now = now or utcnow()
    fid = family_id(channel, sender_id)
    stated = stated_age_days(text)
    for attempt in range(2):
        try:
            with transaction() as s:
                s.execute(delete(RecentMessage).where(RecentMessage.at < now - WINDOW))
                rows = list(
                    s.execute(
                        select(RecentMessage)
                        .where(RecentMessage.family_id == fid)
                        .order_by(RecentMessage.at.desc(), RecentMessage.id.desc())
                    ).scalars()
                )
                keep = rows[: WINDOW_MESSAGES - 1]
                for old in rows[WINDOW_MESSAGES - 1 :]:
                    s.delete(old)
                s.add(RecentMessage(family_id=fid, at=now, text=text))
                age = s.get(StatedAge, fid)
                if stated is not None:
                    if age is None:
                        age = StatedAge(family_id=fid)
                        s.add(age)
                    age.age_days, age.stated_at = stated, now
                language, offered = (None, None) if age is None else (age.language, age.offered)
                return ScreenContext(tuple(r.text for r in reversed(keep)), _grown(age, now), language, offered=offered)
        except IntegrityError:
            # Another server stated this family's age at the same moment: the next try updates its row.
            if attempt == 1:
                raise
    raise AssertionError("unreachable")


def _grown(row: StatedAge | None, now: dt.datetime) -> int | None:
    if row is None or row.age_days is None or row.stated_at is None:
        return None
    return int(row.age_days) + max(0, int((now - row.stated_at).days))


def choose_language(channel: str, sender_id: str, code: str | None, now: dt.datetime | None = None) -> None:
    """Keep the parent's choice ("/language pl"); None forgets it (they asked for English)."""
    _set(channel, sender_id, code, now, "language")


def offer_interpreter(channel: str, sender_id: str, code: str | None, now: dt.datetime | None = None) -> None:
    """Keep the interpreter offer made in `code`, so the family's "yes" is understood by any server, after a
    restart too; None withdraws it (they said something else, or the yes was taken)."""
    _set(channel, sender_id, code, now, "offered")


def _set(channel: str, sender_id: str, code: str | None, now: dt.datetime | None, column: str) -> None:
    now = now or utcnow()
    fid = family_id(channel, sender_id)
    for attempt in range(2):
        try:
            with transaction() as s:
                row = s.get(StatedAge, fid)
                if row is None:
                    if code is None:
                        return
                    row = StatedAge(family_id=fid)
                    s.add(row)
                setattr(row, column, code)
                setattr(row, f"{column}_at", now if code else None)
                return
        except IntegrityError:
            # Another server wrote this family's row at the same moment: the next try updates it.
            if attempt == 1:
                raise


def chosen_language(channel: str, sender_id: str) -> str | None:
    """The language the parent chose, for copy sent outside a turn (STOP, HELP, the welcome)."""
    with transaction() as s:
        row = s.get(StatedAge, family_id(channel, sender_id))
        return None if row is None or row.language is None else str(row.language)
