"""bot/care/escalations.py on a temporary SQLite database: records, dedupe, handoff, STOP, closing, re-alerts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.care import alerts, escalations
from bot.care.escalations import Facts, open_escalation
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, EscalationMessage, Handoff, Outbox, utcnow
from tests.support.escalation import MENTAL, TIER_A, TIER_B, use_temp_db

PARENT = Facts(channel="sms", sender_id="+447700900123", text="his lips have gone blue", render="sms")


@pytest.fixture(autouse=True)
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    return use_temp_db(monkeypatch, tmp_path)


def count(model: type) -> int:
    with transaction() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def outbox_rows() -> list[Outbox]:
    with transaction() as s:
        return list(s.execute(select(Outbox).order_by(Outbox.id)).scalars())


def test_open_records_escalation_handoff_and_alerts() -> None:
    opened = open_escalation(PARENT, [TIER_A], ["he was fine earlier", PARENT.text])
    assert opened.created
    with transaction() as s:
        esc = s.get(Escalation, opened.escalation_id)
        assert esc is not None
        assert (esc.category, esc.group, esc.rule, esc.tier, esc.priority, esc.layer, esc.status) == (
            "urgent_medical_a",
            "urgent_medical",
            "blue_or_grey",
            "A",
            1,
            "matcher",
            "open",
        )
        assert [w["text"] for w in esc.parent_words] == ["he was fine earlier", PARENT.text]
        assert esc.answer_ids == ["risk/urgent_medical_a"]
        assert esc.records_hold is True
        assert esc.response_target_minutes == 15
    assert escalations.handoff_escalation("sms", PARENT.sender_id) == opened.escalation_id
    alerts = outbox_rows()
    assert sorted((r.kind, r.channel, r.recipient) for r in alerts) == [
        ("alert", "sms", "+447700900001"),
        ("alert", "telegram", "-100200"),
    ]
    for row in alerts:
        assert row.escalation_id == opened.escalation_id
        assert row.payload["meta"]["category"] == "urgent_medical_a"
        assert row.payload["meta"]["priority"] == 1
        # Staff alerts carry no parent words and no phone number.
        assert "blue" not in row.payload["text"]
        assert PARENT.sender_id not in str(row.payload)
        assert f"/inbox/escalations/{opened.escalation_id}" in row.payload["text"]


def test_escalation_and_alerts_are_one_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("crash between the escalation and its alert")

    monkeypatch.setattr("bot.care.alerts.enqueue", broken)
    with pytest.raises(RuntimeError):
        open_escalation(PARENT, [TIER_A], [PARENT.text])
    assert (count(Escalation), count(Handoff), count(Outbox)) == (0, 0, 0)


def test_one_open_escalation_per_family_later_hits_join_the_thread() -> None:
    first = open_escalation(PARENT, [TIER_B], [PARENT.text])
    again = open_escalation(Facts("sms", PARENT.sender_id, "now he's breathing fast", "sms"), [TIER_B], ["x"])
    assert (again.escalation_id, again.created) == (first.escalation_id, False)
    assert count(Escalation) == 1
    assert len(outbox_rows()) == 2  # no second alert for the same urgency
    with transaction() as s:
        kinds = [m.kind for m in escalations.thread(s, first.escalation_id)]
    assert kinds == ["risk", "risk"]
    other = open_escalation(Facts("telegram", PARENT.sender_id, "x"), [TIER_B], ["x"])
    assert other.created and other.escalation_id != first.escalation_id  # another channel is another family


def test_more_urgent_hit_upgrades_and_realerts() -> None:
    first = open_escalation(
        PARENT,
        [escalations.callback_hit()],
        [PARENT.text],
        layer="request",
        reply_kind="handoff_request",
        answer_ids=["utter_request_person"],
    )
    open_escalation(Facts("sms", PARENT.sender_id, "i want to die"), [MENTAL], ["i want to die"])
    with transaction() as s:
        esc = s.get(Escalation, first.escalation_id)
        assert esc is not None
        assert (esc.category, esc.priority, esc.records_hold) == ("mental_health", 1, True)
    assert [r.payload["meta"]["category"] for r in outbox_rows()] == [
        "callback",
        "callback",
        "mental_health",
        "mental_health",
    ]


def test_handoff_routes_messages_until_closed() -> None:
    assert escalations.record_parent_message("sms", PARENT.sender_id, "hello") is None
    opened = open_escalation(PARENT, [TIER_A], [PARENT.text])
    assert escalations.record_parent_message("sms", PARENT.sender_id, "he is pinker now") == opened.escalation_id
    escalations.close(opened.escalation_id, "hv1", "called 999, ambulance attended")
    assert escalations.record_parent_message("sms", PARENT.sender_id, "thanks") is None
    assert escalations.handoff_escalation("sms", PARENT.sender_id) is None


def test_stop_inside_risk_conversation_reaches_the_thread() -> None:
    assert escalations.record_stop("sms", PARENT.sender_id, "STOP") is None  # no conversation: plain opt-out
    opened = open_escalation(PARENT, [MENTAL], ["i want to die"])
    assert escalations.record_stop("sms", PARENT.sender_id, "STOP") == opened.escalation_id
    with transaction() as s:
        stops = [m for m in escalations.thread(s, opened.escalation_id) if m.kind == "stop"]
    assert [(m.direction, m.text) for m in stops] == [("in", "STOP")]
    assert escalations.handoff_escalation("sms", PARENT.sender_id) == opened.escalation_id  # still open


def test_closing_a_risk_escalation_needs_an_outcome() -> None:
    opened = open_escalation(PARENT, [TIER_A], [PARENT.text])
    with pytest.raises(escalations.EscalationError):
        escalations.close(opened.escalation_id, "hv1", "  ")
    escalations.close(opened.escalation_id, "hv1", "advised 999")
    with transaction() as s:
        esc = s.get(Escalation, opened.escalation_id)
        assert esc is not None
        assert (esc.status, esc.outcome, esc.claimed_by) == ("closed", "advised 999", "hv1")
    with pytest.raises(escalations.EscalationError):
        escalations.reply(opened.escalation_id, "hv1", "hello")  # closed: no more replies


def test_callback_closes_without_outcome() -> None:
    opened = open_escalation(
        PARENT,
        [escalations.callback_hit()],
        [PARENT.text],
        layer="request",
        reply_kind="handoff_request",
        answer_ids=["utter_request_person"],
    )
    escalations.close(opened.escalation_id, "hv1", "")
    with transaction() as s:
        esc = s.get(Escalation, opened.escalation_id)
        assert esc is not None and esc.status == "closed" and esc.group == "callback"


def test_claim_and_reply_queue_to_the_parents_channel() -> None:
    opened = open_escalation(PARENT, [TIER_A], [PARENT.text])
    escalations.claim(opened.escalation_id, "hv1")
    row_id = escalations.reply(opened.escalation_id, "hv2", "I will call you in 5 minutes")
    with transaction() as s:
        esc = s.get(Escalation, opened.escalation_id)
        row = s.get(Outbox, row_id)
        assert esc is not None and row is not None
        assert (esc.status, esc.claimed_by) == ("claimed", "hv1")  # a second person does not steal the claim
        assert (row.kind, row.channel, row.recipient) == ("parent_reply", "sms", PARENT.sender_id)
        outs = [m for m in escalations.thread(s, esc.id) if m.direction == "out"]
        assert [(m.author, m.kind) for m in outs] == [("hv2", "message")]


def test_list_is_urgent_first_then_longest_waiting() -> None:
    now = utcnow()
    b_old = open_escalation(Facts("sms", "+1", "x"), [TIER_B], ["x"], now=now - dt.timedelta(minutes=50)).escalation_id
    a_new = open_escalation(Facts("sms", "+2", "x"), [TIER_A], ["x"], now=now).escalation_id
    a_old = open_escalation(Facts("sms", "+3", "x"), [TIER_A], ["x"], now=now - dt.timedelta(minutes=5)).escalation_id
    with transaction() as s:
        assert [e.id for e in escalations.list_open(s)] == [a_old, a_new, b_old]


def test_unclaimed_is_realerted_to_next_contact_once_per_interval_and_never_closed() -> None:
    start = utcnow()
    opened = open_escalation(PARENT, [TIER_A], [PARENT.text], now=start)
    assert alerts.repeat_unclaimed(start + dt.timedelta(minutes=14)) == []
    assert alerts.repeat_unclaimed(start + dt.timedelta(minutes=15)) == [opened.escalation_id]
    assert alerts.repeat_unclaimed(start + dt.timedelta(minutes=16)) == []  # once per interval
    repeats = [r for r in outbox_rows() if r.payload["meta"]["repeat"]]
    assert sorted((r.channel, r.recipient) for r in repeats) == [
        ("sms", "+447700900001"),
        ("sms", "+447700900002"),
        ("telegram", "-100200"),
    ]
    assert alerts.repeat_unclaimed(start + dt.timedelta(minutes=31)) == [opened.escalation_id]
    assert alerts.repeat_unclaimed(start + dt.timedelta(days=30)) == [opened.escalation_id]
    with transaction() as s:
        esc = s.get(Escalation, opened.escalation_id)
        assert esc is not None and (esc.status, esc.alerts_repeated) == ("open", 3)  # never closed by time
    escalations.claim(opened.escalation_id, "hv1")
    assert alerts.repeat_unclaimed(start + dt.timedelta(days=60)) == []


def test_callback_is_not_realerted() -> None:
    start = utcnow()
    open_escalation(PARENT, [escalations.callback_hit()], [PARENT.text], layer="request", now=start)
    assert alerts.repeat_unclaimed(start + dt.timedelta(days=1)) == []


def test_no_alert_recipient_still_records(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import get_settings

    for key in ("ALERT_TELEGRAM_CHAT_ID", "ALERT_SMS_NUMBER"):
        monkeypatch.setenv(key, "")
    get_settings.cache_clear()
    opened = open_escalation(PARENT, [TIER_A], [PARENT.text])
    assert opened.created and count(Outbox) == 0
    with transaction() as s:
        assert s.execute(select(EscalationMessage.kind)).scalars().all() == ["risk"]


def test_simultaneous_hits_for_one_family_open_one_escalation() -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"message {n} his lips are blue" for n in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        opened = list(
            pool.map(lambda t: open_escalation(Facts("sms", PARENT.sender_id, t, "sms"), [TIER_A], [t]), texts)
        )
    assert len({o.escalation_id for o in opened}) == 1 and sum(o.created for o in opened) == 1
    with transaction() as s:
        assert sorted(m.text for m in escalations.thread(s, opened[0].escalation_id)) == sorted(texts)
