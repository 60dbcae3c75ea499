"""`parentbot evaluate`'s risk figures: recall per group (any tier counts as found), ordinary messages escalated
at any tier and at an emergency tier, per labelled tier, and per language when the file labels languages."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bot.risk.tiers import EMERGENCY

LABEL_TIERS = ("A", "B", "concern")
PER_LANG = ("recall", "false_positive_rate", "n_risk", "n_none")  # the by_lang figures (issue 15)

# What the assistant would escalate a case to: {group: "emergency" | "concern"}; empty when it would not.
RiskOf = Callable[[Any, dict[str, Any]], Mapping[str, str] | Iterable[str]]


def risk_scores(cases: list[Any], parses: list[dict[str, Any]], risk_of: RiskOf) -> dict[str, Any]:
    escalated = [_kinds(risk_of(case, parse)) for case, parse in zip(cases, parses, strict=True)]
    result = _risk_figures(cases, escalated)
    langs = sorted({c.lang for c in cases if c.lang})
    if langs:
        # Per language (lines without a lang count as "en"), so a language that lags is not hidden by the rest.
        result["by_lang"] = {
            lang: {k: v for k, v in _risk_figures(*_only(cases, escalated, lang)).items() if k in PER_LANG}
            for lang in sorted({*langs, *_unlabelled(cases)})
        }
    return result


def _kinds(found: Mapping[str, str] | Iterable[str]) -> dict[str, str]:
    """{group: kind}; a plain set of groups (older callers) counts as emergency escalations."""
    return dict(found) if isinstance(found, Mapping) else dict.fromkeys(found, EMERGENCY)


def _unlabelled(cases: list[Any]) -> set[str]:
    return {"en"} if any(c.lang is None for c in cases) else set()


def _only(cases: list[Any], escalated: list[dict[str, str]], lang: str) -> tuple[list[Any], list[dict[str, str]]]:
    pairs = [(c, e) for c, e in zip(cases, escalated, strict=True) if (c.lang or "en") == lang]
    return [c for c, _ in pairs], [e for _, e in pairs]


def _risk_figures(cases: list[Any], escalated: list[dict[str, str]]) -> dict[str, Any]:
    found: dict[str, list[bool]] = defaultdict(list)
    tiers: dict[str, Counter[str]] = defaultdict(Counter)
    false_alarms = false_emergencies = n_none = 0
    for case, groups in zip(cases, escalated, strict=True):
        hit, emergency = bool(groups), EMERGENCY in groups.values()
        label = case.risk or "none"
        tier = "none" if label == "none" else case.tier or "unlabelled"
        tiers[tier]["n"] += 1
        tiers[tier]["escalated"] += hit
        tiers[tier]["emergency"] += emergency
        if label == "none":
            n_none += 1
            false_alarms += hit
            false_emergencies += emergency
        else:
            # Found when the assistant escalated at all: any category and any tier sends it to a person.
            found[label].append(hit)
    recall = {g: round(sum(v) / len(v), 4) if v else None for g, v in sorted(found.items())}
    every = [hit for v in found.values() for hit in v]
    recall["all"] = round(sum(every) / len(every), 4) if every else None
    return {
        "recall": recall,
        "false_positive_rate": round(false_alarms / n_none, 4) if n_none else None,
        # Ordinary messages given an emergency-tier reply (the conversation handed over), not just a concern.
        "false_emergency_rate": round(false_emergencies / n_none, 4) if n_none else None,
        # Per labelled tier ("none" = ordinary): the share escalated at any tier, and at an emergency tier.
        "by_tier": {
            t: {
                "n": c["n"],
                "escalated": round(c["escalated"] / c["n"], 4),
                "emergency": round(c["emergency"] / c["n"], 4),
            }
            for t, c in sorted(tiers.items())
        },
        "n_risk": len(every),
        "n_none": n_none,
    }
