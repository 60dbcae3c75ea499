"""Follow-ups: a message that names no subject is read with the topic of the last answer or menu.

"and at night?" or "is that the same for formula?" means little alone. When the message alone gives no sure
answer and a last answer is known (the `last_answer` slot), the answer model's ranking is narrowed to that
answer's topic, and a second reading of the message (alone, and joined with the last answer's title:
bot/answers/similar.py) must agree before answering; otherwise the closest answers in that topic are offered.

A short follow-up that reads as one ("and smoking?", "what about a cup instead", "even if she's on formula?")
is read in context even when the model alone is sure of an answer elsewhere: the model reads the bare word
("smoking" is a safe-sleep answer too), the parent means the subject just answered. When the last answer
itself covers every word the follow-up adds, it is what the parent is asking more about.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from bot.answers.decision import MAX_OPTIONS, Decision, decide_message
from bot.answers.model import TOPICS, intent_answer_id
from bot.answers.similar import QuestionIndex
from bot.thresholds import THRESHOLDS, Thresholds

# A longer message that points at another topic is a new question, not a follow-up.
FOLLOW_UP_MAX_WORDS = 8
# How a parent starts a message that leans on the one before ("and at night?", "what about formula?").
LEADS = re.compile(r"^(and|but|or|so|then|also|even|what about|how about|what if|is that|does that|same)\b")
# Words that point back at what was just said ("is that the same for twins?", "can i breastfeed during them").
POINTERS = frozenset({"that", "this", "it", "them", "they", "those", "instead", "too", "also", "same", "still"})
# Few letters of a word, so "smoking" finds "smoke" and "pillow" finds "pillows" in an answer's text.
STEM = 5


@dataclass(frozen=True)
class LastAnswer:
    answer_id: str
    title: str
    text: str = ""  # the answer's title, questions and body: what it covers

    @property
    def topic(self) -> str:
        return self.answer_id.split("/")[0]

    def covers(self, text: str) -> bool:
        """Every word the message adds (beyond common words) is in this answer."""
        words = [w for w in _words(text) if w not in ENGLISH_STOP_WORDS and not w.isdigit()]
        known = set(_words(f"{self.title} {self.text}"))
        stems = {w[:STEM] for w in known}
        return bool(words) and all(w in known or w[:STEM] in stems for w in words if len(w) > 2)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("\u2019", ""))


def leans_on_last(text: str) -> bool:
    """A short message worded as a follow-up."""
    words = _words(text)
    return len(words) <= FOLLOW_UP_MAX_WORDS and bool(LEADS.match(" ".join(words)) or POINTERS & set(words))


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
    if last is None or last.topic not in TOPICS or last.topic == "services" or alone.kind == "signpost":
        return alone
    short = len(_words(text)) <= FOLLOW_UP_MAX_WORDS
    covered = short and last.covers(text)
    if alone.kind == "answer":
        elsewhere = not alone.answer_ids[0].startswith(last.topic + "/")
        if not (leans_on_last(text) or (covered and elsewhere)) or alone.answer_ids[0] == last.answer_id:
            return alone
        if covered:
            # The model's own answer stays on offer: the parent may have changed subject after all.
            return Decision("clarify", (last.answer_id, alone.answer_ids[0]), alone.confidence)
    answers = [
        (aid, float(r.get("confidence") or 0.0)) for r in ranking if (aid := intent_answer_id(str(r.get("name", ""))))
    ]
    own_topic = answers[0][0].split("/")[0] if answers else None
    names_other = own_topic not in (None, last.topic) and answers[0][1] >= thresholds.clarify
    if names_other and not short:
        return alone
    in_topic = [(aid, conf) for aid, conf in answers if aid.startswith(last.topic + "/")]
    # The joined title always matches the last answer itself, so that reading names the best other one; the
    # message alone, read within the topic, adds what its own words point at ("and at night?": night feeds).
    reread = second.scores(f"{text} {last.title}", last.topic) if second else {}
    reread.pop(last.answer_id, None)
    own = second.scores(text, last.topic) if second else {}
    own.pop(last.answer_id, None)
    if not in_topic and not reread:
        return alone
    total = sum(conf for _, conf in in_topic) or 1.0
    model = {aid: conf / total for aid, conf in in_topic}
    top_reread = max(reread.values(), default=0.0) or 1.0
    top_own = max(own.values(), default=0.0) or 1.0
    combined = {
        aid: (model.get(aid, 0.0) + reread.get(aid, 0.0) / top_reread + own.get(aid, 0.0) / top_own) / 3
        for aid in {*model, *reread, *own}
    }
    best_reread = max(reread, key=lambda aid: reread[aid]) if reread else None
    if model and not covered:
        best_model = max(model, key=lambda aid: model[aid])
        if best_model == best_reread and model[best_model] >= thresholds.context_answer:
            return Decision("answer", (best_model,), model[best_model])
    # A menu in the last answer's topic; the last answer stays on it, since a follow-up often asks more of it.
    others = [aid for aid in sorted(combined, key=lambda aid: combined[aid], reverse=True) if aid != last.answer_id]
    if covered:
        # The model's own best other answer in the topic is offered next: "will it affect my supply" after mixed
        # feeding is covered by that answer, but milk supply is what the model reads.
        ranked = [aid for aid, _ in sorted(model.items(), key=lambda kv: kv[1], reverse=True) if aid != last.answer_id]
        others = [*ranked[:1], *(aid for aid in others if aid not in ranked[:1])]
        return Decision("clarify", (last.answer_id, *others[: MAX_OPTIONS - 1]), combined.get(others[0], 0.0))
    options = (*others[: MAX_OPTIONS - 1], last.answer_id)
    return Decision("clarify", options, combined.get(options[0], 0.0))
