"""bot/conversation/age.py: literal statements of a baby's age, and what must not be read as one."""

from __future__ import annotations

import pytest

from bot.conversation.age import stated_age_days


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("she's 6 weeks", 42),
        ("she\u2019s 6 weeks", 42),
        ("2 month old", 61),
        ("8 wks", 56),
        ("newborn", 7),
        ("hes 10 weeks btw", 70),
        ("he's 7 weeks", 49),
        ("my 8 week old has a temp", 56),
        ("my 12 day old", 12),
        ("6wks", 42),
        ("a week old", 7),
        ("my dd is 5 weeks", 35),
        ("10 weeks old today", 70),
        ("shes 4 months now", 122),
        ("hes 2m old", 61),
        ("she is six weeks", 42),
        ("my new born keeps crying", 7),
        ("baby is 3 days old", 3),
        ("my 3 year old and 6 week old both have colds", 42),  # the youngest: the stricter rules
    ],
)
def test_stated_ages(text: str, days: int) -> None:
    assert stated_age_days(text) == days


@pytest.mark.parametrize(
    "text",
    [
        "fever for 2 days",
        "she is 36 weeks pregnant",
        "born 3 weeks early",
        "she was 3 weeks early",
        "she had her 8 week jabs",
        "its 2 weeks since her jabs",
        "he is 3",
        "temp 38.5 for 2d",
        "took 5 m",
        "what about at night?",
        "",
    ],
)
def test_not_an_age(text: str) -> None:
    assert stated_age_days(text) is None
