"""Release gate for red flags in six languages (issue 15) on the held-out multilingual set.

tests/data/real/lang_test.jsonl is only measured here: no list, example or threshold was written from it
(tests/unit/training/test_held_out.py checks the lists and examples against it). The floors are the figures the
whole screen (English matcher and classifier, then the languages' lists) gave on it on 2026-12-03 after issue 15's
third list pass (lang15: the lists generalised; measured once, at the end: recall urgent medical 0.895, mental health
0.667, safeguarding 0.857, all 0.813; false alarms 0.063), less (or plus) a margin of 0.02. Before that pass: 0.876 /
0.607 / 0.774 / 0.762, 0.067. On main after the merge with issue 12's third classifier pass (its safeguarding
concern threshold rose 0.45 -> 0.55): 0.895 / 0.667 / 0.833 / 0.806, 0.063; the floors follow the merged figures.
The issue's target is recall
>= 0.95 in every language and group with false alarms <= 0.05: not met (README "Red flags in six languages").
"""

from __future__ import annotations

from pathlib import Path

from bot.languages.screen import with_languages
from bot.risk.screening import evaluation_risk
from bot.training import evaluate
from bot.training.risk_scores import risk_scores

HELD_OUT = Path(__file__).parents[2] / "data" / "real" / "lang_test.jsonl"
FLOORS = {"urgent_medical": 0.875, "mental_health": 0.646, "safeguarding": 0.813, "all": 0.786}
FALSE_ALARM_CEILING = 0.083


def test_held_out_language_red_flags_meet_their_floors() -> None:
    cases = evaluate.read_cases(HELD_OUT)
    assert len(cases) == 528
    risk = risk_scores(cases, [{}] * len(cases), with_languages(evaluation_risk()))
    below = {g: risk["recall"][g] for g, floor in FLOORS.items() if risk["recall"][g] < floor}
    assert not below, f"recall below its floor: {below} (floors {FLOORS})"
    assert risk["false_positive_rate"] <= FALSE_ALARM_CEILING, risk["false_positive_rate"]
