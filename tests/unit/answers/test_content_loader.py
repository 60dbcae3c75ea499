"""Content files: each kind of bad file names its file and field; compile writes nothing on error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answers.loader import load_answers
from bot.training.compile import CompileError, compile_content

FIXTURES = Path(__file__).parents[2] / "fixtures" / "content"


@pytest.mark.parametrize(
    ("fixture", "field", "file_part"),
    [
        ("missing-source", "sources", "missing_source.md"),
        ("wrong-id", "id", "wrong_id.md"),
        ("bad-date", "review_due", "bad_date.md"),
        ("bad-yaml", "front matter", "bad_yaml.md"),
        ("no-front-matter", "front matter", "no_front.md"),
        ("unknown-topic", "topic", "tantrums.md"),
        ("not-utf8", "file", "latin1.md"),
        ("empty-body", "body", "empty_body.md"),
    ],
)
def test_bad_file_names_file_and_field(fixture: str, field: str, file_part: str) -> None:
    answers, errors = load_answers(FIXTURES / fixture)
    assert answers == []
    assert len(errors) == 1
    error = errors[0]
    assert error.field == field
    assert error.path.endswith(file_part)
    assert file_part in str(error) and field in str(error)


def test_missing_field_error_carries_line_when_known() -> None:
    _, errors = load_answers(FIXTURES / "bad-date")
    assert errors[0].line == 24  # the review_due line in the fixture


def test_good_file_parses_with_version_and_intent() -> None:
    answers, errors = load_answers(FIXTURES / "good")
    assert errors == []
    (answer,) = answers
    assert answer.id == "breastfeeding/ok"
    assert answer.intent == "breastfeeding__ok"
    assert len(answer.version) == 12
    assert len(answer.questions) == 12


def test_compile_writes_nothing_when_any_file_is_bad(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "good", content)
    data, domain = tmp_path / "data", tmp_path / "domain"
    base = tmp_path / "domain.yml"
    base.write_text("version: '3.1'\n")
    compile_content(content, data, domain, base, {})
    before = {p.name: p.read_bytes() for p in (*data.iterdir(), *domain.iterdir())}
    shutil.copytree(FIXTURES / "missing-source" / "breastfeeding", content / "breastfeeding", dirs_exist_ok=True)
    (content / "breastfeeding" / "ok.md").write_text(
        (content / "breastfeeding" / "ok.md").read_text().replace("q one about", "q first about")
    )
    with pytest.raises(CompileError) as info:
        compile_content(content, data, domain, base, {})
    assert "missing_source.md" in str(info.value)
    after = {p.name: p.read_bytes() for p in (*data.iterdir(), *domain.iterdir())}
    assert after == before  # no half-written or updated training data, no temp files left


def test_repository_content_compiles(tmp_path: Path) -> None:
    from bot import paths

    answers = compile_content(paths.CONTENT, tmp_path / "data", tmp_path / "domain", paths.DOMAIN, {})
    topics = {a.topic for a in answers}
    assert {"breastfeeding", "safe_sleep", "immunisations", "oral_health"} <= topics
    for topic in ("breastfeeding", "safe_sleep", "immunisations", "oral_health"):
        assert sum(a.topic == topic for a in answers) >= 6
