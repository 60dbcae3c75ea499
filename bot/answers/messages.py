"""Copy that the channels send outside a Rasa turn (first contact, handoff, STOP/START, non-text, ...).

It lives in content/messages/*.yml (editors own it, like the answers); a key missing from every file is an
error that names the key, raised on first use. Files are re-read when they change. With `lang` (the family's
language), the translation in content/messages/translations/<lang>.yml when there is one (bot/languages/
translations.py), else the English.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import yaml

from bot.languages.translations import Translation, files, load_file
from bot.settings import get_settings


class MessageError(KeyError):
    pass


class Messages:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._stamp: tuple[object, ...] = ()
        self._texts: dict[str, dict[str, str]] = {}
        self._translated: dict[str, dict[str, Translation]] = {}
        self._lock = threading.Lock()

    def _load(self) -> dict[str, dict[str, str]]:
        english = sorted(self.directory.glob("*.yml"))
        translated = files(self.directory)
        stamp = tuple((f.name, os.stat(f).st_mtime_ns) for f in english + translated)
        with self._lock:
            if stamp != self._stamp:
                self._translated = {f.stem: load_file(f) for f in translated}
                texts: dict[str, dict[str, str]] = {}
                for f in english:
                    for key, value in (yaml.safe_load(f.read_text(encoding="utf-8")) or {}).items():
                        # A message is either one text, or {sms: ..., long: ...} when the channels differ.
                        texts[key] = value if isinstance(value, dict) else {"sms": str(value), "long": str(value)}
                self._texts, self._stamp = texts, stamp
            return self._texts

    def get(self, key: str, render: str = "long", **values: object) -> str:
        entry = self._load().get(key)
        if entry is None:
            raise MessageError(f"{self.directory}: no message named {key!r}")
        text = entry.get(render) or entry.get("long") or entry.get("sms") or ""
        return text.format(**values) if values else text

    def translation(self, key: str, render: str, lang: str | None) -> str | None:
        """The message in that language, or None when it has no translation."""
        self._load()
        own = self._translated.get(lang or "", {}).get(key)
        return own.text(render) if own is not None else None

    def in_language(self, key: str, render: str, lang: str | None) -> str:
        """A parent's message in their language when it is translated, else in English (never a missing one)."""
        english = self.get(key, render)  # raises for an unknown key, translated or not
        return self.translation(key, render, lang) or english


_instance: Messages | None = None


def messages() -> Messages:
    global _instance
    if _instance is None:
        _instance = Messages(get_settings().CONTENT_DIR / "messages")
    return _instance
