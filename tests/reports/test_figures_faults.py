"""The last faults of "figures you can trust": future and too-early periods, custom dates
in words, and chart headings that name their measure."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.time import PARIS, Comparison, Period
from organisations.models import Role
from outreach.models import SessionStatus
from reports.models import Report
from tests.encounters.factories import EncounterFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory

SVG = "{http://www.w3.org/2000/svg}"
TODAY = datetime(2026, 12, 2, 10, tzinfo=PARIS)


@pytest.fixture
def december():
    with time_machine.travel(TODAY, tick=False):
        yield


def days(period: Period) -> tuple[date, date]:
    return period.start, period.last_day


# ---------------------------------------------------------------------------------------
# Custom dates in words, in both languages
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "french", "english"),
    [
        (
            date(2026, 11, 1),
            date(2026, 11, 30),
            "du 1er au 30 novembre 2026",
            "1 to 30 November 2026",
        ),
        (
            date(2026, 10, 30),
            date(2026, 11, 9),
            "du 30 octobre au 9 novembre 2026",
            "30 October to 9 November 2026",
        ),
        (
            date(2025, 12, 30),
            date(2026, 1, 2),
            "du 30 décembre 2025 au 2 janvier 2026",
            "30 December 2025 to 2 January 2026",
        ),
        (date(2026, 11, 3), date(2026, 11, 3), "3 novembre 2026", "3 November 2026"),
    ],
)
def test_custom_dates_are_written_from_the_locale(first, last, french, english):
    period = Period.custom(first, last)
    with translation.override("fr"):
        assert period.label == french
    with translation.override("en"):
        assert period.label == english


def test_custom_dates_are_compared_without_a_doubled_preposition():
    c = Comparison.of(Period.custom(date(2026, 11, 1), date(2026, 11, 30)), date(2026, 12, 2))
    with translation.override("fr"):
        assert c.sentence == (
            "1er–30 novembre 2026, comparé au 1er–31 octobre 2026 (juste avant) "
            "et au 1er–30 novembre 2025 (un an plus tôt)."
        )
    with translation.override("en"):
        assert c.sentence == (
            "1–30 November 2026, compared with 1–31 October 2026 (just before) "
            "and 1–30 November 2025 (a year earlier)."
        )


def test_custom_days_are_compared_with_as_many_days_just_before():
    c = Comparison.of(Period.custom(date(2026, 11, 10), date(2026, 11, 20)), date(2026, 12, 2))
    assert days(c.previous) == (date(2026, 10, 30), date(2026, 11, 9))  # 11 days, 11 days
    assert days(c.last_year) == (date(2025, 11, 10), date(2025, 11, 20))
    with translation.override("fr"):
        assert c.sentence == (
            "10–20 novembre 2026, comparé au 30 octobre – 9 novembre 2026 (juste avant) "
            "et au 10–20 novembre 2025 (un an plus tôt)."
        )


def test_whole_months_of_custom_dates_are_compared_with_whole_months():
    two = Comparison.of(Period.custom(date(2026, 10, 1), date(2026, 11, 30)), date(2026, 12, 2))
    assert days(two.previous) == (date(2026, 8, 1), date(2026, 9, 30))
    year = Comparison.of(Period.custom(date(2025, 1, 1), date(2025, 12, 31)), date(2026, 12, 2))
    assert year.previous == year.last_year
    with translation.override("fr"):
        assert year.sentence == (
            "1er janvier – 31 décembre 2025, comparé au 1er janvier – 31 décembre 2024 "
            "(juste avant et un an plus tôt)."
        )


def test_custom_dates_ending_today_compare_the_days_just_before():
    c = Comparison.of(Period.custom(date(2026, 11, 25), date(2026, 12, 2)), date(2026, 12, 2))
    assert days(c.current) == (date(2026, 11, 25), date(2026, 12, 2))
    assert days(c.previous) == (date(2026, 11, 17), date(2026, 11, 24))
    with translation.override("fr"):
        assert "comparé au 17–24 novembre 2026 (juste avant)" in c.sentence
        assert "mêmes jours" not in c.sentence


# ---------------------------------------------------------------------------------------
# The dashboard: future periods, dates cut at today, absurd dates
# ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_answers_404_for_a_period_that_has_not_started(manager_client, december):
    url = reverse("dashboard")
    for query in (
        "?period=month&on=2027-01-15",
        "?period=year&on=2027-03-01",
        "?period=quarter&on=2027-01-01",
        "?period=custom&start=2026-12-03&end=2026-12-20",
    ):
        response = manager_client.get(url + query)
        assert response.status_code == 404, query
    page = manager_client.get(url + "?period=month&on=2027-01-15").content.decode()
    assert (
        "Janvier 2027 n’a pas encore commencé\u00a0: ses chiffres commencent le 1er janvier 2027."
        in (page)
    )
    assert "chart-" not in page
    # The filter's own request gets the message swapped in (htmx swaps 422, not 404).
    htmx = manager_client.get(url + "?period=year&on=2027-03-01", headers={"HX-Request": "true"})
    assert htmx.status_code == 422
    assert "2027 n’a pas encore commencé" in htmx.content.decode()


@pytest.mark.django_db
def test_dashboard_cuts_custom_dates_at_today_and_says_so(manager_client, december):
    response = manager_client.get(
        reverse("dashboard") + "?period=custom&start=2026-11-20&end=2027-01-10"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Du 20 novembre au 2 décembre 2026" in page
    assert "les chiffres s’arrêtent au 2 décembre 2026" in page
    assert "20 novembre – 2 décembre 2026, comparé au 7–19 novembre 2026 (juste avant)" in page
    assert response.context["period"] == Period.custom(date(2026, 11, 20), date(2026, 12, 2))


@pytest.mark.django_db
def test_dashboard_custom_dates_read_well_in_french_and_english(manager_client, december):
    url = reverse("dashboard") + "?period=custom&start=2026-11-01&end=2026-11-30"
    french = manager_client.get(url).content.decode()
    assert "Du 1er au 30 novembre 2026" in french
    assert "1er–30 novembre 2026, comparé au 1er–31 octobre 2026 (juste avant)" in french
    assert "comparé à du" not in french and "Nov 2026" not in french
    english = manager_client.get(url, headers={"Accept-Language": "en"}).content.decode()
    assert "1 to 30 November 2026" in english
    assert "1–30 November 2026, compared with 1–31 October 2026 (just before)" in english


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?period=month&on=9999-12-31",
        "?period=month&on=0001-01-01",
        "?period=year&on=2100-12-31",
        "?period=quarter&on=2000-01-01",
        "?period=month&on=2026-02-30",
        "?period=month&on=demain",
        "?period=custom&start=0001-01-01&end=9999-12-31",
        "?period=custom&start=2000-01-01&end=2100-12-31",
        "?period=custom&start=2000-01-01&end=2000-01-01",
        "?period=custom&start=2100-12-31&end=2100-12-31",
        "?period=custom&start=2026-12-20&end=2026-11-01",
        "?period=custom&end=2099-01-01",
        "?period=decade&on=2026-01-01",
    ],
)
def test_absurd_dashboard_dates_never_fail(org, query, december):
    from tests.organisations.factories import MembershipFactory

    client = Client(raise_request_exception=True)
    client.force_login(MembershipFactory(organisation=org, role=Role.MANAGER).user)
    assert client.get(reverse("dashboard") + query).status_code in (200, 404)


# ---------------------------------------------------------------------------------------
# Reports before the organisation's first activity
# ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reports_before_the_first_activity_answer_404_but_validated_ones_stay(
    manager_client, org, december
):
    session = OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org),
        starts_at=datetime(2026, 10, 6, 9, tzinfo=PARIS),
        ends_at=datetime(2026, 10, 6, 12, tzinfo=PARIS),
        status=SessionStatus.DONE,
    )
    EncounterFactory(session=session)

    def status(kind: str, key: str) -> int:
        return manager_client.get(reverse("report_detail", args=[kind, key])).status_code

    assert status("month", "2026-09") == 404
    assert status("year", "2025") == 404
    download = reverse("report_download", args=["month", "2026-09", "csv"])
    assert manager_client.get(download).status_code == 404
    assert status("month", "2026-10") == 200
    assert status("year", "2026") == 200
    # October validated, then its only session removed: the first activity is now the
    # organisation's creation (December), and October's validated report stays served.
    assert manager_client.post(reverse("report_validate", args=["month", "2026-10"])).status_code
    assert Report.objects.get(start=date(2026, 10, 1)).validated_at is not None
    session.encounters.all().delete()
    session.delete()
    assert status("month", "2026-10") == 200
    assert status("month", "2026-11") == 404
