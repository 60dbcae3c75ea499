"""bot/care/outbox.py: delivery through bot.care.outbound, backoff, permanent failures, atomic claims."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select

from bot.care import escalations, outbox
from bot.care.escalations import Facts, open_escalation
from bot.care.worker import OutboxWorker
from bot.storage.db import transaction
from bot.storage.models.escalation import Outbox, utcnow
from tests.support.escalation import TIER_A
from tests.support.fakes.recorder import Recorder

PARENT = Facts(channel="telegram", sender_id="555", text="she won't wake up", render="long")


def rows() -> list[Outbox]:
    with transaction() as s:
        return list(s.execute(select(Outbox).order_by(Outbox.id)).scalars())


def later(seconds: float) -> dt.datetime:
    return utcnow() + dt.timedelta(seconds=seconds)


async def test_delivers_once_and_marks_delivered(rec: Recorder) -> None:
    opened = open_escalation(PARENT, [TIER_A], [PARENT.text])
    worker = OutboxWorker()
    assert await worker.run_once() == 1
    assert await worker.run_once(later(3600)) == 0
    [got] = rec.wait_for(1)
    assert (got["body"]["to"], got["body"]["meta"]["escalation_id"]) == ("-100200", opened.escalation_id)
    [row] = rows()
    assert row.delivered_at is not None and row.attempts == 1


async def test_transient_failure_backs_off_then_delivers(rec: Recorder) -> None:
    open_escalation(PARENT, [TIER_A], [PARENT.text])
    rec.fail_next(503)
    worker = OutboxWorker()
    await worker.run_once()
    [row] = rows()
    assert row.delivered_at is None and row.last_error == "HTTP 503"
    assert await worker.run_once() == 0  # not due yet: backoff
    assert await worker.run_once(later(2)) == 1
    assert [r["body"]["meta"]["kind"] for r in rec.wait_for(1)] == ["staff_alert"]
    assert rows()[0].attempts == 2


async def test_retry_after_is_honoured(rec: Recorder) -> None:
    open_escalation(PARENT, [TIER_A], [PARENT.text])
    rec.fail_next(429)
    worker = OutboxWorker()
    await worker.run_once()
    assert await worker.run_once(later(3)) == 0  # the service asked for 5 s
    assert await worker.run_once(later(6)) == 1
    assert len(rec.wait_for(1)) == 1


def test_backoff_is_exponential_and_capped() -> None:
    assert [outbox.backoff_s(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert outbox.backoff_s(30) == 60
    assert outbox.backoff_s(1, retry_after_s=90) == 90


async def test_permanent_failure_on_parent_reply_tells_the_health_visitor(rec: Recorder) -> None:
    opened = open_escalation(PARENT, [TIER_A], [PARENT.text])
    escalations.reply(opened.escalation_id, "hv1", "Can I call you?")
    rec.fail_next(200)  # the alert goes out
    rec.fail_next(403)  # the reply: "bot was blocked by the user"
    worker = OutboxWorker()
    await worker.run_once()
    reply_row = next(r for r in rows() if r.kind == "parent_reply")
    assert (reply_row.dead, reply_row.delivered_at) == (True, None)
    assert await worker.run_once(later(3600)) == 0  # never retried
    with transaction() as s:
        notes = [m.kind for m in escalations.thread(s, opened.escalation_id) if m.direction == "note"]
    assert notes == ["delivery_failed"]


async def test_alerts_are_never_dropped_even_on_permanent_errors(rec: Recorder) -> None:
    open_escalation(PARENT, [TIER_A], [PARENT.text])
    rec.fail_next(403, times=3)
    worker = OutboxWorker()
    for step in range(4):
        await worker.run_once(later(61 * step))
    [row] = rows()
    assert (row.dead, row.attempts) == (False, 4)
    assert row.delivered_at is not None
    assert len(rec.wait_for(1)) == 1


async def test_unregistered_channel_is_retried_not_lost(rec: Recorder) -> None:
    with transaction() as s:
        outbox.enqueue(s, "alert", "nowhere", "x", {"text": "t", "meta": {}})
    await OutboxWorker().run_once()
    [row] = rows()
    assert row.dead is False and row.delivered_at is None and "no sender" in (row.last_error or "")


async def test_two_workers_never_send_one_row_twice(rec: Recorder) -> None:
    for n in range(10):
        # One escalation per five-minute alert window: within one, a burst is grouped (bot/care/alert_bursts.py).
        at = dt.datetime(2026, 12, 1, 9, 0) + dt.timedelta(minutes=5 * n)
        open_escalation(Facts("telegram", f"family-{n}", "x"), [TIER_A], ["x"], now=at)
    await asyncio.gather(*(OutboxWorker().run_once() for _ in range(3)))
    got = rec.wait_for(10)
    assert sorted(r["body"]["meta"]["escalation_id"] for r in got) == sorted({r.escalation_id for r in rows()})
    assert all(r.attempts == 1 for r in rows())


async def test_worker_loop_runs_and_stops(rec: Recorder) -> None:
    open_escalation(PARENT, [TIER_A], [PARENT.text])
    worker = OutboxWorker(interval_s=0.05)
    task = worker.start()
    try:
        await asyncio.to_thread(rec.wait_for, 1)
    finally:
        await worker.stop()  # lets the pass finish: the row sent is also marked sent
    assert task.done() and not task.cancelled()
    assert rows()[0].delivered_at is not None
