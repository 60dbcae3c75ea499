"""The risk screen on the versioned red-flag set (a release gate) and on the behaviours it must keep."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bot.risk import RiskHit, RiskScreen
from bot.risk.rules import load_rules

REDFLAGS = Path(__file__).parents[2] / "data" / "redflags.jsonl"
GROUPS = ("urgent_medical", "mental_health", "safeguarding")
ROWS = [json.loads(line) for line in REDFLAGS.read_text(encoding="utf-8").splitlines() if line.strip()]


def messages(row: dict) -> list[str]:
    return [*row.get("previous", []), row["text"]]


@pytest.fixture(scope="module")
def screen() -> RiskScreen:
    return RiskScreen.from_dir()


def pairs(hits: list[RiskHit]) -> set[tuple[str, str]]:
    return {(h.category, h.rule) for h in hits}


def test_red_flag_set_shape() -> None:
    counts = Counter(row["risk"] for row in ROWS)
    assert counts["urgent_medical"] >= 45 and counts["mental_health"] >= 35
    assert counts["safeguarding"] >= 40 and counts["none"] >= 100
    assert sum(1 for row in ROWS if row.get("previous")) >= 8
    assert {row["topic"] for row in ROWS} <= {
        "breastfeeding", "safe_sleep", "immunisations", "oral_health", "out_of_scope",
    }  # fmt: skip
    assert {row["risk"] for row in ROWS} == {"none", *GROUPS}


@pytest.mark.parametrize("group", GROUPS)
def test_recall_is_total_per_group(screen: RiskScreen, group: str) -> None:
    rows = [row for row in ROWS if row["risk"] == group]
    missed = [messages(row) for row in rows if group not in {h.group for h in screen.screen(messages(row))}]
    assert not missed, f"{len(missed)}/{len(rows)} {group} red flags missed:\n" + "\n".join(map(str, missed))


def test_false_alarms_on_ordinary_messages_are_rare(screen: RiskScreen) -> None:
    rows = [row for row in ROWS if row["risk"] == "none"]
    alarms = [(row["text"], sorted(pairs(screen.screen(messages(row))))) for row in rows]
    alarms = [a for a in alarms if a[1]]
    rate = len(alarms) / len(rows)
    assert rate <= 0.05, f"false-positive rate {rate:.3f}:\n" + "\n".join(map(str, alarms))


def test_examples_mostly_fire_their_own_category(screen: RiskScreen) -> None:
    # The examples were written apart from the rules: a check that the rules are general.
    cases = [(c.name, e) for c in screen.categories for e in c.examples]
    missed = [(name, e) for name, e in cases if name not in {h.category for h in screen.screen([e])}]
    assert len(missed) <= 0.1 * len(cases), "\n".join(map(str, missed))


@pytest.mark.parametrize(
    "text",
    [
        "no rash",
        "his lips aren't blue",
        "he isn't floppy, just sleepy",
        "she's not breathing fast, just snuffly",
        "no blood in his poo",
        "what if he goes blue",
        "what are the signs of meningitis",
        "how do i know if she's dehydrated",
        "should i worry if he has a fit",
        "in case she ever swallows a button battery",
        "worried he might stop breathing in his sleep",
        "she had a fit of giggles",
        "I shook the bottle",
        "she keeps shaking her head",
    ],
)
def test_negated_hypothetical_and_innocent_uses_do_not_fire(screen: RiskScreen, text: str) -> None:
    assert screen.screen([text]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("he's not breathing", ("urgent_medical_a", "not_breathing")),
        ("she won't wake up", ("urgent_medical_a", "floppy_unresponsive")),
        ("can't wake him", ("urgent_medical_a", "floppy_unresponsive")),
        ("I dont think hes breathing", ("urgent_medical_a", "not_breathing")),
        ("my mum says it's nothing but he's floppy", ("urgent_medical_a", "floppy_unresponsive")),
        ("no temperature but his lips are blue", ("urgent_medical_a", "blue_or_grey")),
        ("blue lips", ("urgent_medical_a", "blue_or_grey")),
        ("Vomiting bright green", ("urgent_medical_a", "green_vomit_or_blood_in_poo")),
        ("rash that doesn't fade under a glass", ("urgent_medical_a", "non_blanching_rash")),
        ("they'd all be better off without me", ("mental_health", "suicidal_thoughts")),
        ("what if I hurt her, I keep having thoughts of hurting her", ("mental_health", "thoughts_of_harming_baby")),
        ("if he doesn't stop screaming I'll lose it", ("crying", "losing_control")),
        ("he says if I leave he'll kill me", ("domestic_abuse", "threats")),
    ],
)
def test_reports_fire_despite_cue_words(screen: RiskScreen, text: str, expected: tuple[str, str]) -> None:
    assert expected in pairs(screen.screen([text]))


# Issue 12: information questions and resolved events were emergency-tier false alarms (the family handed over).
@pytest.mark.parametrize(
    "text",
    [
        "the day he came home I made the mistake of googling meningitis",
        "I read about sepsis and now I check him all night",
        "how common is meningitis in babies",
        "after reading about choking i want to do a first aid course",
        "is there a first aid course for choking near me",
        "how do I stop my baby choking on milk when my letdown is fast",
        "what is a febrile seizure",
        "why does the midwife ask about domestic abuse every time",
        "what is the domestic abuse helpline number, it's for a poster at our baby group",
        "what counts as domestic abuse",
        "my sister had puerperal psychosis, am I more at risk",
        "a constant stream of visitors and no sleep",
        "scared to death of giving him his first bath",
    ],
)
def test_information_framing_does_not_fire(screen: RiskScreen, text: str) -> None:
    assert screen.screen([text]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "i googled it and i think she has meningitis, the rash won't fade",
            ("urgent_medical_a", "non_blanching_rash"),
        ),
        ("i think she has meningitis", ("urgent_medical_a", "meningitis_or_sepsis")),
        ("he's choking on a grape", ("urgent_medical_a", "choking")),
        ("what do i do my baby is choking", ("urgent_medical_a", "choking")),
        ("I'm scared to death of him", ("domestic_abuse", "fear_of_partner")),
        ("my partner is abusive", ("domestic_abuse", "coercive_control")),
        ("my friend is in an abusive relationship, what number can she call", ("domestic_abuse", "coercive_control")),
        ("she's making a high pitched cry non stop", ("urgent_medical_a", "weak_high_pitched_cry")),
    ],
)
def test_reports_with_the_same_words_still_fire(screen: RiskScreen, text: str, expected: tuple[str, str]) -> None:
    assert expected in pairs(screen.screen([text]))


def test_report_split_over_two_texts(screen: RiskScreen) -> None:
    assert screen.screen(["blue"]) == []
    hits = screen.screen(["baby's lips have gone", "blue"])
    assert ("urgent_medical_a", "blue_or_grey") in pairs(hits)
    hits = screen.screen(["he's gone a funny colour", "his lips are blue-ish"])
    assert ("urgent_medical_a", "blue_or_grey") in pairs(hits)


def test_a_flag_in_an_earlier_text_does_not_fire_again_on_thanks(screen: RiskScreen) -> None:
    assert screen.screen(["his lips have gone blue", "ok thanks"]) == []


def test_i_shook_her_is_medical_emergency_and_safeguarding(screen: RiskScreen) -> None:
    hits = screen.screen(["I shook her a bit"])
    assert pairs(hits) == {
        ("urgent_medical_a", "shaken_baby"),
        ("child_at_risk", "shaking_a_baby"),
        ("crying", "shook_or_nearly_shook"),
    }
    # Sorted by priority, then category name.
    assert [h.category for h in hits] == ["urgent_medical_a", "child_at_risk", "crying"]


def test_rule_level_tier_sets_hit_tier_and_priority(screen: RiskScreen) -> None:
    hits = screen.screen(["had baby last week, terrible headache and blurry vision"])
    hits = [h for h in hits if h.category == "postnatal"]
    assert hits == [RiskHit("postnatal", "urgent_medical", "headache_or_vision_changes", "B", 3)]


def test_one_hit_per_category_best_rule_first(screen: RiskScreen) -> None:
    hits = screen.screen(["she is floppy, not breathing and her lips are blue"])
    assert [h.category for h in hits] == ["urgent_medical_a"]
    assert hits[0].rule == "not_breathing"  # the earliest matching rule in the file wins a tie


def test_empty_input_gives_no_hits(screen: RiskScreen) -> None:
    assert screen.screen([]) == []
    assert screen.screen(["his lips are blue", "   "]) == []


def test_same_input_same_output_across_calls_and_screens(screen: RiskScreen) -> None:
    first = [screen.screen(messages(row)) for row in ROWS]
    assert [screen.screen(messages(row)) for row in ROWS] == first
    fresh = RiskScreen.from_dir()
    assert [fresh.screen(messages(row)) for row in ROWS] == first


def test_prefilter_changes_no_decision(screen: RiskScreen) -> None:
    unfiltered = RiskScreen(load_rules(), screen._nlp, prefilter=False)
    cases = [messages(row) for row in ROWS] + [[e] for c in screen.categories for e in c.examples]
    assert [unfiltered.screen(m) for m in cases] == [screen.screen(m) for m in cases]


def test_category_lookup(screen: RiskScreen) -> None:
    assert screen.category("crying").group == "safeguarding"
    with pytest.raises(KeyError):
        screen.category("nonsense")
