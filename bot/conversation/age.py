"""The baby's age when a parent states it: "she's 6 weeks", "2 month old", "8 wks", "newborn".

Hand-written regular expressions: no library parses the way parents text an age, and the screen needs a
yes/no that is predictable. Only statements of age count: "fever for 2 days" is a duration and "36 weeks
pregnant" or "born 3 weeks early" are not the baby's age, so a bare number and unit counts only when it is
the whole message ("8 wks") or is said of the baby ("he's 7 weeks", "my 8 week old").
"""

from __future__ import annotations

import re

DAYS_PER = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}
NEWBORN_DAYS = 7  # "newborn": the youngest reading, so a fever rule for under 3 months holds for weeks after
NUMBERS = ["a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"]
NUMBERS.append("twelve")
WORDS = {word: max(1, i - 1) for i, word in enumerate(NUMBERS)}  # a = an = one = 1, two = 2 ...
NUM = r"(?<![\w.])(?P<num>\d{1,3}(?:\.\d)?|" + "|".join(WORDS) + r")"
UNIT = (
    r"(?P<unit>days?|d|weeks?|wks?|w|weeker|months?|mths?|mnths?|mos?|m|years?|yrs?|y)"
    r"(?![a-z])"
)
SPAN = NUM + r"[\s-]*" + UNIT
SUBJECT = r"(?:he|she|they|baby|bubba|lo|ds|dd|dt|my\s+(?:son|daughter|baby|boy|girl|lo))"
IS = (
    r"(?:\s*'\s*s|\s+is|\s*s|\s+was|\s+turned|\s+turns|\s+has\s+just\s+turned|\s+just\s+turned)"
    r"(?:\s+(?:only|just|now|nearly|almost))?"
)
NOT_AGE = r"(?!\s*(?:-\s*)?(?:pregnant|gestation|early|late|premature|prem|overdue|ago|old\s+when))"
PATTERNS = (
    re.compile(SPAN + r"[\s-]*(?:old|olds|y/?o)\b"),  # "2 month old", "8-wk-old", "6wks old"
    re.compile(r"\b" + SUBJECT + IS + r"\s+" + SPAN + NOT_AGE),  # "she's 6 weeks", "hes 10 weeks btw"
    re.compile(r"\baged\s+" + SPAN),
    re.compile(r"^\W*(?:" + SUBJECT + IS + r"\s+)?" + SPAN + r"(?:\s+(?:now|today|btw|old))*\W*$"),  # "8 wks"
)
NEWBORN = re.compile(r"\b(?:new\s*-?\s*born|newborn|neonate|born\s+(?:today|yesterday|last\s+night))\b")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


def _unit(raw: str) -> str:
    if raw.startswith("d"):
        return "day"
    if raw.startswith("w"):
        return "week"
    if raw.startswith("y"):
        return "year"
    return "month"


def _days(num: str, unit: str) -> int | None:
    value = float(WORDS[num]) if num in WORDS else float(num)
    days = round(value * DAYS_PER[_unit(unit)])
    return days if 0 <= days <= 6 * 365 else None  # older than 6 is not a baby or young child's age here


def stated_age_days(text: str) -> int | None:
    """The youngest age the text states, in days; None when it states none."""
    lowered = text.lower().translate(APOSTROPHES)
    found: list[int] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(lowered):
            # A lone "m" or "d" is too often minutes or a name: only "2m old" or "8 wks" forms count for it.
            if match.group("unit") in ("m", "d", "y") and pattern is PATTERNS[1]:
                continue
            days = _days(match.group("num"), match.group("unit"))
            if days is not None:
                found.append(days)
    if NEWBORN.search(lowered):
        found.append(NEWBORN_DAYS)
    return min(found) if found else None
