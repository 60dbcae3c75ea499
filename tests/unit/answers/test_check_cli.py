"""`parentbot check`, the editor's gate, as an editor runs it: one fixture per fault, exit code and the place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[2] / "fixtures" / "check"
PARENTBOT = Path(sys.executable).parent / "parentbot"


def check(content: Path, today: str | None = "2026-06-01") -> subprocess.CompletedProcess[str]:
    args = [str(PARENTBOT), "check", "--content", str(content)] + (["--today", today] if today else [])
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("fault", "file", "field"),
    [
        ("sms-four-segments", "long_sms.md", "sms"),
        ("grade-ten-paragraph", "hard_body.md", "body"),
        ("unknown-publisher", "unknown_publisher.md", "sources[0]"),
        ("past-review-date", "past_review.md", "review_due"),
        ("duplicated-question", "second.md", "questions"),
        ("reply-placeholder", "replies/ring_back.yml", "text"),
        ("reply-four-segments", "replies/long_reply.yml", "text"),
    ],
)
def test_each_fault_fails_naming_file_and_field(fault: str, file: str, field: str) -> None:
    result = check(FIXTURES / fault)
    assert result.returncode == 1, result.stdout
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert errors, result.stdout
    assert any(file in line and f": {field}: " in line for line in errors), result.stdout


def test_the_shipped_content_passes() -> None:
    from bot import paths

    result = check(paths.CONTENT, today="2026-12-01")
    assert result.returncode == 0, result.stdout
    assert "0 errors" in result.stdout
