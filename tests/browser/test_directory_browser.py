"""A coordinator adds a place on a phone; a volunteer finds it with the htmx search."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from organisations.models import Role
from territories.models import Place
from tests.organisations.factories import MembershipFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_adds_a_place_and_volunteer_finds_it_by_search(login, org):
    TerritoryFactory(organisation=org, name="Prades")
    coordinator = MembershipFactory(organisation=org, role=Role.COORDINATOR).user
    volunteer = MembershipFactory(organisation=org, role=Role.VOLUNTEER).user

    page = login(coordinator.email)
    page.goto("/places/new/")
    page.get_by_label("Nom").fill("Sortie de l'école Jean-Jaurès")
    page.get_by_label("Type").select_option(label="Sortie d’école")
    page.get_by_label("Territoire").select_option(label="Prades")
    page.get_by_label("jeudi").check()
    # Leave out the longitude on purpose: the form comes back with what was typed.
    page.get_by_label("Latitude").fill("42.6172")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("rien n’a encore été enregistré")
    expect(page.get_by_label("Nom")).to_have_value("Sortie de l'école Jean-Jaurès")
    expect(page.get_by_label("jeudi")).to_be_checked()
    page.get_by_label("Longitude").fill("2.4219")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Jean-Jaurès"))
    assert Place.objects.filter(organisation=org).count() == 1

    page = login(volunteer.email)
    page.goto("/places/")
    page.get_by_label("Rechercher").fill("ECOLE jean")
    results = page.locator("#results")
    expect(results).to_contain_text("1 résultat")
    expect(results).to_contain_text("Sortie de l'école Jean-Jaurès")
    # htmx pushed the search into the address bar: the view can be bookmarked.
    expect(page).to_have_url(re.compile(r"q=ECOLE"))
    # Volunteers read the directory but get no edit button.
    expect(page.get_by_role("link", name=re.compile("Nouveau lieu"))).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
