"""An escalation from a language's word list records the language; staff see its name (interpreter needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.care.escalations import Facts, open_escalation
from bot.risk.matcher import RiskHit
from bot.storage.db import transaction
from bot.storage.models.escalation import Escalation
from tests.support.escalation import TIER_A, use_temp_db

POLISH = RiskHit("urgent_medical_a", "urgent_medical", "pl_not_breathing", "A", 1, "pl")


@pytest.fixture(autouse=True)
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    return use_temp_db(monkeypatch, tmp_path)


def test_a_polish_red_flag_escalates_with_the_language() -> None:
    opened = open_escalation(Facts("sms", "+447700900124", "dziecko nie oddycha", "sms"), [POLISH], ["x"])
    with transaction() as s:
        esc = s.get(Escalation, opened.escalation_id)
        assert esc is not None
        assert (esc.language, esc.language_name) == ("pl", "Polish")


def test_an_english_red_flag_has_no_language() -> None:
    opened = open_escalation(Facts("sms", "+447700900125", "his lips have gone blue", "sms"), [TIER_A], ["x"])
    with transaction() as s:
        esc = s.get(Escalation, opened.escalation_id)
        assert esc is not None
        assert (esc.language, esc.language_name) == (None, None)
