"""The turn's RiskScreen in every supported language: the word lists of content/risk/<lang>/ first, then the
English rules, and the emergency reply in the parent's language followed by the English line.

The word lists run first and on their own: if they fail, the English screen still runs; if the English screen
fails, the error reaches the turn, which sends the safe default (bot/turn/pipeline.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from bot import paths
from bot.answers.messages import messages
from bot.languages.catalogue import Catalogue, load_catalogue
from bot.languages.detect import detect
from bot.languages.redflags import LanguageRedFlags
from bot.risk.matcher import RiskHit
from bot.risk.screening import ContentRiskScreen
from bot.risk.tiers import EMERGENCY, is_concern, reply_kind
from bot.turn.messages import NO_CONTEXT, ScreenContext

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def language_red_flags() -> LanguageRedFlags:
    return LanguageRedFlags.from_dir(paths.RISK, ContentRiskScreen().rules.categories)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    return load_catalogue()


def merge(first: list[RiskHit], second: list[RiskHit]) -> list[RiskHit]:
    """One hit per category, the word lists' first (they carry the language), most urgent first."""
    best: dict[str, RiskHit] = {}
    for hit in [*first, *second]:
        best.setdefault(hit.category, hit)
    return sorted(best.values(), key=lambda h: (h.priority, h.category))


class MultilingualRiskScreen:
    def __init__(
        self,
        english: ContentRiskScreen | None = None,
        lists: LanguageRedFlags | None = None,
        languages: Catalogue | None = None,
    ) -> None:
        self.english = english or ContentRiskScreen()
        self.lists = lists or language_red_flags()
        self.languages = languages or catalogue()

    def check(self, text: str, context: ScreenContext = NO_CONTEXT) -> list[RiskHit]:
        own: list[RiskHit] = []
        if isinstance(text, str) and text.strip():
            try:
                # The parent's chosen language breaks ties between lists that share words (Roman Urdu, Punjabi).
                # The turn's detection when it ran (once per message), else this screen's own.
                prefer = context.language or context.detected or detect(text, self.languages)
                own = self.lists.screen(text, prefer)
            except Exception:
                log.exception("language word lists failed; screening with the English rules only")
        return merge(own, self.english.check(text, context))

    def reply(self, category: str, render: str, lang: str | None = None) -> str:
        """The route in the parent's language, then in English (999 always in English too)."""
        language = self.languages.get(lang)
        own = language.risk.get(category) if language else None
        if own is None and language is not None and is_concern(category):
            # The concern tier's reply is a message (content/messages/concern.yml), translated like the others.
            own = messages().translation(category, render, language.code)
        if own is None:
            return self.english.reply(category, render)
        if render == "sms":
            english = self.languages.english_risk.get(category) or self.english.reply(category, render)
            return f"{own}\n{english}"
        return f"{own}\n\n{self.english.reply(category, render)}"


RiskOf = Callable[[Any, dict[str, Any]], dict[str, str]]  # case, parse -> {group: "emergency" | "concern"}


def with_languages(risk_of: RiskOf) -> RiskOf:
    """For `parentbot evaluate`: the English screen and model, plus the languages' word lists."""

    def groups(case: Any, parse: dict[str, Any]) -> dict[str, str]:
        found = dict(risk_of(case, parse))
        for hit in language_red_flags().screen(case.text):
            if found.get(hit.group) != EMERGENCY:
                found[hit.group] = reply_kind(hit.tier)
        return found

    return groups
