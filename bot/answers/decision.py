"""Deciding what to do with the answer model's ranking: answer, offer choices, or say what we cover.

A plain function, so the action, `parentbot evaluate` and the tests all make the same decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.answers.model import intent_answer_id
from bot.thresholds import THRESHOLDS, Thresholds

MAX_OPTIONS = 3


@dataclass(frozen=True)
class Decision:
    kind: str  # "answer", "clarify", "fallback", "signpost" or "out_of_scope"
    answer_ids: tuple[str, ...] = ()
    confidence: float = 0.0


def decide(
    ranking: Sequence[dict[str, Any]],
    thresholds: Thresholds = THRESHOLDS,
    most_asked: Mapping[str, Sequence[str]] | None = None,
) -> Decision:
    """ranking: Rasa's intent_ranking ([{"name", "confidence"}], best first). most_asked: topic -> the answers
    a vague message in it is offered (content/most_asked.yml)."""
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
            # One weak option is a guess, not an answer (issue 14: a vague two-word message got an unrelated
            # answer at 0.29): offer it with the topic's most asked answers instead.
            topic = options[0].split("/")[0]
            extra = [aid for aid in (most_asked or {}).get(topic, ()) if aid != options[0]]
            options = (options + extra)[:MAX_OPTIONS]
        return Decision("clarify", tuple(options), top_conf)
    return Decision("fallback", (), top_conf)


OUT_OF_SCOPE_INTENT = "out_of_scope"


def decide_message(
    ranking: Sequence[dict[str, Any]],
    signpost: str | None,
    thresholds: Thresholds = THRESHOLDS,
    most_asked: Mapping[str, Sequence[str]] | None = None,
    hints: frozenset[str] = frozenset(),
) -> Decision:
    """The whole decision for one message: a signpost its keywords found, unless the answer model is sure of
    an answer; then the answer model's decision, where an answer's own keywords (`hints`, such as "12 week"
    for the 12 week jabs) pick between the model's closest answers in one topic; the out-of-scope intent when
    nothing else fits."""
    decision = decide(ranking, thresholds, most_asked)
    sure = decision.kind == "answer" and decision.confidence >= thresholds.answer_over_signpost
    if signpost and not sure:
        return Decision("signpost", (signpost,), decision.confidence)
    hinted = _hinted(ranking, hints, thresholds) if decision.kind in ("answer", "clarify") else None
    if hinted:
        return Decision("answer", (hinted,), decision.confidence)
    # The out-of-scope intent decides only when it is the message's intent (above Rasa's fallback threshold).
    if ranking and ranking[0].get("name") == OUT_OF_SCOPE_INTENT:
        return Decision("out_of_scope", (), decision.confidence)
    return decision


def _hinted(ranking: Sequence[dict[str, Any]], hints: frozenset[str], thresholds: Thresholds) -> str | None:
    """The one answer among the model's closest three, in the top answer's topic, that the message's keywords
    name ("12 wk jabs next tues" when the model mixes up the 8, 12 and 16 week jabs)."""
    answers = [
        (aid, float(r.get("confidence") or 0.0)) for r in ranking if (aid := intent_answer_id(str(r.get("name", ""))))
    ][:MAX_OPTIONS]
    if not answers or not hints:
        return None
    topic = answers[0][0].split("/")[0] + "/"
    named = [aid for aid, conf in answers if aid in hints and aid.startswith(topic) and conf >= thresholds.option]
    return named[0] if len(named) == 1 else None
