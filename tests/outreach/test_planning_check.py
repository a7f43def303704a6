"""The planning form warns of clashes as it changes (htmx), each session once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organisations.models import Role
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.outreach.test_agenda import paris
from tests.territories.factories import PlaceFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def test_the_form_asks_for_the_check_as_it_changes(coordinator_client):
    page = coordinator_client.get(reverse("session_create")).content.decode()
    assert 'hx-get="/sessions/check/"' in page
    assert 'hx-trigger="load, change from:closest form"' in page


def test_clashes_with_a_member_and_the_place_are_listed_once(coordinator_client, org):
    territory = TerritoryFactory(organisation=org)
    market = PlaceFactory(territory=territory, name="Marché du mardi")
    jordi = MembershipFactory(organisation=org, user__first_name="Jordi").user
    marion = MembershipFactory(organisation=org, user__first_name="Marion").user
    taken = OutreachSessionFactory(
        territory=territory,
        place=market,
        starts_at=paris(2026, 12, 15, 9),
        ends_at=paris(2026, 12, 15, 12),
        members=[jordi, marion],
    )
    OutreachSessionFactory(  # later that day: no clash
        territory=territory,
        place=market,
        starts_at=paris(2026, 12, 15, 14),
        ends_at=paris(2026, 12, 15, 16),
        members=[jordi],
    )
    query = (
        f"?day=2026-12-15&start_time=11:00&end_time=13:00&place={market.pk}"
        f"&members={jordi.pk}&members={marion.pk}"
    )
    page = coordinator_client.get(reverse("session_check") + query).content.decode()
    assert page.count("<li>") == 1
    assert f'href="/sessions/{taken.pk}/"' in page
    assert "Jordi, Marion y sont déjà" in page
    assert "le lieu est déjà réservé" in page
    # Editing that very session: it does not clash with itself.
    page = coordinator_client.get(
        reverse("session_check") + query + f"&session={taken.pk}"
    ).content.decode()
    assert "<li>" not in page


def test_no_check_without_a_day_and_hours(coordinator_client):
    page = coordinator_client.get(reverse("session_check") + "?day=&start_time=x").content
    assert b"<li>" not in page


def test_volunteers_cannot_probe_the_planning(member_client):
    response = member_client(Role.VOLUNTEER).get(reverse("session_check"))
    assert response.status_code == 403


# --- The series form ------------------------------------------------------------------


def test_the_series_form_asks_for_the_check_as_it_changes(coordinator_client):
    page = coordinator_client.get(reverse("series_create")).content.decode()
    assert 'hx-get="/sessions/series/check/"' in page
    assert 'hx-trigger="load, change from:closest form"' in page


def test_series_clashes_over_its_occurrences_are_listed_once(
    coordinator_client, org, django_assert_max_num_queries
):
    """Every Tuesday of December 2026, 11:00-13:00, at the market with Jordi: the
    sessions already planned that any occurrence would clash with, each once, dated."""
    territory = TerritoryFactory(organisation=org)
    market = PlaceFactory(territory=territory, name="Marché du mardi")
    hall = PlaceFactory(territory=territory, name="Salle des fêtes")
    jordi = MembershipFactory(organisation=org, user__first_name="Jordi").user
    marion = MembershipFactory(organisation=org, user__first_name="Marion").user

    def planned(day, hour, place, members, hours=3):
        return OutreachSessionFactory(
            territory=territory,
            place=place,
            starts_at=paris(2026, 12, day, hour),
            ends_at=paris(2026, 12, day, hour + hours),
            members=members,
        )

    same_place = planned(8, 9, market, [marion])  # Tue 8, 9-12: the place
    with_jordi = planned(22, 12, hall, [jordi, marion])  # Tue 22, 12-15: Jordi
    planned(9, 9, market, [jordi])  # Wednesday: no occurrence then
    planned(15, 14, market, [jordi])  # Tue 15 after 13:00: no overlap
    planned(29, 11, hall, [marion])  # neither the place nor Jordi
    query = (
        "?weekdays=1&start_time=11:00&end_time=13:00&first_date=2026-12-01"
        f"&last_date=2026-12-31&place={market.pk}&lead={jordi.pk}"
    )
    with django_assert_max_num_queries(8):
        page = coordinator_client.get(reverse("series_check") + query).content.decode()
    assert page.count("<li>") == 2
    assert page.index(f'href="/sessions/{same_place.pk}/"') < page.index(
        f'href="/sessions/{with_jordi.pk}/"'
    )
    assert "la série serait en conflit avec ces 2 actions" in page
    assert "mardi 8 décembre" in page and "mardi 22 décembre" in page
    assert "Jordi y est déjà" in page and "le lieu est déjà réservé" in page


def test_no_series_check_without_days_hours_or_over_the_limit(coordinator_client):
    for query in (
        "?weekdays=1&start_time=x&end_time=13:00&first_date=2026-12-01&last_date=2026-12-31",
        "?start_time=11:00&end_time=13:00&first_date=2026-12-01&last_date=2026-12-31",
        "?weekdays=9&weekdays=1&start_time=11:00&end_time=13:00&first_date=2026-12-01"
        "&last_date=2126-12-31",
        "?weekdays=1&start_time=11:00&end_time=13:00&first_date=2026-12-31"
        "&last_date=2026-12-01&place=1",
    ):
        response = coordinator_client.get(reverse("series_check") + query)
        assert response.status_code == 200 and b"<li>" not in response.content


def test_volunteers_cannot_probe_the_planning_through_series(member_client):
    response = member_client(Role.VOLUNTEER).get(reverse("series_check"))
    assert response.status_code == 403
