"""TurnPipeline with the real Escalations and Handoffs (bot/care/turn_hooks.py) on a temporary database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.care import escalations
from bot.care.turn_hooks import Escalations, Handoffs
from bot.rasa_ext.assistant import RasaAssistant
from bot.risk.matcher import RiskHit
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation
from bot.turn.messages import NO_CONTEXT, Inbound, ScreenContext
from bot.turn.pipeline import TurnPipeline
from tests.support.escalation import BlueScreen, real_turn, use_temp_db


class FakeRasa(RasaAssistant):
    """Rasa's on_new_message stand-in, behind the real adapter (its collector is what the channels use)."""

    def __init__(self) -> None:
        super().__init__(self.receive)
        self.calls: list[str] = []

    async def receive(self, message: Any) -> None:
        self.calls.append(message.text)
        await message.output_channel.send_response(
            message.sender_id, {"text": "answer", "custom": {"parentbot": {"kind": "answer"}}}
        )


@pytest.fixture
def turn(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> TurnPipeline:
    return real_turn(monkeypatch, tmp_path, BlueScreen())


def msg(text: str, sender: str = "web-1") -> Inbound:
    return Inbound(channel="webchat", sender_id=sender, text=text, render="long")


def n_escalations() -> int:
    with transaction() as s:
        return int(s.execute(select(func.count()).select_from(Escalation)).scalar_one())


async def test_risk_opens_handoff_and_later_messages_skip_rasa(turn: TurnPipeline) -> None:
    rasa = FakeRasa()
    first = await turn.handle(msg("his lips are blue"), rasa)
    assert [r.meta["kind"] for r in first] == ["risk"]
    esc_id = escalations.handoff_escalation("webchat", "web-1")
    assert esc_id is not None
    later = await turn.handle(msg("we are on our way in the car"), rasa)
    assert [(r.meta["kind"], r.meta["escalation_id"]) for r in later] == [("handoff_ack", esc_id)]
    assert rasa.calls == []
    with transaction() as s:
        assert [m.text for m in escalations.thread(s, esc_id) if m.direction == "in"][
            -1
        ] == "we are on our way in the car"
    other = await turn.handle(msg("how often should I feed", sender="web-2"), rasa)
    assert [r.meta["kind"] for r in other] == ["answer"] and rasa.calls == ["how often should I feed"]


async def test_risk_during_handoff_still_gets_the_emergency_route(turn: TurnPipeline) -> None:
    rasa = FakeRasa()
    await turn.handle(msg("his lips are blue"), rasa)
    await turn.handle(msg("ok"), rasa)
    again = await turn.handle(msg("now they are blue again"), rasa)
    assert [r.meta["kind"] for r in again] == ["risk"]
    assert n_escalations() == 1


async def test_handoff_ends_when_the_health_visitor_closes(turn: TurnPipeline) -> None:
    rasa = FakeRasa()
    await turn.handle(msg("his lips are blue"), rasa)
    esc_id = escalations.handoff_escalation("webchat", "web-1")
    assert esc_id is not None
    escalations.close(esc_id, "hv1", "called back, baby seen in A&E")
    replies = await turn.handle(msg("thanks"), rasa)
    assert [r.meta["kind"] for r in replies] == ["answer"]


async def test_out_of_hours_note_follows_the_route_never_replaces_it(
    turn: TurnPipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.care.service_hours.in_service_hours", lambda spec, now=None: False)
    replies = await turn.handle(msg("his lips are blue"), FakeRasa())
    assert [r.meta["kind"] for r in replies] == ["risk", "out_of_hours"]
    assert replies[0].text == "route urgent_medical_a"
    assert replies[1].meta["escalation_id"] == escalations.handoff_escalation("webchat", "web-1")


async def test_database_down_still_sends_the_route_and_answers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    use_temp_db(monkeypatch, tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{blocker}/db.sqlite")  # cannot be created
    from bot.settings import get_settings

    get_settings.cache_clear()
    turn = TurnPipeline(screen=BlueScreen(), escalations=Escalations(), handoffs=Handoffs())
    rasa = FakeRasa()
    assert [r.meta["kind"] for r in await turn.handle(msg("his lips are blue"), rasa)] == ["risk"]
    assert [r.meta["kind"] for r in await turn.handle(msg("how often to feed"), rasa)] == ["answer"]


class BrokenRasa(RasaAssistant):
    """Rasa failing as it does when the model or the action server is down: an error, or no answer in time."""

    def __init__(self, hang: bool) -> None:
        super().__init__(self.receive)
        self.hang = hang

    async def receive(self, message: Any) -> None:
        if self.hang:
            import asyncio

            await asyncio.sleep(30)
        raise ConnectionError("action server unreachable")


@pytest.mark.parametrize("hang", [False, True], ids=["error", "timeout"])
async def test_rasa_failure_gives_the_safe_default_and_the_risk_route_needs_no_rasa(
    turn: TurnPipeline, hang: bool
) -> None:
    turn.timeout_s = 0.2
    assert [r.meta["kind"] for r in await turn.handle(msg("how often to feed", "web-9"), BrokenRasa(hang))] == [
        "safe_default"
    ]
    replies = await turn.handle(msg("his lips are blue", "web-9"), BrokenRasa(hang))
    assert [r.meta["kind"] for r in replies] == ["risk"]
    assert escalations.handoff_escalation("webchat", "web-9") is not None


async def test_screen_failure_gives_the_safe_default(turn: TurnPipeline) -> None:
    class Broken(BlueScreen):
        def check(self, text: str, context: ScreenContext = NO_CONTEXT) -> list[RiskHit]:
            raise RuntimeError("rules failed to load")

    turn.screen = Broken()
    assert [r.meta["kind"] for r in await turn.handle(msg("his lips are blue"), FakeRasa())] == ["safe_default"]


async def test_what_the_family_was_sent_is_on_their_thread_in_order(turn: TurnPipeline) -> None:
    from bot.storage.models.escalation import EscalationMessage

    rasa = FakeRasa()
    await turn.handle(msg("what time is it", sender="web-2"), rasa)  # no escalation: nothing recorded
    await turn.handle(msg("his lips are blue", sender="web-2"), rasa)
    await turn.handle(msg("we are on our way in the car", sender="web-2"), rasa)
    esc_id = escalations.handoff_escalation("webchat", "web-2")
    with transaction() as s:
        rows = s.execute(
            select(EscalationMessage.direction, EscalationMessage.kind, EscalationMessage.answer_id)
            .where(EscalationMessage.escalation_id == esc_id)
            .order_by(EscalationMessage.at, EscalationMessage.id)
        ).all()
        route, _ack = s.execute(select(EscalationMessage.text).where(EscalationMessage.direction == "bot")).scalars()
        assert route == "route urgent_medical_a"  # the route's words, as sent (BlueScreen's)
    assert [tuple(r) for r in rows] == [
        ("in", "risk", None),
        ("bot", "risk", "risk/urgent_medical_a"),
        ("in", "message", None),
        ("bot", "handoff_ack", None),
    ]
