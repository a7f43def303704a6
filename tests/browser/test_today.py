"""A coordinator plans a session on a phone; the volunteer finds it in "Today"."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from organisations.models import Role
from outreach.models import OutreachSession
from tests.organisations.factories import MembershipFactory
from tests.territories.factories import PlaceFactory, TerritoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_volunteer_finds_in_today_the_session_a_coordinator_planned(login, org):
    territory = TerritoryFactory(organisation=org, name="Prades")
    PlaceFactory(
        territory=territory,
        name="Salle prêtée par la mairie",
        latitude="42.618400",
        longitude="2.422700",
    )
    coordinator = MembershipFactory(
        organisation=org, role=Role.COORDINATOR, user__first_name="Marion"
    ).user
    volunteer = MembershipFactory(
        organisation=org, role=Role.VOLUNTEER, user__first_name="Jordi"
    ).user

    page = login(coordinator.email)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Agenda"
    ).click()
    page.get_by_role("link", name="+ Action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planifier une action")
    page.get_by_label("Type").select_option(label="Permanence")
    page.get_by_label("Territoire").select_option(label="Prades")
    page.get_by_label("Lieu").select_option(label="Salle prêtée par la mairie")
    page.get_by_label("Jour").fill(timezone.localdate().isoformat())
    # End before start on purpose: the form comes back (422) with what was typed.
    page.get_by_label("Heure de début").fill("09:00")
    page.get_by_label("Heure de fin").fill("08:00")
    page.get_by_label("Jordi").check()
    page.get_by_label("Objectifs").fill("Accueil café, aide aux démarches")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("rien n’a encore été enregistré")
    expect(page.get_by_label("Objectifs")).to_have_value("Accueil café, aide aux démarches")
    expect(page.get_by_label("Jordi")).to_be_checked()
    page.get_by_label("Heure de fin").fill("12:00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Permanence · Salle prêtée par la mairie"
    )
    assert OutreachSession.objects.filter(organisation=org).count() == 1

    page = login(volunteer.email)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Aujourd’hui"
    ).click()
    day = page.locator(".today-card")
    expect(day).to_have_count(1)
    expect(day).to_contain_text("09:00–12:00")
    expect(day).to_contain_text("Permanence · Salle prêtée par la mairie")
    expect(day).to_contain_text("Marion")
    expect(day).to_contain_text("Jordi")
    maps = day.get_by_role("link", name="Ouvrir dans mon appli de cartes")
    expect(maps).to_have_attribute("href", re.compile(r"^geo:42\.618400,2\.422700"))
    box = maps.bounding_box()
    assert box and box["height"] >= 44, "tap targets are at least 44px high"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
