"""Issue 13, item 10: two outbox workers on one PostgreSQL database, with sends slower than the lease, never
send one alert twice. A worker claims one row at a time and renews its lease while the send runs (a batch
claimed under one lease let the other worker take the rows the first had not reached yet).

PostgreSQL is required (`.ci/run` starts it): never a skip.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.care import outbound, outbox
from bot.care.escalations import Facts, open_escalation
from bot.care.worker import OutboxWorker
from bot.storage.db import transaction, upgrade
from bot.storage.models.escalation import Outbox
from bot.turn.messages import Reply
from tests.support.escalation import TIER_A, http_sender, use_db
from tests.support.fakes.recorder import Recorder
from tests.support.pg import fresh_databases

ALERTS = 6
SEND_S = 1.2  # each send outlasts the lease ...
LEASE_S = 1.0  # ... shortened from 30 s so the test takes seconds


@pytest.fixture
def pg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    with fresh_databases("parentbot_lease", need_redis=False) as dbs:
        url = dbs.url(dbs.project)
        upgrade(url)
        use_db(monkeypatch, url, ALERT_TELEGRAM_CHAT_ID="-100200", ALERT_SMS_NUMBER="", ESCALATION_NEXT_CONTACT_SMS="")
        yield url


def undelivered() -> int:
    with transaction() as s:
        return int(s.scalar(select(func.count()).select_from(Outbox).where(Outbox.delivered_at.is_(None))) or 0)


async def test_two_workers_with_slow_sends_send_each_alert_once(pg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbox, "LEASE_S", LEASE_S)
    for n in range(ALERTS):
        # One escalation per five-minute alert window: within one, a burst is grouped (bot/care/alert_bursts.py).
        open_escalation(Facts("telegram", f"family-{n}", "x"), [TIER_A], ["x"], now=dt.datetime(2026, 12, 1, 9, 5 * n))
    with Recorder() as rec:
        post = http_sender(rec.url)

        async def slow(recipient: str, reply: Reply) -> None:
            await asyncio.sleep(SEND_S)
            await post(recipient, reply)

        monkeypatch.setitem(outbound._SENDERS, "telegram", slow)

        async def drain(worker: OutboxWorker) -> None:
            deadline = time.monotonic() + 40
            while await asyncio.to_thread(undelivered) and time.monotonic() < deadline:
                await worker.run_once()
                await asyncio.sleep(0.05)

        await asyncio.gather(drain(OutboxWorker()), drain(OutboxWorker()))
        sent = sorted(r["body"]["meta"]["escalation_id"] for r in rec.received)
    assert undelivered() == 0
    assert sent == [1, 2, 3, 4, 5, 6]  # each alert once: none sent by both workers
