"""ActionEscalate (model layer) and ActionRequestPerson (callback) record escalations through bot/escalations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from bot import paths
from bot.actions.escalate import ActionEscalate, ActionRequestPerson
from bot.care import escalations, turns
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation
from bot.training.compile import RISK_INTENT_PREFIX
from tests.support.escalation import use_temp_db

DOMAIN: dict[str, Any] = yaml.safe_load(paths.DOMAIN.read_text())


def tracker(
    intent: str,
    text: str,
    channel: str = "telegram",
    earlier: tuple[str, ...] = (),
    key: str = "telegram:chat-42",
    metadata: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker as Rasa sends it: its sender id is the conversation key, channel:id (bot/turn/keys.py)."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [], "metadata": metadata or {}}
    events = [{"event": "user", "text": t, "input_channel": channel} for t in earlier]
    events.append({"event": "user", "text": text, "parse_data": latest, "input_channel": channel})
    return Tracker(key, {}, latest, events, False, None, {}, "action_listen")


def kinds(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["custom"]["parentbot"]["kind"] for m in dispatcher.messages]


def only_escalation() -> Escalation:
    with transaction() as s:
        [esc] = s.execute(select(Escalation)).scalars().all()
        return esc


@pytest.fixture(autouse=True)
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_temp_db(monkeypatch, tmp_path)
    monkeypatch.setattr("bot.care.service_hours.in_service_hours", lambda spec, now=None: True)


async def test_model_layer_records_a_model_escalation() -> None:
    turns.begin("telegram:chat-42", "telegram")  # the channel's turn in flight (bot/rasa_ext/assistant.py writes it)
    dispatcher = CollectingDispatcher()
    t = tracker(
        f"{RISK_INTENT_PREFIX}mental_health", "everyone would be happier if i wasnt here", earlier=("i am so tired",)
    )
    await ActionEscalate().run(dispatcher, t, DOMAIN)
    assert kinds(dispatcher) == ["risk"]
    esc = only_escalation()
    assert (esc.category, esc.group, esc.layer, esc.rule, esc.channel, esc.sender_id) == (
        "mental_health",
        "mental_health",
        "model",
        "model",
        "telegram",
        "chat-42",
    )
    assert [w["text"] for w in esc.parent_words] == ["i am so tired", "everyone would be happier if i wasnt here"]
    assert esc.answer_ids == ["risk/mental_health"]
    assert escalations.handoff_escalation("telegram", "chat-42") == esc.id


async def test_model_layer_out_of_hours_adds_the_note_after_the_route(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.care.service_hours.in_service_hours", lambda spec, now=None: False)
    dispatcher = CollectingDispatcher()
    await ActionEscalate().run(dispatcher, tracker(f"{RISK_INTENT_PREFIX}mental_health", "x"), DOMAIN)
    assert kinds(dispatcher) == ["risk", "out_of_hours"]


async def test_model_layer_still_replies_when_the_database_is_down(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def down(*args: object, **kwargs: object) -> None:
        raise OSError("database unreachable")

    monkeypatch.setattr("bot.care.escalations.open_escalation", down)
    dispatcher = CollectingDispatcher()
    await ActionEscalate().run(dispatcher, tracker(f"{RISK_INTENT_PREFIX}mental_health", "x"), DOMAIN)
    assert kinds(dispatcher) == ["risk"]


async def test_request_person_opens_a_callback_through_the_same_path() -> None:
    turns.begin("sms:chat-42", "sms")
    dispatcher = CollectingDispatcher()
    await ActionRequestPerson().run(
        dispatcher, tracker("ask_for_person", "can i speak to a real person", channel="sms", key="sms:chat-42"), DOMAIN
    )
    assert kinds(dispatcher) == ["handoff_request"]
    esc = only_escalation()
    assert (esc.category, esc.group, esc.layer, esc.reply_kind, esc.answer_ids, esc.records_hold) == (
        "callback",
        "callback",
        "request",
        "handoff_request",
        ["utter_request_person"],
        False,
    )
    assert escalations.handoff_escalation("sms", "chat-42") == esc.id


async def test_an_unsure_model_does_not_escalate_on_its_own() -> None:
    # Below MODEL_RISK_CONFIDENCE the model's risk intent is not enough ("a fit of giggles"): the message is
    # answered like any other and no escalation is written.
    latest = {
        "text": "she had a fit of giggles in the bath",
        "entities": [],
        "metadata": {},
        "intent": {"name": f"{RISK_INTENT_PREFIX}urgent_medical_a", "confidence": 0.7},
        "intent_ranking": [
            {"name": f"{RISK_INTENT_PREFIX}urgent_medical_a", "confidence": 0.7},
            {"name": "out_of_scope", "confidence": 0.2},
        ],
    }
    events = [{"event": "user", "text": latest["text"], "parse_data": latest, "input_channel": "webchat"}]
    dispatcher = CollectingDispatcher()
    await ActionEscalate().run(
        dispatcher, Tracker("chat-7", {}, latest, events, False, None, {}, "action_listen"), DOMAIN
    )
    assert kinds(dispatcher) == ["fallback"]
    with transaction() as s:
        assert s.execute(select(Escalation)).scalars().all() == []


async def test_the_reply_address_is_ours_not_the_trackers() -> None:
    """Issue 13, item 4: a tracker claiming another channel does not choose where replies go."""
    turns.begin("telegram:chat-42", "telegram")
    await ActionRequestPerson().run(
        CollectingDispatcher(), tracker("ask_for_person", "can i speak to a real person", channel="sms"), DOMAIN
    )
    assert (only_escalation().channel, only_escalation().sender_id) == ("telegram", "chat-42")
    assert escalations.handoff_escalation("sms", "chat-42") is None


async def test_a_request_for_a_conversation_with_no_turn_in_flight_records_nothing() -> None:
    """A forged call (or one long after its turn): the action still answers, no escalation is opened."""
    dispatcher = CollectingDispatcher()
    await ActionEscalate().run(dispatcher, tracker(f"{RISK_INTENT_PREFIX}mental_health", "x"), DOMAIN)
    assert kinds(dispatcher) == ["risk"]
    turns.begin("telegram:chat-42", "telegram")
    turns.end("telegram:chat-42")
    await ActionRequestPerson().run(CollectingDispatcher(), tracker("ask_for_person", "a person please"), DOMAIN)
    with transaction() as s:
        assert s.execute(select(Escalation)).scalars().all() == []


async def test_a_tracker_keyed_by_a_bare_id_records_nothing() -> None:
    """Issue 13, item 3: every turn of ours is keyed channel:id; a bare id (a forged call, or a tracker from
    before the keys) names no channel, so it cannot choose one, even with a turn in flight under that name."""
    turns.begin("chat-42", "telegram")
    await ActionRequestPerson().run(
        CollectingDispatcher(), tracker("ask_for_person", "a person please", key="chat-42"), DOMAIN
    )
    with transaction() as s:
        assert s.execute(select(Escalation)).scalars().all() == []


async def test_the_escalation_is_addressed_to_the_raw_id_of_the_key() -> None:
    """The key is Rasa's name for the conversation; replies go to the number itself."""
    turns.begin("sms:+447700900123", "sms")
    await ActionRequestPerson().run(
        CollectingDispatcher(),
        tracker("ask_for_person", "a person please", channel="sms", key="sms:+447700900123"),
        DOMAIN,
    )
    assert (only_escalation().channel, only_escalation().sender_id) == ("sms", "+447700900123")


async def test_a_question_in_another_language_sent_for_an_answer_only_books_no_call_back() -> None:
    """Issue 15 audit: an ordinary Polish question reaches the model for an answer beside the interpreter offer;
    taken for ask_for_person it must not open a call back (nor reply: the turn keeps only answers)."""
    turns.begin("telegram:chat-42", "telegram")
    dispatcher = CollectingDispatcher()
    polish = "czy moge porozmawiac o karmieniu piersia"
    await ActionRequestPerson().run(
        dispatcher, tracker("ask_for_person", polish, metadata={"answer_only": True}), DOMAIN
    )
    assert dispatcher.messages == []
    with transaction() as s:
        assert s.execute(select(Escalation)).scalars().all() == []
    # The same message without the flag (an English-path turn) books the call back as before.
    await ActionRequestPerson().run(CollectingDispatcher(), tracker("ask_for_person", polish), DOMAIN)
    assert only_escalation().category == "callback"
