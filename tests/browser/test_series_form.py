"""The series form warns of clashes as it changes, over all its occurrences (Chromium,
390x844 and 195 px wide)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from organisations.models import Role
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import PlaceFactory, TerritoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_series_form_lists_clashes_before_saving(login, org):
    coordinator = MembershipFactory(organisation=org, role=Role.COORDINATOR).user
    territory = TerritoryFactory(organisation=org, name="Prades")
    market = PlaceFactory(territory=territory, name="Marché du mardi")
    day = timezone.localdate() + timedelta(days=8)
    at = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
    for week in (0, 1):  # the same weekday, two weeks running, 9:00-12:00 at the market
        OutreachSessionFactory(
            territory=territory,
            place=market,
            starts_at=at + timedelta(weeks=week, hours=9),
            ends_at=at + timedelta(weeks=week, hours=12),
        )
    page = login(coordinator.email)
    page.goto("/sessions/series/new/")
    check = page.locator("#planning-check")
    page.select_option("#id_territory", value=str(territory.pk))
    page.select_option("#id_place", value=str(market.pk))
    page.locator(f"#id_weekdays input[value='{day.weekday()}']").check()
    page.fill("#id_first_date", day.isoformat())
    page.fill("#id_last_date", (day + timedelta(weeks=3)).isoformat())
    page.fill("#id_start_time", "10:00")
    page.fill("#id_end_time", "11:00")
    page.locator("#id_end_time").dispatch_event("change")
    expect(check.locator("li")).to_have_count(2)
    expect(check).to_contain_text("la série serait en conflit avec ces 2 actions")
    expect(check).to_contain_text("le lieu est déjà réservé")
    page.locator(".planning-check-slot").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/field/series-clashes.png")
    page.set_viewport_size({"width": 195, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator(".planning-check-slot").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/field/series-clashes-195.png")
    # Later hours: no clash, the warning goes.
    page.fill("#id_start_time", "14:00")
    page.fill("#id_end_time", "16:00")
    page.locator("#id_end_time").dispatch_event("change")
    expect(check.locator("li")).to_have_count(0)
