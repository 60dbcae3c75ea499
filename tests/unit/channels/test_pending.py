"""Issue 13, item 2: an inbound message is a row before the 200, and the row outlives the server that took it.
On the old main the message was only in memory after the "seen" row: a crash lost it and a redelivery was
dropped as a duplicate."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.storage.db import transaction
from bot.storage.models.channels import InboundSeen, PendingMessage, utcnow
from channels import pending
from tests.support.escalation import use_temp_db

EVENT = {"kind": "text", "text": "his lips are blue"}


def pending_rows() -> list[PendingMessage]:
    with transaction() as s:
        return list(s.scalars(select(PendingMessage).order_by(PendingMessage.id)))


def test_accepted_message_is_stored_with_its_words_until_done(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_temp_db(monkeypatch, tmp_path)
    row_id = pending.accept("sms", "SM1", "+447700900123", EVENT)
    assert row_id is not None
    assert [(r.channel, r.sender_id, r.event) for r in pending_rows()] == [("sms", "+447700900123", EVENT)]
    assert pending.accept("sms", "SM1", "+447700900123", EVENT) is None  # Twilio's retry: a duplicate
    pending.done(row_id)
    assert pending_rows() == []  # the words are gone; the delivery id stays for dedupe
    with transaction() as s:
        assert s.scalars(select(InboundSeen.external_id)).all() == ["SM1"]


def test_a_killed_servers_rows_are_taken_over_once_their_lease_runs_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_temp_db(monkeypatch, tmp_path)
    monkeypatch.setattr(pending, "OWNER", "killed-server")
    first = pending.accept("sms", "SM1", "+447700900123", EVENT)
    second = pending.accept("sms", "SM2", "+447700900123", {"kind": "text", "text": "and now"})
    other = pending.accept("telegram", "77", "123", EVENT)
    monkeypatch.setattr(pending, "OWNER", "next-server")
    assert pending.take_over("sms") == []  # the lease still runs: the first server may be alive
    with transaction() as s:
        s.execute(update(PendingMessage).values(lease_until=utcnow() - pending.LEASE))
    taken = pending.take_over("sms")
    assert taken == [(first, "+447700900123", EVENT), (second, "+447700900123", {"kind": "text", "text": "and now"})]
    assert pending.take_over("sms") == []  # claimed once
    assert pending.still_mine(first) and not pending.still_mine(other)  # other is still the killed server's
