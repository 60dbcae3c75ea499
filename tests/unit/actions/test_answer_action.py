"""ActionAnswer on its own: which answer id, which events, per channel; never the wording."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import paths
from bot.actions.answer import OPTIONS_SLOT, ActionAnswer
from bot.answers.runtime import content_store

DOMAIN: dict[str, Any] = yaml.safe_load(paths.DOMAIN.read_text())


def tracker(
    ranking: list[tuple[str, float]],
    channel: str = "webchat",
    slots: dict | None = None,
    intent: str | None = None,
    entities: list | None = None,
    render: str | None = None,
    text: str = "x",
    lang: str | None = None,
) -> Tracker:
    intent_name = intent or ranking[0][0]
    latest = {
        "text": text,
        "intent": {"name": intent_name, "confidence": ranking[0][1]},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
        "entities": entities or [],
        "metadata": {**({"render": render} if render else {}), **({"lang": lang} if lang else {})},
    }
    events = [{"event": "user", "text": text, "parse_data": latest, "input_channel": channel}]
    return Tracker("s1", slots or {}, latest, events, False, None, {}, "action_listen")


async def run(t: Tracker) -> tuple[list[dict], list]:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswer().run(dispatcher, t, DOMAIN)
    return dispatcher.messages, events


def meta(message: dict) -> dict:
    return message["custom"]["parentbot"]


async def test_confident_answer_is_sent_with_its_id_and_long_body_on_web() -> None:
    messages, events = await run(tracker([("breastfeeding__enough_milk", 0.93), ("breastfeeding__how_often", 0.02)]))
    (message,) = messages
    answer = content_store().get("breastfeeding/enough_milk")
    assert meta(message)["answer_id"] == "breastfeeding/enough_milk"
    assert meta(message)["version"] == answer.version
    assert answer.body.splitlines()[0] in message["text"]
    assert SlotSet(OPTIONS_SLOT, None) in events


async def test_sms_channel_gets_the_sms_body() -> None:
    messages, _ = await run(tracker([("breastfeeding__enough_milk", 0.93)], channel="sms"))
    answer = content_store().get("breastfeeding/enough_milk")
    assert messages[0]["text"].startswith(answer.sms)
    assert answer.body.splitlines()[0] not in messages[0]["text"]


async def test_web_chat_can_preview_sms_rendering() -> None:
    messages, _ = await run(tracker([("breastfeeding__enough_milk", 0.93)], render="sms"))
    assert messages[0]["text"].startswith(content_store().get("breastfeeding/enough_milk").sms)


@pytest.mark.parametrize(("lang", "served", "start"), [("pl", "pl", "Sterylizuj butelki"), ("ur", None, "Wash and")])
async def test_a_translated_answer_is_served_in_the_familys_language_else_in_english(
    lang: str, served: str | None, start: str
) -> None:
    messages, _ = await run(tracker([("breastfeeding__sterilising", 0.93)], channel="sms", lang=lang))
    assert messages[0]["text"].startswith(start)
    assert meta(messages[0]).get("lang") == served


async def test_low_confidence_offers_closest_answers_as_numbered_buttons() -> None:
    ranking = [
        ("nlu_fallback", 0.3),
        ("safe_sleep__dummies", 0.28),
        ("oral_health__dummies_thumb", 0.25),
        ("breastfeeding__bottle_refusal", 0.1),
        ("greet", 0.05),
    ]
    messages, events = await run(tracker(ranking))
    (message,) = messages
    assert message["response"] == "utter_clarify"
    options = ["safe_sleep/dummies", "oral_health/dummies_thumb", "breastfeeding/bottle_refusal"]
    assert meta(message)["options"] == options
    assert [b["payload"] for b in message["buttons"]] == [f'/choose_option{{"option_number": {n}}}' for n in (1, 2, 3)]
    assert SlotSet(OPTIONS_SLOT, options) in events


async def test_choosing_a_number_sends_that_answer() -> None:
    t = tracker(
        [("choose_option", 1.0)],
        slots={OPTIONS_SLOT: ["safe_sleep/dummies", "oral_health/dummies_thumb"]},
        entities=[{"entity": "option_number", "value": 2}],
    )
    messages, _ = await run(t)
    assert meta(messages[0])["answer_id"] == "oral_health/dummies_thumb"


async def test_still_unsure_after_clarifying_falls_back() -> None:
    ranking = [("nlu_fallback", 0.3), ("safe_sleep__dummies", 0.2), ("oral_health__dummies_thumb", 0.19)]
    messages, _ = await run(tracker(ranking, slots={OPTIONS_SLOT: ["safe_sleep/dummies"]}))
    assert messages[0]["response"] == "utter_fallback"


async def test_very_low_confidence_falls_back() -> None:
    messages, _ = await run(tracker([("nlu_fallback", 0.3), ("out_of_scope", 0.5), ("safe_sleep__dummies", 0.02)]))
    assert messages[0]["response"] == "utter_fallback"
    assert meta(messages[0])["kind"] == "fallback"


async def test_expired_answer_is_not_served(monkeypatch: pytest.MonkeyPatch) -> None:
    store = content_store()
    real = store.get

    def expired(answer_id: str):  # type: ignore[no-untyped-def]
        answer = real(answer_id)
        return dataclasses.replace(answer, review_due=dt.date(2020, 1, 1)) if answer else None

    monkeypatch.setattr(store, "get", expired)
    messages, _ = await run(tracker([("breastfeeding__enough_milk", 0.93)]))
    assert messages[0]["response"] == "utter_answer_under_review"
    assert meta(messages[0])["kind"] == "under_review"


@pytest.mark.parametrize(("today", "kind"), [(dt.date(2026, 12, 1), "answer"), (dt.date(2099, 1, 1), "under_review")])
async def test_review_dates_are_read_against_the_clock_handed_in(today: dt.date, kind: str) -> None:
    action = ActionAnswer()
    action.today = lambda: today  # type: ignore[method-assign]  # the injected clock, as tests pin it
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker([("breastfeeding__enough_milk", 0.93)]), DOMAIN)
    assert meta(dispatcher.messages[0])["kind"] == kind


async def test_a_neighbouring_subject_gets_its_signpost_not_a_weak_answer() -> None:
    ranking = [("nlu_fallback", 0.3), ("breastfeeding__how_often", 0.25), ("greet", 0.1)]
    messages, events = await run(tracker(ranking, channel="sms", text="is it colic? he is so unsettled"))
    (message,) = messages
    assert meta(message)["kind"] == "signpost"
    assert meta(message)["answer_id"] == "signposts/colic"
    assert messages[0]["text"].startswith(content_store().get("signposts/colic").sms)
    assert SlotSet(OPTIONS_SLOT, None) in events


async def test_a_sure_answer_is_kept_even_when_a_signpost_keyword_is_there() -> None:
    messages, _ = await run(tracker([("breastfeeding__how_often", 0.95)], text="cluster feeding or colic"))
    assert meta(messages[0])["answer_id"] == "breastfeeding/how_often"


async def test_out_of_scope_without_a_signpost_keeps_its_response() -> None:
    messages, _ = await run(tracker([("out_of_scope", 0.8), ("greet", 0.1)], text="who won the football"))
    assert messages[0]["response"] == "utter_out_of_scope"
    assert meta(messages[0])["kind"] == "out_of_scope"
