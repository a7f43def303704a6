"""Days outside 2000–2100 answer 404 in URLs and a French error in forms, never a 500."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.time import PARIS
from organisations import services
from organisations.models import Invitation, Membership
from outreach.models import OutreachSession, SessionSeries
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
BOUNDS_ERROR = "Choisissez un jour entre le 1er janvier 2000 et le 31 décembre 2100."


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])
@pytest.mark.parametrize("view", ["week", "month"])
def test_agenda_far_from_now_shows_an_error_and_this_week(coordinator_client, day, view):
    response = coordinator_client.get(reverse("agenda"), {"date": day, "view": view})
    assert response.status_code == 200
    assert BOUNDS_ERROR in response.content.decode()


def test_agenda_at_the_edges_of_the_range(coordinator_client):
    for day in ("2000-01-01", "2100-12-31"):
        for view in ("week", "month"):
            response = coordinator_client.get(reverse("agenda"), {"date": day, "view": view})
            assert response.status_code == 200
            assert BOUNDS_ERROR not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"period": "custom", "start": "0001-01-01", "end": "0001-01-31"},
        {"period": "custom", "start": "2026-01-01", "end": "9999-12-31"},
        {"period": "year", "on": "9999-12-31"},
        {"period": "month", "on": "0001-01-15"},
        {"period": "quarter", "on": "2101-01-01"},
    ],
)
def test_dashboard_outside_the_range_shows_an_error(coordinator_client, query):
    response = coordinator_client.get(reverse("dashboard"), query)
    assert response.status_code == 200
    assert BOUNDS_ERROR in response.content.decode()


def test_dashboard_at_the_edges_of_the_range(coordinator_client):
    for query in (
        {"period": "year", "on": "2000-01-01"},
        {"period": "custom", "start": "2000-01-01", "end": "2100-12-31"},  # cut at today
    ):
        response = coordinator_client.get(reverse("dashboard"), query)
        assert response.status_code == 200
        assert BOUNDS_ERROR not in response.content.decode()
    # The far edge is in the future: a period that has not started is not served.
    response = coordinator_client.get(reverse("dashboard"), {"period": "month", "on": "2100-12-31"})
    assert response.status_code == 404
    assert BOUNDS_ERROR not in response.content.decode()


@pytest.mark.parametrize(
    "kind,key",
    [
        ("month", "9999-12"),
        ("month", "0001-01"),
        ("month", "1999-12"),
        ("month", "2101-01"),
        ("month", "2026-00"),
        ("month", "2026-13"),
        ("year", "9999"),
        ("year", "0001"),
        ("year", "2101"),
        ("year", "+2026"),
    ],
)
def test_reports_outside_the_range_answer_404(manager_client, kind, key):
    assert manager_client.get(reverse("report_detail", args=[kind, key])).status_code == 404
    url = reverse("report_download", args=[kind, key, "csv"])
    assert manager_client.get(url).status_code == 404
    assert manager_client.post(reverse("report_validate", args=[kind, key])).status_code == 404


def test_reports_at_the_edges_of_the_range(manager_client, org):
    # An organisation at work since January 2000, the first month Terrain knows.
    OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org),
        starts_at=datetime(2000, 1, 10, 9, tzinfo=PARIS),
        ends_at=datetime(2000, 1, 10, 11, tzinfo=PARIS),
    )
    for kind, key in (("month", "2000-01"), ("year", "2000")):
        assert manager_client.get(reverse("report_detail", args=[kind, key])).status_code == 200
        url = reverse("report_download", args=[kind, key, "csv"])
        assert manager_client.get(url).status_code == 200
    # The far edge is in the future: periods that have not started are not served.
    for kind, key in (("month", "2100-12"), ("year", "2100")):
        assert manager_client.get(reverse("report_detail", args=[kind, key])).status_code == 404
        url = reverse("report_download", args=[kind, key, "csv"])
        assert manager_client.get(url).status_code == 404


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2101-01-01"])
def test_a_session_outside_the_range_is_refused(coordinator_client, org, day):
    territory = TerritoryFactory(organisation=org)
    data = {
        "kind": "stand",
        "territory": territory.pk,
        "day": day,
        "start_time": "09:00",
        "end_time": "11:00",
    }
    response = coordinator_client.post(reverse("session_create"), data)
    assert response.status_code == 422
    assert BOUNDS_ERROR in response.content.decode()
    assert not OutreachSession.objects.exists()


def test_a_series_ending_in_9999_is_refused(coordinator_client, org):
    territory = TerritoryFactory(organisation=org)
    data = {
        "kind": "permanence",
        "territory": territory.pk,
        "weekdays": ["1"],
        "start_time": "09:00",
        "end_time": "12:00",
        "first_date": "9999-12-01",
        "last_date": "9999-12-31",
    }
    response = coordinator_client.post(reverse("series_create"), data)
    assert response.status_code == 422
    assert BOUNDS_ERROR in response.content.decode()
    assert not SessionSeries.objects.exists()


def test_an_observation_in_year_1_is_refused(coordinator_client, org):
    territory = TerritoryFactory(organisation=org)
    response = coordinator_client.post(
        reverse("observation_create", args=[territory.pk]),
        {"observed_on": "0001-01-01", "text": "Marché calme."},
    )
    assert response.status_code == 422
    assert BOUNDS_ERROR in response.content.decode()


def test_date_pickers_show_the_range(coordinator_client):
    page = coordinator_client.get(reverse("session_create")).content.decode()
    assert 'min="2000-01-01"' in page
    assert 'max="2100-12-31"' in page


def test_referrals_answer_htmx_with_their_list(volunteer_client):
    response = volunteer_client.get(reverse("referral_list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="results"' in page
    assert "<html" not in page


def _invitation(org) -> tuple[Invitation, str]:
    inviter = MembershipFactory(organisation=org, role="coordinator")
    return services.invitation_create(
        organisation=org,
        email="nouvelle@example.org",
        role="volunteer",
        invited_by=inviter,
        accept_url_for=lambda token: f"/invitation/{token}/",
    )


def test_a_second_sign_up_with_one_link_is_told_the_link_was_used(org):
    invitation, _token = _invitation(org)
    services.user_create_from_invitation(invitation=invitation, first_name="A", password="x")
    with pytest.raises(services.ValidationError):
        services.user_create_from_invitation(invitation=invitation, first_name="B", password="y")
    assert Membership.objects.filter(user__username="nouvelle@example.org").count() == 1


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="real concurrency needs PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_sign_ups_make_one_account_and_no_500(org):
    _invitation_obj, token = _invitation(org)
    path = reverse("invitation_accept", args=[token])
    barrier = threading.Barrier(10)
    statuses: list[int] = []

    def sign_up(n: int) -> None:
        client = Client(raise_request_exception=False)
        barrier.wait()
        response = client.post(
            path,
            {
                "first_name": f"P{n}",
                "password1": "un-long-mot-de-passe",
                "password2": "un-long-mot-de-passe",
            },
        )
        # A late one may find the account already made: it is told to log in (200).
        told = "log in first" in response.content.decode() or "connectez-vous" in (
            response.content.decode().lower()
        )
        statuses.append(response.status_code if response.status_code != 200 or told else -1)
        connection.close()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses).count(302) == 1, statuses
    assert all(s in (200, 302, 404) for s in statuses), statuses
    assert Membership.objects.filter(user__username="nouvelle@example.org").count() == 1
