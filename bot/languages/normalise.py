"""One spelling for the many ways a word is typed: case, diacritics, Arabic-script letter variants, doubled
letters ("bukhaar" / "bukhar"). The same function is applied to word lists and to messages, so a list entry
written once matches every variant.

Hand-written because it is a handful of table lookups for the six supported scripts; a full ICU
transliterator (PyICU) is not in the lock and would be far more than this needs.
"""

from __future__ import annotations

import re
import unicodedata

# Arabic, Urdu (and Shahmukhi Punjabi) letters that people type interchangeably.
_LETTERS = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ی": "ي", "ے": "ي",
        "ۓ": "ي", "ک": "ك", "ہ": "ه", "ھ": "ه", "ۃ": "ه", "ۀ": "ه", "ں": "ن",
        "ł": "l", "Ł": "l", "ß": "ss", "ı": "i",
        # Gurmukhi tippi and bindi both mark nasalisation; addak (gemination) is often left out.
        "ੰ": "ਂ", "ੱ": None,
        # Bengali khanda ta and chandrabindu variants.
        "ৎ": "ত", "ঁ": None,
    }
)  # fmt: skip
# Harakat, tatweel and the Arabic superscript alef: optional marks that most people never type.
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640\u06d4]")
_LATIN_LIMIT = 0x0250  # combining marks after a Latin letter are diacritics (ą, ș, ç); elsewhere they are vowels
_REPEATS = re.compile(r"(.)\1+")


def _strip_latin_marks(text: str) -> str:
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char) and out and ord(out[-1]) < _LATIN_LIMIT:
            continue
        out.append(char)
    return "".join(out)


def normalise(text: str) -> str:
    """Lower case, no Latin diacritics, one form per Arabic-script letter, no doubled letters."""
    text = _strip_latin_marks(text.lower().translate(_LETTERS))
    text = _ARABIC_MARKS.sub("", text).translate(_LETTERS)
    return _REPEATS.sub(r"\1", text)


def tokens(text: str) -> list[str]:
    """Words of a normalised text: runs of letters, marks and digits (digits stay: Arabizi writes 3, 7, 2)."""
    chars = [c if unicodedata.category(c)[0] in "LMN" else " " for c in normalise(text)]
    return "".join(chars).split()
