"""`parentbot evaluate`'s risk reading with the languages' word lists added: groups keep their reply kind."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bot.languages.screen import with_languages


def english_only(case: Any, parse: dict[str, Any]) -> dict[str, str]:
    return {"mental_health": "concern"} if "sad" in case.text else {}


def test_a_polish_red_flag_is_an_emergency_next_to_the_english_reading() -> None:
    risk_of = with_languages(english_only)
    assert risk_of(SimpleNamespace(text="dziecko nie oddycha", previous=()), {}) == {"urgent_medical": "emergency"}


def test_the_english_reading_is_kept_when_no_list_matches() -> None:
    risk_of = with_languages(english_only)
    assert risk_of(SimpleNamespace(text="I feel sad", previous=()), {}) == {"mental_health": "concern"}
