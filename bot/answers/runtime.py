"""Process-wide objects, built on first use (never at import time)."""

from __future__ import annotations

from functools import lru_cache

import yaml

from bot.answers.loader import load_answers
from bot.answers.signposts import LiveSignposts, SignpostIndex
from bot.answers.similar import QuestionIndex
from bot.answers.store import ContentStore
from bot.answers.vague import load_topic_words
from bot.settings import get_settings

MOST_ASKED = "most_asked.yml"


@lru_cache(maxsize=1)
def content_store() -> ContentStore:
    return ContentStore(get_settings().CONTENT_DIR)


@lru_cache(maxsize=1)
def signposts() -> LiveSignposts:
    return LiveSignposts(get_settings().CONTENT_DIR)


@lru_cache(maxsize=1)
def most_asked() -> dict[str, list[str]]:
    """content/most_asked.yml: topic -> the answers a vague message in that topic is offered."""
    path = get_settings().CONTENT_DIR / MOST_ASKED
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {str(k): [str(a) for a in v] for k, v in (data or {}).items()}


@lru_cache(maxsize=1)
def topic_words() -> dict[str, frozenset[str]]:
    """content/topic_words.yml: topic -> the bare names that get its most asked answers as a menu."""
    return load_topic_words(get_settings().CONTENT_DIR)


@lru_cache(maxsize=1)
def question_index() -> QuestionIndex:
    """The follow-ups' second reading over content/ example questions (they change only with a retrain)."""
    return QuestionIndex(load_answers(get_settings().CONTENT_DIR)[0])


@lru_cache(maxsize=1)
def answer_hints() -> SignpostIndex:
    """Answers' own keywords (optional `keywords:` in an answer file); read once per process."""
    return SignpostIndex([a for a in load_answers(get_settings().CONTENT_DIR)[0] if a.keywords])
