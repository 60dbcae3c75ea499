"""The one place the turn is built: each collaborator of bot/turn/pipeline.py, by name, from the settings.

Channels call `default_pipeline()` (one per process, built on the first message, never at import).
"""

from __future__ import annotations

from functools import lru_cache

from bot.care.turn_hooks import Escalations, Handoffs
from bot.conversation.hooks import History
from bot.languages.screen import MultilingualRiskScreen, catalogue
from bot.languages.support import LanguageSupport
from bot.privacy.hooks import DataRights, ThemeLog
from bot.rasa_ext import perf
from bot.settings import Settings, get_settings
from bot.turn.pipeline import TurnPipeline


def build_turn(settings: Settings) -> TurnPipeline:
    return TurnPipeline(
        screen=MultilingualRiskScreen(),
        escalations=Escalations(),
        handoffs=Handoffs(),
        rights=DataRights(send_notice=settings.PRIVACY_NOTICE),
        themes=ThemeLog(),
        timeout_s=settings.TURN_TIMEOUT_S,
        history=History(),
        languages=LanguageSupport(catalogue()),
    )


@lru_cache(maxsize=1)
def default_pipeline() -> TurnPipeline:
    perf.install()  # measured Rasa hot-spot fixes (bot/rasa_ext/perf.py)
    return build_turn(get_settings())
