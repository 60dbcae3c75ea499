"""A message that is only a topic's name ("jabs", "teeth?") gets the topic's most asked answers as a menu.

Such a message names a subject but no question, so a direct answer is a guess whatever the model's confidence (a
bare "milk" went to milk supply at 0.44, "dummy advice" to one dummies answer at 0.70). The names are editors'
copy (content/topic_words.yml); the menu is content/most_asked.yml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from bot.answers.decision import MAX_OPTIONS, Decision

TOPIC_WORDS = "topic_words.yml"


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z]+", text.lower()))


def load_topic_words(content_dir: Path) -> dict[str, frozenset[str]]:
    """topic -> its bare names, normalised as messages are; an absent file means no such menus."""
    path = content_dir / TOPIC_WORDS
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected topic: [names]")
    out: dict[str, frozenset[str]] = {}
    for topic, names in data.items():
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError(f"{path}: {topic}: expected a list of names")
        out[str(topic)] = frozenset(_norm(n) for n in names)
    return out


def topic_menu(
    text: str, topic_words: Mapping[str, frozenset[str]], most_asked: Mapping[str, Sequence[str]]
) -> Decision | None:
    """The topic's menu when the whole message is one of its names, else None."""
    said = _norm(text)
    for topic, names in topic_words.items():
        if said in names and most_asked.get(topic):
            return Decision("clarify", tuple(most_asked[topic][:MAX_OPTIONS]))
    return None
