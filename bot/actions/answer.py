"""ActionAnswer: runs for every answer intent, for low-confidence messages and for a numbered choice.

It picks the curated answer (or offers the closest ones, or says what the service covers) and renders it for
the channel: the SMS body on SMS, the long body on Telegram and the web chat. Wording comes from content/ at
run time, so an editor's change is live without retraining. Copy that is not an answer lives in domain.yml.
"""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.answers.context import LastAnswer, read_in_context
from bot.answers.decision import Decision, decide_message
from bot.answers.model import Answer
from bot.answers.render import answer_text
from bot.answers.runtime import answer_hints, content_store, most_asked, question_index, signposts, topic_words
from bot.answers.vague import topic_menu
from bot.clock import Clock, content_today

OPTIONS_SLOT = "answer_options"
LAST_SLOT = "last_answer"  # the last answer sent or first option offered: a follow-up is read in its topic
OPTION_ENTITY = "option_number"
CHOOSE_INTENT = "choose_option"


def render_mode(tracker: Tracker) -> str:
    """'sms' or 'long'. The web chat can ask for either (metadata.render) to preview a channel."""
    metadata = tracker.latest_message.get("metadata") or {}
    if metadata.get("render") in ("sms", "long"):
        return str(metadata["render"])
    return "sms" if tracker.get_latest_input_channel() == "sms" else "long"


def meta(kind: str, answer: Answer | None = None, **extra: Any) -> dict[str, Any]:
    """Machine-readable facts about a reply: the channels and the theme log read these, tests assert them."""
    data: dict[str, Any] = {"kind": kind, **extra}
    if answer is not None:
        data.update(answer_id=answer.id, topic=answer.topic, version=answer.version)
    return {"parentbot": data}


class ActionAnswer(Action):
    # Review dates are read against this clock (tests hand in a fixed date).
    today: Clock = staticmethod(content_today)

    def name(self) -> str:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == CHOOSE_INTENT:
            return self.choose(dispatcher, tracker, domain)
        text = str(tracker.latest_message.get("text") or "")
        ranking = tracker.latest_message.get("intent_ranking") or []
        signpost, hints = signposts().match(text), answer_hints().matches(text)
        decision = read_in_context(
            ranking, signpost, text, self.last_answer(tracker), question_index(), most_asked(), hints=hints
        )
        menu = None if tracker.get_slot(OPTIONS_SLOT) else topic_menu(text, topic_words(), most_asked())
        if menu is not None:
            decision = menu
        if decision.kind == "clarify" and tracker.get_slot(OPTIONS_SLOT):
            # Still unsure after offering choices once: no second menu. A message the model alone is sure of
            # is answered ("and how do i brush" after a menu); otherwise say what we cover instead of guessing.
            alone = decide_message(ranking, signpost, most_asked=most_asked(), hints=hints)
            decision = alone if alone.kind == "answer" else Decision("fallback", (), decision.confidence)
        if decision.kind == "answer":
            return self.send_answer(dispatcher, tracker, domain, decision.answer_ids[0], decision.confidence)
        if decision.kind == "signpost":
            return self.send_answer(
                dispatcher, tracker, domain, decision.answer_ids[0], decision.confidence, "signpost"
            )
        if decision.kind == "clarify":
            return self.clarify(dispatcher, decision)
        if decision.kind == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope", json_message=meta("out_of_scope"))
            return [SlotSet(OPTIONS_SLOT, None)]
        dispatcher.utter_message(response="utter_fallback", json_message=meta("fallback"))
        return [SlotSet(OPTIONS_SLOT, None)]

    @staticmethod
    def last_answer(tracker: Tracker) -> LastAnswer | None:
        answer_id = tracker.get_slot(LAST_SLOT)
        answer = content_store().get(str(answer_id)) if answer_id else None
        return LastAnswer(answer.id, answer.title, f"{' '.join(answer.questions)} {answer.body}") if answer else None

    def send_answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
        answer_id: str,
        confidence: float,
        kind: str = "answer",
    ) -> list[EventType]:
        answer = content_store().get(answer_id)
        if answer is None or answer.expired(self.today()):
            # Never serve an answer past its review date: say it is being checked and signpost.
            dispatcher.utter_message(
                response="utter_answer_under_review", json_message=meta("under_review", answer, answer_id=answer_id)
            )
            return [SlotSet(OPTIONS_SLOT, None)]
        mode = render_mode(tracker)
        # The family's language (the turn's, bot/turn/pipeline.py): its translation of the answer when there is one.
        lang = (tracker.latest_message.get("metadata") or {}).get("lang")
        served = answer.text("sms" if mode == "sms" else "body", lang if isinstance(lang, str) else None)[1]
        dispatcher.utter_message(
            text=answer_text(answer, mode, domain, served),
            json_message=meta(kind, answer, confidence=round(confidence, 4), **({"lang": served} if served else {})),
        )
        return [SlotSet(OPTIONS_SLOT, None), SlotSet(LAST_SLOT, answer.id)]

    def clarify(self, dispatcher: CollectingDispatcher, decision: Decision) -> list[EventType]:
        store = content_store()
        buttons = []
        for number, answer_id in enumerate(decision.answer_ids, start=1):
            answer = store.get(answer_id)
            title = answer.title if answer else answer_id
            payload = "/" + CHOOSE_INTENT + json.dumps({OPTION_ENTITY: number})
            buttons.append({"title": title, "payload": payload})
        dispatcher.utter_message(
            response="utter_clarify", buttons=buttons, json_message=meta("clarify", options=list(decision.answer_ids))
        )
        return [SlotSet(OPTIONS_SLOT, list(decision.answer_ids)), SlotSet(LAST_SLOT, decision.answer_ids[0])]

    def choose(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        options = tracker.get_slot(OPTIONS_SLOT) or []
        number = next(tracker.get_latest_entity_values(OPTION_ENTITY), None)
        try:
            index = int(str(number)) - 1
        except (TypeError, ValueError):
            index = -1
        if 0 <= index < len(options):
            return self.send_answer(dispatcher, tracker, domain, options[index], 1.0)
        dispatcher.utter_message(response="utter_fallback", json_message=meta("fallback"))
        return [SlotSet(OPTIONS_SLOT, None)]
