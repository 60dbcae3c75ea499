"""The answer decision on fixed rankings (replaces a stack test that tried phrasings until one clarified).

The thresholds are written here, not read from bot/thresholds.py, so retuning them does not change what these
tests mean."""

from __future__ import annotations

from bot.answers.decision import Decision, decide
from bot.thresholds import Thresholds

FIXED = Thresholds(answer=0.5, clarify=0.2, clarify_share_of_best=0.5, option=0.05)


def rank(*pairs: tuple[str, float]) -> list[dict[str, object]]:
    return [{"name": name, "confidence": conf} for name, conf in pairs]


def test_a_confident_answer_is_answered() -> None:
    ranking = rank(("safe_sleep__room_temperature", 0.81), ("safe_sleep__dummies", 0.1))
    assert decide(ranking, FIXED) == Decision("answer", ("safe_sleep/room_temperature",), 0.81)


def test_rasas_fallback_marker_is_looked_under() -> None:
    ranking = rank(("nlu_fallback", 0.3), ("oral_health__first_brush", 0.62))
    assert decide(ranking, FIXED) == Decision("answer", ("oral_health/first_brush",), 0.62)


def test_middling_confidence_offers_up_to_three_options_above_the_floor() -> None:
    ranking = rank(
        ("immunisations__eight_weeks", 0.34),
        ("immunisations__side_effects", 0.22),
        ("immunisations__fever_after_jabs", 0.12),
        ("immunisations__mmr", 0.04),
    )
    assert decide(ranking, FIXED) == Decision(
        "clarify",
        ("immunisations/eight_weeks", "immunisations/side_effects", "immunisations/fever_after_jabs"),
        0.34,
    )


def test_options_below_the_floor_are_dropped() -> None:
    ranking = rank(("breastfeeding__mastitis", 0.3), ("breastfeeding__sore_nipples", 0.2), ("greet", 0.01))
    assert decide(ranking, FIXED).answer_ids == ("breastfeeding/mastitis", "breastfeeding/sore_nipples")


def test_a_clear_non_answer_intent_wins_over_weak_answers() -> None:
    ranking = rank(("out_of_scope", 0.7), ("breastfeeding__how_often", 0.25))
    assert decide(ranking, FIXED) == Decision("fallback", (), 0.25)


def test_very_low_confidence_falls_back() -> None:
    ranking = rank(("safe_sleep__dummies", 0.15), ("safe_sleep__swaddling", 0.1))
    assert decide(ranking, FIXED) == Decision("fallback", (), 0.15)


def test_no_answer_intent_at_all_falls_back() -> None:
    assert decide(rank(("greet", 0.9)), FIXED) == Decision("fallback")
