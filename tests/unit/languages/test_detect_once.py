"""The language of a message is detected once per turn: the pipeline's detection is handed to the risk screen
(ScreenContext.detected) and to the language support (Inbound.lang), which do not detect it again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bot.languages import screen as screen_module
from bot.languages import support as support_module
from bot.languages.catalogue import Catalogue, load_catalogue
from bot.languages.detect import detect
from bot.languages.screen import MultilingualRiskScreen
from bot.languages.support import LanguageSupport
from bot.risk.matcher import RiskHit
from bot.turn.messages import Inbound, Reply
from tests.unit.languages.test_screen import _English


class NoModel:
    async def respond(self, channel: str, sender_id: str, text: str, metadata: dict[str, object]) -> list[Reply]:
        return [Reply(text="english answer", meta={"kind": "answer"})]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def counted(text: str, catalogue: Catalogue) -> str:
        seen.append(text)
        return detect(text, catalogue)

    for module in (screen_module, support_module):
        monkeypatch.setattr(module, "detect", counted)
    return seen


def a_turn() -> Callable[[str], list[Reply]]:
    from bot.turn.pipeline import TurnPipeline

    catalogue = load_catalogue()
    screen = MultilingualRiskScreen(english=_English(), languages=catalogue)  # type: ignore[arg-type]
    opened: list[list[RiskHit]] = []
    support = LanguageSupport(catalogue, lambda i, hits, w: opened.append(hits), offer=lambda *offer: None)
    pipeline = TurnPipeline(screen=screen, languages=support)

    def turn(text: str) -> list[Reply]:
        return asyncio.run(pipeline.handle(Inbound("sms", "+447700900140", text, "sms"), NoModel()))

    return turn


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ਬੱਚੇ ਦੇ ਦੰਦ ਕਦੋਂ ਸਾਫ਼ ਕਰਨੇ ਸ਼ੁਰੂ ਕਰੀਏ?", "language_support"),  # Punjabi, ordinary: the offer
        ("how do i sterilise bottles", "answer"),  # English: the assistant
        ("moje dziecko nie oddycha", "risk"),  # a Polish red flag: the Polish list fires
    ],
)
def test_each_message_is_detected_once(calls: list[str], text: str, kind: str) -> None:
    replies = a_turn()(text)
    assert replies[0].meta["kind"] == kind
    assert calls == [text]
