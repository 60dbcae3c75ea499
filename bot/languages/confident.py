"""An ordinary question in another language that the answer model is sure of: the language's short "here is our
answer in English" line, the answer (its translation into the language when it has one, bot/answers/translated.py)
and the interpreter offer after it. Below the other-language answer threshold (bot/thresholds.py) the family gets
the offer alone: an English answer the model is unsure of is no help to a parent who reads little English. When the
model's own risk layer escalated the message, its route goes first, then the offer.
"""

from __future__ import annotations

from bot.languages.catalogue import Catalogue
from bot.thresholds import THRESHOLDS
from bot.turn.messages import Reply

ANSWER = "answer"
RISK = "risk"
ENGLISH_ANSWER = "english_answer"


def sure(replies: list[Reply]) -> bool:
    """The assistant answered with one of our answers at or above the other-language answer threshold (stricter
    than the English one: the model learnt few questions in each language, bot/thresholds.py)."""
    first = replies[0].meta if replies else {}
    confidence = first.get("confidence")
    return (
        first.get("kind") == ANSWER
        and isinstance(confidence, int | float)
        and confidence >= THRESHOLDS.other_language_answer
    )


def with_answer(catalogue: Catalogue, offer: list[Reply], answer: list[Reply]) -> list[Reply]:
    """`offer`: LanguageSupport's replies to an ordinary question; `answer`: the assistant's to the same message."""
    code = offer[0].meta.get("lang") if offer else None
    language = catalogue.get(code if isinstance(code, str) else None)
    if answer and answer[0].meta.get("kind") == RISK:
        # The model's own risk layer escalated this message (bot/actions/escalate.py): a health visitor has been
        # told, so the parent must see the route too, never only the offer.
        return [*answer, *offer]
    if language is None or not sure(answer):
        return offer
    line = language.messages.get(ENGLISH_ANSWER)
    # A translated answer (the action marks it with its language) needs no "in English" line before it.
    translated = answer[0].meta.get("lang") == language.code
    before = [] if translated or not isinstance(line, str) else [Reply(line, meta={"kind": ENGLISH_ANSWER})]
    return [*before, *answer, *offer]
