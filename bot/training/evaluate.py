"""`parentbot evaluate FILE.jsonl`: topic and answer accuracy (and risk recall) of the trained assistant.

It makes the same decisions as the running assistant: the answer model through bot.answers.decision.decide, and the
risk screen (matcher plus the model's risk intents) through bot.risk.screening.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.answers.decision import decide
from bot.answers.model import intent_answer_id
from bot.risk.screening import matcher_hits

TOPICS = ("breastfeeding", "safe_sleep", "immunisations", "oral_health", "out_of_scope")
RISKS = ("none", "urgent_medical", "mental_health", "safeguarding")


class EvalFileError(Exception):
    pass


@dataclass(frozen=True)
class Case:
    text: str
    topic: str
    answer: str | None
    risk: str | None
    previous: tuple[str, ...]
    lang: str | None = None  # ISO 639-1 code of the parent's language ("pl"); None = English / not labelled


def read_cases(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalFileError(f"{path}:{number}: not JSON: {exc.msg}") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise EvalFileError(f"{path}:{number}: text: missing")
        if row.get("topic") not in TOPICS:
            raise EvalFileError(f"{path}:{number}: topic: {row.get('topic')!r} is not one of {', '.join(TOPICS)}")
        if row.get("risk") is not None and row["risk"] not in RISKS:
            raise EvalFileError(f"{path}:{number}: risk: {row['risk']!r} is not one of {', '.join(RISKS)}")
        lang = row.get("lang")
        if lang is not None and (not isinstance(lang, str) or not lang.strip()):
            raise EvalFileError(f"{path}:{number}: lang: {lang!r} must be a language code such as 'pl'")
        cases.append(
            Case(
                row["text"],
                row["topic"],
                row.get("answer"),
                row.get("risk"),
                tuple(row.get("previous") or ()),
                lang.strip().lower() if isinstance(lang, str) else None,
            )
        )
    return cases


def predicted_topic(parse: dict[str, Any]) -> tuple[str, str | None, str]:
    """(topic, answer id or None, decision kind) for one parse, as the assistant would act on it."""
    intent = (parse.get("intent") or {}).get("name") or ""
    top_is_answer = intent_answer_id(intent) is not None or intent == "nlu_fallback"
    if not top_is_answer:
        return "out_of_scope", None, "other"
    decision = decide(parse.get("intent_ranking") or [])
    if decision.kind == "fallback" or not decision.answer_ids:
        return "out_of_scope", None, "fallback"
    answer_id = decision.answer_ids[0]
    return answer_id.split("/")[0], answer_id, decision.kind


def score(
    cases: list[Case], parses: list[dict[str, Any]], risk_of: Callable[[Case, dict[str, Any]], set[str]] | None
) -> dict[str, Any]:
    per_topic: dict[str, Counter] = defaultdict(Counter)
    answer_total = answer_right = fallbacks = clarified = 0
    for case, parse in zip(cases, parses, strict=True):
        topic, answer_id, kind = predicted_topic(parse)
        per_topic[case.topic]["n"] += 1
        per_topic[case.topic]["correct"] += topic == case.topic
        fallbacks += kind in ("fallback", "other") and topic == "out_of_scope"
        clarified += kind == "clarify"
        if case.answer:
            answer_total += 1
            answer_right += answer_id == case.answer
    n = len(cases)
    result: dict[str, Any] = {
        "n": n,
        "topic_accuracy": round(sum(c["correct"] for c in per_topic.values()) / n, 4) if n else 0.0,
        "answer_accuracy": round(answer_right / answer_total, 4) if answer_total else None,
        "fallback_rate": round(fallbacks / n, 4) if n else 0.0,
        "clarify_rate": round(clarified / n, 4) if n else 0.0,
        "per_topic": {t: round(c["correct"] / c["n"], 4) for t, c in sorted(per_topic.items())},
        "risk": None,
    }
    if risk_of is not None:
        # A line without "risk" counts as "none": eval.jsonl holds ordinary questions, so its false-alarm rate
        # is measured too.
        result["risk"] = risk_scores(cases, parses, risk_of)
    return result


def risk_scores(
    cases: list[Case], parses: list[dict[str, Any]], risk_of: Callable[[Case, dict[str, Any]], set[str]]
) -> dict[str, Any]:
    escalated = [bool(risk_of(case, parse)) for case, parse in zip(cases, parses, strict=True)]
    result = _risk_figures(cases, escalated)
    langs = sorted({c.lang for c in cases if c.lang})
    if langs:
        # Per language (lines without a lang count as "en"), so a language that lags is not hidden by the rest.
        result["by_lang"] = {
            lang: _risk_figures(*_only(cases, escalated, lang)) for lang in sorted({*langs, *_unlabelled(cases)})
        }
    return result


def _unlabelled(cases: list[Case]) -> set[str]:
    return {"en"} if any(c.lang is None for c in cases) else set()


def _only(cases: list[Case], escalated: list[bool], lang: str) -> tuple[list[Case], list[bool]]:
    pairs = [(c, e) for c, e in zip(cases, escalated, strict=True) if (c.lang or "en") == lang]
    return [c for c, _ in pairs], [e for _, e in pairs]


def _risk_figures(cases: list[Case], escalated: list[bool]) -> dict[str, Any]:
    found: dict[str, list[bool]] = defaultdict(list)
    false_alarms = n_none = 0
    for case, hit in zip(cases, escalated, strict=True):
        label = case.risk or "none"
        if label == "none":
            n_none += 1
            false_alarms += hit
        else:
            # Found when the assistant escalated at all: any category sends it to a person.
            found[label].append(hit)
    recall = {g: round(sum(v) / len(v), 4) if v else None for g, v in sorted(found.items())}
    every = [hit for v in found.values() for hit in v]
    recall["all"] = round(sum(every) / len(every), 4) if every else None
    return {
        "recall": recall,
        "false_positive_rate": round(false_alarms / n_none, 4) if n_none else None,
        "n_risk": len(every),
        "n_none": n_none,
    }


def table(result: dict[str, Any]) -> str:
    rows = [f"{'topic':<16}{'accuracy':>10}"] + [f"{t:<16}{a:>10.3f}" for t, a in result["per_topic"].items()]
    rows.append(f"{'all topics':<16}{result['topic_accuracy']:>10.3f}   (n={result['n']})")
    if result["answer_accuracy"] is not None:
        rows.append(f"{'answer id':<16}{result['answer_accuracy']:>10.3f}")
    rows.append(f"{'fallback rate':<16}{result['fallback_rate']:>10.3f}")
    rows.append(f"{'clarify rate':<16}{result['clarify_rate']:>10.3f}")
    if result["risk"]:
        for group, value in result["risk"]["recall"].items():
            rows.append(f"{'recall ' + group:<28}{value if value is not None else '-':>8}")
        rows.append(f"{'false-positive rate':<28}{result['risk']['false_positive_rate']:>8}")
        for lang, figures in (result["risk"].get("by_lang") or {}).items():
            recall = "  ".join(f"{g} {v if v is not None else '-'}" for g, v in figures["recall"].items())
            rows.append(f"{'  ' + lang:<8}recall {recall}  false alarms {figures['false_positive_rate']}")
    return "\n".join(rows)


def matcher_ms(texts: list[str]) -> dict[str, float]:
    """The deterministic risk screen's own time per message, in this process (rules loaded first)."""
    matcher_hits(["warm up"])
    times = []
    for _ in range(3):
        for text in texts:
            started = time.perf_counter()
            matcher_hits([text])
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {q: round(times[min(len(times) - 1, int(p * len(times)))], 3) for q, p in (("p50", 0.5), ("p99", 0.99))}


def save_figures(key: str, result: dict[str, Any], figures: Path, measured: str, texts: list[str]) -> None:
    """`make evaluate`: this file's result under `key` in docs/figures/evaluation.json (README tables)."""
    data = json.loads(figures.read_text(encoding="utf-8")) if figures.exists() else {}
    data.update({"measured": measured, key: result})
    if key == "redflags":
        data["risk_screen_ms"] = matcher_ms(texts)
    figures.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def run(path: Path, model: Path, risk_of: Callable[[Case, dict[str, Any]], set[str]] | None) -> dict[str, Any]:
    cases = read_cases(path)
    from bot.rasa_ext.train import parse_all  # imports TensorFlow: only when evaluating

    parses = asyncio.run(parse_all(model, [c.text for c in cases]))
    return score(cases, parses, risk_of)
