"""A period still running is compared with the same days of the periods before."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from core.time import Comparison, Period


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def days(period: Period) -> tuple[date, date]:
    return period.start, period.last_day


def test_start_of_a_month_compares_one_day_with_one_day():
    c = Comparison.of(Period.month(date(2026, 12, 1)), date(2026, 12, 1))
    assert c.running
    assert days(c.current) == (date(2026, 12, 1), date(2026, 12, 1))
    assert days(c.previous) == (date(2026, 11, 1), date(2026, 11, 1))
    assert days(c.last_year) == (date(2025, 12, 1), date(2025, 12, 1))


def test_second_of_december_says_so_in_words():
    c = Comparison.of(Period.month(date(2026, 12, 2)), date(2026, 12, 2))
    assert days(c.previous) == (date(2026, 11, 1), date(2026, 11, 2))
    assert c.sentence == (
        "1er–2 décembre 2026 à ce jour, comparé aux mêmes jours : "
        "1er–2 novembre 2026 et 1er–2 décembre 2025."
    )


def test_middle_and_end_of_a_month_stop_at_the_end_of_a_shorter_month():
    mid = Comparison.of(Period.month(date(2026, 3, 15)), date(2026, 3, 15))
    assert days(mid.previous) == (date(2026, 2, 1), date(2026, 2, 15))
    end = Comparison.of(Period.month(date(2026, 3, 31)), date(2026, 3, 31))
    assert days(end.current) == (date(2026, 3, 1), date(2026, 3, 31))
    assert days(end.previous) == (date(2026, 2, 1), date(2026, 2, 28))  # all of February
    assert days(end.last_year) == (date(2025, 3, 1), date(2025, 3, 31))


def test_first_of_january_compares_with_the_first_of_december_and_last_january():
    month = Comparison.of(Period.month(date(2027, 1, 1)), date(2027, 1, 1))
    assert days(month.previous) == (date(2026, 12, 1), date(2026, 12, 1))
    assert days(month.last_year) == (date(2026, 1, 1), date(2026, 1, 1))
    year = Comparison.of(Period.year(date(2027, 1, 1)), date(2027, 1, 1))
    assert days(year.current) == (date(2027, 1, 1), date(2027, 1, 1))
    assert days(year.previous) == (date(2026, 1, 1), date(2026, 1, 1))
    assert "1er janvier 2027" in year.sentence


def test_twenty_ninth_of_february():
    c = Comparison.of(Period.month(date(2028, 2, 29)), date(2028, 2, 29))
    assert days(c.current) == (date(2028, 2, 1), date(2028, 2, 29))
    assert days(c.previous) == (date(2028, 1, 1), date(2028, 1, 29))
    assert days(c.last_year) == (date(2027, 2, 1), date(2027, 2, 28))
    year = Comparison.of(Period.year(date(2028, 2, 29)), date(2028, 2, 29))
    assert days(year.previous) == (date(2027, 1, 1), date(2027, 2, 28))


def test_an_ended_period_is_compared_whole():
    c = Comparison.of(Period.month(date(2026, 11, 1)), date(2026, 12, 2))
    assert not c.running
    assert c.current == Period.month(date(2026, 11, 1))
    assert c.previous == Period.month(date(2026, 10, 1))
    assert c.sentence == "novembre 2026, comparé à octobre 2026 et novembre 2025."
