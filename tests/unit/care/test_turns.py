"""bot/care/turns.py (issue 13, item 4): the channel of a conversation's turn in flight, the reply address the
action server trusts; none before, after, or long after a turn."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.care import turns
from tests.support.escalation import use_temp_db

T0 = dt.datetime(2026, 12, 1, 10, 0, 0)


@pytest.fixture(autouse=True)
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    return use_temp_db(monkeypatch, tmp_path)


def test_the_channel_is_known_only_while_the_turn_runs() -> None:
    assert turns.channel_of("+447700900123", now=T0) is None
    turns.begin("+447700900123", "sms", now=T0)
    assert turns.channel_of("+447700900123", now=T0 + dt.timedelta(seconds=5)) == "sms"
    assert turns.channel_of("+447700900999", now=T0) is None  # another conversation
    turns.end("+447700900123")
    assert turns.channel_of("+447700900123", now=T0) is None


def test_a_row_a_crash_left_behind_is_not_trusted_after_two_minutes_and_is_replaced() -> None:
    turns.begin("700123456", "telegram", now=T0)
    assert turns.channel_of("700123456", now=T0 + dt.timedelta(minutes=1, seconds=59)) == "telegram"
    assert turns.channel_of("700123456", now=T0 + dt.timedelta(minutes=2, seconds=1)) is None
    turns.begin("700123456", "webchat", now=T0 + dt.timedelta(minutes=3))
    assert turns.channel_of("700123456", now=T0 + dt.timedelta(minutes=3)) == "webchat"


def test_ending_a_turn_leaves_a_later_turn_of_the_same_family_alone() -> None:
    first = turns.begin("700123456", "telegram", now=T0)
    turns.begin("700123456", "telegram", now=T0 + dt.timedelta(seconds=1))  # the next message's turn
    turns.end("700123456", first)  # the first turn's delete, run after its reply went
    assert turns.channel_of("700123456", now=T0 + dt.timedelta(seconds=2)) == "telegram"
