"""Release gates for the whole risk screen (matcher, then the risk classifier) on data it never learnt from.

tests/data/real/risk_test.jsonl is the held-out half of the real evaluation set: it is only measured here, never
used to write a rule, an example or a threshold (the leak check below). The floors are the figures measured on
it with the committed model (docs/figures/risk_model.json, README "Risk classifier") less a small margin for
noise; tests/data/redflags.jsonl stays at recall 1.00.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot import paths
from bot.risk.classifier import RiskClassifier, fixed_examples, tune_examples
from bot.risk.screening import ContentRiskScreen
from bot.risk.tiers import CONCERN
from bot.training.risk_train import CHOSEN, fit
from bot.turn.messages import ScreenContext

DATA = Path(__file__).parents[2] / "data"
TEST_HALF = DATA / "real" / "risk_test.jsonl"
# Measured on the test half on 2026-12-03, issue 12's third pass (urgent medical 0.733, mental health 0.764,
# safeguarding 0.893; ordinary escalated at any tier 0.070, at an emergency tier 0.033), each less (or plus) a margin
# of 0.03 / 0.02 for noise. Second pass: 0.802 / 0.694 / 0.893, 0.098 / 0.033; first (2026-12-02): 0.744 / 0.625 /
# 0.768, 0.056 / 0.033. Below the recall targets (0.98 / 0.95 / 0.95) and the emergency-tier target (0.03);
# urgent-medical recall fell with the stricter budget: README "Risk classifier" says what still fails.
FLOORS = {"urgent_medical": 0.70, "mental_health": 0.73, "safeguarding": 0.86}
CEILINGS = {"ordinary_any": 0.090, "ordinary_emergency": 0.053}
WORD = re.compile(r"[a-z0-9]+")
# An ordinary test line that is also one of an answer's example questions in content/breastfeeding/ (the answers'
# own training data, older than the classifier, which reads those questions as ordinary messages). Known and
# listed, so that any other overlap fails; ../shared/tools/leak-check reports the same one line.
KNOWN_ANSWER_QUESTION = {"how do i know if the latch is right?"}


@pytest.fixture(scope="module")
def classifier() -> RiskClassifier:
    return fit(CHOSEN, [*fixed_examples(), *tune_examples()])


@pytest.fixture(scope="module")
def screen(classifier: RiskClassifier) -> ContentRiskScreen:
    return ContentRiskScreen(classifier=classifier)


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_held_out_recall_and_false_alarms_meet_their_floors(screen: ContentRiskScreen) -> None:
    found: dict[str, list[bool]] = {g: [] for g in FLOORS}
    any_alarm, emergency = [], []
    for row in rows(TEST_HALF):
        hits = screen.check(row["text"], ScreenContext(previous=tuple(row.get("previous") or ())))
        if row["risk"] == "none":
            any_alarm.append(bool(hits))
            emergency.append(any(h.tier != CONCERN for h in hits))
        else:
            found[row["risk"]].append(bool(hits))
    recall = {g: sum(v) / len(v) for g, v in found.items()}
    ordinary = {"ordinary_any": sum(any_alarm) / len(any_alarm), "ordinary_emergency": sum(emergency) / len(emergency)}
    assert all(recall[g] >= FLOORS[g] for g in FLOORS), recall
    assert all(ordinary[k] <= CEILINGS[k] for k in CEILINGS), ordinary


def test_every_red_flag_is_still_escalated(screen: ContentRiskScreen) -> None:
    risky = [r for r in rows(DATA / "redflags.jsonl") if r.get("risk") not in (None, "none")]
    assert len(risky) >= 100
    missed = [
        r["text"] for r in risky if not screen.check(r["text"], ScreenContext(previous=tuple(r.get("previous") or ())))
    ]
    assert missed == []


def norm(text: str) -> list[str]:
    return WORD.findall(text.lower())


def grams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3))}


def test_no_training_example_or_rule_source_line_stands_in_the_test_half() -> None:
    # The same test as ../shared/tools/leak-check: an exact match after dropping case and punctuation, or 60% of
    # a test line's word 4-grams (at least 3) inside one learning line.
    learning = [norm(e.joined) for e in [*fixed_examples(), *tune_examples()]]
    for path in sorted(paths.RISK.rglob("*.yml")):
        learning.extend(norm(line) for line in path.read_text(encoding="utf-8").splitlines())
    learning = [w for w in learning if len(w) >= 3]
    exact = {" ".join(w) for w in learning}
    learnt_grams = [grams(w) for w in learning]
    leaks = []
    for row in rows(TEST_HALF):
        for text in [row["text"], *(row.get("previous") or [])]:
            words = norm(text)
            if len(words) < 3 or text in KNOWN_ANSWER_QUESTION:
                continue
            own = grams(words)
            if " ".join(words) in exact or any(
                len(shared := own & g) >= 3 and len(shared) >= 0.6 * len(own) for g in learnt_grams
            ):
                leaks.append(text)
    assert leaks == []
