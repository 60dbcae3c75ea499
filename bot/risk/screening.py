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
from bot.training.compile import RISK_INTENT_PREFIX

# The model's risk intent must be this sure before it escalates on its own. Measured on
# tests/data/redflags.jsonl's non-risk lines: 0.6 gave 11% false alarms ("a fit of giggles", "dead tired"),
# 0.85 about 1.5%, and the matcher alone already finds every red flag there; see README.
MODEL_RISK_CONFIDENCE = 0.85


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
        return name[len(RISK_INTENT_PREFIX):]
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
