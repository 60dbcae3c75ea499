"""The risk rules files: the shipped ones load and are sound; each kind of bad file names file and field."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from bot.answers.gsm import sms_cost
from bot.risk import RiskRulesError, RiskScreen, load_rules
from bot.risk.rules import RULES_DIR, load_category

FIXTURES = Path(__file__).parents[2] / "fixtures" / "risk"
REDFLAGS = Path(__file__).parents[2] / "data" / "redflags.jsonl"

EXPECTED = {  # category: (group, tier, priority), as safety.md and the brief set them
    "urgent_medical_a": ("urgent_medical", "A", 1),
    "urgent_medical_b": ("urgent_medical", "B", 3),
    "postnatal": ("urgent_medical", "A", 1),
    "mental_health": ("mental_health", None, 1),
    "domestic_abuse": ("safeguarding", None, 2),
    "child_at_risk": ("safeguarding", None, 2),
    "crying": ("safeguarding", None, 2),
}


@pytest.fixture(scope="module")
def shipped() -> dict[str, object]:
    return {c.name: c for c in load_rules()}


def test_shipped_categories_have_expected_group_tier_priority(shipped: dict) -> None:
    assert set(shipped) == set(EXPECTED) | {"safe_default"}
    for name, (group, tier, priority) in EXPECTED.items():
        cat = shipped[name]
        assert (cat.group, cat.tier, cat.priority) == (group, tier, priority), name
        assert cat.rules and len(cat.examples) >= 20, name


def test_postnatal_mixes_tiers(shipped: dict) -> None:
    tiers = {rule.tier: rule.priority for rule in shipped["postnatal"].rules}
    assert tiers == {"A": 1, "B": 3}


def test_safe_default_has_no_rules_and_gives_999_and_111(shipped: dict) -> None:
    default = shipped["safe_default"]
    assert default.rules == ()
    assert "999" in default.reply_sms and "111" in default.reply_sms


@pytest.mark.parametrize("name", [*sorted(EXPECTED), "safe_default"])
def test_sms_fits_three_segments_with_a_number_up_front(shipped: dict, name: str) -> None:
    sms = shipped[name].reply_sms
    assert sms_cost(sms).encoding == "GSM-7" and sms_cost(sms).segments <= 3
    assert re.search(r"\d{3}", sms[:153])


def test_examples_are_not_in_the_red_flag_set(shipped: dict) -> None:
    # The examples train the model's risk intent; the red-flag set must stay unseen to measure it.
    texts = {json.loads(line)["text"].strip().lower() for line in REDFLAGS.read_text().splitlines() if line}
    overlap = [e for c in shipped.values() for e in c.examples if e.strip().lower() in texts]
    assert overlap == []


def test_valid_fixture_loads() -> None:
    cat = load_category(FIXTURES / "valid.yml")
    assert [r.id for r in cat.rules] == ["first", "second"]


BAD_FILES = [
    ("bad_pattern_syntax", r"rules\[1\]\.patterns\[0\]: unknown syntax '\(blue\)'"),
    ("caret_without_gap", r"rules\[1\]\.patterns\[0\]: '\^' needs exactly one '~'"),
    ("empty_pattern", r"rules\[0\]\.patterns: must be a list of non-empty texts"),
    ("sms_too_long", r"reply_sms: \d+ characters, more than 3 SMS segments"),
    ("sms_not_gsm", r"reply_sms: characters outside GSM-7"),
    ("sms_number_late", r"reply_sms: no phone number in the first 153 characters"),
    ("sms_not_discreet", r"reply_sms: first line is not discreet"),
    ("sms_reassuring", r"reply_sms: reassures or diagnoses"),
    ("missing_field", r"title: missing"),
    ("unknown_field", r"rules\[0\]\.pattern: unknown field"),
    ("duplicate_rule_id", r"rules\[1\]\.id: duplicate rule id 'first'"),
    ("bad_group", r"group: 'safety' is not one of"),
    ("bad_tier", r"tier: 'C' is not A, B or null"),
    ("bad_rule_tier", r"rules\[1\]\.tier: 'amber' is not A, B or null"),
    ("bad_ignore_cue", r"rules\[1\]\.ignore_cues: 'sarcasm'"),
    ("bad_max_age", r"rules\[1\]\.max_age_days: must be a whole number of days"),
    ("priority_mismatch", r"priority: tier A must be priority 1"),
    ("category_mismatch", r"category: 'crying' must equal the file name"),
    ("too_few_examples", r"examples: 19 entries, need at least 20"),
    ("bad_yaml", r"yaml: "),
]


@pytest.mark.parametrize(("fixture", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_names_file_and_field(fixture: str, message: str) -> None:
    with pytest.raises(RiskRulesError) as err:
        load_category(FIXTURES / f"{fixture}.yml")
    text = str(err.value)
    assert f"{fixture}.yml: " in text
    assert re.search(message, text), text


def test_multi_token_alternative_is_caught_when_compiling(tmp_path: Path) -> None:
    shutil.copy(RULES_DIR / "safe_default.yml", tmp_path)
    shutil.copy(FIXTURES / "multi_token_alternative.yml", tmp_path)
    with pytest.raises(RiskRulesError, match=r"multi_token_alternative\.yml: rules\[1\]\.patterns\[0\]: 'can't'"):
        RiskScreen.from_dir(tmp_path)


def test_a_directory_without_the_safe_default_is_refused(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "valid.yml", tmp_path)
    with pytest.raises(RiskRulesError, match=r"safe_default\.yml: missing"):
        load_rules(tmp_path)
