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
