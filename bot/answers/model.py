"""The answer as editors write it: one Markdown file with front matter, content/<topic>/<slug>.md."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.answers.translated import Translation

TOPICS = ("breastfeeding", "safe_sleep", "immunisations", "oral_health", "services")
# Signposts (content/signposts/) use the answers' format and gate but are not answer intents: they are found by
# their keywords (bot/answers/signposts.py), so dozens of neighbouring subjects cost no training time.
SIGNPOSTS = "signposts"


@dataclass(frozen=True)
class Source:
    publisher: str
    url: str


@dataclass(frozen=True)
class Answer:
    """One curated answer. `version` is a hash of the file, so themes record exactly what was served."""

    id: str
    topic: str
    title: str
    questions: tuple[str, ...]
    sms: str
    body: str
    sources: tuple[Source, ...]
    reviewed_by: str
    last_reviewed: dt.date
    review_due: dt.date
    version: str
    path: str
    lines: dict[str, int]  # field -> line number in the file, for errors that name the place
    keywords: tuple[str, ...] = ()  # signposts only: the words and phrases that find it
    translations: tuple[Translation, ...] = ()  # sms.<code> / body.<code> (bot/answers/translated.py)

    @property
    def intent(self) -> str:
        return answer_intent(self.id)

    def expired(self, today: dt.date) -> bool:
        return self.review_due < today

    def text(self, field: str, lang: str | None = None) -> tuple[str, str | None]:
        """The sms or body in `lang` when this answer has it translated, else the English; and its language."""
        own = next((t for t in self.translations if t.code == lang), None)
        translated = getattr(own, field, None) if own is not None else None
        return (translated, lang) if translated else (str(getattr(self, field)), None)


INTENT_SEPARATOR = "__"


def answer_intent(answer_id: str) -> str:
    """Rasa intent name of an answer id ("breastfeeding/enough_milk" -> "breastfeeding__enough_milk")."""
    return answer_id.replace("/", INTENT_SEPARATOR)


def intent_answer_id(intent: str) -> str | None:
    """Inverse of answer_intent; None for intents that are not answers (greet, risk__..., ...)."""
    topic, sep, slug = intent.partition(INTENT_SEPARATOR)
    if not sep or topic not in TOPICS:
        return None
    return f"{topic}/{slug}"
