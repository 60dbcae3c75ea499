"""Issue 13, item 2: a message acknowledged is a message stored. The Rasa server (production profile) is
SIGKILLed right after it answered 200 to a red-flag SMS; after a restart the family gets exactly one
emergency reply and has exactly one escalation.

On the old main the message lived only in memory after the 200: the kill lost it, and Twilio's redelivery
would have been dropped as a duplicate. The red flag waits behind the same parent's first message, whose
reply the fake Twilio holds, so the kill always lands before the red flag's turn.
"""

from __future__ import annotations

import os
import signal

import pytest

from bot.serve import Stack
from bot.storage.models.channels import PendingMessage
from bot.storage.models.escalation import Escalation
from tests.support.channels import new_number, rows
from tests.support.fakes.http import Fault
from tests.support.fakes.twilio_api import FakeTwilio
from tests.support.fakes.webhooks import PUBLIC_URL, TWILIO_FROM, SmsParent

RED_FLAG = "his lips have gone blue"


@pytest.fixture
def production(production_stack: Stack) -> Stack:
    return production_stack  # shared with the other production-profile module (tests/conftest.py)


def kill_and_restart_rasa(stack: Stack) -> None:
    proc = stack.roles.pop("rasa")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    stack.processes.remove(proc)
    stack.start_role("rasa")
    stack.wait_ready(timeout_s=420)


def test_sigkill_right_after_the_200_of_a_red_flag_sms_then_one_reply_and_one_escalation(
    production: Stack, fake_twilio: FakeTwilio
) -> None:
    db = production.env["DATABASE_URL"]
    parent = SmsParent(
        production.url, PUBLIC_URL, new_number(), fake_twilio.auth_token, fake_twilio.account_sid, TWILIO_FROM
    )
    # The first reply hangs (longer than SEND_TIMEOUT_S): this parent's queue is busy when the red flag comes.
    fake_twilio.inject("Messages", Fault(500, {"code": 20500, "message": "held"}, delay_s=20), target=parent.number)
    assert parent.send("how do i sterilise bottles").status_code == 200
    assert parent.send(RED_FLAG).status_code == 200
    assert len(rows(db, PendingMessage, sender_id=parent.number)) == 2  # both stored before their 200
    kill_and_restart_rasa(production)

    delivered = fake_twilio.wait_for("Messages", parent.number, 2, timeout_s=120)
    assert len(delivered) == 2
    settled = [c for c in fake_twilio.settle("Messages", parent.number, quiet_s=3.0) if c.status < 300]
    assert len(settled) == 2  # one reply per message, the red flag's exactly once
    assert "999" in str(settled[1].params["Body"])
    assert len(rows(db, Escalation, sender_id=parent.number)) == 1
    assert rows(db, PendingMessage, sender_id=parent.number) == []  # the words left the pending table
