"""Fixtures shared by the outbox tests (test_outbox.py, test_outbox_parking.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.care import outbound
from tests.support.escalation import http_sender, use_temp_db
from tests.support.fakes.recorder import Recorder


@pytest.fixture
def rec(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Recorder]:
    """A temporary database whose alerts go to Telegram only (one outbox row each), sent to a recording
    HTTP server."""
    use_temp_db(monkeypatch, tmp_path, ALERT_SMS_NUMBER="")
    with Recorder() as recorder:
        monkeypatch.setitem(outbound._SENDERS, "telegram", http_sender(recorder.url))
        yield recorder
