"""Red flags in each supported language (content/risk/<lang>/redflags.yml): script, romanised and without
diacritics. The examples are the team's own, written with the lists; the held-out measure is lang_test.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot import paths
from bot.languages.redflags import LanguageRedFlags, parse_term
from bot.risk.rules import RiskRulesError, load_rules

DATA = Path(__file__).parents[2] / "data"


@pytest.fixture(scope="module")
def lists() -> LanguageRedFlags:
    return LanguageRedFlags.from_dir(paths.RISK, load_rules(paths.RISK))


@pytest.mark.parametrize(
    ("text", "category", "lang"),
    [
        ("Moje dziecko nie oddycha!!", "urgent_medical_a", "pl"),
        ("synek ma sine usta", "urgent_medical_a", "pl"),
        ("połknął baterię od pilota", "urgent_medical_a", "pl"),
        ("mala ma 6 tygodni i goraczke 38.5", "urgent_medical_a", "pl"),
        ("nie chce mi sie zyc", "mental_health", "pl"),
        ("mąż mnie uderzył wczoraj", "domestic_abuse", "pl"),
        ("copilul nu mai respira", "urgent_medical_a", "ro"),
        ("are buzele vinete", "urgent_medical_a", "ro"),
        ("vreau sa mor", "mental_health", "ro"),
        ("ma bate sotul", "domestic_abuse", "ro"),
        ("ਮੇਰਾ ਬੱਚਾ ਸਾਹ ਨਹੀਂ ਲੈ ਰਿਹਾ", "urgent_medical_a", "pa"),
        ("meri kudi saah nahi le rahi", "urgent_medical_a", "pa"),
        ("ਮੈਂ ਮਰਨਾ ਚਾਹੁੰਦੀ ਹਾਂ", "mental_health", "pa"),
        ("mainu marda aa mera gharwala", "domestic_abuse", "pa"),
        ("میرا بچہ سانس نہیں لے رہا", "urgent_medical_a", "ur"),
        ("bache ki saans nahi aa rahi", "urgent_medical_a", "ur"),
        ("میں مرنا چاہتی ہوں", "mental_health", "ur"),
        ("mera shohar mujhe marta hai", "domestic_abuse", "ur"),
        ("আমার বাচ্চা শ্বাস নিচ্ছে না", "urgent_medical_a", "bn"),
        ("amar bacha shash nicche na", "urgent_medical_a", "bn"),
        ("আমি মরে যেতে চাই", "mental_health", "bn"),
        ("amar shami amake mare", "domestic_abuse", "bn"),
        ("ابني ما يتنفس", "urgent_medical_a", "ar"),
        ("وشفايفه زرقاء", "urgent_medical_a", "ar"),
        ("ibni ma 3am yetnafas", "urgent_medical_a", "ar"),
        ("bade mot", "mental_health", "ar"),
        ("زوجي يضربني", "domestic_abuse", "ar"),
    ],
)
def test_a_red_flag_in_each_language_fires_with_its_language(
    lists: LanguageRedFlags, text: str, category: str, lang: str
) -> None:
    hits = lists.screen(text, prefer=lang)
    assert (category, lang) in {(h.category, h.lang) for h in hits}, hits


@pytest.mark.parametrize(
    "text",
    [
        "jak myc zeby dziecku",
        "czy moge karmic piersia po piwie",
        "cum ii spal dintii bebelusului",
        "kya baby sofa par so sakta hai",
        "baby raat ko jagta hai so nahi raha",
        "ਬੱਚੇ ਦੇ ਦੰਦ ਕਦੋਂ ਸਾਫ਼ ਕਰੀਏ",
        "বাচ্চার দাঁত কিভাবে ব্রাশ করব",
        "متى ابدأ اغسل اسنان الطفل",
    ],
)
def test_ordinary_questions_do_not_fire(lists: LanguageRedFlags, text: str) -> None:
    assert lists.screen(text) == []


def test_no_language_list_fires_on_english_ordinary_messages(lists: LanguageRedFlags) -> None:
    # The English figures must not move: the lists hold no English words that could fire on their own.
    fired = []
    for name in ("real/risk_tune.jsonl", "real/questions_tune.jsonl", "eval.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if (row.get("risk") or "none") == "none" and lists.screen(row["text"]):
                fired.append(row["text"])
    assert fired == []


def test_every_list_is_marked_for_translator_review(lists: LanguageRedFlags) -> None:
    assert lists.languages == ("ar", "bn", "pa", "pl", "ro", "ur")
    assert set(lists.reviews.values()) == {"awaiting qualified translator"}


def test_terms_have_gaps_joins_and_spellings() -> None:
    term = parse_term("el bebe|elbebe ... hazo + bi2owe")
    assert term[1] is None and len(term) == 4
    assert [len(words) for words in term[0].alternatives] == [2, 1]  # type: ignore[union-attr]


def test_an_unknown_category_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "redflags.yml").write_text(
        "language: xx\nreview: awaiting qualified translator\ncategories:\n  nope:\n    - id: a\n      any: [b]\n"
    )
    with pytest.raises(RiskRulesError, match=r"xx/redflags.yml: categories.nope: no such risk category"):
        LanguageRedFlags.from_dir(tmp_path, load_rules(paths.RISK))
