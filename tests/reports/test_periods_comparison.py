"""A period still running is compared with the same days of the periods before."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from core.time import PARIS, Comparison, Period
from outreach.models import SessionStatus
from reports.report import report_tables
from tests.encounters.factories import EncounterFactory
from tests.organisations.factories import OrganisationFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory


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


# ---------------------------------------------------------------------------------------
# Monthly and annual reports (and the federation, which shares their tables) compare the
# same way as the dashboard.
# ---------------------------------------------------------------------------------------

D = date


def _conversation_on(territory, day: date) -> None:
    start = datetime(day.year, day.month, day.day, 10, tzinfo=PARIS)
    session = OutreachSessionFactory(
        territory=territory,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=SessionStatus.DONE,
    )
    EncounterFactory(session=session, kind="conversation", occurred_at=start)


def _conversations_row(tables) -> dict[str, int]:
    key = tables[0]
    row = key.rows[key.row_index("conversations")]
    return dict(zip(key.columns, row.values, strict=True))


CASES = {
    "start of a month": (
        "month",
        D(2026, 12, 1),
        [D(2026, 11, 1), D(2026, 11, 2), D(2025, 12, 1), D(2025, 12, 2), D(2026, 12, 1)],
        {"1er décembre 2026": 1, "1er novembre 2026": 1, "1er décembre 2025": 1},
    ),
    "middle of a month": (
        "month",
        D(2026, 3, 15),
        [D(2026, 2, 15), D(2026, 2, 16), D(2025, 3, 15), D(2025, 3, 16), D(2026, 3, 1)],
        {"1er–15 mars 2026": 1, "1er–15 février 2026": 1, "1er–15 mars 2025": 1},
    ),
    "end of a month": (
        "month",
        D(2026, 3, 31),
        [D(2026, 2, 1), D(2026, 2, 28), D(2025, 3, 31), D(2026, 3, 31)],
        {"1er–31 mars 2026": 1, "1er–28 février 2026": 2, "1er–31 mars 2025": 1},
    ),
    "1 January, month": (
        "month",
        D(2027, 1, 1),
        [D(2026, 12, 1), D(2026, 12, 2), D(2026, 1, 1), D(2026, 1, 2), D(2027, 1, 1)],
        {"1er janvier 2027": 1, "1er décembre 2026": 1, "1er janvier 2026": 1},
    ),
    "1 January, year": (
        "year",
        D(2027, 1, 1),
        [D(2026, 1, 1), D(2026, 1, 2), D(2026, 12, 31), D(2027, 1, 1)],
        {"1er janvier 2027": 1, "1er janvier 2026": 1},
    ),
    "29 February, month": (
        "month",
        D(2028, 2, 29),
        [D(2028, 1, 29), D(2028, 1, 30), D(2027, 2, 28), D(2028, 2, 29)],
        {"1er–29 février 2028": 1, "1er–29 janvier 2028": 1, "1er–28 février 2027": 1},
    ),
    # A running year stops at its last ended month (the month under way cannot be
    # worked out by subtracting the monthly reports from the year).
    "29 February, year": (
        "year",
        D(2028, 2, 29),
        [D(2027, 1, 31), D(2027, 2, 1), D(2028, 1, 5), D(2028, 2, 29)],
        {"1er–31 janvier 2028": 1, "1er–31 janvier 2027": 1},
    ),
    "1 March, year": (
        "year",
        D(2028, 3, 1),
        [D(2027, 2, 28), D(2027, 3, 1), D(2028, 1, 5), D(2028, 2, 29), D(2028, 3, 1)],
        {"1er janvier – 29 février 2028": 2, "1er janvier – 28 février 2027": 1},
    ),
    "2 December, year": (
        "year",
        D(2026, 12, 2),
        [D(2025, 11, 30), D(2025, 12, 1), D(2026, 1, 1), D(2026, 11, 30), D(2026, 12, 1)],
        {"1er janvier – 30 novembre 2026": 2, "1er janvier – 30 novembre 2025": 1},
    ),
    "2 December, quarter": (
        "quarter",
        D(2026, 12, 2),
        [D(2026, 7, 1), D(2026, 8, 31), D(2026, 9, 1), D(2025, 10, 1), D(2026, 12, 1)],
        {
            "1er octobre – 30 novembre 2026": 0,
            "1er juillet – 31 août 2026": 2,
            "1er octobre – 30 novembre 2025": 1,
        },
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(CASES))
def test_a_running_report_compares_with_the_same_days(case):
    kind, today, days_met, expected = CASES[case]
    org = OrganisationFactory()
    territory = TerritoryFactory(organisation=org)
    for day in days_met:
        _conversation_on(territory, day)
    tables = report_tables((org.pk,), Period.of(kind, today), today=today)
    assert _conversations_row(tables) == expected


@pytest.mark.django_db
def test_the_report_page_and_its_files_say_what_is_compared(manager_client, org):
    with time_machine.travel(datetime(2026, 12, 2, 10, tzinfo=PARIS), tick=False):
        # Reports are served from the organisation's first activity (here, November).
        _conversation_on(TerritoryFactory(organisation=org), date(2026, 11, 3))
        sentence = (
            "1er–2 décembre 2026 à ce jour, comparé aux mêmes jours : "
            "1er–2 novembre 2026 et 1er–2 décembre 2025."
        )
        page = manager_client.get(reverse("report_detail", args=["month", "2026-12"]))
        assert sentence in page.content.decode()
        csv_file = manager_client.get(reverse("report_download", args=["month", "2026-12", "csv"]))
        assert sentence in csv_file.content.decode("utf-8-sig")
        year = manager_client.get(reverse("report_detail", args=["year", "2026"]))
        assert (
            "1er janvier – 30 novembre 2026 : les mois terminés à ce jour (le mois en cours "
            "n’y entre qu’une fois terminé), comparé aux mêmes mois : "
            "1er janvier – 30 novembre 2025." in year.content.decode()
        )
        ended = manager_client.get(reverse("report_detail", args=["month", "2026-11"]))
        assert "novembre 2026, comparé à octobre 2026 et novembre 2025." in (ended.content.decode())
