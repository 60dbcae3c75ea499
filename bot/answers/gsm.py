"""GSM-7 text: which characters an SMS can carry cheaply, and how many segments a body costs.

One character outside GSM-7 (a curly quote, a long dash, an emoji) turns the whole SMS into UCS-2,
which more than halves the characters per segment, so bodies are mapped to plain look-alikes first.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extended characters travel behind an escape code, so each costs two septets.
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

# Look-alikes that phones and word processors insert; mapping them keeps a body in GSM-7.
PLAIN_LOOKALIKES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2012": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2010": "-",
    "\u2011": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u200b": "",
    "\ufeff": "",
    "\u2022": "-",
    "\u00b7": "-",
    "\t": " ",
    "\u00b0": " degrees ",
}

SINGLE_GSM, MULTI_GSM = 160, 153
SINGLE_UCS2, MULTI_UCS2 = 70, 67


@dataclass(frozen=True)
class SmsCost:
    """What a body costs as SMS: its encoding, length in units and number of segments."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int
    non_gsm: tuple[str, ...]


def to_gsm(text: str) -> str:
    """Map typographic look-alikes to plain GSM-7 characters; leaves other characters alone."""
    return "".join(PLAIN_LOOKALIKES.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def non_gsm_chars(text: str) -> tuple[str, ...]:
    """Characters that would force UCS-2, in order of first appearance."""
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in GSM7_BASIC and ch not in GSM7_EXTENDED:
            seen.setdefault(ch, None)
    return tuple(seen)


def sms_cost(text: str) -> SmsCost:
    """Segments as carriers count them (160/153 for GSM-7, 70/67 for UCS-2)."""
    bad = non_gsm_chars(text)
    if bad:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = SINGLE_UCS2, MULTI_UCS2, "UCS-2"
    else:
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, multi, encoding = SINGLE_GSM, MULTI_GSM, "GSM-7"
    segments = 0 if units == 0 else 1 if units <= single else -(-units // multi)
    return SmsCost(encoding=encoding, units=units, segments=segments, non_gsm=bad)


def fit_segments(text: str, max_segments: int = 3, ellipsis: str = "...") -> str:
    """Cut a body at a word boundary so it fits in max_segments; the start (the action) is kept."""
    if sms_cost(text).segments <= max_segments:
        return text
    words = text.split(" ")
    while words and sms_cost(" ".join(words) + ellipsis).segments > max_segments:
        words.pop()
    return " ".join(words) + ellipsis
