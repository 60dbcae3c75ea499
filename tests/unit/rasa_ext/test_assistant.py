"""bot/rasa_ext/assistant.py reads the message dict Rasa hands an output channel. The messages here are built by
Rasa's own `create_bot_utterance` and `BotUttered.message()`, so a Rasa upgrade that changes that shape fails."""

from __future__ import annotations

from rasa.core.actions.action import create_bot_utterance

from bot.rasa_ext.assistant import ReplyCollector
from bot.turn.messages import Reply


async def test_an_answer_keeps_its_text_buttons_and_our_metadata_together() -> None:
    uttered = create_bot_utterance(
        {
            "text": "Put your baby on their back to sleep.",
            "buttons": [{"title": "More", "payload": "/more"}],
            "custom": {"parentbot": {"kind": "answer", "answer_id": "safe_sleep/back_to_sleep"}},
        }
    )
    collector = ReplyCollector()
    await collector.send_response("sms:+447700900123", uttered.message())
    assert collector.replies == [
        Reply(
            text="Put your baby on their back to sleep.",
            buttons=[{"title": "More", "payload": "/more"}],
            meta={"kind": "answer", "answer_id": "safe_sleep/back_to_sleep"},
        )
    ]


async def test_a_domain_response_is_named_by_its_utter_action() -> None:
    uttered = create_bot_utterance({"text": "Sorry, I'm not sure I understood.", "utter_action": "utter_fallback"})
    collector = ReplyCollector()
    await collector.send_response("telegram:42", uttered.message())
    assert collector.replies == [
        Reply(text="Sorry, I'm not sure I understood.", meta={"kind": "response", "response": "utter_fallback"})
    ]


async def test_an_empty_message_is_not_a_reply() -> None:
    collector = ReplyCollector()
    await collector.send_response("webchat:1", create_bot_utterance({"text": None}).message())
    assert collector.replies == []
