"""The concern tier through TurnPipeline with the real Escalations and Handoffs on a temporary database: a low-
priority escalation is recorded, the family keeps getting answers until a health visitor claims it, and a later
emergency raises it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.care import escalations
from bot.risk.matcher import RiskHit
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation
from bot.turn.messages import NO_CONTEXT, ScreenContext
from bot.turn.pipeline import TurnPipeline
from tests.support.escalation import TIER_A, real_turn
from tests.unit.turn.test_turns_handoff import FakeRasa, msg

CONCERN_HIT = RiskHit("concern_mental_health", "mental_health", "classifier", "concern", 8)


class ConcernScreen:
    """A concern hit when the message says "low", tier A when it says "blue"."""

    def check(self, text: str, context: ScreenContext = NO_CONTEXT) -> list[RiskHit]:
        if "blue" in text:
            return [TIER_A]
        return [CONCERN_HIT] if "low" in text else []

    def reply(self, category: str, render: str) -> str:
        return f"route {category}"


@pytest.fixture
def turn(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> TurnPipeline:
    return real_turn(monkeypatch, tmp_path, ConcernScreen())


async def test_a_concern_replies_records_low_priority_and_still_answers(turn: TurnPipeline) -> None:
    rasa = FakeRasa()
    first = await turn.handle(msg("feeling so low, how often should he feed"), rasa)
    assert [(r.meta["kind"], r.text) for r in first] == [("risk", "route concern_mental_health"), ("answer", "answer")]
    assert first[0].meta["tier"] == "concern" and first[0].meta["layer"] == "classifier"
    esc_id = escalations.handoff_escalation("webchat", "web-1")
    assert esc_id is not None
    with transaction() as s:
        esc = s.get(Escalation, esc_id)
        assert (esc.tier, esc.priority, esc.status, esc.layer) == ("concern", 8, "open", "classifier")
    later = await turn.handle(msg("and what tog sleeping bag"), rasa)
    assert [r.meta["kind"] for r in later] == ["answer"]
    assert rasa.calls == ["feeling so low, how often should he feed", "and what tog sleeping bag"]
    with transaction() as s:
        assert [m.text for m in escalations.thread(s, esc_id) if m.direction == "in"][-1] == "and what tog sleeping bag"


async def test_once_claimed_the_health_visitor_holds_the_conversation(turn: TurnPipeline) -> None:
    rasa = FakeRasa()
    await turn.handle(msg("feeling so low"), rasa)
    esc_id = escalations.handoff_escalation("webchat", "web-1")
    assert esc_id is not None
    escalations.claim(esc_id, "hv1")
    later = await turn.handle(msg("what tog sleeping bag"), rasa)
    assert [(r.meta["kind"], r.meta["escalation_id"]) for r in later] == [("handoff_ack", esc_id)]
    assert rasa.calls == ["feeling so low"]


async def test_an_emergency_after_a_concern_raises_the_same_escalation(turn: TurnPipeline) -> None:
    rasa = FakeRasa()
    await turn.handle(msg("feeling so low"), rasa)
    esc_id = escalations.handoff_escalation("webchat", "web-1")
    again = await turn.handle(msg("his lips are blue"), rasa)
    assert [r.meta["kind"] for r in again] == ["risk"]
    assert escalations.handoff_escalation("webchat", "web-1") == esc_id
    with transaction() as s:
        esc = s.get(Escalation, esc_id)
        assert (esc.tier, esc.priority) == (TIER_A.tier, TIER_A.priority)
    after = await turn.handle(msg("what tog sleeping bag"), rasa)
    assert [r.meta["kind"] for r in after] == ["handoff_ack"]


def test_a_concern_is_not_re_alerted_and_sorts_after_the_emergency_tiers() -> None:
    from bot.care.escalations import CALLBACK_PRIORITY, target_minutes_for

    assert target_minutes_for("concern_safeguarding") is None
    assert 3 < CONCERN_HIT.priority < CALLBACK_PRIORITY


async def test_a_concern_after_an_emergency_is_acknowledged_not_answered_with_the_numbers_again(
    turn: TurnPipeline,
) -> None:
    rasa = FakeRasa()
    await turn.handle(msg("his lips are blue"), rasa)
    esc_id = escalations.handoff_escalation("webchat", "web-1")
    later = await turn.handle(msg("he seems a bit low now"), rasa)
    assert [(r.meta["kind"], r.meta["escalation_id"]) for r in later] == [("handoff_ack", esc_id)]
    assert rasa.calls == []
    with transaction() as s:
        assert (s.get(Escalation, esc_id).tier, s.get(Escalation, esc_id).priority) == (TIER_A.tier, TIER_A.priority)
