"""`parentbot build`: spaCy pipeline, content -> training data, and training only when training data changed."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

import yaml

from bot import paths
from bot.answers.loader import load_answers
from bot.answers.model import Answer
from bot.training.compile import CompileError, compile_content
from bot.training.nlp import LEXICON, PIPELINE_DIR, save_pipeline


def risk_examples(risk_dir: Path = paths.RISK) -> dict[str, list[str]]:
    """Training phrasings of each risk category, for the model's risk intents (the second layer)."""
    examples: dict[str, list[str]] = {}
    for path in sorted(risk_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if data.get("examples"):
            examples[path.stem] = [str(e) for e in data["examples"]]
    return examples


def training_inputs() -> list[Path]:
    files = [paths.CONFIG, LEXICON, *sorted(paths.BUILD_DOMAIN.glob("*.yml")), *sorted(paths.DATA.rglob("*.yml"))]
    return [f for f in files if f.is_file()]


def fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.relative_to(paths.ROOT).as_posix().encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()


QUESTIONS_DIGEST = paths.MODELS / "parentbot.questions"


def questions_digest(answers: list[Answer], risk: dict[str, list[str]]) -> str:
    """What the model learnt from content/: the example questions (wording edits do not change it)."""
    digest = hashlib.sha256()
    for answer in sorted(answers, key=lambda a: a.id):
        digest.update(answer.id.encode() + b"\0" + "\n".join(answer.questions).encode())
    for category, examples in sorted(risk.items()):
        digest.update(category.encode() + b"\0" + "\n".join(examples).encode())
    return digest.hexdigest()


def retrain_needed(answers: list[Answer]) -> bool:
    """True when the trained model predates the current example questions (the editor must run build)."""
    if not QUESTIONS_DIGEST.exists():
        return paths.MODEL.exists()
    return QUESTIONS_DIGEST.read_text().strip() != questions_digest(answers, risk_examples())


def say(message: str) -> None:
    print(f"[parentbot build] {message}", flush=True)


def build(force: bool = False, prepare: bool = True, train: bool = True) -> bool:
    """Compile and (re)train if needed. Returns True when a model was trained. `prepare=False` trains from what
    an earlier `prepare`-only build wrote and rewrites none of it (tests may be reading it meanwhile)."""
    started = time.perf_counter()
    risk = risk_examples()
    if prepare:
        say("building the spaCy pipeline (blank English, lookup lemmas, text-speak rules)")
        save_pipeline(PIPELINE_DIR)
        say("compiling content/ into training data")
        answers = compile_content(paths.CONTENT, paths.GENERATED, paths.BUILD_DOMAIN, paths.DOMAIN, risk)
        say(f"{len(answers)} answers compiled")
        from bot.training.risk_train import train_and_save  # scikit-learn: a few seconds, every build

        started_risk = time.perf_counter()
        train_and_save()
        say(f"risk classifier trained in {time.perf_counter() - started_risk:.1f} s")
    else:
        answers, errors = load_answers(paths.CONTENT)
        if errors:
            raise CompileError(errors)
    if not train:
        say("answer model left for `parentbot build --train-only`")
        return False
    current = fingerprint(training_inputs())
    if (
        not force
        and paths.MODEL.exists()
        and paths.FINGERPRINT.exists()
        and paths.FINGERPRINT.read_text().strip() == current
    ):
        say("training data unchanged: keeping the trained model")
        QUESTIONS_DIGEST.write_text(questions_digest(answers, risk) + "\n")
        return False
    say("training the model (about 4 minutes on 2 cores; progress below)")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    from bot.rasa_ext.train import train_model  # imports TensorFlow: only when training

    if train_model(paths.BUILD_DOMAIN, paths.CONFIG, paths.DATA, paths.MODELS, "parentbot") is None:
        say("training failed")
        sys.exit(1)
    paths.FINGERPRINT.write_text(current + "\n")
    QUESTIONS_DIGEST.write_text(questions_digest(answers, risk) + "\n")
    say(f"model trained in {time.perf_counter() - started:.0f} s: {paths.MODEL.relative_to(paths.ROOT)}")
    return True
