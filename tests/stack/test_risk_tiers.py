"""The risk classifier and the concern tier through the real webchat webhook of the real Rasa server, with the
classifier `parentbot build` trained (.build/risk_classifier.joblib) and the real database."""

from __future__ import annotations

from typing import Any

import pytest

from bot.care import escalations
from bot.risk.screening import matcher_hits
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation
from tests.support.escalation import use_db
from tests.support.stack import WebChat

# Phrasings the matcher's rules miss (asserted below) and the classifier finds.
PLAN = "worked out when the house will be empty so i can do it, theyll all be better off"
LOW = "i feel so low, nothing makes me happy anymore since the baby"


def escalation(sender: str) -> Escalation:
    esc_id = escalations.handoff_escalation("webchat", sender)
    assert esc_id is not None, "no escalation recorded"
    with transaction() as s:
        esc = s.get(Escalation, esc_id)
        assert esc is not None
        s.expunge(esc)
        return esc


def test_a_phrasing_only_the_classifier_catches_escalates(
    stack: Any, stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_db(monkeypatch, stack_env["DATABASE_URL"])
    assert matcher_hits([PLAN]) == []
    chat = WebChat(stack.url)
    first = chat.send(PLAN)
    assert (first[0]["meta"]["kind"], first[0]["meta"]["layer"], first[0]["meta"]["group"]) == (
        "risk",
        "classifier",
        "mental_health",
    )
    assert "116 123" in first[0]["text"] and "999" in first[0]["text"]
    esc = escalation(chat.sender)
    assert (esc.group, esc.layer, esc.tier, esc.priority) == ("mental_health", "classifier", "concern", 8)
    assert [w["text"] for w in esc.parent_words] == [PLAN]


def test_a_concern_tier_family_keeps_getting_answers(
    stack: Any, stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_db(monkeypatch, stack_env["DATABASE_URL"])
    assert matcher_hits([LOW]) == []
    chat = WebChat(stack.url)
    first = chat.send(LOW)
    assert (first[0]["meta"]["kind"], first[0]["meta"]["tier"]) == ("risk", "concern")
    assert "option 2" in first[0]["text"]
    later = chat.send("how do i no if baby is getting enough milk")
    assert [m["meta"].get("answer_id") for m in later] == ["breastfeeding/enough_milk"]
    again = chat.send("how many wet nappies should a newborn have")
    assert [m["meta"].get("answer_id") for m in again] == ["breastfeeding/enough_milk"]
    esc = escalation(chat.sender)
    assert (esc.tier, esc.status) == ("concern", "open")
    with transaction() as s:
        texts = [m.text for m in escalations.thread(s, esc.id) if m.direction == "in"]
    # The health visitor sees what followed (the assistant's replies are on the thread too, direction "out").
    assert texts[-1] == "how many wet nappies should a newborn have"
