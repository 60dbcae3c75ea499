"""The risk classifier: a linear model on word and character n-grams, separate from the answer model.

It adds recall on phrasing the rules do not carry (narratives, misspellings, a disclosure inside an ordinary
question); it never replaces the matcher, which runs first and cannot fail. A scikit-learn linear model rather
than a second DIET: it trains in seconds at build time, does not compete with the answer intents, and scores a
message in well under a millisecond. Candidates were compared on the tune half (bot/training/risk_train.py,
README "Risk classifier").

Training data: content/risk/examples/*.yml (written for this project, many styles per group), the risk rules'
own examples (content/risk/*.yml), the answers' example questions as ordinary messages, and
tests/data/real/risk_tune.jsonl. Never the test half.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot import paths

log = logging.getLogger(__name__)

GROUPS = ("urgent_medical", "mental_health", "safeguarding")
NONE = "none"
EXAMPLES_DIR = paths.RISK / "examples"
TUNE = paths.ROOT / "tests" / "data" / "real" / "risk_tune.jsonl"
ARTEFACT = paths.BUILD / "risk_classifier.joblib"


@dataclass(frozen=True)
class Example:
    text: str
    group: str  # one of GROUPS or NONE
    previous: tuple[str, ...] = ()
    source: str = ""

    @property
    def joined(self) -> str:
        return " ".join([*self.previous, self.text])


def written_examples(directory: Path = EXAMPLES_DIR) -> list[Example]:
    out: list[Example] = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        group = str(data["group"])
        if group not in (*GROUPS, NONE):
            raise ValueError(f"{path}: group: {group!r} is not one of {', '.join((*GROUPS, NONE))}")
        out.extend(Example(str(t), group, (), path.name) for t in data["examples"])
    return out


def rule_examples(risk_dir: Path = paths.RISK) -> list[Example]:
    """The risk categories' own examples (content/risk/*.yml), labelled with their group."""
    out: list[Example] = []
    for path in sorted(risk_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        group = data.get("group")
        if group in GROUPS:
            out.extend(Example(str(t), str(group), (), path.name) for t in data.get("examples") or ())
    return out


def answer_examples(content: Path = paths.CONTENT) -> list[Example]:
    """The answers' example questions: ordinary messages in the parents' own styles."""
    from bot.answers.loader import load_answers

    answers, _ = load_answers(content)
    return [Example(q, NONE, (), a.id) for a in answers for q in a.questions]


def tune_examples(path: Path = TUNE) -> list[Example]:
    out: list[Example] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Example(row["text"], row["risk"], tuple(row.get("previous") or ()), "tune"))
    return out


def fixed_examples() -> list[Example]:
    """Everything the model learns from except the tune half (which cross-validation splits)."""
    return [*written_examples(), *rule_examples(), *answer_examples()]


@dataclass(frozen=True)
class Scores:
    """Per-group probability for one message (the newest, and the recent messages joined)."""

    by_group: dict[str, float]


class RiskClassifier:
    """A fitted scikit-learn pipeline: text -> probability of each group."""

    def __init__(self, pipeline: Any) -> None:
        self.pipeline = pipeline
        self.classes = [str(c) for c in pipeline.classes_]

    def scores(self, messages: Sequence[str]) -> dict[str, float]:
        """The highest probability of each risk group over the newest message and the recent ones joined."""
        texts = [m for m in messages if isinstance(m, str) and m.strip()]
        if not texts:
            return {g: 0.0 for g in GROUPS}
        candidates = [texts[-1]] if len(texts) == 1 else [texts[-1], " ".join(texts)]
        probabilities = self.pipeline.predict_proba(candidates)
        return {
            g: float(max(row[self.classes.index(g)] for row in probabilities)) if g in self.classes else 0.0
            for g in GROUPS
        }

    def save(self, path: Path = ARTEFACT) -> None:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        joblib.dump(self.pipeline, tmp)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path = ARTEFACT) -> RiskClassifier | None:
        """The trained classifier, or None (logged) when it is missing or unreadable: the matcher alone answers."""
        try:
            import joblib

            return cls(joblib.load(path))
        except Exception as err:
            log.error("risk classifier not loaded (%s); the matcher screens alone", type(err).__name__)
            return None
