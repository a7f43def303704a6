"""Focus after an htmx swap stays on the control that caused it (RGAA 7.1, 12.8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from organisations.models import Role
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_agenda_keeps_focus_on_the_next_period_link(login, org):
    user = MembershipFactory(organisation=org, role=Role.COORDINATOR).user
    page = login(user.email)
    page.goto("/agenda/")
    period = page.locator(".period")
    before = period.inner_text()
    page.focus("#period-next")
    page.keyboard.press("Enter")
    expect(period).not_to_have_text(before)
    assert page.evaluate("document.activeElement.id") == "period-next"
    page.keyboard.press("Enter")  # and again, without reaching for the link
    assert page.evaluate("document.activeElement.id") == "period-next"


def test_field_mode_keeps_focus_on_the_tap_button(login, org):
    user = MembershipFactory(organisation=org, role=Role.VOLUNTEER).user
    now = timezone.now()
    session = OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        members=[user],
    )
    page = login(user.email)
    page.goto(f"/sessions/{session.pk}/field/")
    page.focus("#tap-contact")
    page.keyboard.press("Enter")
    expect(page.locator("[data-count=contact]")).to_have_text("1")
    assert page.evaluate("document.activeElement.id") == "tap-contact"
