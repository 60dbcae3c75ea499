"""The supported languages, from content/languages/<code>.yml: a service adds or drops a language by adding or
removing its file (and its word lists in content/risk/<code>/), without code.

Each file names the language, how a parent asks for it ("polski"), its review status, and its emergency lines
per risk category. content/languages/_english.yml holds the short English line sent with every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot import paths
from bot.languages.normalise import tokens

LANGUAGES_DIR = paths.CONTENT / "languages"
ENGLISH_FILE = "_english.yml"
FIELDS = ("code", "name", "native", "lingua", "review", "aliases", "markers", "distinctive", "risk", "messages")


class LanguageContentError(ValueError):
    """A language file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in English, for staff: "Polish"
    native: str
    lingua: str  # lingua-language-detector's Language name: "POLISH"
    review: str
    aliases: tuple[str, ...]
    markers: frozenset[str]  # romanised words that mark the language (Roman Urdu, romanised Punjabi)
    risk: dict[str, str]
    messages: dict[str, Any] = field(default_factory=dict)
    # Marker words no other supported language uses ("reha", "saah", "nu" for Punjabi): they count twice, so a
    # romanised Punjabi message is not taken for Roman Urdu because it shares "mera", "bacha" and "nahi" with it.
    distinctive: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Catalogue:
    languages: dict[str, Language]
    english_risk: dict[str, str]

    def get(self, code: str | None) -> Language | None:
        return self.languages.get(code) if code else None


def _text_map(path: Path, raw: Any, name: str) -> dict[str, str]:
    if not isinstance(raw, dict) or any(not isinstance(v, str) or not v.strip() for v in raw.values()):
        raise LanguageContentError(f"{path.name}: {name}: must map names to non-empty texts")
    return {str(k): v.strip() for k, v in raw.items()}


def _words(raw: Any) -> frozenset[str]:
    # Spelled as the detector reads messages (bot/languages/normalise.py): "naal" is read "nal".
    return frozenset(" ".join(tokens(str(m))) for m in raw or ())


def _load(path: Path) -> Language:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise LanguageContentError(f"{path.name}: must be a mapping of fields")
    extra = sorted(set(raw) - set(FIELDS))
    if extra:
        raise LanguageContentError(f"{path.name}: {extra[0]}: unknown field (allowed: {', '.join(FIELDS)})")
    for name in ("code", "name", "native", "lingua", "review"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise LanguageContentError(f"{path.name}: {name}: must be non-empty text")
    if raw["code"] != path.stem:
        raise LanguageContentError(f"{path.name}: code: '{raw['code']}' must equal the file name '{path.stem}'")
    return Language(
        code=raw["code"],
        name=raw["name"].strip(),
        native=raw["native"].strip(),
        lingua=raw["lingua"].strip().upper(),
        review=raw["review"].strip(),
        aliases=tuple(str(a).strip().lower() for a in raw.get("aliases") or ()),
        markers=_words(raw.get("markers")) | _words(raw.get("distinctive")),
        distinctive=_words(raw.get("distinctive")),
        risk=_text_map(path, raw.get("risk") or {}, "risk"),
        messages=dict(raw.get("messages") or {}),
    )


def load_catalogue(directory: Path = LANGUAGES_DIR) -> Catalogue:
    languages = {p.stem: _load(p) for p in sorted(directory.glob("[a-z]*.yml"))}
    english_path = directory / ENGLISH_FILE
    english: dict[str, str] = {}
    if english_path.exists():
        raw = yaml.safe_load(english_path.read_text(encoding="utf-8")) or {}
        english = _text_map(english_path, raw.get("risk") or {}, "risk")
    return Catalogue(languages, english)


@lru_cache(maxsize=1)
def _cached() -> Catalogue:
    return load_catalogue()


def language_name(code: str) -> str:
    found = _cached().get(code)
    return found.name if found else code
