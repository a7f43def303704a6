"""Planning that warns before it saves: places follow the territory, a mismatch is
refused, a place starts a session, a session is repeated from its own form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outreach.models import OutreachSession
from tests.territories.factories import PlaceFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def geography(org):
    conflent = TerritoryFactory(organisation=org, name="Conflent")
    prades = TerritoryFactory(organisation=org, name="Prades", parent=conflent)
    ria = TerritoryFactory(organisation=org, name="Ria-Sirach", parent=conflent)
    gare = TerritoryFactory(organisation=org, name="Quartier de la gare", parent=prades)
    return {
        "prades": prades,
        "ria": ria,
        "market": PlaceFactory(territory=prades, name="Marché du mardi"),
        "station": PlaceFactory(territory=gare, name="Place de la gare"),
        "mairie": PlaceFactory(territory=ria, name="Mairie de Ria"),
    }


def _options(page: str) -> str:
    return page.split('id="id_place"')[1].split("</select>")[0]


def test_the_place_list_follows_the_territory(coordinator_client, geography):
    page = coordinator_client.get(
        reverse("session_create") + f"?territory={geography['prades'].pk}"
    ).content.decode()
    places = _options(page)
    assert "Marché du mardi" in places and "Place de la gare" in places  # and inside it
    assert "Mairie de Ria" not in places
    # The territory select asks for the place list again when it changes (htmx).
    assert 'hx-select="#id_place"' in page and 'hx-target="#id_place"' in page
    assert 'hx-disabled-elt="#id_place"' in page


def test_a_place_of_another_territory_is_refused(coordinator_client, geography):
    response = coordinator_client.post(
        reverse("session_create"),
        {
            "kind": "stand",
            "territory": geography["ria"].pk,
            "place": geography["market"].pk,
            "day": "2026-12-15",
            "start_time": "09:00",
            "end_time": "12:00",
        },
    )
    assert response.status_code == 422
    assert "Ce lieu n’est pas dans le territoire choisi" in response.content.decode()
    assert OutreachSession.objects.count() == 0


def test_plan_a_session_from_a_place(coordinator_client, geography):
    market = geography["market"]
    page = coordinator_client.get(reverse("place_detail", args=[market.pk])).content.decode()
    assert f'href="/sessions/new/?place={market.pk}"' in page
    assert "Planifier une action ici" in page
    form = coordinator_client.get(f"/sessions/new/?place={market.pk}").content.decode()
    assert f'<option value="{market.pk}" selected>' in form
    assert f'<option value="{geography["prades"].pk}" selected>' in form


def test_a_volunteer_is_not_offered_to_plan(volunteer_client, geography):
    page = volunteer_client.get(reverse("place_detail", args=[geography["market"].pk]))
    assert "Planifier une action ici" not in page.content.decode()


def test_repeat_a_session_fills_the_series_form_and_saves_nothing(coordinator_client, geography):
    create = coordinator_client.get(reverse("session_create")).content.decode()
    assert 'formaction="/sessions/series/new/"' in create and 'name="prefill"' in create
    response = coordinator_client.post(
        reverse("series_create"),
        {
            "prefill": "1",
            "kind": "permanence",
            "territory": geography["prades"].pk,
            "place": geography["market"].pk,
            "day": "2026-12-15",  # a Tuesday
            "start_time": "09:00",
            "end_time": "12:00",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert OutreachSession.objects.count() == 0
    assert 'value="permanence" selected' in page
    assert 'name="weekdays" value="1" id="id_weekdays_1" checked' in page
    assert 'value="2026-12-15"' in page and 'value="09:00"' in page
    assert "Le formulaire contient des erreurs" not in page
