"""Translated answers (issue 15): `sms.<code>` / `body.<code>` / `review.<code>` in an answer's front matter,
checked by the editors' gate (a known language, a review status, at most 3 SMS segments, every number kept; each
error names the file and the field) and served when the family's language is that code, English otherwise."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot import paths
from bot.answers.checks import check_answer
from bot.answers.loader import load_answers
from bot.answers.model import Answer
from bot.answers.render import answer_text

TODAY = dt.date(2026, 12, 1)
POLISH_SMS = (
    "Sterylizuj butelki, smoczki i laktator do 12. miesiąca dziecka. Najpierw umyj je w gorącej wodzie z płynem. "
    "Potem: płyn do sterylizacji, sterylizator parowy albo gotowanie 10 minut."
)
DOMAIN = {"responses": {"utter_answer_sms": [{"text": "{sms}"}], "utter_answer_long": [{"text": "{title}|{body}"}]}}


def content(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """A content folder with the languages and the sterilising answer, its front matter edited."""
    root = tmp_path / "content"
    shutil.copytree(paths.CONTENT / "languages", root / "languages")
    (root / "breastfeeding").mkdir()
    raw = (paths.CONTENT / "breastfeeding" / "sterilising.md").read_text(encoding="utf-8")
    assert old in raw
    (root / "breastfeeding" / "sterilising.md").write_text(raw.replace(old, new, 1), encoding="utf-8")
    return root


def the_answer(root: Path) -> Answer:
    answers, errors = load_answers(root)
    assert errors == []
    return answers[0]


def test_the_polish_sterilising_answer_is_served_in_polish_and_english_to_everyone_else(tmp_path: Path) -> None:
    answer = the_answer(content(tmp_path))
    assert [(t.code, t.review) for t in answer.translations] == [("pl", "awaiting qualified translator")]
    assert answer_text(answer, "sms", DOMAIN, "pl") == POLISH_SMS
    assert answer_text(answer, "sms", DOMAIN, "ur").startswith("Wash and sterilise all bottles")
    assert answer_text(answer, "sms", DOMAIN).startswith("Wash and sterilise all bottles")
    assert answer_text(answer, "long", DOMAIN, "pl").startswith(
        "Sterilising bottles and feeding equipment|Dzieci łatwo łapią infekcje brzuszka."
    )
    assert check_answer(answer, TODAY) == []


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("sms.pl:", "sms.xx:", "sms.xx", "unknown language code 'xx'"),
        ("review.pl: awaiting qualified translator\n", "", "review.pl", "needs a review status"),
    ],
)
def test_a_bad_translation_names_the_file_and_the_field(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    answers, errors = load_answers(content(tmp_path, old, new))
    assert answers == [] and [(e.path, e.field) for e in errors] == [("content/breastfeeding/sterilising.md", field)]
    assert message in errors[0].message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "albo gotowanie 10 minut.",
            "albo gotowanie 10 minut w dużym garnku, wszystko pod wodą.",
            "4 SMS segments",
        ),
        ("do 12. miesiąca dziecka", "do pierwszych urodzin dziecka", "the English has 12;"),
    ],
)
def test_the_gate_refuses_a_long_polish_sms_and_one_that_lost_a_number(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    findings = check_answer(the_answer(content(tmp_path, old, new)), TODAY)
    assert [(f.level, f.path, f.field) for f in findings] == [
        ("error", "content/breastfeeding/sterilising.md", "sms.pl")
    ]
    assert message in findings[0].message
