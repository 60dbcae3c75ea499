"""The held-out half of the real question set stays held out: no training or signpost question repeats one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from bot import paths
from bot.answers.loader import load_answers, load_signposts

REAL = Path(__file__).parents[2] / "data" / "real"


def key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def test_no_example_question_is_a_held_out_line() -> None:
    held_out = {key(json.loads(line)["text"]) for line in (REAL / "questions_test.jsonl").read_text().splitlines()}
    assert len(held_out) >= 250
    answers = load_answers(paths.CONTENT)[0] + load_signposts(paths.CONTENT)[0]
    ours = {key(q) for a in answers for q in a.questions}
    for path in sorted(paths.DATA.glob("nlu/*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            ours |= {key(line[2:]) for line in str(block.get("examples", "")).splitlines() if line.startswith("- ")}
    assert sorted(ours & held_out) == []
