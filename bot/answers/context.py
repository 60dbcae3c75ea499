"""Follow-ups: a message that names no subject is read with the topic of the last answer or menu.

"and at night?" or "is that the same for formula?" means little alone. When the message alone gives no sure
answer and a last answer is known (the `last_answer` slot), the answer model's ranking is narrowed to that
answer's topic, and a second reading of the message joined with the last answer's title
(bot/answers/similar.py) must agree before answering; otherwise the closest answers in that topic are offered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.answers.decision import MAX_OPTIONS, Decision, decide_message
from bot.answers.model import TOPICS, intent_answer_id
from bot.answers.similar import QuestionIndex
from bot.thresholds import THRESHOLDS, Thresholds

# A longer message that points at another topic is a new question, not a follow-up.
FOLLOW_UP_MAX_WORDS = 8


@dataclass(frozen=True)
class LastAnswer:
    answer_id: str
    title: str

    @property
    def topic(self) -> str:
        return self.answer_id.split("/")[0]


def read_in_context(
    ranking: Sequence[dict[str, Any]],
    signpost: str | None,
    text: str,
    last: LastAnswer | None,
    second: QuestionIndex | None,
    most_asked: Mapping[str, Sequence[str]] | None = None,
    thresholds: Thresholds = THRESHOLDS,
    hints: frozenset[str] = frozenset(),
) -> Decision:
    alone = decide_message(ranking, signpost, thresholds, most_asked, hints)
    if last is None or last.topic not in TOPICS or last.topic == "services" or alone.kind in ("answer", "signpost"):
        return alone
    answers = [
        (aid, float(r.get("confidence") or 0.0)) for r in ranking if (aid := intent_answer_id(str(r.get("name", ""))))
    ]
    own_topic = answers[0][0].split("/")[0] if answers else None
    names_other = own_topic not in (None, last.topic) and answers[0][1] >= thresholds.clarify
    if names_other and len(text.split()) > FOLLOW_UP_MAX_WORDS:
        return alone
    in_topic = [(aid, conf) for aid, conf in answers if aid.startswith(last.topic + "/")]
    # The joined title always matches the last answer itself, so the second reading names the best other one.
    reread = second.scores(f"{text} {last.title}", last.topic) if second else {}
    reread.pop(last.answer_id, None)
    if not in_topic and not reread:
        return alone
    total = sum(conf for _, conf in in_topic) or 1.0
    model = {aid: conf / total for aid, conf in in_topic}
    top_reread = max(reread.values(), default=0.0) or 1.0
    combined = {aid: (model.get(aid, 0.0) + reread.get(aid, 0.0) / top_reread) / 2 for aid in {*model, *reread}}
    best_reread = max(reread, key=lambda aid: reread[aid]) if reread else None
    if model:
        best_model = max(model, key=lambda aid: model[aid])
        if best_model == best_reread and model[best_model] >= thresholds.context_answer:
            return Decision("answer", (best_model,), model[best_model])
    # A menu in the last answer's topic; the last answer stays on it, since a follow-up often asks more of it.
    others = [aid for aid in sorted(combined, key=lambda aid: combined[aid], reverse=True) if aid != last.answer_id]
    options = (*others[: MAX_OPTIONS - 1], last.answer_id)
    return Decision("clarify", options, combined.get(options[0], 0.0))
