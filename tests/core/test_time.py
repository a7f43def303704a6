"""core.time: local days and times in Europe/Paris, month arithmetic, periods."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.time import PARIS, Period, add_months, day_bounds, local_datetime, local_day


def test_nine_oclock_stays_nine_oclock_across_the_clock_changes():
    winter = local_datetime(date(2026, 3, 28), time(9))
    summer = local_datetime(date(2026, 3, 30), time(9))
    assert winter.astimezone(UTC).hour == 8
    assert summer.astimezone(UTC).hour == 7


def test_a_late_evening_in_utc_is_the_next_local_day_or_the_same():
    # 23:30 UTC on 31 March is 1:30 on 1 April in Paris (summer time).
    assert local_day(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == date(2026, 4, 1)
    # 21:30 UTC on 31 March is 23:30 the same day in Paris.
    assert local_day(datetime(2026, 3, 31, 21, 30, tzinfo=UTC)) == date(2026, 3, 31)


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25), (date(2026, 6, 1), 24)],
)
def test_a_day_lasts_23_24_or_25_hours(day, hours):
    start, end = day_bounds(day)
    assert start == datetime(day.year, day.month, day.day, tzinfo=PARIS)
    assert (end.astimezone(UTC) - start.astimezone(UTC)) == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 1)),
        (date(2026, 12, 15), 1, date(2027, 1, 1)),
        (date(2026, 1, 1), -1, date(2025, 12, 1)),
        (date(2026, 3, 31), -12, date(2025, 3, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(-240, 240))
def test_add_months_then_back_is_the_first_of_the_month(day, months):
    assert add_months(add_months(day, months), -months) == day.replace(day=1)


def test_periods_are_half_open_ranges_of_local_days():
    assert Period.month(date(2026, 2, 14)) == Period("month", date(2026, 2, 1), date(2026, 3, 1))
    assert Period.quarter(date(2026, 5, 3)) == Period("quarter", date(2026, 4, 1), date(2026, 7, 1))
    assert Period.year(date(2026, 5, 3)) == Period("year", date(2026, 1, 1), date(2027, 1, 1))
    custom = Period.custom(date(2026, 1, 15), date(2026, 3, 10))
    assert custom.last_day == date(2026, 3, 10)
    assert custom.whole_months() == (date(2026, 2, 1), date(2026, 3, 1))
    assert Period.custom(date(2026, 1, 15), date(2026, 2, 10)).whole_months() is None
    assert Period.month(date(2026, 3, 1)).start_at == datetime(2026, 3, 1, tzinfo=PARIS)


def test_the_same_period_last_year_of_a_leap_day():
    leap = Period.custom(date(2028, 2, 29), date(2028, 2, 29))
    before = leap.same_last_year()
    assert before.start == date(2027, 2, 28)
    assert Period.month(date(2026, 3, 5)).previous() == Period.month(date(2026, 2, 1))
    assert Period.year(date(2026, 3, 5)).previous() == Period.year(date(2025, 1, 1))
