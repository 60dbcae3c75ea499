"""The theme report on a synthetic month (tests/support/synthetic.py): its numbers against direct database counts,
and the files it writes (HTML, PNG charts, CSV) with small numbers suppressed."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import distinct, func, select

from bot.care.service_hours import in_service_hours
from bot.reports import report, report_data
from bot.settings import get_settings
from bot.storage.db import transaction
from bot.storage.models.channels import OptOut
from bot.storage.models.escalation import Escalation
from bot.storage.models.themes import ThemeEvent
from tests.support.escalation import use_temp_db
from tests.support.synthetic import Month, generate


@pytest.fixture
def month(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Month:
    use_temp_db(monkeypatch, tmp_path)
    return generate()


def in_range(m: Month):  # type: ignore[no-untyped-def]
    lo, hi = report_data.bounds(m.start, m.end)
    return ThemeEvent.at >= lo, ThemeEvent.at < hi


def count(*where) -> int:  # type: ignore[no-untyped-def]
    with transaction() as s:
        return int(s.scalar(select(func.count()).select_from(ThemeEvent).where(*where)) or 0)


def families(*where) -> int:  # type: ignore[no-untyped-def]
    with transaction() as s:
        return int(s.scalar(select(func.count(distinct(ThemeEvent.family_id))).where(*where)) or 0)


def test_report_numbers_match_the_database(month: Month) -> None:
    data = report_data.build(month.start, month.end)
    rng = in_range(month)
    assert data.messages == count(*rng) == month.messages
    assert data.families == families(*rng)
    assert data.answered_without_person == count(*rng, ThemeEvent.kind == "answer", ThemeEvent.handed_off.is_(False))
    for topic, cell in data.by_topic.items():
        where = ThemeEvent.topic.is_(None) if topic == report_data.NO_TOPIC else ThemeEvent.topic == topic
        assert (cell.messages, cell.families) == (count(*rng, where), families(*rng, where)), topic
    for (week, channel), cell in data.week_channel.items():
        lo = dt.datetime.combine(week, dt.time())
        where = (ThemeEvent.at >= lo, ThemeEvent.at < lo + dt.timedelta(days=7), ThemeEvent.channel == channel)
        assert (cell.messages, cell.families) == (count(*rng, *where), families(*rng, *where))
    assert sum(c.messages for c in data.week_topic.values()) == data.messages
    for answer_id, _topic, n in data.top_answers:
        assert n == count(*rng, ThemeEvent.kind == "answer", ThemeEvent.answer_id == answer_id)
    assert sum(th.count for th in data.themes) == count(*rng, ThemeEvent.fell_back.is_(True))
    with transaction() as s:
        escalations = s.execute(select(Escalation.category, Escalation.created_at, Escalation.claimed_at)).all()
        opt_outs = int(s.scalar(select(func.count()).select_from(OptOut)) or 0)
    assert sum(e.count for e in data.escalations) == len(escalations)
    spec = get_settings().SERVICE_HOURS
    for stats in data.escalations:
        minutes = [
            (c - a).total_seconds() / 60
            for cat, a, c in escalations
            if cat == stats.category and c is not None and in_service_hours(spec, a) == stats.in_hours
        ]
        assert stats.claimed == len(minutes)
        if minutes:
            assert stats.median_minutes == pytest.approx(float(np.median(minutes)))
            assert stats.p90_minutes == pytest.approx(float(np.percentile(minutes, 90)))
    assert sum(data.opt_outs.values()) == opt_outs


def test_report_files_render_with_small_counts_suppressed(month: Month, tmp_path: Path) -> None:
    data = report_data.build(month.start, month.end)
    index = report.write(data, tmp_path / "out")
    assert index.exists() and 'id="summary"' in index.read_text()
    for chart in report.CHARTS:
        assert (tmp_path / "out" / f"{chart}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    tables = report.tables(data)
    for name, (header, rows) in tables.items():
        with open(tmp_path / "out" / f"{name}.csv", newline="") as fh:
            read = list(csv.reader(fh))
        assert read == [header, *rows], name
        for row in rows:
            for column, cell in zip(header, row, strict=True):
                if column in ("messages", "families", "count", "claimed", "value"):
                    assert cell not in {"1", "2", "3", "4"}, (name, row)
    summary = dict(tables["summary"][1])
    assert summary["messages"] == report.fmt(count(*in_range(month)))
    assert any(cell == "<5" for _, rows in tables.values() for row in rows for cell in row)
    assert tables["topics"][1] and all(
        row[1] != report_data.NOT_MAPPED for row in tables["topics"][1] if row[0] != report_data.NO_TOPIC
    )


def test_unanswered_texts_are_stored_scrubbed_and_grouped(month: Month) -> None:
    with transaction() as s:
        texts = s.execute(select(ThemeEvent.scrubbed_text).where(ThemeEvent.fell_back.is_(True))).scalars().all()
        others = s.scalar(
            select(func.count())
            .select_from(ThemeEvent)
            .where(ThemeEvent.fell_back.is_(False), ThemeEvent.scrubbed_text.is_not(None))
        )
    assert texts and others == 0
    assert not any("07700" in t or "Sarah" in t for t in texts)
    themes = {th.keyword: th.count for th in report_data.build(month.start, month.end).themes}
    assert themes["wean"] == sum("wean" in t for t in texts)
