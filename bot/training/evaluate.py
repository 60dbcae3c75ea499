"""`parentbot evaluate FILE.jsonl`: topic and answer accuracy (and risk recall) of the trained assistant.

It makes the same decisions as the running assistant: the answer model and the signposts through
bot.answers.decision.decide_message, and the risk screen (matcher plus the model's risk intents) through
bot.risk.screening.

Scores (issue 14), each over the lines that say what is right:
- answer_accuracy: lines with an answer id answered directly with that answer (a menu does not count);
- clarify_hit_rate: lines with an answer id given a menu that holds it;
- wrong_answer_rate: lines whose right reply is known (an answer id, or out of scope) answered directly with
  another answer: the costly error;
- fallback_rate: in-scope lines given neither an answer nor a menu;
- signpost_hit_rate: lines with a signpost given that signpost (the services answer of the same name counts);
- topic_accuracy and per_topic: the topic of what was sent (a signpost or a services answer is out of scope).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.answers.decision import OUT_OF_SCOPE_INTENT, decide_message
from bot.answers.model import TOPICS as ANSWER_TOPICS
from bot.answers.model import intent_answer_id
from bot.answers.signposts import SignpostIndex
from bot.answers.vague import topic_menu
from bot.risk.screening import matcher_hits
from bot.thresholds import THRESHOLDS
from bot.training.compile import RISK_INTENT_PREFIX
from bot.training.risk_scores import LABEL_TIERS, RiskOf, risk_scores

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
    signpost: str | None = None
    tier: str | None = None  # the risk label's tier (A, B, concern), when the file gives one


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
        tier = row.get("tier")
        if tier is not None and tier not in LABEL_TIERS:
            raise EvalFileError(f"{path}:{number}: tier: {tier!r} is not one of {', '.join(LABEL_TIERS)}")
        cases.append(
            Case(
                row["text"],
                row["topic"],
                row.get("answer"),
                row.get("risk"),
                tuple(row.get("previous") or ()),
                lang.strip().lower() if isinstance(lang, str) else None,
                row.get("signpost"),
                tier,
            )
        )
    return cases


@dataclass(frozen=True)
class Predicted:
    topic: str
    kind: str  # answer, clarify, signpost, fallback, out_of_scope, other (a greeting, thanks... rule)
    answer_ids: tuple[str, ...] = ()


def predicted(
    parse: dict[str, Any],
    signposts: SignpostIndex | None = None,
    most_asked: dict[str, list[str]] | None = None,
    hints: SignpostIndex | None = None,
    topic_words: Mapping[str, frozenset[str]] | None = None,
) -> Predicted:
    """What the assistant would send for one parse. The answer intents, nlu_fallback, out_of_scope and a risk
    intent below the model's own escalation threshold reach action_answer (bot/data/rules/core.yml,
    bot/actions/escalate.py); other intents have their own responses."""
    intent = (parse.get("intent") or {}).get("name") or ""
    confidence = float((parse.get("intent") or {}).get("confidence") or 0.0)
    weak_risk = intent.startswith(RISK_INTENT_PREFIX) and confidence < THRESHOLDS.model_risk
    if intent_answer_id(intent) is None and intent not in ("nlu_fallback", OUT_OF_SCOPE_INTENT) and not weak_risk:
        return Predicted("out_of_scope", "other")
    text = str(parse.get("text") or "")
    signpost = signposts.match(text) if signposts else None
    named = hints.matches(text) if hints else frozenset()
    decision = decide_message(parse.get("intent_ranking") or [], signpost, most_asked=most_asked, hints=named)
    # As action_answer does: a bare topic name gets the topic's menu (bot/answers/vague.py).
    decision = topic_menu(text, topic_words or {}, most_asked or {}) or decision
    if decision.kind in ("fallback", "out_of_scope") or not decision.answer_ids:
        return Predicted("out_of_scope", decision.kind)
    topic = decision.answer_ids[0].split("/")[0]
    in_topics = topic in ANSWER_TOPICS and topic != "services"
    return Predicted(topic if in_topics else "out_of_scope", decision.kind, decision.answer_ids)


def _signposted(sent: str | None, case: Case) -> bool:
    """The line's signpost was sent (or the services answer of the same name: services/family_hubs)."""
    return bool(sent and case.signpost and sent.split("/")[-1] == case.signpost)


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def score(
    cases: list[Case],
    parses: list[dict[str, Any]],
    risk_of: RiskOf | None,
    signposts: SignpostIndex | None = None,
    most_asked: dict[str, list[str]] | None = None,
    hints: SignpostIndex | None = None,
    topic_words: Mapping[str, frozenset[str]] | None = None,
) -> dict[str, Any]:
    per_topic: dict[str, Counter[str]] = defaultdict(Counter)
    c: Counter[str] = Counter()
    for case, parse in zip(cases, parses, strict=True):
        p = predicted(parse, signposts, most_asked, hints, topic_words)
        sent = p.answer_ids[0] if p.answer_ids and p.kind in ("answer", "signpost") else None
        per_topic[case.topic]["n"] += 1
        per_topic[case.topic]["correct"] += p.topic == case.topic
        c["clarified"] += p.kind == "clarify"
        if case.answer:
            c["answer_total"] += 1
            c["answer_right"] += p.kind == "answer" and sent == case.answer
            c["menu_hit"] += p.kind == "clarify" and case.answer in p.answer_ids
        if case.answer or case.topic == "out_of_scope":
            c["known"] += 1
            c["wrong"] += p.kind == "answer" and sent != case.answer and not _signposted(sent, case)
        if case.topic != "out_of_scope":
            c["in_scope"] += 1
            c["fallback"] += p.kind not in ("answer", "clarify")
        if case.signpost:
            c["signposted"] += 1
            c["signpost_hit"] += _signposted(sent, case)
    n = len(cases)
    result: dict[str, Any] = {
        "n": n,
        "topic_accuracy": round(sum(t["correct"] for t in per_topic.values()) / n, 4) if n else 0.0,
        "answer_accuracy": _rate(c["answer_right"], c["answer_total"]),
        "clarify_hit_rate": _rate(c["menu_hit"], c["answer_total"]),
        "wrong_answer_rate": _rate(c["wrong"], c["known"]),
        "fallback_rate": _rate(c["fallback"], c["in_scope"]),
        "clarify_rate": round(c["clarified"] / n, 4) if n else 0.0,
        "signpost_hit_rate": _rate(c["signpost_hit"], c["signposted"]),
        "per_topic": {t: round(v["correct"] / v["n"], 4) for t, v in sorted(per_topic.items())},
        "risk": None,
    }
    if risk_of is not None:
        # A line without "risk" counts as "none": eval.jsonl holds ordinary questions, so its false-alarm rate
        # is measured too.
        result["risk"] = risk_scores(cases, parses, risk_of)
    return result


