"""Which supported language a message is written in, before the risk screen runs.

Script-written messages: lingua-language-detector, restricted to English and the languages in content/languages/
(its models ship inside the wheel; no network). Romanised Punjabi and Roman Urdu look like English to lingua, so
they are recognised by the marker words in each language's file (content/languages/<code>.yml `markers`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from bot.languages.catalogue import Catalogue, Language
from bot.languages.normalise import tokens

ENGLISH = "en"
MIN_CONFIDENCE = 0.6
MIN_MARKERS = 2  # two marker words: one ("ki", "nal") also occurs in English texts and names


@lru_cache(maxsize=8)
def _detector(lingua_names: tuple[str, ...]) -> Any:
    from lingua import Language as Lingua  # lazy: loading the models is start-up work
    from lingua import LanguageDetectorBuilder

    wanted = [getattr(Lingua, name) for name in ("ENGLISH", *lingua_names) if hasattr(Lingua, name)]
    return LanguageDetectorBuilder.from_languages(*wanted).build()


def _by_markers(text: str, languages: Iterable[Language]) -> str | None:
    """The language whose marker words the text holds most (at least MIN_MARKERS of them), a distinctive marker
    counting twice; None on a tie. Romanised Punjabi shares "mera", "bacha", "nahi" with Roman Urdu, so without
    the weight "mera bacha saah nahi le reha" would read as Urdu."""
    words = set(tokens(text))
    scores = []
    for lang in languages:
        if lang.markers:
            hits = len(words & lang.markers)
            scores.append((hits + len(words & lang.distinctive), hits, lang.code))
    scores.sort(reverse=True)
    if scores and scores[0][1] >= MIN_MARKERS and (len(scores) == 1 or scores[0][0] > scores[1][0]):
        return scores[0][2]
    return None


def detect(text: str, catalogue: Catalogue) -> str:
    """The language code ("pl"), or "en" for English and anything unrecognised."""
    if not text or not text.strip():
        return ENGLISH
    by_name = {lang.lingua: lang.code for lang in catalogue.languages.values()}
    detector = _detector(tuple(sorted(by_name)))
    found = detector.detect_language_of(text)
    code = by_name.get(found.name) if found is not None else None
    # A short English text ("ok thanks") can look like anything: only a confident call leaves English.
    if code and detector.compute_language_confidence(text, found) >= MIN_CONFIDENCE:
        return code
    return _by_markers(text, catalogue.languages.values()) or ENGLISH
