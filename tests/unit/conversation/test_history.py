"""bot/conversation/store.py: the history the screen reads lives in the database, so a second server (or the
same one after a restart) screens the same; the window keeps only the last few messages, for minutes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.conversation import store
from bot.conversation.hooks import History
from bot.storage.db import transaction
from bot.storage.models.conversation import RecentMessage
from bot.turn.messages import NO_CONTEXT, Inbound, Reply, ScreenContext
from bot.turn.pipeline import TurnPipeline
from tests.support.escalation import TIER_A, use_temp_db

T0 = dt.datetime(2026, 12, 1, 9, 0, 0)


@pytest.fixture(autouse=True)
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_temp_db(monkeypatch, tmp_path)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_the_last_three_messages_within_30_minutes() -> None:
    assert store.remember("sms", "+447700900111", "one", now=at(0)) == ScreenContext((), None)
    assert store.remember("sms", "+447700900111", "two", now=at(1)).previous == ("one",)
    assert store.remember("sms", "+447700900111", "three", now=at(2)).previous == ("one", "two")
    assert store.remember("sms", "+447700900111", "four", now=at(3)).previous == ("two", "three")
    assert store.remember("sms", "+447700900111", "later", now=at(40)).previous == ()
    assert store.remember("sms", "+447700900222", "another family", now=at(41)).previous == ()


def test_words_older_than_the_window_are_deleted_on_the_next_write() -> None:
    store.remember("sms", "+447700900111", "his temp is 38.6", now=at(0))
    store.remember("telegram", "555", "hello", now=at(31))
    with transaction() as s:
        assert list(s.execute(select(RecentMessage.text)).scalars()) == ["hello"]


def test_the_stated_age_is_kept_and_grows_with_the_days() -> None:
    assert store.remember("sms", "+447700900111", "he's 7 weeks", now=at(0)).age_days == 49
    assert store.remember("sms", "+447700900111", "he has a fever", now=at(1)).age_days == 49
    assert store.remember("sms", "+447700900111", "still hot", now=at(3 * 24 * 60)).age_days == 52
    assert store.remember("sms", "+447700900111", "my 2 month old", now=at(3 * 24 * 60 + 1)).age_days == 61


class Reader:
    """A RiskScreen stand-in that records the context it was given."""

    def __init__(self) -> None:
        self.seen: list[ScreenContext] = []

    def check(self, text: str, context: ScreenContext = NO_CONTEXT) -> list:
        self.seen.append(context)
        return [TIER_A] if "blue" in text else []

    def reply(self, category: str, render: str) -> str:
        return "route"


class Answers:
    async def respond(self, channel: str, sender_id: str, text: str, metadata: dict) -> list[Reply]:
        return [Reply(text="answer", meta={"kind": "answer"})]


async def test_a_second_server_screens_the_same_history() -> None:
    first, second = Reader(), Reader()
    server_a = TurnPipeline(screen=first, history=History())
    server_b = TurnPipeline(screen=second, history=History())  # or server_a after a restart: no memory of its own
    parent = Inbound("telegram", "4242", "she's 6 weeks", "long")
    await server_a.handle(parent, Answers())
    await server_b.handle(Inbound("telegram", "4242", "her lips are blue", "long"), Answers())
    assert second.seen == [ScreenContext(("she's 6 weeks",), 42)]


async def test_history_down_screens_the_message_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{blocker}/db.sqlite")  # cannot be created
    from bot.settings import get_settings

    get_settings.cache_clear()
    reader = Reader()
    turn = TurnPipeline(screen=reader, history=History())
    replies = await turn.handle(Inbound("sms", "+447700900111", "his lips are blue", "sms"), Answers())
    assert [r.meta["kind"] for r in replies] == ["risk"] and reader.seen == [ScreenContext()]
