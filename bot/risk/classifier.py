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

import itertools
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot import paths

log = logging.getLogger(__name__)

GROUPS = ("urgent_medical", "mental_health", "safeguarding")
NONE = "none"
# The group whose red flags depend on the baby's age (a fever under 3 months, jaundice in the first days).
AGE_GROUP = "urgent_medical"
EXAMPLES_DIR = paths.RISK / "examples"
TUNE = paths.ROOT / "tests" / "data" / "real" / "risk_tune.jsonl"
ARTEFACT = paths.BUILD / "risk_classifier.joblib"
# Sentence pooling: a sentence ends at . ! ? or a line break. At most this many pieces are scored per message (a
# 3,000-character message is chunked into fewer, longer windows), so the screen's time stays bounded.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_PIECES = 24


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
    """Every file's examples: a plain line takes the file's `group`; a mapping ({group, text, source}: the real
    lines collected from public pages, content/risk/examples/real_collected.yml) names its own group and page."""
    out: list[Example] = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data["examples"]:
            row = item if isinstance(item, dict) else {"text": item, "group": data.get("group")}
            group = str(row.get("group"))
            if group not in (*GROUPS, NONE):
                raise ValueError(f"{path}: group: {group!r} is not one of {', '.join((*GROUPS, NONE))}")
            out.append(Example(str(row["text"]), group, (), str(row.get("source") or path.name)))
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


def pieces(text: str, limit: int = MAX_PIECES) -> list[str]:
    """A long message's sentences and each pair of neighbouring sentences (none for a one-sentence message).

    A red flag told in passing inside a long story is diluted when the whole story is scored as one text; scored
    on its own sentence (and with its neighbour, for "she's 5 weeks. temp is 38.2") it carries its full weight.
    """
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    if len(sentences) < 2:
        return []
    size = max(1, -(-2 * len(sentences) // limit))  # sentences per piece, so that about `limit` pieces remain
    units = [" ".join(sentences[i : i + size]) for i in range(0, len(sentences), size)]
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(units)]
    return [*units, *pairs][:limit]


class RiskClassifier:
    """A fitted scikit-learn pipeline: text -> probability of each group.

    pooling "message": the newest message and the recent ones joined; "sentences": also each sentence of the
    newest message and each pair of neighbouring sentences, the highest probability counting; "mean": the average
    of the two.
    """

    def __init__(self, pipeline: Any, pooling: str = "message") -> None:
        self.pipeline = pipeline
        self.pooling = pooling
        self.classes = [str(c) for c in pipeline.classes_]

    def scores(self, messages: Sequence[str], age_completes: bool = False) -> dict[str, float]:
        """The highest probability of each risk group over the newest message and the recent ones joined.

        age_completes: the newest message states an age that completes an age-dependent red flag
        (bot/risk/joining.py `age_completes`), so the joined urgent-medical score counts even if the newest
        text adds no risk word of its own."""
        texts = [m for m in messages if isinstance(m, str) and m.strip()]
        if not texts:
            return {g: 0.0 for g in GROUPS}
        pieced = [texts[-1], *pieces(texts[-1])] if self.pooling in ("sentences", "mean") else [texts[-1]]
        history = [" ".join(texts), " ".join(texts[:-1])] if len(texts) > 1 else []
        # One call for every text scored: the model's time per call dominates the screen's budget (5 ms p99).
        rows = list(self.pipeline.predict_proba([*pieced, *history]))
        own, joined = rows[: len(pieced)], rows[len(pieced) :]
        if self.pooling == "mean":
            # The ensemble of the two poolings: the message-level and the sentence-pooled scores averaged, so a red
            # flag told in passing lifts the score without one alarming sentence of an ordinary post deciding alone.
            whole = self._with_history(own[:1], joined, age_completes)
            sentences = self._with_history(own, joined, age_completes)
            return {g: (whole[g] + sentences[g]) / 2 for g in GROUPS}
        return self._with_history(own, joined, age_completes)

    def _with_history(self, own: list[Any], history: list[Any], age_completes: bool) -> dict[str, float]:
        best = self._best(own)
        if not history:
            return best
        # The recent texts joined count only where the newest adds to them: an ordinary follow-up after a flagged
        # message ("how do I know she's getting enough milk") must not flag again on the earlier one's words.
        joined, before = history
        for g in GROUPS:
            adds = joined[self.classes.index(g)] > before[self.classes.index(g)] if g in self.classes else False
            if g in self.classes and (adds or (age_completes and g == AGE_GROUP)):
                best[g] = max(best[g], float(joined[self.classes.index(g)]))
        return best

    def _best(self, rows: Any) -> dict[str, float]:
        return {g: float(max(row[self.classes.index(g)] for row in rows)) if g in self.classes else 0.0 for g in GROUPS}

    def save(self, path: Path = ARTEFACT) -> None:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        joblib.dump({"pipeline": self.pipeline, "pooling": self.pooling}, tmp)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path = ARTEFACT) -> RiskClassifier | None:
        """The trained classifier, or None (logged) when it is missing or unreadable: the matcher alone answers."""
        try:
            import joblib

            saved = joblib.load(path)
            if not isinstance(saved, dict):  # built before pooling was saved with the pipeline
                return cls(saved)
            return cls(saved["pipeline"], saved["pooling"])
        except Exception as err:
            log.error("risk classifier not loaded (%s); the matcher screens alone", type(err).__name__)
            return None
