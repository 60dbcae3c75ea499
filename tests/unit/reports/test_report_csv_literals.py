"""The report's CSV files for a handful of events written here, against CSV text written out by hand (issue 11:
expected values are literals, not recomputed by the report code)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.reports import report, report_data
from bot.storage.db import transaction
from bot.storage.models.themes import ThemeEvent
from tests.support.escalation import use_temp_db

TUESDAY = dt.datetime(2026, 11, 3, 10, 0)
WEDNESDAY = dt.datetime(2026, 11, 4, 21, 30)


@pytest.fixture
def out(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    use_temp_db(monkeypatch, tmp_path)
    with transaction() as s:
        for n in range(1, 7):  # six families answered about dummies by SMS
            s.add(
                ThemeEvent(
                    at=TUESDAY,
                    channel="sms",
                    family_id=f"family-{n}",
                    kind="answer",
                    topic="safe_sleep",
                    answer_id="safe_sleep/dummies",
                    confidence=0.9,
                )
            )
        for family in ("family-1", "family-7"):  # two fall-backs on Telegram, one from a new family
            s.add(
                ThemeEvent(
                    at=WEDNESDAY,
                    channel="telegram",
                    family_id=family,
                    kind="fallback",
                    fell_back=True,
                    scrubbed_text="when can i start weaning",
                )
            )
    report.write(report_data.build(dt.date(2026, 11, 1), dt.date(2026, 11, 30)), tmp_path / "out")
    return tmp_path / "out"


def test_summary_csv(out: Path) -> None:
    assert (out / "summary.csv").read_text() == (
        "metric,value\nmessages,8\nfamilies,7\nanswered_without_person,6\nanswered_without_person_share,75%\n"
    )


def test_topic_csv_suppresses_counts_under_five(out: Path) -> None:
    assert (out / "topics.csv").read_text() == (
        "topic,hcp_area,messages,families\nnone,Not mapped,<5,<5\nsafe_sleep,Reducing sudden infant death,6,6\n"
    )


def test_weekly_channel_csv(out: Path) -> None:
    assert (out / "weekly_channel.csv").read_text() == (
        "week,channel,messages,families\n2026-11-02,sms,6,6\n2026-11-02,telegram,<5,<5\n"
    )


def test_top_answers_csv(out: Path) -> None:
    assert (out / "top_answers.csv").read_text() == (
        "answer_id,topic,hcp_area,count\nsafe_sleep/dummies,safe_sleep,Reducing sudden infant death,6\n"
    )
