"""The report page from its Jinja2 templates: headings and values in the editors' words, every cell escaped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.reports import report, report_data
from bot.storage.db import transaction
from bot.storage.models.themes import ThemeEvent
from tests.support.escalation import use_temp_db


@pytest.fixture
def page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    use_temp_db(monkeypatch, tmp_path)
    with transaction() as s:
        for n in range(6):
            s.add(
                ThemeEvent(
                    at=dt.datetime(2026, 11, 3, 10),
                    channel="sms",
                    family_id=f"f{n}",
                    kind="fallback",
                    fell_back=True,
                    scrubbed_text="<b>weaning</b> & solids",
                )
            )
    index = report.write(report_data.build(dt.date(2026, 11, 1), dt.date(2026, 11, 30)), tmp_path / "out")
    return index.read_text()


def test_summary_table_in_the_editors_words(page: str) -> None:
    assert page.startswith("<!doctype html>")
    assert (
        '<table id="summary">\n<thead><tr><th>Measure</th><th>Value</th></tr></thead>\n<tbody>\n'
        "<tr><td>Messages from parents</td><td>6</td></tr>\n"
        "<tr><td>Families</td><td>6</td></tr>\n"
    ) in page


def test_parents_words_are_escaped(page: str) -> None:
    assert "<b>weaning</b>" not in page
    assert "&lt;b&gt;weaning&lt;/b&gt; &amp; solids" in page


def test_charts_sit_above_their_tables(page: str) -> None:
    chart = page.index('<img id="chart-week_topic" src="week_topic.png"')
    assert chart < page.index('<table id="weekly_topic">')
