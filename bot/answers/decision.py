"""Deciding what to do with the answer model's ranking: answer, offer choices, or say what we cover.

A plain function, so the action, `parentbot evaluate` and the tests all make the same decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.answers.model import intent_answer_id
from bot.thresholds import THRESHOLDS, Thresholds

MAX_OPTIONS = 3


@dataclass(frozen=True)
class Decision:
    kind: str  # "answer", "clarify" or "fallback"
    answer_ids: tuple[str, ...] = ()
    confidence: float = 0.0


def decide(ranking: Sequence[dict], thresholds: Thresholds = THRESHOLDS) -> Decision:
    """ranking: Rasa's intent_ranking ([{"name", "confidence"}], best first)."""
    # Rasa's FallbackClassifier puts "nlu_fallback" first with the threshold as its confidence; the
    # decision is made on the model's own ranking underneath it.
    candidates = [
        (intent_answer_id(str(r.get("name", ""))), float(r.get("confidence") or 0.0))
        for r in ranking
        if r.get("name") != "nlu_fallback"
    ]
    answers = [(aid, conf) for aid, conf in candidates if aid]
    if not answers:
        return Decision("fallback")
    top_id, top_conf = answers[0]
    best_overall = candidates[0][1] if candidates else 0.0
    if candidates[0][0] == top_id and top_conf >= thresholds.answer:
        return Decision("answer", (top_id,), top_conf)
    if top_conf >= thresholds.clarify and top_conf >= best_overall * thresholds.clarify_share_of_best:
        options = [aid for aid, conf in answers[:MAX_OPTIONS] if conf >= thresholds.option]
        if len(options) == 1:
            return Decision("answer", (options[0],), top_conf)
        return Decision("clarify", tuple(options), top_conf)
    return Decision("fallback", (), top_conf)
