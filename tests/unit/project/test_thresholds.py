"""config.yml's fallback thresholds are the ones bot/thresholds.py documents, and the decision uses them."""

from __future__ import annotations

import dataclasses

import yaml

from bot.answers.decision import decide
from bot.paths import CONFIG
from bot.thresholds import THRESHOLDS, Thresholds


def test_config_fallback_thresholds_agree_with_the_thresholds_object() -> None:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    (fallback,) = [c for c in config["pipeline"] if c["name"] == "FallbackClassifier"]
    (rules,) = [p for p in config["policies"] if p["name"] == "RulePolicy"]
    assert (fallback["threshold"], rules["core_fallback_threshold"]) == (
        THRESHOLDS.nlu_fallback,
        THRESHOLDS.core_fallback,
    )


def test_the_committed_values() -> None:
    # Literal: a change here is a change of measured behaviour and must come with a new measurement.
    assert dataclasses.astuple(THRESHOLDS) == (
        0.45,
        0.2,
        0.5,
        0.05,
        0.9,  # lang15: an English answer to a question in another language (measured on lang_questions.jsonl)
        0.85,
        0.4,
        0.85,
        0.3,
        0.3,
        # Issue 12, third pass: chosen on the tune half's cross-validation at a 0.045 budget (README "Risk classifier").
        {"urgent_medical": 0.95, "mental_health": 0.75, "safeguarding": 0.55},
        {"urgent_medical": 1.01, "mental_health": 1.01, "safeguarding": 1.01},
    )


def test_the_decision_reads_the_thresholds_it_is_given() -> None:
    ranking = [
        {"name": "breastfeeding__how_often", "confidence": 0.42},
        {"name": "safe_sleep__room", "confidence": 0.40},
    ]
    assert decide(ranking).kind == "clarify"
    assert decide(ranking, Thresholds(answer=0.4)).answer_ids == ("breastfeeding/how_often",)
