"""The real response-target lookup (bot/care/escalations.py) on the real risk content: the minutes before an
unclaimed escalation is alerted again come from content/risk/, not from a replacement in the test."""

from __future__ import annotations

from bot.care.escalations import DEFAULT_TARGET_MINUTES, target_minutes_for


def test_targets_come_from_each_categorys_rules() -> None:
    assert target_minutes_for("mental_health") == 15
    assert target_minutes_for("domestic_abuse") == 60
    assert target_minutes_for("child_at_risk") == 30


def test_a_call_back_and_a_concern_are_not_re_alerted() -> None:
    assert target_minutes_for("callback") is None
    assert target_minutes_for("concern_mental_health") is None


def test_an_unknown_category_gets_the_strictest_common_target() -> None:
    assert DEFAULT_TARGET_MINUTES == 15
    assert target_minutes_for("no_such_category") == 15
