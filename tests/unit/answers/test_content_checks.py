"""The editor's gate: reading age, SMS cost, sources, review dates, duplicate questions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from bot.answers.checks import check_all, check_answer, check_duplicates
from bot.answers.loader import load_answers
from bot.answers.model import Answer, Source

FIXTURES = Path(__file__).parents[2] / "fixtures" / "content"
TODAY = dt.date(2026, 6, 1)


def good() -> Answer:
    answers, _ = load_answers(FIXTURES / "good")
    return answers[0]


def fields(answer: Answer, today: dt.date = TODAY) -> dict[str, str]:
    return {f.field: f.level for f in check_answer(answer, today)}


def test_good_answer_passes() -> None:
    assert check_answer(good(), TODAY) == []


def test_hard_to_read_sms_fails_and_names_the_sentence() -> None:
    hard = (
        "Notwithstanding contemporaneous epidemiological considerations, practitioners recommend "
        "individualised physiological assessment of lactational insufficiency."
    )
    findings = check_answer(dataclasses.replace(good(), sms=hard), TODAY)
    (finding,) = [f for f in findings if f.field == "sms"]
    assert finding.level == "error"
    assert "epidemiological" in finding.message  # the failing sentence is named


def test_sms_over_three_segments_fails() -> None:
    assert fields(dataclasses.replace(good(), sms="Feed your baby. " * 40)) == {"sms": "error"}


def test_non_gsm_character_fails() -> None:
    assert fields(dataclasses.replace(good(), sms="Feed your baby \u2014 it\u2019s fine.")) == {"sms": "error"}


def test_source_not_on_allow_list_fails() -> None:
    answer = dataclasses.replace(good(), sources=(Source("Mumsnet", "https://www.mumsnet.com/x"),))
    assert fields(answer) == {"sources[0]": "error"}


def test_source_url_must_match_publisher() -> None:
    answer = dataclasses.replace(good(), sources=(Source("NHS", "https://example.com/nhs"),))
    assert fields(answer) == {"sources[0]": "error"}


def test_review_due_past_is_error_and_soon_is_warning() -> None:
    answer = good()
    assert fields(answer, answer.review_due + dt.timedelta(days=1)) == {"review_due": "error"}
    assert fields(answer, answer.review_due - dt.timedelta(days=10)) == {"review_due": "warning"}


def test_too_few_questions_fails() -> None:
    assert fields(dataclasses.replace(good(), questions=good().questions[:5])) == {"questions": "error"}


def test_near_duplicate_question_across_answers_fails() -> None:
    first = good()
    second = dataclasses.replace(
        first, id="breastfeeding/other", path="content/breastfeeding/other.md", questions=("Q ONE about feeding?!",)
    )
    findings = check_duplicates([first, second])
    assert [(f.path, f.field) for f in findings] == [("content/breastfeeding/other.md", "questions")]


def test_repository_content_passes_the_gate() -> None:
    from bot import paths

    answers, errors = load_answers(paths.CONTENT)
    problems = [str(f) for f in check_all(answers, errors, dt.date(2026, 12, 1)) if f.level == "error"]
    assert problems == []
    assert len(answers) >= 24
