"""`parentbot report`, `parentbot forget` and `parentbot retention` as staff run them (bot/cli.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.privacy import themes
from bot.storage.db import transaction
from bot.storage.models.themes import ThemeEvent
from tests.support.escalation import use_temp_db
from tests.support.privacy import use_tracker
from tests.support.synthetic import generate


@pytest.fixture
def dbs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_tracker(monkeypatch, tmp_path)
    use_temp_db(monkeypatch, tmp_path)


def rows(fid: str | None = None) -> int:
    query = select(func.count()).select_from(ThemeEvent)
    with transaction() as s:
        return int(s.scalar(query if fid is None else query.where(ThemeEvent.family_id == fid)) or 0)


def test_report_command_writes_html_charts_and_csv(dbs: None, tmp_path: Path) -> None:
    month = generate()
    assert main(["report", "--from", str(month.start), "--to", str(month.end), "--out", str(tmp_path / "r")]) == 0
    names = {p.name for p in (tmp_path / "r").iterdir()}
    assert {"index.html", "summary.csv", "escalations.csv", "week_topic.png"} <= names
    assert main(["report", "--from", "2026-03-05", "--to", "2026-03-01", "--out", str(tmp_path / "x")]) == 1


@pytest.mark.parametrize(
    ("args", "channel", "sender"),
    [
        (["--phone", "07700 900123"], "sms", "+447700900123"),
        (["--phone", "+44 7700 900123"], "sms", "+447700900123"),
        (["--telegram-id", "123456"], "telegram", "123456"),
        (["--sender", "web-1"], "webchat", "web-1"),
    ],
)
def test_forget_command_finds_the_family_however_the_number_is_written(
    dbs: None, args: list[str], channel: str, sender: str
) -> None:
    themes.record_turn(channel, sender, "", [{"kind": "answer"}])
    themes.record_turn("sms", "+447700900999", "", [{"kind": "answer"}])
    assert main(["forget", *args]) == 0
    assert rows(themes.family_id(channel, sender)) == 0 and rows() == 1


def test_retention_command_runs(dbs: None) -> None:
    themes.record_turn("sms", "+447700900999", "", [{"kind": "answer"}])
    assert main(["retention"]) == 0 and rows() == 1
