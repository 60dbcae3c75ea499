"""ActionEscalate: the model layer of the risk screen (intent risk__<category>), and ActionRequestPerson.

The deterministic matcher usually fires first, in the channel, before Rasa sees the message. This action
covers what only the model caught: it sends the category's first reply from content/risk/ and records the
escalation through the same store as the matcher path.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.answer import render_mode
from bot.content.compile import RISK_INTENT_PREFIX
from bot.screening import risk_screen


class ActionEscalate(Action):
    def name(self) -> str:
        return "action_escalate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        intent = str((tracker.latest_message.get("intent") or {}).get("name") or "")
        name = intent[len(RISK_INTENT_PREFIX):] if intent.startswith(RISK_INTENT_PREFIX) else "safe_default"
        category = risk_screen().category(name)
        text = category.reply_sms if render_mode(tracker) == "sms" else category.reply
        dispatcher.utter_message(text=text, json_message={"parentbot": {
            "kind": "risk", "categories": [name], "rules": ["model"], "group": category.group, "layer": "model"}})
        return []


class ActionRequestPerson(Action):
    def name(self) -> str:
        return "action_request_person"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(response="utter_request_person",
                                 json_message={"parentbot": {"kind": "handoff_request"}})
        return []
