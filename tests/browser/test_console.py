"""No console error (CSP or other) on the main pages, and htmx still posts with its token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from organisations.models import Role
from tests.organisations.factories import MembershipFactory
from tests.outreach.factories import OutreachSessionFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _collect(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_main_pages_log_no_console_error(phone, login, org):
    # The login page, before logging in.
    anonymous = phone().new_page()
    errors = _collect(anonymous)
    anonymous.goto("/login/")
    anonymous.wait_for_load_state("networkidle")
    assert errors == []

    member = MembershipFactory(organisation=org, role=Role.COORDINATOR)
    session = OutreachSessionFactory(
        territory=TerritoryFactory(organisation=org),
        starts_at=timezone.now() - timedelta(minutes=30),
        members=[member.user],
    )
    page = login(member.user.email)
    errors = _collect(page)
    for path in (
        "/",
        "/today/",
        "/agenda/",
        f"/sessions/{session.pk}/field/",
        f"/sessions/{session.pk}/encounters/new/",
        "/referrals/",
        "/dashboard/",
        "/calendar/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert errors == [], f"{path}: {errors}"
    # An htmx post (a tap in field mode) with an HttpOnly CSRF cookie: it goes through.
    page.goto(f"/sessions/{session.pk}/field/")
    with page.expect_response(lambda r: r.url.endswith("/field/tap/")) as answer:
        page.locator("button.tap-contact").click()
    assert answer.value.status == 200
    page.wait_for_load_state("networkidle")
    assert errors == []
