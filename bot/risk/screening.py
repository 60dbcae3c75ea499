"""The risk layers together: the deterministic matcher, the risk classifier, and the model's risk intents.

Escalate if any fires. The matcher runs in the channel before Rasa is asked anything, so a model or action
server failure cannot hide an emergency; the risk classifier (bot/risk/classifier.py) runs right after it, only
when the matcher found nothing, and a classifier that fails to load or to score leaves the matcher answering
alone. The answer model's risk intents fire inside Rasa (intent risk__<category> -> action_escalate).
Evaluation combines them the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from bot import paths
from bot.answers.messages import messages
from bot.conversation.age import stated_age_days
from bot.risk.classifier import GROUPS, RiskClassifier
from bot.risk.commands import is_bare_command
from bot.risk.joining import age_completes
from bot.risk.matcher import RiskHit, RiskScreen
from bot.risk.tiers import CONCERN, CONCERN_KEY_PREFIX, CONCERN_PRIORITY, EMERGENCY, concern_key, reply_kind
from bot.thresholds import THRESHOLDS, Thresholds
from bot.training.compile import RISK_INTENT_PREFIX
from bot.turn.messages import NO_CONTEXT, ScreenContext

log = logging.getLogger(__name__)
# A classifier-only emergency uses this category's route and priority (its group's broadest reply).
EMERGENCY_CATEGORY = {
    "urgent_medical": "urgent_medical_b",
    "mental_health": "mental_health",
    "safeguarding": "child_at_risk",
}
CLASSIFIER_RULE = "classifier"

# How sure the model's risk intent must be to escalate on its own: bot/thresholds.py (with its measurement).
MODEL_RISK_CONFIDENCE = THRESHOLDS.model_risk


@lru_cache(maxsize=1)
def risk_screen() -> RiskScreen:
    return RiskScreen.from_dir(paths.RISK)


def matcher_hits(messages: Sequence[str]) -> list[RiskHit]:
    return risk_screen().screen(list(messages))


def model_category(parse: dict[str, Any]) -> str | None:
    """The risk category the answer model predicts, when it is confident enough."""
    intent = parse.get("intent") or {}
    name = str(intent.get("name") or "")
    if name.startswith(RISK_INTENT_PREFIX) and float(intent.get("confidence") or 0) >= MODEL_RISK_CONFIDENCE:
        return name[len(RISK_INTENT_PREFIX) :]
    return None


@lru_cache(maxsize=1)
def risk_classifier() -> RiskClassifier | None:
    return RiskClassifier.load()


def classifier_hits(scores: dict[str, float], rules: RiskScreen, thresholds: Thresholds = THRESHOLDS) -> list[RiskHit]:
    """Hits for the groups whose probability reaches their threshold (bot/thresholds.py): the emergency route
    at or above `risk_emergency`, the concern tier from `risk_concern`."""
    hits = []
    for group in GROUPS:
        score = scores.get(group, 0.0)
        if score >= thresholds.risk_emergency[group]:
            category = rules.category(EMERGENCY_CATEGORY[group])
            hits.append(RiskHit(category.name, group, CLASSIFIER_RULE, category.tier, category.priority))
        elif score >= thresholds.risk_concern[group]:
            hits.append(RiskHit(concern_key(group), group, CLASSIFIER_RULE, CONCERN, CONCERN_PRIORITY))
    return sorted(hits, key=lambda h: (h.priority, h.category))


def evaluation_risk() -> Callable[[Any, dict[str, Any]], dict[str, str]]:
    """For `parentbot evaluate`: the risk groups the assistant would escalate a case to, each with the kind of
    reply ("emergency", or "concern" for the concern tier)."""

    screen: list[ContentRiskScreen] = []

    def groups(case: Any, parse: dict[str, Any]) -> dict[str, str]:
        if not screen:
            screen.append(ContentRiskScreen())  # only loaded when the file has risk labels
        found: dict[str, str] = {}
        for hit in screen[0].check(case.text, context_of(case.previous)):
            if found.get(hit.group) != EMERGENCY:
                found[hit.group] = reply_kind(hit.tier)
        category = model_category(parse)
        if category:
            found[screen[0].rules.category(category).group] = EMERGENCY
        return found

    return groups


def context_of(previous: Sequence[str]) -> ScreenContext:
    """The context a conversation's earlier texts give (for evaluation: the live turn reads it from the
    database, bot/conversation/store.py): those texts, and the age the latest of them states."""
    ages = [age for age in map(stated_age_days, previous) if age is not None]
    return ScreenContext(tuple(previous), ages[-1] if ages else None)


class ContentRiskScreen:
    """The turn's RiskScreen (bot/turn/ports.py): the rules of content/risk/, then the risk classifier."""

    def __init__(self, rules: RiskScreen | None = None, classifier: RiskClassifier | bool | None = True) -> None:
        # classifier=True loads the built one (.build/); None runs the matcher alone.
        self.rules = rules or risk_screen()
        self.classifier = risk_classifier() if classifier is True else classifier or None

    def check(self, text: str, context: ScreenContext = NO_CONTEXT) -> list[RiskHit]:
        history = [*context.previous, text]  # oldest first, the newest message last
        newest_age = stated_age_days(text)
        age = newest_age if newest_age is not None else context.age_days
        # the deterministic floor, first
        hits = self.rules.screen(history, age_days=age, age_in_newest=newest_age is not None)
        if hits or self.classifier is None or is_bare_command(text):
            return hits
        try:
            completes = age_completes(newest_age, self.rules.age_limits)
            return classifier_hits(self.classifier.scores(history, age_completes=completes), self.rules)
        except Exception:
            # The matcher already answered for this message; a broken model must not turn that into an error.
            log.exception("risk classifier failed; the matcher's decision stands")
            return []

    def reply(self, category: str, render: str, lang: str | None = None) -> str:
        if category.startswith(CONCERN_KEY_PREFIX):
            return messages().get(category, render)
        found = self.rules.category(category)  # English only: bot/languages/screen.py adds the languages
        return found.reply_sms if render == "sms" else found.reply
