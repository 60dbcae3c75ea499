"""ActionEscalate: the model layer of the risk screen (intent risk__<category>), and ActionRequestPerson.

The deterministic matcher usually fires first, in the channel, before Rasa sees the message. This action
covers what only the model caught: it sends the category's first reply from content/risk/ and records the
escalation through the same store as the matcher path.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.answer import ActionAnswer, render_mode
from bot.care import escalations, turns
from bot.care.service_hours import out_of_hours_text
from bot.risk.matcher import RiskHit
from bot.risk.screening import MODEL_RISK_CONFIDENCE, risk_screen
from bot.training.compile import RISK_INTENT_PREFIX
from bot.turn.keys import parse_conversation_key
from bot.turn.messages import ANSWER_ONLY

log = logging.getLogger(__name__)
RECENT_MESSAGES = 3


async def facts_of(tracker: Tracker) -> escalations.Facts | None:
    """The escalation's facts, its reply address from our own record of the turn in flight (bot/care/turns.py),
    never from the tracker (whoever reaches the action server can write any channel into one); None when we
    are answering no turn for this conversation."""
    key = str(tracker.sender_id)
    try:
        channel, sender_id = parse_conversation_key(key)  # "sms:+44...": the raw id is the reply address
    except ValueError:
        log.error("escalation not recorded: the tracker's conversation is not one of our keys")
        return None
    try:
        in_flight = await asyncio.to_thread(turns.channel_of, key)
    except Exception as err:
        log.error("turn in flight unreadable (%s)", type(err).__name__)
        return None
    if in_flight != channel:
        return None
    return escalations.Facts(
        channel=channel,
        sender_id=sender_id,
        text=str(tracker.latest_message.get("text") or ""),
        render=render_mode(tracker),
    )


def recent_texts(tracker: Tracker) -> list[str]:
    texts = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]
    return texts[-RECENT_MESSAGES:]


async def record(
    facts: escalations.Facts | None,
    hit: RiskHit,
    messages: list[str],
    layer: str,
    reply_kind: str,
    answer_ids: list[str],
) -> int | None:
    if facts is None:
        # A request for a conversation we are not answering: forged, or a turn far past its time.
        log.error("escalation (%s) not recorded: no turn of ours in flight for this conversation", layer)
        return None
    try:
        opened = await asyncio.to_thread(
            escalations.open_escalation,
            facts,
            [hit],
            messages,
            layer=layer,
            reply_kind=reply_kind,
            answer_ids=answer_ids,
        )
        return opened.escalation_id
    except Exception:
        # The parent still gets the route (risk) or the callback message; the error is logged for staff.
        log.exception("escalation (%s) failed to record", layer)
        return None


class ActionEscalate(Action):
    def name(self) -> str:
        return "action_escalate"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        parsed = tracker.latest_message.get("intent") or {}
        intent = str(parsed.get("name") or "")
        if intent.startswith(RISK_INTENT_PREFIX) and float(parsed.get("confidence") or 0) < MODEL_RISK_CONFIDENCE:
            # The rule fires on any risk intent, but the model alone escalates only when it is this sure
            # (measured false alarms: bot/risk/screening.py). Below it, answer as for any other message: the
            # deterministic matcher has already screened this text and found nothing.
            return await ActionAnswer().run(dispatcher, tracker, domain)
        name = intent[len(RISK_INTENT_PREFIX) :] if intent.startswith(RISK_INTENT_PREFIX) else "safe_default"
        category = risk_screen().category(name)
        render = render_mode(tracker)
        text = category.reply_sms if render == "sms" else category.reply
        dispatcher.utter_message(
            text=text,
            json_message={
                "parentbot": {
                    "kind": "risk",
                    "categories": [name],
                    "rules": ["model"],
                    "group": category.group,
                    "layer": "model",
                }
            },
        )
        if name == "safe_default":
            return []
        hit = RiskHit(category=name, group=category.group, rule="model", tier=category.tier, priority=category.priority)
        await record(await facts_of(tracker), hit, recent_texts(tracker), "model", "risk", [f"risk/{name}"])
        note = out_of_hours_text(render)
        if note:  # after the route, never instead of it
            dispatcher.utter_message(text=note, json_message={"parentbot": {"kind": "out_of_hours"}})
        return []


class ActionRequestPerson(Action):
    def name(self) -> str:
        return "action_request_person"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if (tracker.latest_message.get("metadata") or {}).get(ANSWER_ONLY):
            # A question in another language, sent to the model only for an answer to show beside the interpreter
            # offer (bot/turn/pipeline.py): a model trained on English taking it for "ask for a person" must not
            # book a call back the parent never asked for. The offer in their language is their way to a person.
            return []
        dispatcher.utter_message(
            response="utter_request_person", json_message={"parentbot": {"kind": "handoff_request"}}
        )
        facts = await facts_of(tracker)
        words = [str(tracker.latest_message.get("text") or "")]
        await record(facts, escalations.callback_hit(), words, "request", "handoff_request", ["utter_request_person"])
        return []
