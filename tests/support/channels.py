"""Helpers for the Telegram and SMS channel tests (plain functions; fixtures live in the test modules)."""

from __future__ import annotations

import itertools
import os
from typing import Any

from sqlalchemy import create_engine, select

from bot.answers.gsm import sms_cost
from bot.answers.messages import Messages
from bot.turn.messages import Reply
from channels.render.reply import render_sms, render_telegram
from tests.support.stack import WebChat

# pytest-xdist runs the model tests in two processes (gw0, gw1): each draws from its own range, so no two tests
# of a run ever share a number or chat id, even on a shared service (PostgreSQL, the Redis lock store).
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
_numbers = itertools.count(10000 + 100000 * _WORKER)
_chats = itertools.count(700000001 + 10000000 * _WORKER)


def new_number() -> str:
    return f"+447700{next(_numbers):06d}"


def new_chat_id() -> int:
    return next(_chats)


def kind_sms(content_dir: Any, key: str) -> str:
    """What the SMS channel sends for a message of content/messages (read from the test's copy, so editors
    can change the words)."""
    return render_sms(Reply(text=Messages(content_dir / "messages").get(key, "sms"))).body


def kind_telegram(content_dir: Any, key: str) -> str:
    return render_telegram(Reply(text=Messages(content_dir / "messages").get(key, "long")))


def rows(database_url: str, model: Any, **where: Any) -> list[Any]:
    engine = create_engine(database_url, future=True)
    try:
        with engine.connect() as conn:
            query = select(model)
            for column, value in where.items():
                query = query.where(getattr(model, column) == value)
            return list(conn.execute(query).all())
    finally:
        engine.dispose()


def segments(body: str) -> int:
    return sms_cost(body).segments


# A bare topic name gets that topic's most asked answers as a menu whatever the model guesses
# (content/topic_words.yml, content/most_asked.yml), so the channels' menu tests need no model luck.
VAGUE = "jabs"
VAGUE_OPTIONS = ["immunisations/side_effects", "immunisations/pregnancy_vaccines", "immunisations/schedule"]


def clarifying_exchange(base_url: str, render: str) -> tuple[str, dict, dict]:
    """(vague text, clarify message, answer to "2") as the web chat shows them for `render`: what a parent
    on SMS or Telegram must receive for the same two messages."""
    chat = WebChat(base_url, render=render)
    (first,) = chat.send(VAGUE)
    assert first["meta"].get("kind") == "clarify", first
    assert first["meta"].get("options") == VAGUE_OPTIONS, first
    chosen = chat.send("2")[0]
    assert chosen["meta"].get("answer_id") == "immunisations/pregnancy_vaccines", chosen
    return VAGUE, first, chosen
