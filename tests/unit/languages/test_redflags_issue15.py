"""Issue 15: the language lists on the styles that lagged (romanised, reversed word order, third parties, code-mixed)
and on the ordinary messages that used to fire (negations, hypotheticals, worrying words, one language's word in
another's). The examples are the team's own, written for these tests; tests/data/real/lang_tune.jsonl is the tune
set, gated below; lang_test.jsonl is the held-out measure and is not read here."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from bot import paths
from bot.languages.redflags import LanguageRedFlags
from bot.risk.rules import load_rules

TUNE = Path(__file__).parents[2] / "data" / "real" / "lang_tune.jsonl"


@pytest.fixture(scope="module")
def lists() -> LanguageRedFlags:
    return LanguageRedFlags.from_dir(paths.RISK, load_rules(paths.RISK))


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("synek wciaga skore pod zebrami", "urgent_medical_a"),
        ("maz mowi ze przesadzam ale corka co chwile drga", "urgent_medical_a"),
        ("wczoraj sie pocielam znowu", "mental_health"),
        ("babcia uderzyla synka", "child_at_risk"),
        ("nu a facut pipi de 10 ore", "urgent_medical_b"),
        ("sotul meu l-a vazut pe bunicul cum scutura copilul", "child_at_risk"),
        ("munni de naram hisse te ubhar aa gaya", "urgent_medical_a"),
        ("kal paida hoyi te aj peeli lag rahi", "urgent_medical_b"),
        ("mera husband mera phone control karda", "domestic_abuse"),
        ("iska rona ab bardasht nahi hota", "crying"),
        ("babu pottyr sathe rokto dekhlam", "urgent_medical_a"),
        ("o babu ke jhakiyeche ami dekhechi", "child_at_risk"),
        ("ebni 3am yseer7 sar se3atein", "urgent_medical_a"),
        ("jozi byedrebni kel yom", "domestic_abuse"),
        ("hazzeita la binti", "child_at_risk"),
    ],
)
def test_red_flags_in_the_styles_that_were_missed_fire(lists: LanguageRedFlags, text: str, category: str) -> None:
    assert category in {h.category for h in lists.screen(text)}, lists.screen(text)


@pytest.mark.parametrize(
    "text",
    [
        "nie ma drgawek, tylko mocno czka",  # negation
        "gdyby kiedys przestal oddychac, co robic?",  # hypothetical
        "czy trzeba potrzasac butelka przed karmieniem",  # shaking a bottle, not a baby
        "uderzyl sie lekko w glowe i sie smieje",  # a bump without vomiting or drowsiness
        "nu are eruptie si nici febra",
        "dintii astia ma omoara de o saptamana",  # "teething is killing me"
        "baby apne kamre mein so sakta hai?",  # Urdu "apne" is not Romanian "apnee"
        "ہمارا بچہ نیلے کپڑوں میں سوتا ہے",  # blue clothes: "kapre" is not "par gaya"
        "je kade saah ruk jaye taan ki karna",
        "mujhe khudkushi ka koi khayal nahi",
        "khichuni hoy na, shudhu hichki",
        "ma 3ando tashannojat, bas fowa2",
    ],
)
def test_negations_hypotheticals_and_worrying_words_do_not_fire(lists: LanguageRedFlags, text: str) -> None:
    assert lists.screen(text) == []


def test_the_tune_set_meets_issue_15_with_the_lists_alone(lists: LanguageRedFlags) -> None:
    # Measured 2026-12-03: every group 1.00 in every language bar 0.962 for urgent medical in pl, pa, ur (the English
    # rules catch the rest); ordinary lines firing 0 of 42, 1 in ro. Tuned on, so a floor, not the measure.
    found: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for line in TUNE.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        found[(row["lang"], row["risk"])].append(bool(lists.screen(row["text"])))
    rates = {key: sum(v) / len(v) for key, v in found.items()}
    assert len(rates) == 24  # six languages, three groups and ordinary
    assert {k: r for k, r in rates.items() if k[1] != "none" and r < 0.95} == {}
    assert {k: r for k, r in rates.items() if k[1] == "none" and r > 0.05} == {}
