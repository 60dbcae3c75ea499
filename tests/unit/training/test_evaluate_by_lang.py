"""`parentbot evaluate` on a file with a `lang` field: risk recall and false alarms per language (by_lang)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.training import evaluate


def _file(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    path = tmp_path / "lang.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _escalates_on_alarm(case: evaluate.Case, parse: dict[str, Any]) -> set[str]:
    return {"urgent_medical"} if "ALARM" in case.text else set()


def test_by_lang_reports_recall_per_group_and_false_alarms_per_language(tmp_path: Path) -> None:
    rows = [
        {"text": "ALARM 1", "topic": "out_of_scope", "risk": "urgent_medical", "lang": "pl"},
        {"text": "missed 1", "topic": "out_of_scope", "risk": "mental_health", "lang": "pl"},
        {"text": "ALARM ordinary", "topic": "oral_health", "risk": "none", "lang": "pl"},
        {"text": "ordinary", "topic": "oral_health", "risk": "none", "lang": "pl"},
        {"text": "ALARM 2", "topic": "out_of_scope", "risk": "safeguarding", "lang": "PA"},
        {"text": "ordinary", "topic": "safe_sleep", "risk": "none", "lang": "pa"},
        {"text": "english ALARM", "topic": "out_of_scope", "risk": "urgent_medical"},
    ]
    cases = evaluate.read_cases(_file(tmp_path, rows))
    assert [c.lang for c in cases] == ["pl", "pl", "pl", "pl", "pa", "pa", None]
    risk = evaluate.score(cases, [{}] * len(cases), _escalates_on_alarm)["risk"]
    assert risk["by_lang"] == {
        "en": {
            "recall": {"urgent_medical": 1.0, "all": 1.0},
            "false_positive_rate": None,
            "n_risk": 1,
            "n_none": 0,
        },
        "pa": {
            "recall": {"safeguarding": 1.0, "all": 1.0},
            "false_positive_rate": 0.0,
            "n_risk": 1,
            "n_none": 1,
        },
        "pl": {
            "recall": {"mental_health": 0.0, "urgent_medical": 1.0, "all": 0.5},
            "false_positive_rate": 0.5,
            "n_risk": 2,
            "n_none": 2,
        },
    }
    assert risk["recall"]["all"] == 0.75
    assert risk["false_positive_rate"] == pytest.approx(0.3333, abs=1e-4)


def test_a_file_without_lang_has_no_by_lang(tmp_path: Path) -> None:
    rows = [{"text": "ALARM", "topic": "out_of_scope", "risk": "urgent_medical"}]
    cases = evaluate.read_cases(_file(tmp_path, rows))
    assert "by_lang" not in evaluate.score(cases, [{}], _escalates_on_alarm)["risk"]


def test_a_bad_lang_names_the_line(tmp_path: Path) -> None:
    path = _file(tmp_path, [{"text": "x", "topic": "oral_health", "lang": 3}])
    with pytest.raises(evaluate.EvalFileError, match=r"lang.jsonl:1: lang: 3"):
        evaluate.read_cases(path)
