"""staff/queue.py on a temporary SQLite database: plain labels, urgent first then time left, badges, filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.care import escalations
from bot.care.escalations import Facts, open_escalation
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation
from staff import queue
from tests.support.escalation import MENTAL, TIER_A, TIER_B, use_temp_db

T0 = dt.datetime(2026, 11, 30, 9, 0)


@pytest.fixture(autouse=True)
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    return use_temp_db(monkeypatch, tmp_path)


def listed(name: str = "all", username: str = "hv-a", minutes: int = 10) -> list[queue.Row]:
    with transaction() as s:
        return queue.rows(s, name, username, now=T0 + dt.timedelta(minutes=minutes))


def test_labels_are_plain_words_from_content() -> None:
    assert queue.label("urgent_medical_a") == "Baby: urgent, call 999 advised"
    assert queue.label("mental_health") == "Parent's mental health: crisis lines given"
    assert queue.label("callback") == "Asked for a call back"
    # A category no label was written for yet reads as a concern, never as its internal name.
    assert queue.label("made_up_category") == "Concern: made up category"


def test_urgent_first_then_least_time_left_and_red_past_the_target() -> None:
    b_old = open_escalation(Facts("sms", "+1", "x"), [TIER_B], ["fast breathing"], now=T0).escalation_id
    call = open_escalation(
        Facts("sms", "+2", "x"), [escalations.callback_hit()], ["call me"], now=T0 - dt.timedelta(hours=2)
    ).escalation_id
    a_new = open_escalation(Facts("sms", "+3", "x"), [TIER_A], ["blue lips"], now=T0 + dt.timedelta(minutes=8))
    a_old = open_escalation(Facts("sms", "+4", "x"), [MENTAL], ["end it"], now=T0 - dt.timedelta(minutes=10))
    rows = listed(minutes=10)  # targets are 15 minutes here (tests/support/escalation.py)
    assert [r.id for r in rows] == [a_old.escalation_id, a_new.escalation_id, b_old, call]
    assert [r.seconds_left for r in rows] == [-300, 780, 300, None]
    assert [r.overdue for r in rows] == [True, False, False, False]
    assert [r.label for r in rows][:2] == [
        "Parent's mental health: crisis lines given",
        "Baby: urgent, call 999 advised",
    ]
    assert queue.countdown(-300) == "5 min over target" and queue.countdown(780) == "13 min left"


def test_a_second_message_badges_the_row_and_a_more_urgent_one_moves_it_up() -> None:
    other = open_escalation(Facts("sms", "+1", "x"), [TIER_B], ["she is hot"], now=T0).escalation_id
    family = Facts("sms", "+2", "now his lips have gone blue and he is floppy and not waking up at all today")
    mine = open_escalation(family, [TIER_B], ["breathing fast"], now=T0 + dt.timedelta(minutes=1)).escalation_id
    assert [(r.id, r.new_messages) for r in listed()] == [(other, 0), (mine, 0)]
    open_escalation(family, [TIER_A], [family.text], now=T0 + dt.timedelta(minutes=3))
    rows = listed()
    assert [(r.id, r.new_messages, r.priority) for r in rows] == [(mine, 1, 1), (other, 0, 3)]
    assert rows[0].latest == "now his lips have gone blue and he is floppy and not…"
    # A health visitor's claim clears the badge; the parent's next message badges it again.
    escalations.claim(mine, "hv-a", now=T0 + dt.timedelta(minutes=4))
    assert listed()[0].new_messages == 0


def test_filters_unclaimed_mine_all_and_closed_today() -> None:
    a = open_escalation(Facts("sms", "+1", "x"), [TIER_A], ["a"], now=T0).escalation_id
    b = open_escalation(Facts("sms", "+2", "x"), [TIER_A], ["b"], now=T0).escalation_id
    c = open_escalation(Facts("sms", "+3", "x"), [TIER_A], ["c"], now=T0).escalation_id
    d = open_escalation(Facts("sms", "+4", "x"), [TIER_A], ["d"], now=T0 - dt.timedelta(days=1)).escalation_id
    escalations.claim(b, "hv-a")
    escalations.claim(c, "hv-b")
    for esc_id, closed_at in ((c, T0 + dt.timedelta(minutes=5)), (d, T0 - dt.timedelta(hours=10))):
        escalations.close(esc_id, "hv-b", "advice given")
        with transaction() as s:
            s.get(Escalation, esc_id).closed_at = closed_at  # type: ignore[union-attr]
    assert [r.id for r in listed("unclaimed")] == [a]
    assert [r.id for r in listed("mine")] == [b]
    assert sorted(r.id for r in listed("all")) == [a, b]
    assert [r.id for r in listed("nonsense")] == [a, b]  # an unknown filter is "all"
    assert [(r.id, r.status) for r in listed("closed")] == [(c, "closed")]  # not yesterday's


def test_first_words_cut_at_a_word() -> None:
    assert queue.first_words("he is a bit pinker now") == "he is a bit pinker now"
    assert queue.first_words("one two three four five six seven eight nine ten eleven twelve thirteen") == (
        "one two three four five six seven eight nine ten eleven twelve…"
    )
