"""Every detail page reads a constant number of queries: pinned here, and the same with
one child row as with several (a page that grows a query per row fails)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from encounters.models import NonTakeUpReason, Right
from organisations.models import Role
from tests.encounters.factories import (
    EncounterFactory,
    NonTakeUpSignalFactory,
    ReferralFactory,
)
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import (
    ObservationFactory,
    PartnerFactory,
    PlaceFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _encounter(org, author, children: int):
    session = OutreachSessionFactory(
        organisation=org, starts_at=timezone.now() - timedelta(hours=1)
    )
    encounter = EncounterFactory(session=session, author=author)
    rights = list(Right.objects.order_by("pk")[:children])
    for right in rights:
        NonTakeUpSignalFactory(encounter=encounter, right=right, reason=NonTakeUpReason.NON_DEMAND)
        ReferralFactory(encounter=encounter, partner=PartnerFactory(organisation=org), right=right)
    return encounter


# Pinned query counts of each detail page (the tenancy middleware, session and user
# included). Lower is welcome: change the number in the same commit.
PINNED = {
    "encounter": 11,
    "session": 5,
    "territory": 10,
    "place": 4,
    "partner": 5,
    # On the rollups, as in production. Beside its figures, a report reads the first
    # month of activity (before it, no report), and to mask the periods it sets beside
    # it as their own reports do: which reports are validated, and the months' stamps.
    "report": 19,
    "report, live tables": 23,
    # The last three months of a place or a territory, loaded into their pages.
    "place_figures": 5,
    "territory_figures": 7,
}


def test_encounter_detail(coordinator_client, org):
    author = coordinator_client.membership.user
    one = _encounter(org, author, 1)
    four = _encounter(org, author, 4)
    counts = [
        _queries(coordinator_client, reverse("encounter_detail", args=[e.pk])) for e in (one, four)
    ]
    assert counts == [PINNED["encounter"]] * 2


def test_session_detail(coordinator_client, org):
    small = OutreachSessionFactory(organisation=org)
    team = [MembershipFactory(organisation=org, role=Role.VOLUNTEER).user for _ in range(5)]
    large = OutreachSessionFactory(organisation=org, members=team, lead=team[0])
    for s in (small, large):
        EncounterFactory(session=s, author=coordinator_client.membership.user)
    counts = [
        _queries(coordinator_client, reverse("session_detail", args=[s.pk])) for s in (small, large)
    ]
    assert counts == [PINNED["session"]] * 2


def test_territory_detail(coordinator_client, org):
    # The same depth (the subtree is read one level per query), one child row vs four.
    small = TerritoryFactory(organisation=org)
    TerritoryFactory(organisation=org, parent=small)
    large = TerritoryFactory(organisation=org)
    for _ in range(4):
        TerritoryFactory(organisation=org, parent=large)
        PlaceFactory(territory=large)
        ObservationFactory(organisation=org, territory=large)
    counts = [
        _queries(coordinator_client, reverse("territory_detail", args=[t.pk]))
        for t in (small, large)
    ]
    assert counts == [PINNED["territory"]] * 2


def test_place_detail(coordinator_client, org):
    place = PlaceFactory(territory=TerritoryFactory(organisation=org))
    busy = PlaceFactory(territory=TerritoryFactory(organisation=org))
    for _ in range(3):
        OutreachSessionFactory(organisation=org, territory=busy.territory, place=busy)
    counts = [
        _queries(coordinator_client, reverse("place_detail", args=[p.pk])) for p in (place, busy)
    ]
    assert counts == [PINNED["place"]] * 2


def test_place_and_territory_figures(coordinator_client, org, settings):
    # On the rollups, as in production; one encounter a month versus several, with
    # signals and referrals: the same queries.
    settings.REPORTS_USE_ROLLUPS = True
    author = coordinator_client.membership.user
    counts = []
    for per_month in (1, 3):
        territory = TerritoryFactory(organisation=org)
        TerritoryFactory(organisation=org, parent=territory)
        place = PlaceFactory(territory=territory)
        for months_ago in range(3):
            for _ in range(per_month):
                session = OutreachSessionFactory(
                    organisation=org,
                    territory=territory,
                    place=place,
                    starts_at=timezone.now() - timedelta(days=30 * months_ago, hours=1),
                )
                EncounterFactory(session=session, author=author)
        counts.append(
            [
                _queries(coordinator_client, reverse("place_figures", args=[place.pk])),
                _queries(coordinator_client, reverse("territory_figures", args=[territory.pk])),
            ]
        )
    assert counts == [[PINNED["place_figures"], PINNED["territory_figures"]]] * 2


def test_partner_detail(coordinator_client, org):
    small = PartnerFactory(organisation=org)
    large = PartnerFactory(organisation=org)
    large.territories.set(
        [TerritoryFactory(organisation=org) for _ in range(4)],
        through_defaults={"organisation": org},
    )
    counts = [
        _queries(coordinator_client, reverse("partner_detail", args=[p.pk])) for p in (small, large)
    ]
    assert counts == [PINNED["partner"]] * 2


@pytest.mark.parametrize("use_rollups", [True, False], ids=["rollups", "live tables"])
def test_monthly_report_detail(manager_client, org, settings, use_rollups):
    settings.REPORTS_USE_ROLLUPS = use_rollups
    pinned = PINNED["report"] if use_rollups else PINNED["report, live tables"]
    url = reverse("report_detail", args=["month", "2026-03"])
    territory = TerritoryFactory(organisation=org)

    def sessions(days):
        for day in days:
            session = OutreachSessionFactory(
                organisation=org,
                territory=territory,
                place=PlaceFactory(territory=territory),
                starts_at=timezone.make_aware(timezone.datetime(2026, 3, day, 9)),
            )
            EncounterFactory(session=session, author=manager_client.membership.user)

    sessions([2, 3])
    few = _queries(manager_client, url)
    sessions(range(4, 20))
    assert [few, _queries(manager_client, url)] == [pinned] * 2
