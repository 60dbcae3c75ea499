"""Release gates on the trained model, through the same code as `parentbot evaluate`.

Topic and answer accuracy on eval.jsonl (a tune set since issue 14: its thresholds were chosen on it, so the
gate sits below its measured figures by a margin for training noise); recall 1.00 on the red-flag set for every
group, with at most 5% false alarms on non-risk lines of both sets. One model load for the module.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot import paths
from bot.answers.loader import load_signposts
from bot.answers.runtime import answer_hints, most_asked, topic_words
from bot.answers.signposts import SignpostIndex
from bot.risk.screening import evaluation_risk
from bot.training import evaluate

DATA = Path(__file__).parents[2] / "data"


@pytest.fixture(scope="module")
def results(trained_model: Path) -> dict[str, dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(trained_model))
    out = {}
    signposts = SignpostIndex(load_signposts(paths.CONTENT)[0])
    for name in ("eval.jsonl", "redflags.jsonl", "real/questions_test.jsonl"):
        cases = evaluate.read_cases(DATA / name)

        async def parse_all(texts: list[str]) -> list[dict[str, Any]]:
            return [await agent.parse_message(t) for t in texts]

        parses = asyncio.run(parse_all([c.text for c in cases]))
        out[name] = evaluate.score(
            cases, parses, evaluation_risk(), signposts, most_asked(), answer_hints(), topic_words()
        )
    return out


def test_eval_set_is_big_enough_and_well_formed() -> None:
    cases = evaluate.read_cases(DATA / "eval.jsonl")
    assert len(cases) >= 300
    for topic in ("breastfeeding", "safe_sleep", "immunisations", "oral_health"):
        assert sum(c.topic == topic for c in cases) >= 40
    assert sum(c.topic == "out_of_scope" for c in cases) >= 60


def test_answers_meet_the_accuracy_targets(results: dict[str, dict[str, Any]]) -> None:
    # Measured 2026-12-03 (issue 14's second round of example questions): topic 0.928, answer 0.812 (answered
    # directly with the right id; a menu no longer counts), wrong answers 0.034 (2026-12-02: 0.934 / 0.800 /
    # 0.025). Margin for noise.
    result = results["eval.jsonl"]
    assert result["topic_accuracy"] >= 0.90, result
    assert result["answer_accuracy"] >= 0.75, result
    assert result["wrong_answer_rate"] <= 0.06, result


def test_the_held_out_half_of_real_questions_holds_its_measured_figures(results: dict[str, dict[str, Any]]) -> None:
    # Measured 2026-12-03 on questions_test.jsonl, never used to write or tune anything (README "Real parents'
    # questions"): topic 0.885, answer 0.702, wrong answers 0.046, in-scope fallback 0.102, signposts 0.815
    # (2026-12-02: 0.874 / 0.655 / 0.042 / 0.122 / 0.754). Issue 14's targets (0.93 / 0.80 / 0.05 / 0.10 / 0.85)
    # are met only for wrong answers; this gate stops a regression, with a margin of about 0.02 for training noise.
    result = results["real/questions_test.jsonl"]
    assert result["n"] == 269
    assert result["topic_accuracy"] >= 0.865, result
    assert result["answer_accuracy"] >= 0.68, result
    assert result["wrong_answer_rate"] <= 0.065, result
    assert result["fallback_rate"] <= 0.12, result
    assert result["signpost_hit_rate"] >= 0.795, result


def test_every_red_flag_is_escalated_and_false_alarms_are_rare(results: dict[str, dict[str, Any]]) -> None:
    risk = results["redflags.jsonl"]["risk"]
    assert risk["recall"] == {"urgent_medical": 1.0, "mental_health": 1.0, "safeguarding": 1.0, "all": 1.0}, risk
    # A false alarm that hands the conversation over (emergency tier) stays rare. The concern tier (issue 12:
    # the assistant keeps answering) adds some on these hard negatives ("what if he goes blue", negations):
    # measured 0.083 at any tier, 0.0075 at an emergency tier (2026-12-02).
    assert risk["false_emergency_rate"] <= 0.05, risk
    assert risk["false_positive_rate"] <= 0.10, risk
    assert results["eval.jsonl"]["risk"]["false_positive_rate"] <= 0.05


def test_evaluate_command_prints_json_last(tmp_path: Path, trained_model: Path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_text(
        '{"text": "how do i no if baby is getting enough milk", "topic": "breastfeeding", '
        '"answer": "breastfeeding/enough_milk"}\n{"text": "his lips have gone blue", '
        '"topic": "out_of_scope", "risk": "urgent_medical", "extra": 1}\n'
    )
    out = subprocess.run(
        [str(Path(sys.executable).parent / "parentbot"), "evaluate", str(small)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["n"] == 2
    assert result["answer_accuracy"] == 1.0
    assert result["risk"]["recall"]["urgent_medical"] == 1.0


def test_a_bad_evaluation_line_names_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "hi", "topic": "breastfeeding"}\n{"text": "x", "topic": "weaning"}\n')
    with pytest.raises(evaluate.EvalFileError, match=r"bad.jsonl:2: topic"):
        evaluate.read_cases(bad)
