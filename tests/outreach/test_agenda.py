"""The agenda: week and month views, filters, htmx fragment, conflicts, query counts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from core.time import PARIS
from organisations.models import Role
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import PlaceFactory, TerritoryFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 25, 8, tzinfo=PARIS)  # a Wednesday


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def _make_sessions(org, n: int, members) -> None:
    territory = TerritoryFactory(organisation=org)
    place = PlaceFactory(territory=territory)
    for i in range(n):
        start = paris(2026, 3, 2, 8) + timedelta(days=i % 28, hours=i % 9)
        OutreachSessionFactory(
            territory=territory,
            place=place if i % 2 else None,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            lead=members[i % len(members)],
            members=members[: 1 + i % len(members)],
        )


@pytest.mark.parametrize("view", ["week", "month"])
@pytest.mark.parametrize("n", [2, 40])
@time_machine.travel(NOW, tick=False)
def test_agenda_query_count_does_not_grow_with_sessions(
    view, n, coordinator_client, org, django_assert_max_num_queries
):
    members = [MembershipFactory(organisation=org).user for _ in range(4)]
    _make_sessions(org, n, members)
    url = reverse("agenda") + f"?view={view}&date=2026-03-10"
    with django_assert_max_num_queries(9):
        response = coordinator_client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(7):
        response = coordinator_client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
@time_machine.travel(NOW, tick=False)
def test_today_query_count_does_not_grow(n, volunteer_client, org, django_assert_max_num_queries):
    territory = TerritoryFactory(organisation=org)
    me = volunteer_client.membership.user
    others = [MembershipFactory(organisation=org).user for _ in range(3)]
    for i in range(n):
        start = NOW + timedelta(hours=1 + i)
        OutreachSessionFactory(
            territory=territory,
            place=PlaceFactory(territory=territory),
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            members=[me, *others],
        )
    with django_assert_max_num_queries(7):
        response = volunteer_client.get(reverse("today"))
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        assert volunteer_client.get(reverse("home")).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_week_and_month_views_and_navigation(volunteer_client, org):
    territory = TerritoryFactory(organisation=org, name="Prades")
    OutreachSessionFactory(
        territory=territory, starts_at=paris(2026, 3, 24, 9), ends_at=paris(2026, 3, 24, 12)
    )
    OutreachSessionFactory(
        territory=territory,
        kind="walkabout",
        starts_at=paris(2026, 3, 6, 14),
        ends_at=paris(2026, 3, 6, 17),
    )
    week = volunteer_client.get(reverse("agenda")).content.decode()
    assert "mardi 24 mars" in week and "vendredi 6 mars" not in week
    assert "1 action" in week
    assert "date=2026-03-16" in week and "date=2026-03-30" in week  # previous / next
    month = volunteer_client.get(reverse("agenda") + "?view=month").content.decode()
    assert "mars 2026" in month
    assert "mardi 24 mars" in month and "vendredi 6 mars" in month
    assert "2 actions" in month
    assert "date=2026-02-01" in month and "date=2026-04-01" in month


@time_machine.travel(NOW, tick=False)
def test_filters_by_territory_kind_and_member(volunteer_client, org):
    prades, ria = TerritoryFactory(organisation=org), TerritoryFactory(organisation=org)
    anna = MembershipFactory(organisation=org, user__first_name="Anna").user
    OutreachSessionFactory(
        territory=prades,
        kind="stand",
        starts_at=paris(2026, 3, 24, 9),
        ends_at=paris(2026, 3, 24, 12),
        members=[anna],
    )
    OutreachSessionFactory(
        territory=ria,
        kind="walkabout",
        starts_at=paris(2026, 3, 26, 9),
        ends_at=paris(2026, 3, 26, 12),
    )
    url = reverse("agenda")
    assert "1 action" in volunteer_client.get(url, {"territory": prades.pk}).content.decode()
    assert "1 action" in volunteer_client.get(url, {"kind": "walkabout"}).content.decode()
    page = volunteer_client.get(url, {"member": anna.pk}).content.decode()
    assert "1 action" in page and "Stand / QG" in page
    # An invalid filter value is ignored, not an error.
    assert volunteer_client.get(url, {"territory": "999999", "date": "nope"}).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_htmx_gets_only_the_results_fragment(volunteer_client, org):
    OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org),
        starts_at=paris(2026, 3, 24, 9),
        ends_at=paris(2026, 3, 24, 12),
    )
    response = volunteer_client.get(reverse("agenda"), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="results"')
    assert "<html" not in page


@time_machine.travel(NOW, tick=False)
def test_conflicts_member_in_two_places_and_place_booked_twice(coordinator_client, org):
    territory = TerritoryFactory(organisation=org)
    market = PlaceFactory(territory=territory, name="Marché du mardi")
    jordi = MembershipFactory(organisation=org, user__first_name="Jordi").user
    anna = MembershipFactory(organisation=org, user__first_name="Anna").user
    OutreachSessionFactory(
        territory=territory,
        place=market,
        starts_at=paris(2026, 3, 24, 9),
        ends_at=paris(2026, 3, 24, 12),
        members=[jordi],
    )
    OutreachSessionFactory(
        territory=territory,
        place=market,
        starts_at=paris(2026, 3, 24, 11),
        ends_at=paris(2026, 3, 24, 13),
        members=[anna],
    )
    OutreachSessionFactory(
        territory=territory,
        kind="permanence",
        starts_at=paris(2026, 3, 24, 10),
        ends_at=paris(2026, 3, 24, 11),
        members=[jordi],
    )
    # Back to back is not a conflict.
    OutreachSessionFactory(
        territory=territory,
        place=market,
        starts_at=paris(2026, 3, 24, 13),
        ends_at=paris(2026, 3, 24, 14),
        members=[anna],
    )
    page = coordinator_client.get(reverse("agenda")).content.decode()
    assert "Conflits à vérifier" in page
    # Each clash once, with both sessions linked and the day in words.
    assert page.count("Jordi est sur deux actions à la fois le mardi 24 mars à 10:00") == 1
    assert "Anna est sur deux actions" not in page
    assert page.count("Le lieu « Marché du mardi » est réservé deux fois le mardi 24 mars") == 1


@time_machine.travel(NOW, tick=False)
def test_two_members_in_the_same_clash_make_one_plural_line(coordinator_client, org):
    territory = TerritoryFactory(organisation=org)
    jordi = MembershipFactory(organisation=org, user__first_name="Jordi").user
    marion = MembershipFactory(organisation=org, user__first_name="Marion").user
    for hour in (9, 10):
        OutreachSessionFactory(
            territory=territory,
            starts_at=paris(2026, 3, 24, hour),
            ends_at=paris(2026, 3, 24, hour + 2),
            members=[jordi, marion],
        )
    page = coordinator_client.get(reverse("agenda")).content.decode()
    assert page.count("Jordi, Marion sont sur deux actions à la fois") == 1
    assert "est sur deux actions" not in page


def test_a_week_across_two_years_names_both(coordinator_client):
    page = coordinator_client.get(reverse("agenda") + "?date=2026-12-30").content.decode()
    assert "Semaine du 28 décembre 2026 au 3 janvier 2027" in page
    page = coordinator_client.get(reverse("agenda") + "?date=2026-03-25").content.decode()
    assert "Semaine du 23 mars au 29 mars 2026" in page


@time_machine.travel(NOW, tick=False)
def test_cancelled_sessions_clash_with_nothing(coordinator_client, org):
    territory = TerritoryFactory(organisation=org)
    jordi = MembershipFactory(organisation=org, user__first_name="Jordi").user
    for hour in (9, 10):
        OutreachSessionFactory(
            territory=territory,
            starts_at=paris(2026, 3, 24, hour),
            ends_at=paris(2026, 3, 24, hour + 2),
            members=[jordi],
            status="cancelled" if hour == 10 else "planned",
            cancel_reason="Pluie" if hour == 10 else "",
        )
    page = coordinator_client.get(reverse("agenda")).content.decode()
    assert "Conflits à vérifier" not in page
    assert "Pluie" in page


@time_machine.travel(NOW, tick=False)
def test_agenda_never_shows_another_organisation(member_client, org, other_org):
    OutreachSessionFactory(
        territory=TerritoryFactory(organisation=other_org, name="Ailleurs"),
        starts_at=paris(2026, 3, 24, 9),
        ends_at=paris(2026, 3, 24, 12),
    )
    page = member_client(Role.MANAGER).get(reverse("agenda")).content.decode()
    assert "Ailleurs" not in page and "0 action" in page
