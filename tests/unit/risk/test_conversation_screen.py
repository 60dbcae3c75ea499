"""The screen reads the conversation: recent messages with the family's stated baby age (content/risk rules
with max_age_days, bot/risk/joining.py), without making a red flag out of two ordinary texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.risk import RiskScreen
from bot.risk.joining import risk_bearing
from bot.risk.screening import ContentRiskScreen, context_of
from bot.turn.messages import ScreenContext

ORDINARY = Path(__file__).resolve().parents[2] / "data" / "multiturn_ordinary.jsonl"


@pytest.fixture(scope="module")
def screen() -> ContentRiskScreen:
    return ContentRiskScreen(RiskScreen.from_dir(), classifier=None)  # the rules: the classifier has its own tests


def rules(screen: ContentRiskScreen, *texts: str) -> list[str]:
    *previous, newest = texts
    return [f"{h.category}/{h.rule}" for h in screen.check(newest, context_of(previous))]


FEVER_UNDER_3_MONTHS = ["urgent_medical_a/fever_stated_age_under_3_months"]


def test_a_fever_and_the_age_in_separate_texts_escalate_in_either_order(screen: ContentRiskScreen) -> None:
    assert rules(screen, "he's 7 weeks", "he has a fever") == FEVER_UNDER_3_MONTHS
    assert rules(screen, "he has a fever", "he's 7 weeks") == FEVER_UNDER_3_MONTHS
    assert rules(screen, "hes 38.5 and a bit grizzly", "whats the calpol dose for his age", "7 weeks") == (
        FEVER_UNDER_3_MONTHS
    )


def test_the_age_from_the_database_counts_as_stated(screen: ContentRiskScreen) -> None:
    # The turn passes the age the family stated days ago (bot/conversation/store.py), not in these texts.
    assert [h.rule for h in screen.check("she has a fever", ScreenContext((), 40))] == [
        "fever_stated_age_under_3_months"
    ]
    assert screen.check("she has a fever", ScreenContext((), 200)) == []
    assert screen.check("she has a fever", ScreenContext()) == []


def test_an_older_baby_or_a_fever_after_jabs_is_not_this_red_flag(screen: ContentRiskScreen) -> None:
    assert rules(screen, "he has a fever", "he's 7 months") == []
    assert rules(screen, "she's 8 weeks", "her temp is 37.2 is that ok") == []
    assert rules(screen, "she had her jabs yesterday", "shes 7 weeks", "she has a fever") == []


def test_two_ordinary_texts_do_not_make_a_sleep_red_flag(screen: ContentRiskScreen) -> None:
    assert rules(screen, "we got a sleep pod", "what about at night") == []
    assert rules(screen, "cot bumper", "night") == []
    assert rules(screen, "his lips have gone", "blue") == ["urgent_medical_a/blue_or_grey"]  # both risk-bearing


def test_everyday_words_are_not_risk_bearing() -> None:
    assert not risk_bearing(["night", "at", "sleeps"])
    assert risk_bearing(["night", "pod"])
    assert not risk_bearing([])


def test_ordinary_multi_turn_conversations_raise_no_alarm(screen: ContentRiskScreen) -> None:
    rows = [json.loads(line) for line in ORDINARY.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 50 and all(r["risk"] == "none" for r in rows)
    alarms = [(r["previous"], r["text"]) for r in rows if screen.check(r["text"], context_of(r["previous"]))]
    assert alarms == []
