"""The core messages (content/messages/*.yml) in the parent's language: content/messages/translations/<code>.yml.

Each file names its language, a review status for the whole file and the translated messages by the English
key. A message is one text, or {sms: ..., long: ...} like the English, and may carry its own `review` (a
qualified translator signs off message by message). Served only when the family's language is set
(bot/answers/messages.py); a key with no translation goes out in English. The editors' gate reads the same files
(bot/languages/gate.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FOLDER = "translations"
REVIEW_AWAITING = "awaiting qualified translator"
FILE_FIELDS = ("language", "review", "messages")
MESSAGE_FIELDS = ("sms", "long", "review")


class TranslationError(ValueError):
    """A translation file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Translation:
    lang: str
    key: str
    texts: dict[str, str]  # render ("sms", "long") -> text; one text serves both
    review: str

    def text(self, render: str) -> str:
        return self.texts.get(render) or self.texts.get("long") or self.texts["sms"]

    @property
    def reviewed(self) -> bool:
        return self.review.strip().lower() != REVIEW_AWAITING


def _message(path: Path, lang: str, key: str, raw: Any, review: str) -> Translation:
    where = f"{path.name}: messages.{key}"
    if isinstance(raw, str) and raw.strip():
        return Translation(lang, key, {"sms": raw.strip(), "long": raw.strip()}, review)
    if not isinstance(raw, dict):
        raise TranslationError(f"{where}: must be a text or a mapping of sms, long and review")
    extra = sorted(set(raw) - set(MESSAGE_FIELDS))
    if extra:
        raise TranslationError(f"{where}.{extra[0]}: unknown field (allowed: {', '.join(MESSAGE_FIELDS)})")
    texts = {k: str(raw[k]).strip() for k in ("sms", "long") if isinstance(raw.get(k), str) and raw[k].strip()}
    if not texts:
        raise TranslationError(f"{where}: needs an sms or a long text")
    own = raw.get("review", review)
    if not isinstance(own, str) or not own.strip():
        raise TranslationError(f"{where}.review: must be non-empty text")
    return Translation(lang, key, texts, own.strip())


def load_file(path: Path) -> dict[str, Translation]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise TranslationError(f"{path.name}: must be a mapping of fields")
    extra = sorted(set(raw) - set(FILE_FIELDS))
    if extra:
        raise TranslationError(f"{path.name}: {extra[0]}: unknown field (allowed: {', '.join(FILE_FIELDS)})")
    if raw.get("language") != path.stem:
        raise TranslationError(f"{path.name}: language: {raw.get('language')!r} must equal the file name")
    review = raw.get("review")
    if not isinstance(review, str) or not review.strip():
        raise TranslationError(f"{path.name}: review: must say who reviewed it, or '{REVIEW_AWAITING}'")
    found = raw.get("messages")
    if not isinstance(found, dict) or not found:
        raise TranslationError(f"{path.name}: messages: must map English message keys to translations")
    return {str(k): _message(path, path.stem, str(k), v, review.strip()) for k, v in found.items()}


def files(messages_dir: Path) -> list[Path]:
    return sorted((messages_dir / FOLDER).glob("[a-z]*.yml"))


def load_translations(messages_dir: Path) -> dict[str, dict[str, Translation]]:
    """language -> English key -> translation."""
    return {path.stem: load_file(path) for path in files(messages_dir)}