def table(result: dict[str, Any]) -> str:
    rows = [f"{'topic':<16}{'accuracy':>10}"] + [f"{t:<16}{a:>10.3f}" for t, a in result["per_topic"].items()]
    rows.append(f"{'all topics':<16}{result['topic_accuracy']:>10.3f}   (n={result['n']})")
    for key in ("answer_accuracy", "clarify_hit_rate", "wrong_answer_rate", "fallback_rate", "signpost_hit_rate"):
        if result[key] is not None:
            rows.append(f"{key.replace('_', ' '):<20}{result[key]:>6.3f}")
    rows.append(f"{'clarify rate':<20}{result['clarify_rate']:>6.3f}")
    if result["risk"]:
        for group, value in result["risk"]["recall"].items():
            rows.append(f"{'recall ' + group:<28}{value if value is not None else '-':>8}")
        rows.append(f"{'false-positive rate':<28}{result['risk']['false_positive_rate']:>8}")
        rows.append(f"{'false-emergency rate':<28}{result['risk']['false_emergency_rate']:>8}")
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


def save_question_figures(key: str, result: dict[str, Any], figures: Path) -> None:
    """The real question set's figures under `key` (tune, test, tune_spelling) in docs/figures/questions.json."""
    data = json.loads(figures.read_text(encoding="utf-8")) if figures.exists() else {}
    data.update({"measured": dt.date.today().isoformat(), key: {k: v for k, v in result.items() if k != "risk"}})
    figures.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def run(
    path: Path,
    model: Path,
    risk_of: RiskOf | None,
    signposts: SignpostIndex | None = None,
    most_asked: dict[str, list[str]] | None = None,
    hints: SignpostIndex | None = None,
    spell: Callable[[str], str] | None = None,
    topic_words: Mapping[str, frozenset[str]] | None = None,
) -> dict[str, Any]:
    cases = read_cases(path)
    from bot.rasa_ext.train import parse_all  # imports TensorFlow: only when evaluating

    parses = asyncio.run(parse_all(model, [spell(c.text) if spell else c.text for c in cases]))
    return score(cases, parses, risk_of, signposts, most_asked, hints, topic_words)
