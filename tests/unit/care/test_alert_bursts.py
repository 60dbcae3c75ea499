"""Issue 13, item 1: a burst of new senders cannot page staff more than a bounded number of times; the
grouped page names the burst, and no escalation is lost. Fails on the old main: 50 escalations paged each
alert recipient 50 times."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.care.alerts import repeat_unclaimed
from bot.care.escalations import Facts, open_escalation
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, Outbox
from tests.support.escalation import TIER_A, use_temp_db
from tests.support.fakes.webhooks import STAFF_URL

AT = dt.datetime(2026, 12, 1, 10, 1, 30)


def alerts_to(recipient: str) -> list[Outbox]:
    with transaction() as s:
        return list(s.scalars(select(Outbox).where(Outbox.recipient == recipient).order_by(Outbox.id)))


def open_many(count: int, at: dt.datetime, first: int = 0) -> None:
    for i in range(first, first + count):
        open_escalation(Facts("sms", f"+4477009{i:05d}", "his lips are blue", "sms"), [TIER_A], [], now=at)


def test_fifty_new_senders_page_each_recipient_four_times(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_temp_db(monkeypatch, tmp_path, STAFF_URL=STAFF_URL, ESCALATION_NEXT_CONTACT_SMS="")
    open_many(50, AT)
    with transaction() as s:
        assert s.scalar(select(func.count()).select_from(Escalation)) == 50  # none lost
    for recipient in ("-100200", "+447700900001"):
        rows = alerts_to(recipient)
        assert len(rows) == 4
        assert [r.payload["meta"]["kind"] for r in rows] == ["staff_alert"] * 3 + ["staff_alert_burst"]
        burst = rows[3]
        assert burst.payload["text"] == (
            "47 new urgent escalations in 5 minutes. Open the inbox: https://staff.parentbot.example.test/inbox/"
        )
        assert burst.next_attempt_at == dt.datetime(2026, 12, 1, 10, 5)  # sent when the window closes


def test_the_next_window_pages_again_and_reminders_join_the_grouped_page(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_temp_db(monkeypatch, tmp_path, STAFF_URL=STAFF_URL, ESCALATION_NEXT_CONTACT_SMS="")
    open_many(5, AT)
    open_many(2, AT + dt.timedelta(minutes=5), first=5)
    rows = alerts_to("-100200")
    kinds = [r.payload["meta"]["kind"] for r in rows]
    assert kinds == ["staff_alert"] * 3 + ["staff_alert_burst"] + ["staff_alert"] * 2
    # 20 minutes on, all seven are past their 15-minute target: three single reminders, the rest grouped.
    assert len(repeat_unclaimed(AT + dt.timedelta(minutes=20))) == 7
    rows = alerts_to("-100200")
    assert len([r for r in rows if r.payload["meta"].get("repeat")]) == 3
    bursts = [r for r in rows if r.payload["meta"]["kind"] == "staff_alert_burst"]
    assert [b.next_attempt_at for b in bursts] == [dt.datetime(2026, 12, 1, 10, 5), dt.datetime(2026, 12, 1, 10, 25)]
    assert bursts[1].payload["text"] == (
        "4 urgent escalations still unclaimed past their target. "
        "Open the inbox: https://staff.parentbot.example.test/inbox/"
    )
