"""An ordinary question in another language (issue 15, step 4): when the answer model's confidence is at or above
the answer threshold, the language's "here is our answer in English" line, the answer and the interpreter offer;
below it, or for anything but an answer, the offer alone. The assistant is a fake port with a fixed confidence."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.languages.catalogue import load_catalogue
from bot.languages.screen import MultilingualRiskScreen
from bot.languages.support import LanguageSupport
from bot.thresholds import THRESHOLDS
from bot.turn.messages import Inbound, Reply
from bot.turn.pipeline import TurnPipeline
from tests.unit.languages.test_screen import _English

PUNJABI_QUESTION = "ਬੱਚੇ ਨੂੰ ਟੀਕੇ ਕਦੋਂ ਲੱਗਦੇ ਹਨ?"
PUNJABI_LINE = "ਇਹ ਸਾਡਾ ਜਵਾਬ ਅੰਗਰੇਜ਼ੀ ਵਿੱਚ ਹੈ:"
PUNJABI_OFFER_START = "ਸਤ ਸ੍ਰੀ ਅਕਾਲ! ਅਸੀਂ ਦੁੱਧ ਚੁੰਘਾਉਣ"


class FixedAssistant:
    """The assistant port (bot/turn/ports.py): one reply of `kind` at `confidence`; records what it was asked."""

    def __init__(self, confidence: float, kind: str = "answer", lang: str | None = None) -> None:
        self.meta: dict[str, Any] = {"kind": kind, "answer_id": "immunisations/schedule", "confidence": confidence}
        if lang:
            self.meta["lang"] = lang
        self.asked: list[tuple[str, dict[str, Any]]] = []

    async def respond(self, channel: str, sender_id: str, text: str, metadata: dict[str, Any]) -> list[Reply]:
        self.asked.append((text, metadata))
        return [Reply(text="THE ANSWER", meta=dict(self.meta))]


def turn(text: str, assistant: FixedAssistant) -> list[Reply]:
    catalogue = load_catalogue()
    screen = MultilingualRiskScreen(english=_English(), languages=catalogue)  # type: ignore[arg-type]
    support = LanguageSupport(catalogue, lambda *args: None, lambda *choice: None, lambda *offer: None)
    pipeline = TurnPipeline(screen=screen, languages=support)
    return asyncio.run(pipeline.handle(Inbound("sms", "+447700900150", text, "sms"), assistant))


def test_a_sure_answer_comes_with_the_english_line_and_the_offer_after_it() -> None:
    assistant = FixedAssistant(THRESHOLDS.other_language_answer)  # at the other-language threshold: answered
    replies = turn(PUNJABI_QUESTION, assistant)
    assert [r.text for r in replies][:2] == [PUNJABI_LINE, "THE ANSWER"]
    assert replies[2].text.startswith(PUNJABI_OFFER_START)
    assert [r.meta["kind"] for r in replies] == ["english_answer", "answer", "language_support"]
    # Answer only: the model may not book a call back for a question it misread (bot/actions/escalate.py).
    assert assistant.asked == [(PUNJABI_QUESTION, {"render": "sms", "lang": "pa", "answer_only": True})]


@pytest.mark.parametrize(
    ("confidence", "kind"),
    [
        (THRESHOLDS.other_language_answer - 0.01, "answer"),
        (0.46, "answer"),  # enough for an English question (0.45), not for one in another language (0.9)
        (0.95, "clarify"),
        (0.95, "fallback"),
        (0.95, "safe_default"),
    ],
)
def test_below_the_threshold_or_not_an_answer_the_offer_alone(confidence: float, kind: str) -> None:
    replies = turn(PUNJABI_QUESTION, FixedAssistant(confidence, kind))
    assert [r.meta["kind"] for r in replies] == ["language_support"]
    assert replies[0].text.startswith(PUNJABI_OFFER_START)


def test_a_translated_answer_needs_no_english_line() -> None:
    replies = turn("jak długo trzeba sterylizować butelki dla dziecka?", FixedAssistant(0.95, lang="pl"))
    assert [r.meta["kind"] for r in replies] == ["answer", "language_support"]
    assert replies[1].text.startswith("Dzień dobry! Odpowiadamy po angielsku")


def test_a_language_choice_is_not_sent_to_the_model() -> None:
    assistant = FixedAssistant(0.9)
    replies = turn("/language pl", assistant)
    assert [r.meta["kind"] for r in replies] == ["language_support"] and assistant.asked == []


def test_a_model_escalation_shows_its_route_before_the_offer() -> None:
    # lang15 audit: the model's risk layer opened an escalation for the message; the route must reach the parent.
    replies = turn(PUNJABI_QUESTION, FixedAssistant(0.95, kind="risk"))
    assert [r.meta["kind"] for r in replies] == ["risk", "language_support"]
    assert replies[0].text == "THE ANSWER"
