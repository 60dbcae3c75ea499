"""bot/care/service_hours.py: service hours in Europe/London, across the clock change."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.care.service_hours import ServiceHoursError, in_service_hours, parse

UTC = dt.timezone.utc
SPEC = "Mon-Fri 09:00-17:00"


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (dt.datetime(2026, 1, 14, 9, 0, tzinfo=UTC), True),  # Wednesday, GMT
        (dt.datetime(2026, 1, 14, 16, 59, tzinfo=UTC), True),
        (dt.datetime(2026, 1, 14, 17, 0, tzinfo=UTC), False),
        (dt.datetime(2026, 1, 17, 12, 0, tzinfo=UTC), False),  # Saturday
        (dt.datetime(2026, 7, 15, 8, 30, tzinfo=UTC), True),  # 09:30 BST
        (dt.datetime(2026, 7, 15, 16, 30, tzinfo=UTC), False),  # 17:30 BST
        (dt.datetime(2026, 7, 15, 8, 30), True),  # naive means UTC
    ],
)
def test_in_service_hours(when: dt.datetime, expected: bool) -> None:
    assert in_service_hours(SPEC, when) is expected


def test_several_spans_and_wrapping_days() -> None:
    sat = dt.datetime(2026, 1, 17, 10, 30, tzinfo=UTC)
    assert in_service_hours("Mon-Fri 09:00-17:00, Sat 10:00-12:00", sat)
    assert parse("Fri-Mon 09:00-10:00")[0][0] == {4, 5, 6, 0}


def test_empty_spec_is_always_out_of_hours() -> None:
    assert not in_service_hours("", dt.datetime(2026, 1, 14, 12, 0, tzinfo=UTC))


@pytest.mark.parametrize("bad", ["weekdays 9-5", "Mon-Fri", "Mon-Xyz 09:00-17:00"])
def test_unreadable_spec_names_the_setting(bad: str) -> None:
    with pytest.raises(ServiceHoursError, match="SERVICE_HOURS"):
        parse(bad)
