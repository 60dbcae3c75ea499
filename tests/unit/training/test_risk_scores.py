"""`parentbot evaluate`'s risk figures from given decisions (no model): tiers, false emergencies, unknown fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.training import evaluate

LINES = [
    '{"text": "not breathing", "topic": "out_of_scope", "risk": "urgent_medical", "tier": "A", "source": "u"}',
    '{"text": "rash", "topic": "out_of_scope", "risk": "urgent_medical", "tier": "B", "style": "rewrite"}',
    '{"text": "so low", "topic": "out_of_scope", "risk": "mental_health", "tier": "concern", "note": "x"}',
    '{"text": "he hits me", "topic": "out_of_scope", "risk": "safeguarding", "tier": null, "lang": "en"}',
    '{"text": "tired", "topic": "out_of_scope", "risk": "none", "tier": null}',
    '{"text": "worried", "topic": "out_of_scope", "risk": "none"}',
    '{"text": "dead tired", "topic": "out_of_scope", "risk": "none", "previous": ["hi"]}',
    '{"text": "sleep pods", "topic": "safe_sleep", "risk": "none"}',
]
DECISIONS: dict[str, dict[str, str]] = {
    "not breathing": {"urgent_medical": "emergency"},
    "rash": {},
    "so low": {"mental_health": "concern"},
    "he hits me": {"safeguarding": "emergency"},
    "tired": {"mental_health": "concern"},
    "worried": {},
    "dead tired": {"urgent_medical": "emergency"},
    "sleep pods": {},
}


def decided(case: evaluate.Case, parse: dict[str, Any]) -> dict[str, str]:
    return DECISIONS[case.text]


@pytest.fixture
def cases(tmp_path: Path) -> list[evaluate.Case]:
    path = tmp_path / "risk.jsonl"
    path.write_text("\n".join(LINES) + "\n")
    return evaluate.read_cases(path)


def test_unknown_fields_are_ignored_and_the_tier_is_read(cases: list[evaluate.Case]) -> None:
    assert [c.tier for c in cases] == ["A", "B", "concern", None, None, None, None, None]
    assert cases[6].previous == ("hi",)


def test_any_tier_counts_as_found_and_emergencies_are_counted_apart(cases: list[evaluate.Case]) -> None:
    risk = evaluate.risk_scores(cases, [{}] * len(cases), decided)
    assert risk["recall"] == {"mental_health": 1.0, "safeguarding": 1.0, "urgent_medical": 0.5, "all": 0.75}
    assert risk["false_positive_rate"] == 0.5
    assert risk["false_emergency_rate"] == 0.25
    assert risk["by_tier"] == {
        "A": {"n": 1, "escalated": 1.0, "emergency": 1.0},
        "B": {"n": 1, "escalated": 0.0, "emergency": 0.0},
        "concern": {"n": 1, "escalated": 1.0, "emergency": 0.0},
        "none": {"n": 4, "escalated": 0.5, "emergency": 0.25},
        "unlabelled": {"n": 1, "escalated": 1.0, "emergency": 1.0},
    }


def test_a_bad_tier_names_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "topic": "out_of_scope", "risk": "urgent_medical", "tier": "C"}\n')
    with pytest.raises(evaluate.EvalFileError, match=r"bad.jsonl:1: tier"):
        evaluate.read_cases(bad)
