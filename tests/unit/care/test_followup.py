"""Follow-ups while an urgent escalation is open (bot/care/followup.py, through the real turn hooks): a
minimising follow-up gets the emergency advice again; a more serious message raises the priority and alerts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.answers.messages import messages
from bot.care import escalations
from bot.care.followup import minimises
from bot.risk.matcher import RiskHit
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation, Outbox
from bot.turn.messages import NO_CONTEXT, Inbound, Reply, ScreenContext
from bot.turn.pipeline import TurnPipeline
from tests.support.escalation import MENTAL, TIER_A, TIER_B, real_turn

CONCERNING = RiskHit(category="child_at_risk", group="safeguarding", rule="bruising", tier=None, priority=2)


class WordScreen:
    """A RiskScreen stand-in: a fixed hit for a fixed word in the newest message."""

    HITS = {"battery": TIER_A, "39": TIER_B, "floppy": TIER_A, "die": MENTAL, "bruise": CONCERNING}

    def check(self, text: str, context: ScreenContext = NO_CONTEXT) -> list[RiskHit]:
        return [hit for word, hit in self.HITS.items() if word in text.split()]

    def reply(self, category: str, render: str) -> str:
        return f"route {category}"


class Answers:
    async def respond(self, channel: str, sender_id: str, text: str, metadata: dict[str, Any]) -> list[Reply]:
        return [Reply(text="answer", meta={"kind": "answer"})]


@pytest.fixture
def turn(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> TurnPipeline:
    return real_turn(monkeypatch, tmp_path, WordScreen())


def msg(text: str, sender: str = "+447700900321") -> Inbound:
    return Inbound(channel="sms", sender_id=sender, text=text, render="sms")


async def kinds(turn: TurnPipeline, text: str) -> list[tuple[str, str | None]]:
    return [(r.meta["kind"], r.meta.get("message")) for r in await turn.handle(msg(text), Answers())]


@pytest.mark.parametrize(
    "text",
    [
        "he seems fine now",
        "can I just watch him at home",
        "should I ring my mum first",
        "she's breathing normally again and smiling",
        "do we really need to go in?",
        "is it really that serious",
        "can it wait till the morning",
        "hes back to normal now",
        "I\u2019ll call my husband",
    ],
)
def test_minimising_follow_ups(text: str) -> None:
    assert minimises(text)


@pytest.mark.parametrize("text", ["ok", "we are in the ambulance", "thank you", "what is the number for 111"])
def test_ordinary_follow_ups(text: str) -> None:
    assert not minimises(text)


async def test_a_minimising_follow_up_gets_the_999_advice_again(turn: TurnPipeline) -> None:
    assert await kinds(turn, "he swallowed a button battery") == [("risk", None)]
    replies = await turn.handle(msg("he seems fine now, can I just watch him at home?"), Answers())
    assert [(r.meta["kind"], r.meta["message"]) for r in replies] == [("restated", "safety_restate_999")]
    assert replies[0].text == messages().get("safety_restate_999", "sms")
    assert replies[0].text.startswith("No: call 999 now")
    assert await kinds(turn, "should I ring my mum first") == [("restated", "safety_restate_999")]
    assert await kinds(turn, "ok we are in the car") == [("handoff_ack", None)]
    esc_id = escalations.handoff_escalation("sms", "+447700900321")
    assert esc_id is not None
    with transaction() as s:
        thread = [(m.direction, m.kind) for m in escalations.thread(s, esc_id)]
    assert thread.count(("note", "restated")) == 2


async def test_each_group_gets_its_own_advice_again(turn: TurnPipeline) -> None:
    await turn.handle(msg("she is 39 today", sender="+447700900400"), Answers())
    replies = await turn.handle(msg("can we wait till tomorrow", sender="+447700900400"), Answers())
    assert [r.meta.get("message") for r in replies] == ["safety_restate_111"]
    await turn.handle(msg("i want to die", sender="+447700900401"), Answers())
    replies = await turn.handle(msg("its fine now, no need", sender="+447700900401"), Answers())
    assert [r.meta.get("message") for r in replies] == ["safety_restate_mental_health"]


async def test_once_a_health_visitor_has_claimed_it_they_do_the_talking(turn: TurnPipeline) -> None:
    await turn.handle(msg("he swallowed a button battery"), Answers())
    esc_id = escalations.handoff_escalation("sms", "+447700900321")
    assert esc_id is not None
    escalations.claim(esc_id, "hv1")
    assert await kinds(turn, "he seems fine now") == [("handoff_ack", None)]


async def test_a_more_serious_message_raises_the_priority_and_alerts_again(turn: TurnPipeline) -> None:
    await turn.handle(msg("she is 39 today"), Answers())
    esc_id = escalations.handoff_escalation("sms", "+447700900321")
    assert await kinds(turn, "and now she is floppy") == [("risk", None)]
    with transaction() as s:
        esc = s.get(Escalation, esc_id)
        assert esc is not None and (esc.category, esc.tier, esc.priority) == ("urgent_medical_a", "A", 1)
        alerts = [r.payload["meta"]["category"] for r in s.execute(select(Outbox).order_by(Outbox.id)).scalars()]
    assert alerts == ["urgent_medical_b"] * 2 + ["urgent_medical_a"] * 2  # Telegram and SMS duty contacts
    assert escalations.handoff_escalation("sms", "+447700900321") == esc_id  # still the one conversation
