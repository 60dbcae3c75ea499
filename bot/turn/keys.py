"""The conversation key: channel and sender id together, the one name of a family's conversation (issue 13, item 3).

A phone number, a Telegram chat id and a web chat session are ids in different spaces: the same digits on two
channels are two families. Rasa keys its trackers (slots, options, history) and the lock store by the sender
id alone, so every conversation is handed to Rasa as `channel:id` ("sms:+447700900123", "telegram:700123456"),
and the action server reads the channel and the reply address back from it. Our own tables keep channel and
sender id in two columns; the outbound address is always the raw id.
"""

from __future__ import annotations

# Every channel that runs a turn. A key naming another is not one of ours (a forged or a pre-key tracker).
CHANNELS = frozenset({"sms", "telegram", "webchat"})
SEPARATOR = ":"


def conversation_key(channel: str, sender_id: str) -> str:
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if not sender_id:
        raise ValueError("empty sender id")
    return f"{channel}{SEPARATOR}{sender_id}"


def parse_conversation_key(key: str) -> tuple[str, str]:
    """(channel, sender id) of a key; ValueError when it is not one `conversation_key` makes."""
    channel, sep, sender_id = key.partition(SEPARATOR)
    if not sep or channel not in CHANNELS or not sender_id:
        raise ValueError("not a conversation key")
    return channel, sender_id
