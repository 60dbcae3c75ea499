"""The two risk layers together: the deterministic matcher and the model's risk intents.

Escalate if either fires. The matcher runs in the channel before Rasa is asked anything, so a model or action
server failure cannot hide an emergency; the model layer fires inside Rasa (intent risk__<category> ->
action_escalate). Evaluation combines both the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from bot import paths
from bot.risk.matcher import RiskHit, RiskScreen
from bot.thresholds import THRESHOLDS
from bot.training.compile import RISK_INTENT_PREFIX
from bot.turn.messages import NO_CONTEXT, ScreenContext

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


def evaluation_risk() -> Callable[[Any, dict[str, Any]], set[str]]:
    """For `parentbot evaluate`: the set of risk groups the assistant would escalate a case to."""

    def groups(case: Any, parse: dict[str, Any]) -> set[str]:
        screen = risk_screen()  # only loaded when the file has risk labels
        found = {hit.group for hit in screen.screen([*case.previous, case.text])}
        category = model_category(parse)
        if category:
            found.add(screen.category(category).group)
        return found

    return groups


class ContentRiskScreen:
    """The turn's RiskScreen (bot/turn/ports.py): the rules of content/risk/, loaded when it is built."""

    def __init__(self, rules: RiskScreen | None = None) -> None:
        self.rules = rules or risk_screen()

    def check(self, text: str, context: ScreenContext = NO_CONTEXT) -> list[RiskHit]:
        history = [*context.previous, text]  # oldest first, the newest message last
        return self.rules.screen(history)

    def reply(self, category: str, render: str) -> str:
        found = self.rules.category(category)
        return found.reply_sms if render == "sms" else found.reply
