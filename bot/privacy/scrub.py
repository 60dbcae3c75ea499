"""Removing personal data from a parent's words before they reach the theme log (fall-backs only).

Well-kept libraries first (phonenumbers finds UK numbers in free text), then patterns for what no library
covers (UK postcodes, NHS numbers, dates, addresses, names after "my name is"), then a digit-run safety net:
any run of 7 or more digits that survived is replaced, whatever it was. A placeholder keeps the sentence's
shape ("[phone]") so editors still see what kind of thing was asked. Over-scrubbing is the accepted cost.
"""

from __future__ import annotations

import re

import phonenumbers
from spacy.lang.en.stop_words import STOP_WORDS

MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
EMAIL = re.compile(r"[\w.+%-]+\s*@\s*[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
DATES = [
    re.compile(r"\b\d{1,4}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{1,4}\b"),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS}\b,?(?:\s+\d{{2,4}})?\b", re.IGNORECASE),
    re.compile(rf"\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b,?(?:\s+\d{{2,4}})?\b", re.IGNORECASE),
]
# The official shape (outward code, optional space, inward code) in any case; GIR 0AA is the one exception.
POSTCODE = re.compile(r"\b(?:GIR\s?0AA|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b", re.IGNORECASE)
NHS_NUMBER = re.compile(r"\b\d{3}[\s-]?\d{3}[\s-]?\d{4}\b")
STREET = (
    r"(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|court|ct|crescent|cres|place|pl|terrace"
    r"|grove|gardens|gdns|park|hill|square|sq|walk|mews|row|view|rise|estate|flats?|house)"
)
ADDRESS = re.compile(rf"\b(?:flat\s+\d+\w?,?\s+)?\d{{1,4}}[a-z]?,?\s+(?:[a-z'-]+\s+){{1,3}}{STREET}\b", re.IGNORECASE)
# Phone numbers the library did not take as valid (typos, short codes, odd spacing): any run of 7+ digits.
DIGIT_RUN = re.compile(r"[+(]?\d[\d\s().-]*\d")
MIN_DIGITS = 7
# After "my name is" the next words are a name whatever their case; after "I'm" or "this is" only a
# capitalised word is (parents write "I'm worried" far more often than "I'm Sarah").
NAME_ALWAYS = re.compile(r"\b(my\s+name\s+is|my\s+name's|name\s+is)\s+([a-z'-]+)(\s+[a-z'-]+)?", re.IGNORECASE)
NAME_CAPITALISED = re.compile(
    r"\b((?:i'm|i’m|im|i\s+am|this\s+is|it's|its)\s+)([A-Z][a-z'-]+)(\s+[A-Z][a-z'-]+)?", re.IGNORECASE
)
NOT_NAMES = frozenset(
    {
        "i",
        "a",
        "an",
        "the",
        "not",
        "so",
        "very",
        "really",
        "just",
        "still",
        "worried",
        "sorry",
        "it",
        "my",
        "he",
        "she",
        "they",
        "we",
        "ok",
        "okay",
        "fine",
        "breastfeeding",
        "pregnant",
        "struggling",
        "tired",
        "normal",
        "new",
        "back",
        "here",
        "going",
        "trying",
        "mum",
        "dad",
    }
)


def _digit_run(match: re.Match[str]) -> str:
    found = match.group(0)
    return "[number]" if sum(ch.isdigit() for ch in found) >= MIN_DIGITS else found


def _phones(text: str) -> str:
    # POSSIBLE leniency: a mistyped but number-shaped phone number is still personal data.
    spans = [
        (m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    ]
    for start, end in reversed(spans):
        text = text[:start] + "[phone]" + text[end:]
    return text


def _name(match: re.Match[str], capitalised_only: bool) -> str:
    lead, first, second = match.group(1), match.group(2), match.group(3) or ""
    if first.lower() in NOT_NAMES or (capitalised_only and not first[:1].isupper()):
        return match.group(0)
    # A second word is the surname unless it is an ordinary little word ("Sarah and my baby").
    surname = second.strip()
    keep = second if surname.lower() in STOP_WORDS or (capitalised_only and not surname[:1].isupper()) else ""
    return f"{lead.rstrip()} [name]{keep}" if not capitalised_only else f"{lead}[name]{keep}"


def scrub(text: str) -> str:
    """The text with personal data replaced by [email], [date], [postcode], [address], [nhs number], [phone],
    [number] and [name]."""
    text = EMAIL.sub("[email]", text)
    for pattern in DATES:
        text = pattern.sub("[date]", text)
    text = POSTCODE.sub("[postcode]", text)
    text = ADDRESS.sub("[address]", text)
    text = NHS_NUMBER.sub("[nhs number]", text)
    text = _phones(text)
    text = DIGIT_RUN.sub(_digit_run, text)
    text = NAME_ALWAYS.sub(lambda m: _name(m, False), text)
    # IGNORECASE above is for the lead words; the name itself must be capitalised (checked in _name).
    text = NAME_CAPITALISED.sub(lambda m: _name(m, True), text)
    return text
