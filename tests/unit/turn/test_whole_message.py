"""Every word screened: the risk screen reads the whole message; only the model's copy is cut."""

from __future__ import annotations

from bot.risk.matcher import RiskHit
from bot.turn.messages import NO_CONTEXT, Inbound, ScreenContext
from bot.turn.pipeline import MODEL_INPUT_CHARS, TurnPipeline
from channels.intake import clean_input
from tests.support.escalation import TIER_A, RecordingRasa

# 300 characters of an ordinary feeding question, ten times over, then a disclosure at the very end.
ORDINARY = (
    "She feeds every two hours in the day and a bit less at night, and I am never sure if she is getting "
    "enough because she falls asleep on the breast after five minutes and then wakes up crying again, so I "
    "swap sides and try to keep her awake by tickling her feet and changing her nappy halfway through. "
)
LONG = ORDINARY * 10 + "Last thing: my partner hit me again last night."


class EndScreen:
    """Records what it was asked to read; fires only when the disclosure at the end reaches it."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def check(self, text: str, context: ScreenContext = NO_CONTEXT) -> list[RiskHit]:
        self.read.append(text)
        return [TIER_A] if text.endswith("hit me again last night.") else []

    def reply(self, category: str, render: str) -> str:
        return f"route {category}"


def test_the_3000_character_message_is_not_cut_by_the_channel() -> None:
    assert len(LONG) == 3047
    assert clean_input(LONG).text == LONG


async def test_the_screen_reads_a_long_message_to_its_last_word() -> None:
    screen = EndScreen()
    turn = TurnPipeline(screen=screen)
    replies = await turn.handle(Inbound("telegram", "77", LONG, "long"), RecordingRasa())
    assert [r.meta["kind"] for r in replies] == ["risk"]
    assert screen.read == [LONG]


async def test_only_the_models_copy_is_cut() -> None:
    rasa = RecordingRasa()
    ordinary = ORDINARY * 10
    await TurnPipeline(screen=EndScreen()).handle(Inbound("sms", "+447700900123", ordinary, "sms"), rasa)
    assert MODEL_INPUT_CHARS == 1600
    assert rasa.texts == [ordinary[:1600].rstrip()]  # (Rasa strips the trailing space)
