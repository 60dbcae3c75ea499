"""A process writes an escalation and its alert, then is SIGKILLed before the alert is sent; after a restart
the alert reaches the (fake) alert service exactly once, even with two workers running.

Two kill points: right after the commit (no worker ran), and in the middle of the send (the row was claimed,
the request never left). The second is why claims are leases, not flags.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.care import outbound, outbox
from bot.care.worker import OutboxWorker
from bot.paths import ROOT
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, Outbox, utcnow
from tests.support.escalation import http_sender, use_db
from tests.support.fakes.recorder import Recorder

CHILD = textwrap.dedent("""
    import asyncio, sys, time
    import bot.care.escalations as escalations
    from bot.risk.matcher import RiskHit
    from bot.care.worker import OutboxWorker
    from bot.care import outbound

    escalations.target_minutes_for = lambda category: 15  # the risk content is not under test here
    hit = RiskHit("urgent_medical_a", "urgent_medical", "blue_or_grey", "A", 1)
    opened = escalations.open_escalation(
        escalations.Facts("sms", "+447700900123", "his lips have gone blue", "sms"), [hit], ["his lips have gone blue"])
    print("written", opened.escalation_id, flush=True)
    if sys.argv[1] == "after_commit":
        time.sleep(600)  # killed here: no worker ever ran

    async def hang(recipient, reply):
        print("sending", flush=True)
        await asyncio.sleep(600)  # killed here: claimed, mid-send, nothing reached the service

    outbound.register("telegram", hang)
    asyncio.run(OutboxWorker().run_once())
""")


def run_until_killed(point: str, env: dict[str, str]) -> int:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, point],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().split()
        assert first[:1] == ["written"], proc.stderr.read() if proc.poll() is not None else first
        if point == "mid_send":
            assert proc.stdout.readline().strip() == "sending"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
        return int(first[1])
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("point", ["after_commit", "mid_send"])
async def test_alert_delivered_exactly_once_after_sigkill(
    point: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kill.db'}",
        "ALERT_TELEGRAM_CHAT_ID": "-100200",
        "ALERT_SMS_NUMBER": "",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    escalation_id = await asyncio.to_thread(run_until_killed, point, env)
    use_db(monkeypatch, env["DATABASE_URL"], ALERT_TELEGRAM_CHAT_ID="-100200", ALERT_SMS_NUMBER="")
    with transaction() as s:
        assert s.get(Escalation, escalation_id) is not None
        [row] = s.execute(select(Outbox)).scalars().all()
        assert (row.kind, row.delivered_at, row.attempts) == ("alert", None, 0 if point == "after_commit" else 1)

    with Recorder() as rec:
        monkeypatch.setitem(outbound._SENDERS, "telegram", http_sender(rec.url))
        # The restarted server(s): two workers at once, then again later; the lease of a killed claim ran out.
        restart = utcnow() + dt.timedelta(seconds=outbox.LEASE_S + 1)
        await asyncio.gather(OutboxWorker().run_once(restart), OutboxWorker().run_once(restart))
        for minutes in (1, 10, 60):
            await OutboxWorker().run_once(restart + dt.timedelta(minutes=minutes))
        got = rec.wait_for(1)
        await asyncio.sleep(0.2)
        assert len(rec.received) == 1
    assert (got[0]["body"]["to"], got[0]["body"]["meta"]["escalation_id"]) == ("-100200", escalation_id)
    with transaction() as s:
        assert s.execute(select(Outbox.delivered_at)).scalar_one() is not None
