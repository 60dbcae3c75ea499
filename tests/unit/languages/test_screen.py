"""The turn's multilingual screen: word lists first, the route in the parent's language and in English."""

from __future__ import annotations

import pytest

from bot import paths
from bot.answers.gsm import sms_cost
from bot.languages.catalogue import load_catalogue
from bot.languages.redflags import LanguageRedFlags
from bot.languages.screen import MultilingualRiskScreen
from bot.risk.matcher import RiskHit
from bot.risk.rules import load_rules


class _English:
    """The English screen's interface, without spaCy: never fires, replies with a marker."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    def check(self, text: str, context: object = None) -> list[RiskHit]:
        if self.fail:
            raise RuntimeError("english screen down")
        return []

    def reply(self, category: str, render: str, lang: str | None = None) -> str:
        return f"ENGLISH {category} {render}"


class _Broken(LanguageRedFlags):
    def screen(self, text: str) -> list[RiskHit]:
        raise RuntimeError("lists down")


@pytest.fixture(scope="module")
def lists() -> LanguageRedFlags:
    return LanguageRedFlags.from_dir(paths.RISK, load_rules(paths.RISK))


def test_a_polish_red_flag_is_answered_in_polish_and_english(lists: LanguageRedFlags) -> None:
    screen = MultilingualRiskScreen(_English(), lists, load_catalogue())  # type: ignore[arg-type]
    hits = screen.check("dziecko nie oddycha")
    assert [(h.category, h.lang) for h in hits] == [("urgent_medical_a", "pl")]
    assert screen.reply("urgent_medical_a", "sms", "pl") == (
        "Zadzwoń teraz pod 999 albo jedź na SOR (A&E). Powiadomiliśmy zespół położnych.\n"
        "Call 999 now or go to A&E. We have told the health visiting team."
    )
    assert screen.reply("urgent_medical_a", "telegram", "pl").endswith("\n\nENGLISH urgent_medical_a telegram")
    assert screen.reply("urgent_medical_a", "sms") == "ENGLISH urgent_medical_a sms"


def test_broken_word_lists_leave_the_english_screen_running() -> None:
    screen = MultilingualRiskScreen(_English(), _Broken([], {}), load_catalogue())  # type: ignore[arg-type]
    assert screen.check("dziecko nie oddycha") == []


def test_every_language_has_every_route_within_three_segments_with_999_first() -> None:
    catalogue = load_catalogue()
    categories = {c.name for c in load_rules(paths.RISK)}
    screen = MultilingualRiskScreen(_English(), LanguageRedFlags([], {}), catalogue)  # type: ignore[arg-type]
    assert sorted(catalogue.languages) == ["ar", "bn", "pa", "pl", "ro", "ur"]
    for code, language in catalogue.languages.items():
        assert set(language.risk) == categories, code
        for category in categories:
            sms = screen.reply(category, "sms", code)
            cost = sms_cost(sms)
            assert cost.segments <= 3, (code, category, cost)
            first = sms[: 67 if cost.encoding == "UCS-2" else 153]
            assert "999" in first or "111" in first, (code, category)
            assert "999" in sms.split("\n")[-1], (code, category)  # the English line
