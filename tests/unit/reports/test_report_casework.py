"""The manager's casework figures (issue 16, step 6) on escalations written here, against CSV text written out
by hand: opened and closed per day, time to the first reply from a person by category with its target, and the
breaches. The period is fixed and `now` is passed in, so nothing depends on today's date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.reports import report, report_data
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, EscalationMessage
from tests.support.escalation import use_temp_db

MONDAY = dt.datetime(2026, 11, 2, 10, 0)


def escalation(category: str, opened: dt.datetime, target: int | None, closed: dt.datetime | None = None) -> Escalation:
    return Escalation(
        created_at=opened,
        channel="sms",
        sender_id="+447700900123",
        category=category,
        group="urgent_medical" if category.startswith("urgent") else "mental_health",
        rule="r",
        priority=1,
        layer="matcher",
        reply_kind="risk",
        response_target_minutes=target,
        closed_at=closed,
        status="closed" if closed else "open",
    )


def staff_reply(esc: Escalation, after_minutes: int) -> EscalationMessage:
    at = esc.created_at + dt.timedelta(minutes=after_minutes)
    return EscalationMessage(escalation_id=esc.id, at=at, direction="out", kind="message", author="hv1", text="hi")


@pytest.fixture
def out(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    use_temp_db(monkeypatch, tmp_path)
    with transaction() as s:
        # Four tier-A escalations on Monday, replied to after 5, 10 and 40 minutes, one not yet (target 15).
        fast, medium, late, waiting = (escalation("urgent_medical_a", MONDAY, 15) for _ in range(4))
        # Monday, closed on Tuesday; a concern (no target) replied to after a day; one opened in October and
        # closed on Tuesday the 3rd, which counts only as closed that day.
        concern = escalation("mental_health_concern", MONDAY, None, closed=MONDAY + dt.timedelta(days=1))
        old = escalation("urgent_medical_b", dt.datetime(2026, 10, 30, 9, 0), 120, closed=dt.datetime(2026, 11, 3, 8))
        s.add_all([fast, medium, late, waiting, concern, old])
        s.flush()
        s.add_all([staff_reply(fast, 5), staff_reply(medium, 10), staff_reply(late, 40), staff_reply(concern, 1440)])
        s.add(staff_reply(fast, 30))  # a second reply does not move the first
        s.add(EscalationMessage(escalation_id=waiting.id, at=MONDAY, direction="bot", kind="risk", text="999"))
    data = report_data.build(dt.date(2026, 11, 2), dt.date(2026, 11, 4), now=dt.datetime(2026, 11, 2, 10, 20))
    report.write(data, tmp_path / "out")
    return tmp_path / "out"


def test_opened_and_closed_per_day_include_empty_days(out: Path) -> None:
    assert (out / "cases_per_day.csv").read_text() == (
        "day,opened,closed\n2026-11-02,5,0\n2026-11-03,0,<5\n2026-11-04,0,0\n"
    )


def test_time_to_first_reply_by_category_with_its_target(out: Path) -> None:
    # urgent_medical_a: replies after 5, 10 and 40 minutes: median 10.0, 90th percentile 10 + 0.8 * 30 = 34.0.
    assert (out / "first_reply.csv").read_text() == (
        "category,count,replied,median_minutes_to_reply,p90_minutes_to_reply,target_minutes\n"
        "mental_health_concern,<5,<5,1440.0,1440.0,\n"
        "urgent_medical_a,<5,<5,10.0,34.0,15\n"
    )


def test_breaches_list_the_late_reply_and_the_one_still_waiting(out: Path) -> None:
    # At 10:20 the unreplied tier-A escalation is 20 minutes old, past its 15; the concern has no target.
    assert (out / "breaches.csv").read_text() == (
        "escalation,category,opened_at,minutes_to_reply,target_minutes\n"
        "3,urgent_medical_a,2026-11-02 10:00,40.0,15\n"
        "4,urgent_medical_a,2026-11-02 10:00,no_reply_yet,15\n"
    )


def test_the_page_shows_the_casework_sections(out: Path) -> None:
    html = (out / "index.html").read_text()
    assert "Time to the first reply from a person, by category" in html
    assert '<table id="breaches">' in html and "<td>No reply yet</td>" in html
    assert (out / "first_reply.png").stat().st_size > 5_000
