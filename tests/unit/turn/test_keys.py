"""The conversation key (issue 13, item 3): one name per family per channel."""

from __future__ import annotations

import pytest

from bot.turn.keys import conversation_key, parse_conversation_key


def test_the_same_digits_on_sms_and_telegram_are_two_conversations() -> None:
    assert conversation_key("sms", "447700900123") == "sms:447700900123"
    assert conversation_key("telegram", "447700900123") == "telegram:447700900123"
    assert conversation_key("webchat", "+447700900123") == "webchat:+447700900123"


def test_a_key_gives_back_its_channel_and_raw_reply_address() -> None:
    assert parse_conversation_key("sms:+447700900123") == ("sms", "+447700900123")
    assert parse_conversation_key("webchat:a:b") == ("webchat", "a:b")


@pytest.mark.parametrize("key", ["+447700900123", "email:someone", "sms:", ":123", ""])
def test_anything_else_is_not_a_key(key: str) -> None:
    with pytest.raises(ValueError):
        parse_conversation_key(key)


def test_no_key_for_an_unknown_channel_or_an_empty_id() -> None:
    with pytest.raises(ValueError):
        conversation_key("email", "x")
    with pytest.raises(ValueError):
        conversation_key("sms", "")
